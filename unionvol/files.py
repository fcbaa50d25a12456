"""Private files: every stored upload and export is sent by a view that checks who asks.

Nothing under ``MEDIA_ROOT`` is public. A photo's URL (``FieldFile.url``, that is
``MEDIA_URL`` + its stored name) is answered by :func:`serve`, which finds the model
owning the name in a registry, looks the name up among the rows the user may see
(the owning app's rule) and only then sends the file; everyone else — anonymous
users and outsiders alike — gets 404, so a file's existence is not revealed. Export
files are sent by their job's view (requester only) through the same
:func:`send_file`. Import uploads are never sent back at all.

An app registers each of its file fields in ``AppConfig.ready``::

    register_private_file(Volunteer, "photo")  # readable by whoever sees the volunteer

The field must use ``upload_to=random_name(prefix)``: the prefix maps a stored name
back to its model, and random names mean a URL cannot be guessed either.

:func:`send_file` streams the file from Django in development (``MEDIA_ACCEL=off``);
in production the proxy sends it (``nginx``: ``X-Accel-Redirect`` to an ``internal``
location; ``apache``: ``X-Sendfile``), so no worker is held by a download.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from unionvol.capabilities import Capability
from unionvol.scoping import has_capability
from unionvol.uploads import RandomName

Visible = Callable[[Any], "models.QuerySet[Any]"]


@dataclass(frozen=True)
class PrivateFile:
    """Who may read the files stored in one model's file field."""

    prefix: str
    model: type[models.Model]
    field: str
    visible: Visible | None
    capability: Capability

    def rows_for(self, user: Any) -> models.QuerySet[Any]:
        if self.visible is not None:
            return self.visible(user)
        return self.model._default_manager.visible_to(user)  # type: ignore[attr-defined, no-any-return]


_registry: dict[str, PrivateFile] = {}


def register_private_file(
    model: type[models.Model],
    field: str,
    *,
    visible: Visible | None = None,
    capability: Capability = Capability.VIEW,
) -> None:
    """Files of ``model.field`` may be read by users with ``capability`` who can see the
    owning row in ``visible(user)`` (default: ``model.objects.visible_to(user)``)."""
    upload_to = model._meta.get_field(field).upload_to  # type: ignore[union-attr]
    if not isinstance(upload_to, RandomName):
        raise TypeError(f"{model.__name__}.{field} must use upload_to=random_name(...)")
    _registry[f"{upload_to.prefix}/"] = PrivateFile(
        upload_to.prefix, model, field, visible, capability
    )


def owner_of(name: str) -> PrivateFile | None:
    for prefix, entry in _registry.items():
        if name.startswith(prefix):
            return entry
    return None


def may_read(user: Any, name: str) -> bool:
    """True if ``user`` may read the stored file ``name`` (a FieldFile's ``name``)."""
    entry = owner_of(name)
    if entry is None or not getattr(user, "is_authenticated", False):
        return False
    if not has_capability(user, entry.capability):
        return False
    return entry.rows_for(user).filter(**{entry.field: name}).exists()


def send_file(
    name: str, *, content_type: str | None = None, filename: str | None = None
) -> HttpResponseBase:
    """The response sending the stored file ``name`` (relative to ``MEDIA_ROOT``).

    The caller has decided that the user may have it. ``filename`` makes it a download
    under that name; without it the file is shown inline (a photo in a page).
    """
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    content_type = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response: HttpResponseBase  # a streamed FileResponse, or an empty one the proxy fills
    if settings.MEDIA_ACCEL == "off":
        response = FileResponse(
            path.open("rb"),
            content_type=content_type,
            as_attachment=filename is not None,
            filename=filename or "",
        )
    else:
        response = HttpResponse(content_type=content_type)
        if settings.MEDIA_ACCEL == "nginx":
            relative = path.relative_to(root).as_posix()
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_LOCATION + quote(relative)
        else:
            response["X-Sendfile"] = str(path)
        if filename is not None:
            response["Content-Disposition"] = content_disposition_header(True, filename)
    # Photos of people and rosters: kept by no shared cache, and not by the browser either.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def serve(request: HttpRequest, name: str) -> HttpResponseBase:
    """``MEDIA_URL<name>``: the file if the user may see the row owning it, else 404."""
    if not may_read(request.user, name):
        raise Http404
    return send_file(name)
