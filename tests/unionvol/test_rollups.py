"""Rollups stay what the records give after every kind of write, and the figures read
from them are the figures counted from the records.

Each case below is one kind of write through the code that does it in production (the
services, the import, the admin); after it ``manage.py check_rollups`` must find no
difference, and the write must have changed the rollups (so the case tests something).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from campaigns import services as campaign_services
from campaigns.models import CampaignAddressee, Milestone, SheetKind
from relief import services as relief_services
from relief.models import Donation, ReliefRollup
from reports.figures import figures_by_prefix
from service import services as service_services
from service.figures import (
    rollup_cut,
    service_figures,
    service_figures_from_records,
)
from service.models import Activity, Participation, ServicePeriodRollup, ServiceRollup
from tests.campaigns.factories import make_approved_volunteer, make_rule_campaign
from tests.factories import PASSWORD, make_campaign, make_id_number, make_member
from tests.relief.factories import make_file
from unions.models import Role
from unionvol.rollups import tables
from volunteers import services as volunteer_services
from volunteers.figures import volunteer_figures, volunteer_figures_from_records
from volunteers.imports import commit_roster, read_roster
from volunteers.models import Volunteer, VolunteerRollup

pytestmark = pytest.mark.django_db


@dataclass
class World:
    tree: Any
    campaign: Any
    other: Any  # a second campaign of the city
    clerk: Any  # clerk of grassroots_a
    unit_reviewer: Any
    district_reviewer: Any
    city_reviewer: Any
    clerk_b: Any  # clerk of grassroots_b
    team: Any
    project: Any
    activity: Any
    file: Any
    grant: Any
    members: list[Any]


@pytest.fixture
def world(tree: Any, settings: Any, tmp_path: Any) -> World:
    """A campaign (period 2026, milestones due 06-30 and 09-30) with a team, a project, an
    activity of three people and an approved relief grant in grassroots_a — all written
    through the services."""
    settings.MEDIA_ROOT = tmp_path
    campaign = make_rule_campaign(
        tree.city,
        recruits_volunteers=True,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    other = make_campaign(tree.city, recruits_volunteers=True)
    for union in (tree.district_a, tree.district_b):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    for due in (date(2026, 6, 30), date(2026, 9, 30)):
        Milestone.objects.create(
            campaign=campaign, title="调度", form=SheetKind.DISPATCH, due_date=due
        )
    clerk = make_member(tree.grassroots_a, Role.CLERK, username="rollup_clerk")
    people = [make_approved_volunteer(tree.grassroots_a, campaign=campaign) for _ in range(4)]
    team = service_services.team_create(
        union=tree.grassroots_a, campaign=campaign, user=clerk, name="甲队"
    )
    service_services.team_set_members(
        team=team, version=team.version, captain=people[0], volunteers=people[1:3]
    )
    team.refresh_from_db()
    district_reviewer = make_member(tree.district_a, Role.REVIEWER, username="rollup_dr")
    project = service_services.project_create(
        user=clerk,
        team=team,
        name="送教下乡",
        period_start=date(2026, 4, 1),
        paired_unit="港湾社区",
        beneficiaries=40,
        support_amount=Decimal("5000"),
        leader_name="王丽",
        leader_phone="13900000000",
    )
    project = service_services.project_approve(project=project, user=district_reviewer)
    activity = service_services.activity_create(
        team=team,
        user=clerk,
        participants={p: Decimal("2") for p in people[:3]},
        date=date(2026, 5, 10),
        start_time=time(9),
        end_time=time(11),
        place="港湾社区",
        project=project,
        description="义务劳动",
    )
    unit_reviewer = make_member(tree.grassroots_a, Role.REVIEWER, username="rollup_ur")
    file = make_file(tree.grassroots_a)
    grant = relief_services.grant_create(
        file=file,
        user=clerk,
        campaign=campaign,
        fund_type="hardship",
        amount=Decimal("2000"),
        granted_on=date(2026, 1, 20),
    )
    grant = relief_services.grant_approve(grant=grant, user=unit_reviewer)
    return World(
        tree=tree,
        campaign=campaign,
        other=other,
        clerk=clerk,
        unit_reviewer=unit_reviewer,
        district_reviewer=district_reviewer,
        city_reviewer=make_member(tree.city, Role.REVIEWER, username="rollup_cr"),
        clerk_b=make_member(tree.grassroots_b, Role.CLERK, username="rollup_clerk_b"),
        team=team,
        project=project,
        activity=activity,
        file=file,
        grant=grant,
        members=people,
    )


def snapshot() -> list[tuple[Any, ...]]:
    """Every stored rollup figure (to see that a write changed something)."""
    rows: list[tuple[Any, ...]] = []
    for table in tables():
        keys = [f.attname for f in table.model._meta.concrete_fields if f.attname.endswith("_id")]
        for row in table.model._default_manager.values(*keys, *table.fields):
            rows.append((table.name, *row.values()))
        for detail in table.details:
            for row in detail.model._default_manager.values(
                "union_id", "campaign_id", detail.key, *detail.fields
            ):
                rows.append((f"{table.name}-{detail.name}", *row.values()))
    return sorted(rows, key=repr)


# --- the writes -----------------------------------------------------------------------------


def _register(w: World, seq: int) -> Volunteer:
    from tests.volunteers.conftest import form_data

    return volunteer_services.volunteer_register(
        union=w.tree.grassroots_a,
        data=form_data(id_number=make_id_number(seq), phone=f"1390411{seq:04d}"),
        by=w.clerk,
        campaign=w.campaign,
    )


def volunteer_registered(w: World) -> None:
    _register(w, 501)


def volunteer_approved(w: World) -> None:
    v = _register(w, 502)
    for reviewer in (w.unit_reviewer, w.district_reviewer, w.city_reviewer):
        volunteer_services.approval_decide(volunteer=v, by=reviewer, decision="approved")
    assert Volunteer.objects.get(pk=v.pk).status == "approved"


def volunteer_returned_and_resubmitted(w: World) -> None:
    v = _register(w, 503)
    volunteer_services.approval_decide(
        volunteer=v, by=w.unit_reviewer, decision="returned", opinion="照片不清"
    )
    assert VolunteerRollup.objects.get(campaign=w.campaign, union=w.tree.grassroots_a).returned
    volunteer_services.volunteer_resubmit(volunteer=v, by=w.clerk)


def volunteer_rejected(w: World) -> None:
    v = _register(w, 504)
    volunteer_services.approval_decide(
        volunteer=v, by=w.unit_reviewer, decision="rejected", opinion="不符合条件"
    )


def volunteer_renamed_restarts_approval(w: World) -> None:
    from tests.volunteers.conftest import form_data

    v = w.members[3]
    data = form_data(id_number=v.id_number, phone=v.phone, name="改名")
    volunteer_services.volunteer_update(volunteer=v, data=data, by=w.clerk, version=v.version)
    assert Volunteer.objects.get(pk=v.pk).status == "pending"


def volunteers_imported(w: World) -> None:
    from tests.volunteers.test_imports import named, roster_bytes

    rows = [
        [1, "赵六", "", make_id_number(601), "大连港", "", "", "摄影"],
        [2, "钱七", "", make_id_number(602), "大连港", "", "", ""],
        [3, w.members[1].name, "", w.members[1].id_number, "大连港", "", "", ""],
    ]
    report = read_roster(
        named(roster_bytes(rows)), union=w.tree.grassroots_a, campaign=w.campaign, user=w.clerk
    )
    commit_roster(report, union=w.tree.grassroots_a, campaign=w.campaign, by=w.clerk)


def volunteer_applied_online(w: World) -> None:
    from tests.volunteers.conftest import form_data

    volunteer_services.public_apply(
        union=w.tree.grassroots_b,
        campaign=w.campaign,
        data=form_data(id_number=make_id_number(505), phone="13904110505"),
    )


def volunteer_moved_to_another_union(w: World) -> None:
    """What the admin's change form does: save the row with another union."""
    v = Volunteer.objects.get(pk=w.members[3].pk)
    v.union = w.tree.grassroots_b
    v.save()


def team_formed(w: World) -> None:
    service_services.team_create(
        union=w.tree.grassroots_b, campaign=w.campaign, user=w.clerk_b, name="乙队"
    )


def members_changed(w: World) -> None:
    service_services.team_set_members(
        team=w.team,
        version=w.team.version,
        captain=w.members[0],
        cadres=[w.members[2]],
    )


def project_edited(w: World) -> None:
    service_services.project_update(
        project=w.project,
        version=w.project.version,
        beneficiaries=55,
        support_amount=Decimal("6000"),
    )


def project_proposed_and_approved(w: World) -> None:
    project = service_services.project_create(
        user=w.clerk,
        team=w.team,
        name="关爱老人",
        period_start=date(2026, 5, 1),
        paired_unit="敬老院",
        beneficiaries=12,
        support_amount=Decimal("800"),
        leader_name="王丽",
        leader_phone="13900000000",
    )
    service_services.project_approve(project=project, user=w.district_reviewer)


def project_started_and_closed(w: World) -> None:
    project = service_services.project_transition(project=w.project, action="start")
    service_services.project_transition(project=project, action="close")
    # A closed project is still counted: only the figures' inputs were rewritten.
    service_services.project_update(
        project=project, version=project.version, beneficiaries=41, support_amount=Decimal("1")
    )


def activity_logged(w: World) -> None:
    service_services.activity_create(
        team=w.team,
        user=w.clerk,
        participants={w.members[0]: Decimal("3"), w.members[1]: Decimal("1.5")},
        date=date(2026, 7, 3),
        start_time=time(14),
        end_time=time(17),
        place="敬老院",
        description="陪伴",
    )


def activity_edited(w: World) -> None:
    """A new date in another period, one participant dropped, one added."""
    service_services.activity_update(
        activity=w.activity,
        version=w.activity.version,
        participants={w.members[0]: Decimal("2"), w.members[2]: Decimal("4")},
        date=date(2026, 8, 15),
        start_time=time(9),
        end_time=time(11),
        place="港湾社区",
        project=w.project,
        description="义务劳动",
    )


def hours_corrected(w: World) -> None:
    rows = list(w.activity.participations.order_by("pk"))
    service_services.participation_hours_set(
        activity=w.activity,
        version=w.activity.version,
        hours={rows[0].pk: Decimal("5"), rows[1].pk: Decimal("0.5")},
    )


def activity_deleted_in_the_admin(w: World) -> None:
    from django.contrib.auth import get_user_model
    from django.test import override_settings

    root = get_user_model().objects.create_superuser("rollup_root", "r@example.org", PASSWORD)
    client = Client()
    client.force_login(root)
    with override_settings(UNIONVOL_ADMIN_OTP=False):
        response = client.post(f"/admin/service/activity/{w.activity.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=w.activity.pk).exists()
    assert not Participation.objects.filter(activity_id=w.activity.pk).exists()


def campaign_period_and_points_changed(w: World) -> None:
    c = w.campaign
    campaign_services.campaign_update(
        campaign=c,
        version=c.version,
        period_start=date(2026, 5, 11),
        points_per_participation=Decimal("3"),
        points_per_hour=Decimal("1"),
    )


def milestone_added(w: World) -> None:
    """A due date inside a period with activities splits it (05-01 → 05-10 | 05-11 →)."""
    campaign_services.milestone_save(
        milestone=Milestone(
            campaign=w.campaign,
            title="五月调度",
            form=SheetKind.DISPATCH,
            due_date=date(2026, 5, 5),
        )
    )


def milestone_moved(w: World) -> None:
    m = w.campaign.milestones.get(due_date=date(2026, 6, 30))
    m.due_date = date(2026, 5, 5)
    campaign_services.milestone_save(milestone=m, version=m.version)


def grant_entered_and_approved(w: World) -> None:
    grant = relief_services.grant_create(
        file=make_file(w.tree.grassroots_a),
        user=w.clerk,
        campaign=w.campaign,
        fund_type="hardship",
        amount=Decimal("800"),
        granted_on=date(2026, 2, 1),
    )
    relief_services.grant_approve(grant=grant, user=w.unit_reviewer)


def grant_reversed(w: World) -> None:
    reversal = relief_services.grant_reverse(grant=w.grant, user=w.clerk, note="错发")
    relief_services.grant_approve(grant=reversal, user=w.unit_reviewer)
    assert ReliefRollup.objects.get(campaign=w.campaign, union=w.tree.grassroots_a).aided == 0


def visit_recorded_and_moved(w: World) -> None:
    visit = relief_services.visit_create(
        union=w.tree.grassroots_a,
        user=w.clerk,
        campaign=w.campaign,
        visited_on=date(2026, 1, 25),
        category="model_worker",
        visited_name="李劳模",
        visitors="工会主席",
    )
    relief_services.visit_update(visit=visit, user=w.clerk, version=visit.version, campaign=w.other)


def donation_saved_and_moved(w: World) -> None:
    donation = relief_services.donation_save(
        donation=Donation(),
        user=w.clerk,
        union=w.tree.grassroots_a,
        campaign=w.campaign,
        amount=Decimal("12000"),
        donors=120,
    )
    relief_services.donation_save(
        donation=donation,
        user=w.clerk,
        version=donation.version,
        union=w.tree.grassroots_b,
        amount=Decimal("9000"),
    )


def file_moved_to_another_union(w: World) -> None:
    """What the admin's change form does: a hardship file (with its grants) moves."""
    file = w.file
    file.union = w.tree.grassroots_b
    file.save()


def _submission(w: World, union: Any) -> Any:
    from reports.models import Submission
    from reports.services import ensure_submissions

    milestone = w.campaign.milestones.order_by("due_date").first()
    ensure_submissions(milestone=milestone)
    return Submission.objects.get(milestone=milestone, union=union)


def _report(sub: Any, user: Any) -> None:
    """Fill in the progress of every activity category, and submit."""
    from reports import services as report_services

    blocks = len(sub.data.get("blocks") or [None])
    progress = {f"progress_{i}": "进展" for i in range(blocks)}
    sub = report_services.submission_save(
        submission=sub, user=user, version=sub.version, cleaned={**progress, "narrative": "总结"}
    )
    report_services.submission_submit(submission=sub, user=user, version=sub.version)
    sub.refresh_from_db()


def _sent_and_reviewed(w: World, union: Any, username: str, *, accept: bool) -> Any:
    from reports import services as report_services

    sub = _submission(w, union)
    clerk = make_member(union, Role.CLERK, username=username)
    _report(sub, clerk)
    sub.refresh_from_db()
    comment = "" if accept else "请补充"
    report_services.submission_review(
        submission=sub, user=w.city_reviewer, accept=accept, comment=comment, version=sub.version
    )
    sub.refresh_from_db()
    return sub, clerk


def report_submitted_and_returned(w: World) -> None:
    """A district reports; the issuer returns it; the district reports again."""
    sub, clerk = _sent_and_reviewed(w, w.tree.district_a, "rollup_dclerk", accept=False)
    _report(sub, clerk)


def report_accepted_then_reopened(w: World) -> None:
    from reports import services as report_services

    sub, _clerk = _sent_and_reviewed(w, w.tree.district_b, "rollup_dclerk_b", accept=True)
    admin = make_member(w.tree.city, Role.ADMIN, username="rollup_city_admin")
    report_services.submission_reopen(submission=sub, user=admin)


def addressee_dropped_and_added(w: World) -> None:
    """The notice stops addressing a district that had reported, then addresses it again."""
    from campaigns import services as campaign_services

    report_submitted_and_returned(w)
    CampaignAddressee.objects.filter(campaign=w.campaign, union=w.tree.district_a).delete()
    from reports.tally import computed

    assert all(u != w.tree.district_a.pk for _m, u in computed(w.campaign.pk))
    campaign_services._set_addressees(w.campaign, [w.tree.district_a, w.tree.district_b])


WRITES: list[Callable[[World], None]] = [
    volunteer_registered,
    volunteer_approved,
    volunteer_returned_and_resubmitted,
    volunteer_rejected,
    volunteer_renamed_restarts_approval,
    volunteers_imported,
    volunteer_applied_online,
    volunteer_moved_to_another_union,
    team_formed,
    members_changed,
    project_edited,
    project_proposed_and_approved,
    project_started_and_closed,
    activity_logged,
    activity_edited,
    hours_corrected,
    activity_deleted_in_the_admin,
    campaign_period_and_points_changed,
    milestone_added,
    milestone_moved,
    grant_entered_and_approved,
    grant_reversed,
    visit_recorded_and_moved,
    donation_saved_and_moved,
    file_moved_to_another_union,
    report_submitted_and_returned,
    report_accepted_then_reopened,
    addressee_dropped_and_added,
]


@pytest.mark.parametrize("write", [pytest.param(w, id=w.__name__) for w in WRITES])
def test_rollups_stay_what_the_records_give_after_each_kind_of_write(
    world: World, write: Callable[[World], None], rollups_current: Callable[[], None]
) -> None:
    rollups_current()
    before = snapshot()
    write(world)
    rollups_current()
    assert snapshot() != before, "the write changed no rollup: the case tests nothing"


# --- the command ----------------------------------------------------------------------------


def test_check_rollups_reports_a_difference_and_fix_rebuilds(world: World) -> None:
    # A bulk update sends no signal: the rollup is now behind the records.
    Participation.objects.filter(activity=world.activity).update(hours=Decimal("7"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="differences"):
        call_command("check_rollups", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("service" in line and "hours: stored 6.0, records 21.0" in line for line in lines)
    assert any("start=2026-05-01 hours: stored 6.0, records 21.0" in line for line in lines)
    out = io.StringIO()
    call_command("check_rollups", "--fix", stdout=out)
    assert "no difference" in out.getvalue()
    row = ServiceRollup.objects.get(campaign=world.campaign, union=world.tree.grassroots_a)
    assert row.hours == Decimal("21.0")


def test_check_rollups_after_generate_scale_data() -> None:
    call_command(
        "generate_scale_data", unions=30, volunteers=200, participations=600, stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert "no difference" in out.getvalue()
    assert ServicePeriodRollup.objects.exists()


# --- the figures read from them -------------------------------------------------------------


def test_figures_from_rollups_equal_the_records_at_every_cut(world: World) -> None:
    activity_logged(world)  # 07-03: after the first milestone
    w = world
    paths = [w.tree.city.path]
    campaign = w.campaign
    assert volunteer_figures(paths, campaign=campaign) == volunteer_figures_from_records(
        paths, campaign=campaign
    )
    days = [None, date(2026, 6, 30), date(2026, 9, 30), date(2026, 5, 31), date(2025, 12, 1)]
    days += [date(2026, 5, 9), date(2026, 7, 3), date(2027, 1, 1)]  # inside a period: records
    for day in days:
        answerable, _cut = rollup_cut(campaign, day)
        assert answerable == (day not in (date(2026, 5, 9), date(2026, 7, 3))), day
        got = service_figures(paths, campaign=campaign, until=day)
        assert got == service_figures_from_records(paths, campaign=campaign, until=day), day
    upto_june = service_figures(paths, campaign=campaign, until=date(2026, 6, 30))[paths[0]]
    assert (upto_june.activities, upto_june.person_times, upto_june.hours) == (1, 3, Decimal(6))
    whole = figures_by_prefix(paths, campaign=campaign)[paths[0]].values
    assert (whole["activities"], whole["person_times"], whole["hours"]) == (2, 5, Decimal("10.5"))


def test_a_subtree_total_reads_one_rollup_row_per_union(
    world: World, django_assert_num_queries: Any
) -> None:
    paths = [world.tree.city.path]
    with django_assert_num_queries(1):
        volunteer_figures(paths, campaign=world.campaign)
    with django_assert_num_queries(1):
        service_figures(paths, campaign=world.campaign)
    with django_assert_num_queries(2):  # a milestone's due date: the periods up to it
        service_figures(paths, campaign=world.campaign, until=date(2026, 6, 30))


def test_the_home_counter_of_returned_registrations_reads_the_rollup(
    world: World, client_as: Any
) -> None:
    volunteer_returned_and_resubmitted(world)
    v = _register(world, 506)
    volunteer_services.approval_decide(
        volunteer=v, by=world.unit_reviewer, decision="returned", opinion="重填"
    )
    page = client_as(world.clerk).get("/").content.decode()
    assert "被退回待修改的志愿者登记" in page
    outsider = client_as(world.clerk_b).get("/").content.decode()
    assert "被退回待修改的志愿者登记" not in outsider
