"""Live records for the reports tests (teams, projects, activities of a campaign)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.campaigns.factories import add_members, make_activity, make_project, make_team


def make_records(union: Any, campaign: Any, *, people: int = 3, activities: int = 2) -> Any:
    team = make_team(union, campaign, name=f"{union.name}志愿服务队")
    add_members(team, volunteers=people, cadres=1)
    project = make_project(
        team,
        name="送教下乡",
        beneficiaries=40,
        support_items="图书",
        support_amount=Decimal("5000"),
        leader_position="副主席",
    )
    for i in range(activities):
        make_activity(
            team,
            project=project,
            people=people,
            hours="2",
            date=date(2026, 4 + i, 10),
            beneficiaries=10,
        )
    return project
