"""What the volunteers views share."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

APPLY_LIMIT = 5  # public applications per IP address
APPLY_WINDOW = 3600  # seconds
STATUS_LIMIT = 20  # status lookups per IP address and hour
STATUS_REFERENCE_LIMIT = 10  # lookups of one 报名编号 per hour, from anywhere
STATUS_WINDOW = 3600  # seconds
IMPORT_DIR = "imports"
IMPORT_MAX_AGE = 24 * 3600  # seconds


def roster_crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("志愿者"), reverse("volunteers:roster")), *extra]
