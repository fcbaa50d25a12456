"""Two people edit the same record: the helpers of the stale-save tests of every app.

Both open the edit form (at the same version); the first saves; the second saves what
they typed over the version they started from. The second save must be refused with
:data:`unionvol.locking.STALE`, the form shown again with what they typed, and the
first save kept.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from django import forms
from django.test import Client

from unionvol.locking import STALE


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_post_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser posts back for ``form`` as rendered (the hidden version included)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None or value == [] or value == "":
            continue
        data[name] = as_post_value(value)
    return data


VERSION_INPUT = re.compile(r'<input type="hidden" name="version" value="(\d+)"')


def opened(client: Client, url: str, form_key: str = "form") -> dict[str, Any]:
    """The edit page as a browser gets it; the version is the one in the page's HTML."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context[form_key])
    found = VERSION_INPUT.search(response.content.decode())
    assert found, "the edit page must carry the version it shows"
    data["version"] = found.group(1)
    return data


def second_save_is_refused(
    first: Client,
    second: Client,
    url: str,
    first_changes: dict[str, Any],
    second_changes: dict[str, Any],
    *,
    form_key: str = "form",
    extra: dict[str, Any] | None = None,
    message: Any = STALE,
) -> Any:
    """Both open ``url``; ``first`` saves (redirect), ``second`` is refused. Returns the
    refused response, whose form holds what ``second`` typed."""
    seen_first = opened(first, url, form_key)
    seen_second = opened(second, url, form_key)
    assert seen_first["version"] == seen_second["version"]
    saved = first.post(url, {**seen_first, **(extra or {}), **first_changes})
    assert saved.status_code == 302, saved.context and saved.context[form_key].errors
    refused = second.post(url, {**seen_second, **(extra or {}), **second_changes})
    assert refused.status_code in (200, 400)
    html = refused.content.decode()
    assert str(message) in html
    form = refused.context[form_key]
    for name, typed in second_changes.items():
        shown = form[name].value()
        assert as_post_value(shown) == as_post_value(typed), (name, shown, typed)
    return refused
