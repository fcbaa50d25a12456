from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from tests.factories import make_campaign, make_id_number, make_member
from tests.volunteers.conftest import form_data
from unions.models import Role
from unionvol.home import awaiting_for
from volunteers import selectors, services
from volunteers.models import ApprovalDecision, ApprovalStep, VolunteerStatus

pytestmark = pytest.mark.django_db


def register(tree: Any, chain: Any, seq: int = 7, **kwargs: Any) -> Any:
    return services.volunteer_register(
        union=tree.grassroots_a,
        data=form_data(id_number=make_id_number(seq)),
        by=chain.clerk,
        campaign=kwargs.get("campaign", chain.campaign),
    )


def test_chain_runs_from_the_registering_union_up_to_the_issuer(tree: Any, chain: Any) -> None:
    assert services.approval_chain(union=tree.grassroots_a, campaign=chain.campaign) == [
        tree.grassroots_a,
        tree.district_a,
        tree.city,
    ]
    district_campaign = make_campaign(tree.district_a, recruits_volunteers=True)
    assert services.approval_chain(union=tree.grassroots_a, campaign=district_campaign) == [
        tree.grassroots_a,
        tree.district_a,
    ]


def test_without_a_campaign_the_chain_has_up_to_two_ancestors(tree: Any) -> None:
    assert services.approval_chain(union=tree.grassroots_a) == [
        tree.grassroots_a,
        tree.district_a,
        tree.city,
    ]
    assert services.approval_chain(union=tree.district_a) == [tree.district_a, tree.city]


def test_three_levels_approve_in_turn(tree: Any, chain: Any) -> None:
    volunteer = register(tree, chain)
    for reviewer, level in (
        (chain.unit_reviewer, 1),
        (chain.district_reviewer, 2),
        (chain.city_reviewer, 3),
    ):
        volunteer.refresh_from_db()
        assert volunteer.status == VolunteerStatus.PENDING
        step = services.approval_decide(
            volunteer=volunteer, by=reviewer, decision=ApprovalDecision.APPROVED, opinion="同意"
        )
        assert step.level == level
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED
    assert volunteer.approved_at is not None
    assert list(volunteer.steps.values_list("decision", flat=True)) == ["approved"] * 3
    assert ApprovalStep.history.count() >= 6  # created + decided, each with history


def test_a_level_cannot_be_skipped(tree: Any, chain: Any) -> None:
    volunteer = register(tree, chain)
    with pytest.raises(ValidationError, match="甲区某企业工会"):
        services.approval_decide(
            volunteer=volunteer, by=chain.district_reviewer, decision=ApprovalDecision.APPROVED
        )
    with pytest.raises(ValidationError):
        services.approval_decide(
            volunteer=volunteer, by=chain.city_reviewer, decision=ApprovalDecision.APPROVED
        )
    assert volunteer.steps.get().decision == ApprovalDecision.PENDING


def test_a_step_cannot_be_decided_twice(tree: Any, chain: Any) -> None:
    volunteer = register(tree, chain)
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision=ApprovalDecision.APPROVED
    )
    with pytest.raises(ValidationError):
        services.approval_decide(
            volunteer=volunteer, by=chain.unit_reviewer, decision=ApprovalDecision.APPROVED
        )
    assert volunteer.steps.count() == 2


def test_the_person_who_entered_it_cannot_approve_it(tree: Any, chain: Any) -> None:
    reviewer_clerk = make_member(tree.grassroots_a, Role.REVIEWER, username="entering_reviewer")
    volunteer = services.volunteer_register(
        union=tree.grassroots_a, data=form_data(), by=reviewer_clerk
    )
    with pytest.raises(ValidationError, match="自己录入"):
        services.approval_decide(
            volunteer=volunteer, by=reviewer_clerk, decision=ApprovalDecision.APPROVED
        )
    superuser = get_user_model().objects.create_superuser("root", "r@example.org", "x" * 12)
    services.approval_decide(volunteer=volunteer, by=superuser, decision=ApprovalDecision.APPROVED)


def test_a_clerk_cannot_decide_even_at_its_own_union(tree: Any, chain: Any) -> None:
    other_clerk = make_member(tree.grassroots_a, Role.CLERK, username="other_clerk")
    volunteer = register(tree, chain)
    with pytest.raises(ValidationError):
        services.approval_decide(
            volunteer=volunteer, by=other_clerk, decision=ApprovalDecision.APPROVED
        )


def test_return_and_resubmit_opens_a_new_round(tree: Any, chain: Any) -> None:
    volunteer = register(tree, chain)
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision=ApprovalDecision.APPROVED
    )
    with pytest.raises(ValidationError) as info:
        services.approval_decide(
            volunteer=volunteer, by=chain.district_reviewer, decision=ApprovalDecision.RETURNED
        )
    assert "opinion" in info.value.error_dict
    services.approval_decide(
        volunteer=volunteer,
        by=chain.district_reviewer,
        decision=ApprovalDecision.RETURNED,
        opinion="请补充工作简历",
    )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.RETURNED
    with pytest.raises(ValidationError):
        services.approval_decide(
            volunteer=volunteer, by=chain.city_reviewer, decision=ApprovalDecision.APPROVED
        )
    services.volunteer_resubmit(volunteer=volunteer, by=chain.clerk)
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.approval_round) == (VolunteerStatus.PENDING, 2)
    step = volunteer.steps.get(round=2)
    assert (step.level, step.union) == (1, tree.grassroots_a)
    trail = selectors.approval_trail(volunteer=volunteer)
    assert len(trail.rounds) == 1
    assert len(trail.rounds[0]) == 2
    assert [row.step is not None for row in trail.current] == [True, False, False]
    with pytest.raises(ValidationError, match="退回"):
        services.volunteer_resubmit(volunteer=volunteer, by=chain.clerk)


def test_reject_ends_the_registration(tree: Any, chain: Any) -> None:
    volunteer = register(tree, chain)
    services.approval_decide(
        volunteer=volunteer,
        by=chain.unit_reviewer,
        decision=ApprovalDecision.REJECTED,
        opinion="不符合条件",
    )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.REJECTED


def test_inbox_lists_what_awaits_the_users_union(tree: Any, chain: Any) -> None:
    first = register(tree, chain, seq=1)
    register(tree, chain, seq=2)
    assert selectors.inbox_count(user=chain.unit_reviewer) == 2
    assert selectors.inbox_count(user=chain.district_reviewer) == 0
    assert selectors.inbox_count(user=chain.clerk) == 0
    services.approval_decide(
        volunteer=first, by=chain.unit_reviewer, decision=ApprovalDecision.APPROVED
    )
    assert selectors.inbox_count(user=chain.unit_reviewer) == 1
    assert selectors.inbox_count(user=chain.district_reviewer) == 1
    items = awaiting_for(chain.district_reviewer)
    assert [i.count for i in items if "志愿者" in str(i.label)] == [1]


def test_inbox_page_and_bulk_approve(
    tree: Any, chain: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    volunteers = [register(tree, chain, seq=s) for s in range(1, 4)]
    client = client_as(chain.unit_reviewer)
    response = client.get("/volunteers/inbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-check-all="volunteer"' in html
    assert volunteers[0].masked_id in html
    assert volunteers[0].id_number not in html
    for s in range(4, 20):
        register(tree, chain, seq=s)
    with django_assert_max_num_queries(12):
        client.get("/volunteers/inbox/")
    response = client.post(
        "/volunteers/inbox/",
        {"volunteer": [v.pk for v in volunteers[:2]], "opinion": "同意"},
    )
    assert response.status_code == 302
    assert selectors.inbox_count(user=chain.district_reviewer) == 2
    assert selectors.inbox_count(user=chain.unit_reviewer) == 17


def test_inbox_is_for_reviewers_only(tree: Any, chain: Any, client_as: Any, viewer_a: Any) -> None:
    assert client_as(viewer_a).get("/volunteers/inbox/").status_code == 403
    assert client_as(chain.clerk).get("/volunteers/inbox/").status_code == 403
    assert client_as(chain.clerk).post("/volunteers/inbox/", {"volunteer": [1]}).status_code == 403


def test_decision_form_on_the_volunteer_page(tree: Any, chain: Any, client_as: Any) -> None:
    volunteer = register(tree, chain)
    url = f"/volunteers/{volunteer.pk}/"
    assert 'id="decision-form"' in client_as(chain.unit_reviewer).get(url).content.decode()
    assert 'id="decision-form"' not in client_as(chain.district_reviewer).get(url).content.decode()
    response = client_as(chain.unit_reviewer).post(
        f"{url}review/", {"decision": "returned", "opinion": ""}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PENDING  # no opinion: refused
    client_as(chain.unit_reviewer).post(f"{url}review/", {"decision": "approved", "opinion": "好"})
    html = client_as(chain.clerk).get(url).content.decode()
    assert "甲区总工会" in html
    assert 'id="trail"' in html
    # a viewer of the district can read but not decide
    viewer = make_member(tree.district_a, Role.VIEWER, username="dv")
    assert client_as(viewer).post(f"{url}review/", {"decision": "approved"}).status_code == 403


def test_a_returned_registration_is_resubmitted_from_its_page(
    tree: Any, chain: Any, client_as: Any
) -> None:
    volunteer = register(tree, chain)
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision="returned", opinion="补充照片"
    )
    response = client_as(chain.clerk).post(f"/volunteers/{volunteer.pk}/resubmit/")
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.approval_round == 2


def test_the_home_page_shows_returned_registrations_to_the_clerk(
    tree: Any, chain: Any, client_as: Any
) -> None:
    volunteer = register(tree, chain)
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision="returned", opinion="补充"
    )
    html = client_as(chain.clerk).get("/").content.decode()
    assert "被退回待修改的志愿者登记" in html
    assert "/volunteers/?status=returned" in html
