"""Scale-data step for campaigns: one campaign addressed to every union of the scale tree,
four milestones, a team and a project per grassroots union, and activities whose
participations add up to ``--participations`` (see unionvol/scale.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from campaigns.models import (
    ActivityCategory,
    Campaign,
    CampaignAddressee,
    CampaignKind,
    CampaignStatus,
    Milestone,
    SheetKind,
)
from unionvol.scale import BATCH, ScaleContext, step

TEAM_SIZE = 8
PER_ACTIVITY = 8


@step("campaigns")
def make_campaign(ctx: ScaleContext) -> str:
    assert ctx.root is not None
    campaign = Campaign.objects.create(
        issuer=ctx.root,
        doc_number="规模〔2026〕1号",
        title="规模测试：助力脱贫攻坚志愿服务活动",
        kind=CampaignKind.POVERTY_RELIEF,
        issue_date=date(2026, 3, 1),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 12, 31),
        status=CampaignStatus.PUBLISHED,
        team_min_volunteers=7,
        team_max_volunteers=10,
        team_min_cadres=1,
        team_max_cadres=2,
        points_per_participation=Decimal("10"),
        points_per_hour=Decimal("2"),
    )
    CampaignAddressee.objects.bulk_create(
        [CampaignAddressee(campaign=campaign, union=u) for u in ctx.all_unions if u != ctx.root],
        batch_size=BATCH,
    )
    categories = ActivityCategory.objects.bulk_create(
        [
            ActivityCategory(campaign=campaign, name=n, order=i)
            for i, n in enumerate(["知识服务", "科学普及", "医疗服务", "助学辅导"])
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                campaign=campaign,
                title=title,
                form=form,
                due_date=due,
                opens_on=due - timedelta(days=30),
            )
            for title, form, due in [
                ("活动部署启动情况调度表", SheetKind.DISPATCH, date(2026, 3, 30)),
                ("半程推进情况调度表", SheetKind.DISPATCH, date(2026, 6, 30)),
                ("活动总结情况调度表", SheetKind.DISPATCH, date(2026, 9, 30)),
                ("活动总结材料", SheetKind.SUMMARY, date(2026, 10, 11)),
            ]
        ]
    )
    ctx.extra["campaign"] = campaign
    ctx.extra["categories"] = categories
    return f"1 campaign addressed to {len(ctx.all_unions) - 1} unions, 4 milestones"
