"""The report forms (报表) of the seeds as classes in one registry.

A form is identified by the same key as ``campaigns.models.SheetKind`` (the
milestone's ``form``). To add one, subclass :class:`ReportSheet` and decorate it
with :func:`register`.
"""

# The sheets register themselves in this order (the order of the 报送 pages and lists).
from reports.registry import dispatch, tables, volunteer_sheets, warmth  # noqa: F401
from reports.registry.base import (
    NARRATIVE_TOO_LONG,
    PHOTOS_RANGE,
    PROGRESS_LIMIT,
    REGISTRY,
    ReportSheet,
    describe,
    empty_figures,
    get_sheet,
    identifiers,
    register,
)
from reports.registry.dispatch import (
    DISPATCH_FIGURES,
    DISPATCH_LABELS,
    DISPATCH_TITLE,
    EMPTY_BLOCK,
    REASON_REQUIRED,
    DispatchSheet,
    _dispatch_blocks,
)
from reports.registry.tables import PlanSheet, SummarySheet, TableSheet, TypicalSheet
from reports.registry.volunteer_sheets import (
    QuotaSheet,
    RegistrationSheet,
    RosterSheet,
    _volunteer_rows,
)
from reports.registry.warmth import WarmthStatsSheet

__all__ = [
    "DISPATCH_FIGURES",
    "DISPATCH_LABELS",
    "DISPATCH_TITLE",
    "EMPTY_BLOCK",
    "NARRATIVE_TOO_LONG",
    "PHOTOS_RANGE",
    "PROGRESS_LIMIT",
    "REASON_REQUIRED",
    "REGISTRY",
    "DispatchSheet",
    "PlanSheet",
    "QuotaSheet",
    "RegistrationSheet",
    "ReportSheet",
    "RosterSheet",
    "SummarySheet",
    "TableSheet",
    "TypicalSheet",
    "WarmthStatsSheet",
    "_dispatch_blocks",
    "_volunteer_rows",
    "describe",
    "empty_figures",
    "get_sheet",
    "identifiers",
    "register",
]
