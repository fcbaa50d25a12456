"""Live figures from the records of other apps, computed with a fixed number of queries.

The campaigns / volunteers / relief models are looked up lazily: a model (or a field)
that is not installed yet yields zeros instead of an error, so reports work on any
subset of the apps. Every function takes the *paths* of the unions it groups by, so
one ``GROUP BY`` on a path prefix answers for all of them at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth

FIGURE_KEYS = (
    "volunteers_registered",
    "volunteers_approved",
    "teams",
    "projects",
    "activities",
    "person_times",
    "hours",
    "beneficiaries",
    "funds",
    "relief_amount",
)


def model_or_none(label: str, *fields: str) -> type[models.Model] | None:
    """The model if installed and it has every named field (``a__b`` paths allowed)."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    for name in fields:
        current = model
        for part in name.split("__"):
            try:
                f = current._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            current = f.related_model or current
    return model


@dataclass
class Figures:
    values: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(FIGURE_KEYS, 0))

    def add(self, key: str, value: Any) -> None:
        self.values[key] = (self.values.get(key) or 0) + (value or 0)

    def as_json(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _grouped(
    qs: models.QuerySet[Any], path_field: str, length: int, **aggregates: Any
) -> list[dict[str, Any]]:
    return list(
        qs.annotate(_prefix=Substr(path_field, 1, length))
        .values("_prefix")
        .order_by()
        .annotate(**aggregates)
    )


def figures_by_prefix(
    paths: list[str], *, campaign: Any, until: date | None = None
) -> dict[str, Figures]:
    """Figures per union path (each union's whole subtree); all paths have the same length.

    One aggregate query per source model, whatever the number of unions.
    """
    result = {p: Figures() for p in paths}
    if not paths:
        return result
    length = len(paths[0])
    assert all(len(p) == length for p in paths), "paths must be of one depth"
    prefix_q = _prefix_filter(paths)

    def put(rows: list[dict[str, Any]], mapping: dict[str, str]) -> None:
        for row in rows:
            target = result.get(row["_prefix"])
            if target is None:
                continue
            for key, alias in mapping.items():
                target.add(key, row[alias])

    volunteer = model_or_none("volunteers.Volunteer", "union", "status")
    if volunteer is not None:
        put(
            _grouped(
                volunteer.objects.filter(prefix_q("union__path")),
                "union__path",
                length,
                n=Count("pk"),
                ok=Count("pk", filter=Q(status="approved")),
            ),
            {"volunteers_registered": "n", "volunteers_approved": "ok"},
        )
    team = model_or_none("campaigns.ServiceTeam", "union", "campaign")
    if team is not None:
        put(
            _grouped(
                team.objects.filter(prefix_q("union__path"), campaign=campaign),
                "union__path",
                length,
                n=Count("pk"),
            ),
            {"teams": "n"},
        )
    project = model_or_none("campaigns.ServiceProject", "team__union", "team__campaign")
    if project is not None:
        has_amount = model_or_none("campaigns.ServiceProject", "support_amount") is not None
        aggregates: dict[str, Any] = {"n": Count("pk")}
        mapping = {"projects": "n"}
        if has_amount:
            aggregates["funds"] = Sum("support_amount")
            mapping["funds"] = "funds"
        put(
            _grouped(
                project.objects.filter(prefix_q("team__union__path"), team__campaign=campaign),
                "team__union__path",
                length,
                **aggregates,
            ),
            mapping,
        )
    activity = model_or_none("campaigns.Activity", "team__union", "team__campaign", "date")
    if activity is not None:
        qs = activity.objects.filter(prefix_q("team__union__path"), team__campaign=campaign)
        if until is not None:
            qs = qs.filter(date__lte=until)
        aggregates = {"n": Count("pk")}
        mapping = {"activities": "n"}
        if model_or_none("campaigns.Activity", "beneficiaries"):
            aggregates["b"] = Sum("beneficiaries")
            mapping["beneficiaries"] = "b"
        put(_grouped(qs, "team__union__path", length, **aggregates), mapping)
    participation = model_or_none(
        "campaigns.Participation", "activity__team__union", "activity__date", "hours"
    )
    if participation is not None:
        qs = participation.objects.filter(
            prefix_q("activity__team__union__path"), activity__team__campaign=campaign
        )
        if until is not None:
            qs = qs.filter(activity__date__lte=until)
        put(
            _grouped(qs, "activity__team__union__path", length, n=Count("pk"), h=Sum("hours")),
            {"person_times": "n", "hours": "h"},
        )
    grant = model_or_none("relief.ReliefGrant", "file__union", "campaign", "amount", "status")
    if grant is not None:
        put(
            _grouped(
                grant.objects.filter(
                    prefix_q("file__union__path"), campaign=campaign, status="approved"
                ),
                "file__union__path",
                length,
                a=Sum("amount"),
            ),
            {"relief_amount": "a"},
        )
    return result


def _prefix_filter(paths: list[str]) -> Any:
    def build(path_field: str) -> Q:
        if len(paths) == 1:
            return Q(**{f"{path_field}__startswith": paths[0]})
        # All requested unions share their parent: filter on the parent's prefix,
        # the GROUP BY then splits per child (extra children are ignored).
        common = _common_prefix(paths)
        return Q(**{f"{path_field}__startswith": common})

    return build


def _common_prefix(paths: list[str]) -> str:
    first, last = min(paths), max(paths)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def figures_for(union: Any, *, campaign: Any, until: date | None = None) -> Figures:
    return figures_by_prefix([union.path], campaign=campaign, until=until)[union.path]


def hours_by_month(union: Any, *, campaign: Any) -> list[tuple[str, float]]:
    participation = model_or_none(
        "campaigns.Participation", "activity__team__union", "activity__date", "hours"
    )
    if participation is None:
        return []
    rows = (
        participation.objects.filter(
            activity__team__union__path__startswith=union.path,
            activity__team__campaign=campaign,
        )
        .annotate(month=TruncMonth("activity__date"))
        .values("month")
        .order_by("month")
        .annotate(h=Sum("hours"))
    )
    return [(f"{r['month']:%Y-%m}", float(r["h"] or 0)) for r in rows]


def sum_figures(items: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = defaultdict(int)
    for item in items:
        for key, value in item.items():
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                total[key] += value
    return dict(total)
