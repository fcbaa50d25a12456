"""Reads of the service record: teams, projects, activities, hours, certificates.

Every function starts from ``visible_to(user)`` (or an object already fetched
through it) and returns rows ready for a page, so pages run a constant number of
queries.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from service.figures import ProjectTotals, points_expression, project_totals
from service.models import (
    Activity,
    ActivityPhoto,
    Certificate,
    Participation,
    ServiceProject,
    ServiceTeam,
    TeamMember,
    TeamRole,
)
from unionvol.scoping import is_operator, subtree_q, union_of
from volunteers.models import Volunteer, VolunteerStatus

ZERO = Decimal("0")
_DEC = DecimalField(max_digits=12, decimal_places=2)

# Flag texts (shown on pages and reused by tests).
FLAG_TOO_FEW_VOLUNTEERS = _("志愿者人数少于 %(min)s 人")
FLAG_TOO_MANY_VOLUNTEERS = _("志愿者人数多于 %(max)s 人")
FLAG_TOO_FEW_CADRES = _("工会干部少于 %(min)s 人")
FLAG_TOO_MANY_CADRES = _("工会干部多于 %(max)s 人")
FLAG_NO_PAIRED_UNIT = _("未填写结对志愿服务单位、社区")
FLAG_FEW_FEATURED = _("%(year)s 年特色活动 %(count)s 次，少于要求的 %(required)s 次")


# Flag texts (shown on pages and reused by tests).
FLAG_TOO_FEW_VOLUNTEERS = _("志愿者人数少于 %(min)s 人")
FLAG_TOO_MANY_VOLUNTEERS = _("志愿者人数多于 %(max)s 人")
FLAG_TOO_FEW_CADRES = _("工会干部少于 %(min)s 人")
FLAG_TOO_MANY_CADRES = _("工会干部多于 %(max)s 人")
FLAG_NO_PAIRED_UNIT = _("未填写结对志愿服务单位、社区")
FLAG_FEW_FEATURED = _("%(year)s 年特色活动 %(count)s 次，少于要求的 %(required)s 次")


@dataclass
class FeaturedByAddressee:
    rows: list[dict[str, Any]]  # those below the rule first, then tree order; ``limit`` of them
    flagged: int  # addressees below the rule
    total: int  # addressees


def featured_by_addressee(
    *, campaign: Campaign, year: int, limit: int | None = None
) -> FeaturedByAddressee:
    """Featured activities of each addressed union's subtree in ``year``, flagged below
    the rule, in three queries whatever the number of addressees: the featured
    activities counted by their team's union, the addressees' paths, and the ``limit``
    rows shown. A subtree's count is the sum over the team unions under its path."""
    required = campaign.featured_per_year or 0
    counted = (
        Activity.objects.filter(team__campaign=campaign, featured=True, date__year=year)
        .order_by("team__union__path")
        .values_list("team__union__path")
        .annotate(n=Count("pk"))
    )
    paths: list[str] = []
    running = [0]  # running[i]: featured activities of the first i team unions
    for path, n in counted:
        paths.append(path)
        running.append(running[-1] + n)
    addressees = campaign.addressee_rows.order_by("union__path").values_list(
        "union_id", "union__path"
    )
    items = []
    for union_id, path in addressees:
        lo, hi = bisect_left(paths, path), bisect_left(paths, path + "~")  # ~ sorts last
        count = running[hi] - running[lo]
        flag = ""
        if required and count < required:
            flag = FLAG_FEW_FEATURED % {"year": year, "count": count, "required": required}
        items.append({"union_id": union_id, "featured_count": count, "flag": flag})
    total, flagged = len(items), sum(1 for i in items if i["flag"])
    items.sort(key=lambda i: not i["flag"])  # stable: tree order within each part
    shown = items[:limit] if limit is not None else items
    unions = {
        a.union_id: a.union
        for a in campaign.addressee_rows.filter(
            union_id__in=[i["union_id"] for i in shown]
        ).select_related("union")
    }
    rows = [i | {"union": unions[i["union_id"]]} for i in shown if i["union_id"] in unions]
    return FeaturedByAddressee(rows, flagged, total)


def campaign_flag_year(*, campaign: Campaign) -> int:
    """The year the featured-activity rule is checked for: the latest with activities."""
    latest = (
        Activity.objects.filter(team__campaign=campaign).order_by("-date").values("date").first()
    )
    return latest["date"].year if latest else timezone.localdate().year


# --- teams -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Composition:
    volunteers: int
    cadres: int
    flags: list[str]

    @property
    def ok(self) -> bool:
        return not self.flags


def composition_of(*, campaign: Campaign, volunteers: int, cadres: int) -> Composition:
    """Check a team against the campaign's rule (seed 000: 7–10 volunteers, 1–2 cadres).
    The captain counts as a volunteer."""
    flags = []
    c = campaign
    if c.team_min_volunteers is not None and volunteers < c.team_min_volunteers:
        flags.append(str(FLAG_TOO_FEW_VOLUNTEERS % {"min": c.team_min_volunteers}))
    if c.team_max_volunteers is not None and volunteers > c.team_max_volunteers:
        flags.append(str(FLAG_TOO_MANY_VOLUNTEERS % {"max": c.team_max_volunteers}))
    if c.team_min_cadres is not None and cadres < c.team_min_cadres:
        flags.append(str(FLAG_TOO_FEW_CADRES % {"min": c.team_min_cadres}))
    if c.team_max_cadres is not None and cadres > c.team_max_cadres:
        flags.append(str(FLAG_TOO_MANY_CADRES % {"max": c.team_max_cadres}))
    return Composition(volunteers, cadres, flags)


def _team_counts(qs: QuerySet[ServiceTeam]) -> QuerySet[ServiceTeam]:
    return qs.annotate(
        n_volunteers=Count(
            "members", filter=Q(members__role__in=[TeamRole.CAPTAIN, TeamRole.VOLUNTEER])
        ),
        n_cadres=Count("members", filter=Q(members__role=TeamRole.CADRE)),
    ).order_by("union__path", "name", "pk")


TEAM_ORDER = ("union__path", "name", "pk")


def team_rows(*, user: Any, campaign_id: int | None = None) -> QuerySet[ServiceTeam]:
    """Visible teams in tree order, without member counts (:func:`with_team_counts`)."""
    qs = ServiceTeam.objects.visible_to(user).select_related("union", "campaign", "parent")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.order_by(*TEAM_ORDER)


def with_team_counts(teams: list[ServiceTeam]) -> list[Any]:
    """Set ``n_volunteers`` and ``n_cadres`` on a page of teams (one grouped query)."""
    if not teams:
        return teams
    # The teams were read through the scope; their members are counted by team key.
    counts: dict[int, dict[str, Any]] = {
        row["team_id"]: dict(row)
        for row in TeamMember._base_manager.filter(team_id__in=[t.pk for t in teams])
        .values("team_id")
        .order_by()
        .annotate(
            v=Count("pk", filter=Q(role__in=[TeamRole.CAPTAIN, TeamRole.VOLUNTEER])),
            c=Count("pk", filter=Q(role=TeamRole.CADRE)),
        )
    }
    for t in teams:
        c = counts.get(t.pk, {})
        t.n_volunteers = c.get("v", 0)  # type: ignore[attr-defined]
        t.n_cadres = c.get("c", 0)  # type: ignore[attr-defined]
    return teams


def team_queryset(*, user: Any, campaign_id: int | None = None) -> QuerySet[ServiceTeam]:
    """Visible teams with member counts by role (for lists and paging)."""
    qs = ServiceTeam.objects.visible_to(user).select_related("union", "campaign", "parent")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return _team_counts(qs)


def first_teams(*, user: Any, campaign: Campaign, n: int) -> list[Any]:
    """The first ``n`` visible teams of a notice in tree order, with their member counts:
    the rows first (with their union; the notice is the one given), then the counts
    grouped for those ``n`` teams only, not for every team below a province."""
    teams = list(
        ServiceTeam.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("union")
        .order_by(*TEAM_ORDER)[:n]
    )
    for team in teams:
        team.campaign = campaign
    return with_team_counts(teams)


def _featured_counts(*, teams: list[Any], user: Any, year: int) -> dict[tuple[int, int], int]:
    return {
        (r["team__union"], r["team__campaign"]): r["n"]
        for r in Activity.objects.visible_to(user)
        .filter(
            featured=True,
            date__year=year,
            team__campaign__featured_per_year__isnull=False,
            team__union_id__in={t.union_id for t in teams},
            team__campaign_id__in={t.campaign_id for t in teams},
        )
        .values("team__union", "team__campaign")
        .annotate(n=Count("pk"))
    }


def team_flags(*, teams: list[Any], user: Any, year: int | None = None) -> list[Any]:
    """Attach ``composition`` and ``featured_flag`` to teams from ``team_queryset`` (one query).

    ``teams`` are ServiceTeams with the counts ``team_queryset`` annotates; mypy sees
    neither those nor the attached flags, hence ``Any``."""
    year = year or timezone.localdate().year
    if not any(t.campaign.featured_per_year for t in teams):  # no rule: nothing to count
        featured: dict[tuple[int, int], int] = {}
    else:
        featured = _featured_counts(teams=teams, user=user, year=year)
    for team in teams:
        team.composition = composition_of(
            campaign=team.campaign, volunteers=team.n_volunteers, cadres=team.n_cadres
        )
        team.featured_flag = ""
        required = team.campaign.featured_per_year
        if required:
            count = featured.get((team.union_id, team.campaign_id), 0)
            if count < required:
                team.featured_flag = FLAG_FEW_FEATURED % {
                    "year": year,
                    "count": count,
                    "required": required,
                }
    return teams


def team_list(*, user: Any, campaign_id: int | None = None, year: int | None = None) -> list[Any]:
    """All visible teams with their composition and featured-activity flags (``team_flags``)."""
    teams = list(team_queryset(user=user, campaign_id=campaign_id))
    return team_flags(teams=teams, user=user, year=year)


CANDIDATE_SEARCH_LIMIT = 20


def team_choices(*, user: Any) -> QuerySet[ServiceTeam]:
    """The teams a form may name, newest notice first (a picker lists the first ones)."""
    return (
        ServiceTeam.objects.visible_to(user)
        .select_related("union")
        .order_by("-campaign__issue_date", "union__path", "name", "pk")
    )


def _search(qs: QuerySet[Any], term: str, match: Callable[[str], Q]) -> tuple[list[Any], bool]:
    """The first :data:`CANDIDATE_SEARCH_LIMIT` rows of ``qs`` matching ``term`` (none for
    an empty term), and whether there are more."""
    term = term.strip()[:40]
    if not term:
        return [], False
    found = list(qs.filter(match(term))[: CANDIDATE_SEARCH_LIMIT + 1])
    return found[:CANDIDATE_SEARCH_LIMIT], len(found) > CANDIDATE_SEARCH_LIMIT


def search_teams(*, user: Any, term: str) -> tuple[list[ServiceTeam], bool]:
    """Teams of the scope whose name contains ``term``, and whether there are more."""
    return _search(team_choices(user=user), term, lambda t: Q(name__icontains=t))


def team_label(team: ServiceTeam) -> str:
    return f"{team.name}（{team.union.display_name}）"


def candidate_label(volunteer: Volunteer) -> str:
    """Name, union and the phone's last four digits: two people of one name in one union
    are told apart, and the clerk checks the tail against the person in front of them
    (the roster shows the whole number to the same users)."""
    tail = volunteer.phone[-4:] if volunteer.phone else ""
    if not tail:
        return f"{volunteer.name}（{volunteer.union.display_name}）"
    return str(
        _("%(name)s（%(union)s，尾号 %(tail)s）")
        % {"name": volunteer.name, "union": volunteer.union.display_name, "tail": tail}
    )


def member_candidates(*, team: ServiceTeam, user: Any) -> QuerySet[Volunteer]:
    """Who may join ``team``: the approved volunteers of its union's subtree (in the
    user's scope), the team's own union first."""
    return (
        Volunteer.objects.visible_to(user)
        .within(team.union)
        .filter(status=VolunteerStatus.APPROVED)
        .select_related("union")
        .order_by("union__path", "name", "pk")
    )


def search_candidates(*, team: ServiceTeam, user: Any, term: str) -> tuple[list[Volunteer], bool]:
    """Candidates whose name or phone contains ``term``, and whether there are more."""
    return _search(
        member_candidates(team=team, user=user),
        term,
        lambda t: Q(name__icontains=t) | Q(phone__contains=t),
    )


def team_detail(*, team: ServiceTeam) -> dict[str, Any]:
    members = list(
        team.members.select_related("volunteer", "volunteer__union").order_by("role", "pk")
    )
    n_vol = sum(1 for m in members if m.role in (TeamRole.CAPTAIN, TeamRole.VOLUNTEER))
    n_cad = sum(1 for m in members if m.role == TeamRole.CADRE)
    return {
        "members": members,
        "composition": composition_of(campaign=team.campaign, volunteers=n_vol, cadres=n_cad),
        "subteams": list(team.subteams.select_related("union")),
        "projects": list(team.projects.select_related("proposed_by")),
        "activities": list(_activity_counts(team.activities.select_related("category"))[:20]),
    }


# --- projects --------------------------------------------------------------------------------


PROJECT_ORDER = ("-period_start", "-pk")


def project_rows(
    *, user: Any, status: str = "", campaign_id: int | None = None
) -> QuerySet[ServiceProject]:
    """Visible projects, filtered, without their totals (:func:`with_project_totals`)."""
    qs = ServiceProject.objects.visible_to(user).select_related(
        "team", "team__union", "team__campaign", "proposed_by", "approved_by"
    )
    if status:
        qs = qs.filter(status=status)
    if campaign_id:
        qs = qs.filter(team__campaign_id=campaign_id)
    return qs.order_by(*PROJECT_ORDER)


def project_list(
    *, user: Any, status: str = "", campaign_id: int | None = None, chunk: int = 1000
) -> Iterator[ServiceProject]:
    """Visible projects with their totals (:func:`with_project_totals`), newest first,
    read ``chunk`` at a time (the export of a province's projects)."""
    rows = project_rows(user=user, status=status, campaign_id=campaign_id).iterator(chunk)
    while batch := list(islice(rows, chunk)):
        yield from with_project_totals(batch, user=user)


def with_project_totals(projects: list[ServiceProject], *, user: Any) -> list[ServiceProject]:
    """Set ``n_activities``, ``person_times`` and ``total_hours`` on these projects, from
    the project rollup (``service.figures.project_totals``)."""
    totals = project_totals([p.pk for p in projects], user=user)
    for p in projects:
        t = totals.get(p.pk) or ProjectTotals()
        p.n_activities = t.activities  # type: ignore[attr-defined]
        p.person_times = t.person_times  # type: ignore[attr-defined]
        p.total_hours = t.hours  # type: ignore[attr-defined]
    return projects


# --- activities ------------------------------------------------------------------------------


def _activity_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    photos = (
        ActivityPhoto.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        person_times=Count("participations"),
        total_hours=Coalesce(Sum("participations__hours"), ZERO, output_field=_DEC),
        photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), 0),
    ).order_by("-date", "-start_time", "-pk")


ACTIVITY_ORDER = ("-date", "-start_time", "-pk")


def activity_rows(
    *,
    user: Any,
    team_id: int | None = None,
    campaign_id: int | None = None,
    year: int | None = None,
    featured: bool | None = None,
) -> QuerySet[Activity]:
    """Visible activities, filtered, without their counts (a page adds them with
    :func:`with_activity_counts`, so that a province's list groups 50, not 100,000)."""
    qs = Activity.objects.visible_to(user).select_related(
        "team", "team__union", "team__campaign", "project", "category", "created_by"
    )
    if team_id:
        qs = qs.filter(team_id=team_id)
    if campaign_id:
        qs = qs.filter(team__campaign_id=campaign_id)
    if year:
        qs = qs.filter(date__year=year)
    if featured is not None:
        qs = qs.filter(featured=featured)
    return qs.order_by(*ACTIVITY_ORDER)


def activity_list(
    *,
    user: Any,
    team_id: int | None = None,
    campaign_id: int | None = None,
    year: int | None = None,
    featured: bool | None = None,
) -> QuerySet[Activity]:
    """Visible activities with person-times, hours and photos, newest first."""
    rows = activity_rows(
        user=user, team_id=team_id, campaign_id=campaign_id, year=year, featured=featured
    )
    return _activity_counts(rows)


def with_activity_counts(activities: list[Activity]) -> list[Activity]:
    """Set ``person_times``, ``total_hours`` and ``photo_count`` on a page of activities
    (one query grouped over those activities only)."""
    counts = {
        a.pk: a
        for a in _activity_counts(Activity.objects.filter(pk__in=[a.pk for a in activities]))
    }
    for a in activities:
        c = counts.get(a.pk)
        a.person_times = c.person_times if c else 0  # type: ignore[attr-defined]
        a.total_hours = c.total_hours if c else ZERO  # type: ignore[attr-defined]
        a.photo_count = c.photo_count if c else 0  # type: ignore[attr-defined]
    return activities


def activity_participations(*, activity: Activity) -> list[Participation]:
    return list(
        activity.participations.select_related("volunteer").annotate(points=points_expression())
    )


# --- hours, points, ledger -------------------------------------------------------------------


def service_records(*, user: Any, volunteer: Any) -> QuerySet[Participation]:
    """The volunteer's service records inside the user's scope, with points, oldest first."""
    return (
        Participation.objects.visible_to(user)
        .filter(volunteer=volunteer)
        .select_related(
            "volunteer",
            "activity",
            "activity__team",
            "activity__team__union",
            "activity__team__campaign",
            "activity__project",
            "activity__category",
            "activity__created_by",
        )
        .annotate(points=points_expression())
        .order_by("activity__date", "activity__start_time", "pk")
    )


def service_summary(*, user: Any, volunteer: Any) -> dict[str, Any]:
    """Person-times, hours and points of one volunteer in the user's scope (one query)."""
    totals = (
        Participation.objects.visible_to(user)
        .filter(volunteer=volunteer)
        .aggregate(
            n=Count("pk"),
            total_hours=Sum("hours"),
            total_points=Sum(points_expression()),
        )
    )
    return {
        "person_times": totals["n"],
        "hours": totals["total_hours"] or ZERO,
        "points": totals["total_points"] or ZERO,
    }


def service_totals(*, records: list[Any]) -> dict[str, Any]:
    """Totals of Participations annotated with their ``points`` (``service_records``)."""
    return {
        "person_times": len(records),
        "hours": sum((r.hours for r in records), ZERO),
        "points": sum((r.points for r in records), ZERO),
    }


HOURS_ORDER = ("name", "pk")


def hours_rows(*, user: Any) -> QuerySet[Any]:
    """The approved volunteers of the scope, by name, without their totals (a page adds
    them with :func:`with_hours`)."""
    from volunteers.models import Volunteer

    return (
        Volunteer.objects.visible_to(user)
        .filter(status="approved")
        .select_related("union")
        .only("name", "id_number", "union__name", "union__path")
        .order_by(*HOURS_ORDER)
    )


def with_hours(volunteers: list[Any], *, user: Any) -> list[Any]:
    """Set ``person_times``, ``total_hours`` and ``total_points`` (inside the user's
    subtree, as :func:`hours_per_volunteer` counts them) on a page of volunteers: one
    query grouped over their participations only."""
    totals = {
        v.pk: v for v in hours_per_volunteer(user=user).filter(pk__in=[v.pk for v in volunteers])
    }
    for v in volunteers:
        t = totals.get(v.pk)
        v.person_times = t.person_times if t else 0
        v.total_hours = t.total_hours if t else ZERO
        v.total_points = t.total_points if t else ZERO
    return volunteers


def hours_per_volunteer(*, user: Any) -> QuerySet[Any]:
    """Approved volunteers of the scope with person-times, hours and points."""
    from volunteers.models import Volunteer

    # Count only the participations inside the user's subtree. A user with no union sees
    # no volunteer at all (visible_to), so the empty filter then changes nothing.
    union = None if is_operator(user) else union_of(user)
    scope = subtree_q(union, "participations__activity__team__union") if union else Q()
    return (
        Volunteer.objects.visible_to(user)
        .filter(status="approved")
        .select_related("union")
        .annotate(
            person_times=Count("participations", filter=scope),
            total_hours=Coalesce(
                Sum("participations__hours", filter=scope), ZERO, output_field=_DEC
            ),
            total_points=Coalesce(
                Sum(points_expression("participations__"), filter=scope),
                ZERO,
                output_field=_DEC,
            ),
        )
        .order_by("-total_hours", "name", "pk")
    )


def all_service_records(*, user: Any) -> QuerySet[Participation]:
    return (
        Participation.objects.visible_to(user)
        .select_related(
            "volunteer",
            "activity",
            "activity__team",
            "activity__team__union",
            "activity__project",
            "activity__created_by",
        )
        .order_by("volunteer__name", "volunteer_id", "activity__date", "pk")
    )


def volunteer_certificates(*, user: Any, volunteer: Any) -> QuerySet[Certificate]:
    return (
        Certificate.objects.visible_to(user)
        .filter(volunteer=volunteer)
        .select_related("union", "issued_by")
    )


def volunteer_teams(*, user: Any, volunteer: Any) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.visible_to(user)
        .filter(volunteer=volunteer)
        .select_related("team", "team__union", "team__campaign")
    )


def team_prefetch() -> Prefetch[str, QuerySet[TeamMember], str]:
    return Prefetch("members", queryset=TeamMember.objects.select_related("volunteer"))
