"""ID numbers kept out of logs and error reports.

Nothing logs an ID number on purpose, but an exception can carry one: a PostgreSQL
unique violation names the duplicate key, a form's ``cleaned_data`` sits in a frame's
locals, the POST of a registration holds the typed number. Every log line goes through
:class:`MaskingFormatter`, and the error e-mails and debug pages through
:class:`MaskingExceptionReporterFilter`; both mask what looks like an ID number exactly
as the audit log does (:func:`unionvol.audit.mask_ids`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, QueryDict
from django.template.defaultfilters import pprint
from django.views.debug import SafeExceptionReporterFilter


class MaskingFormatter(logging.Formatter):
    """The standard formatter, with every ID number in the finished line masked."""

    def format(self, record: logging.LogRecord) -> str:
        # Imported here: logging is configured before the apps (and their models) load.
        from unionvol.audit import mask_ids_in_text

        return mask_ids_in_text(super().format(record))


def _masked(value: Any) -> Any:
    from unionvol.audit import ID_NUMBER_RE, mask_ids_in_text

    if isinstance(value, str):
        return mask_ids_in_text(value)
    text = pprint(value)
    return mask_ids_in_text(text) if ID_NUMBER_RE.search(text) else value


class MaskingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter (passwords, keys), plus ID numbers masked in POST and frame locals,
    with DEBUG on as well as off."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        from unionvol.audit import mask_ids

        params = super().get_post_parameters(request)
        if not isinstance(params, QueryDict) or not params:
            return params
        masked = params.copy()
        for key in list(masked):
            masked.setlist(key, [mask_ids(v) for v in masked.getlist(key)])
        return masked

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, _masked(value)) for name, value in variables]
