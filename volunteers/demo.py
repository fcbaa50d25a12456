"""Demo data of seed 001: the 大工办发[2012]18号 campaign, its quota table (19 unions,
5,800 in all), specialties and about forty volunteers in every approval state.

Idempotent: volunteers are matched by ID number, the rest by natural keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum.cn import ric

from campaigns.models import Campaign, CampaignAddressee, CampaignKind, CampaignStatus
from unions.models import Union
from volunteers import services
from volunteers.models import ApprovalDecision, QuotaAllocation, Specialty, Volunteer

DOC_NUMBER = "大工办发[2012]18号"

# Seed 001 附件1 工会服务帮扶志愿者名额分配表 (order = 序号).
QUOTAS = [
    ("DL-01", 300),
    ("DL-02", 300),
    ("DL-03", 300),
    ("DL-04", 400),
    ("DL-05", 400),
    ("DL-06", 300),
    ("DL-07", 300),
    ("DL-08", 300),
    ("DL-09", 300),
    ("DL-10", 300),
    ("DL-11", 300),
    ("DL-12", 200),
    ("DL-13", 200),
    ("DL-14", 200),
    ("DL-15", 400),
    ("DL-16", 400),
    ("DL-17", 300),
    ("DL-18", 300),
    ("DL-19", 300),
]

# Seed 001 四、服务内容 (and the usual skills of such teams).
SPECIALTIES = [
    "法律咨询",
    "医疗义诊",
    "卫生保健",
    "心理疏导",
    "文艺演出",
    "环境保护",
    "助学辅导",
    "家电维修",
    "家政服务",
    "摄影摄像",
    "计算机",
    "优抚助残",
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建华",
    "秀英",
    "海涛",
    "丽娟",
    "志强",
    "晓燕",
    "国庆",
    "玉兰",
    "文博",
    "静怡",
    "红梅",
    "立新",
]
WORKPLACES = {
    "DL-01-G01": "大连商场",
    "DL-01-S01": "中山区人民路街道",
    "DL-01-G02": "大连港集团中山分公司",
    "DL-02-G01": "大连第二中学",
    "DL-02-S01": "西岗区八一路街道",
    "DL-04-G01": "大连冰山集团",
    "DL-15-G01": "大连重工起重集团",
}
AREA = {"DL-01": "210202", "DL-02": "210203", "DL-04": "210211", "DL-15": "210204"}


@dataclass(frozen=True)
class Batch:
    union: str
    clerk: str | None  # None: applied online
    # How far each volunteer of the batch goes: number of approved levels, or a final state.
    states: tuple[str, ...]


# "3" = approved at all three levels; "0"/"1"/"2" = pending after that many approvals;
# "returned@2" / "rejected@1" = decided so at that level.
BATCHES = [
    Batch(
        "DL-01-G01",
        "gr_clerk",
        ("3",) * 8 + ("0", "0", "0", "1", "1", "2", "returned@2", "rejected@1"),
    ),
    Batch("DL-01-G01", None, ("0", "0")),
    Batch("DL-01-S01", "zs_clerk", ("3", "3", "3", "0", "1")),
    Batch("DL-01-G02", "zs_clerk", ("3", "3", "0", "0")),
    Batch("DL-02-G01", "xg_clerk", ("3", "3", "3", "0", "1")),
    Batch("DL-02-S01", "xg_clerk", ("0", "0", "0")),
    Batch("DL-04-G01", "dl_clerk", ("3", "3", "0", "0")),
    Batch("DL-15-G01", "dl_clerk", ("3", "3", "0")),
]
# The demo reviewers of the 大连商场工会 chain; elsewhere the superuser decides.
CHAIN_REVIEWERS = {"DL-01-G01": "gr_reviewer", "DL-01": "zs_reviewer", "DL": "dl_reviewer"}


def demo_id_number(area: str, seq: int) -> str:
    birth = date(1983 + seq % 20, 1 + seq % 12, 1 + seq % 27)
    order = (seq * 7) % 999 + 1
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def load_campaign() -> Campaign:
    issuer = Union.objects.get(code="DL")
    campaign, _ = Campaign.objects.update_or_create(
        issuer=issuer,
        doc_number=DOC_NUMBER,
        defaults={
            "title": "关于组建工会服务帮扶志愿者队伍的通知",
            "kind": CampaignKind.HELPER_CORPS,
            "issue_date": date(2012, 7, 3),
            "status": CampaignStatus.PUBLISHED,
            "recruits_volunteers": True,
            "contact_person": "梁玉叶",
            "contact_phone": "82610421",
        },
    )
    unions = {u.code: u for u in Union.objects.filter(code__in=[c for c, _ in QUOTAS])}
    for order, (code, quota) in enumerate(QUOTAS, start=1):
        union = unions[code]
        CampaignAddressee.objects.get_or_create(campaign=campaign, union=union)
        QuotaAllocation.objects.update_or_create(
            campaign=campaign, union=union, defaults={"order": order, "quota": quota}
        )
    return campaign


def _reviewer(union: Union, users: dict[str, Any], superuser: Any) -> Any:
    name = CHAIN_REVIEWERS.get(union.code)
    return users.get(name, superuser) if name else superuser


def load_volunteers(campaign: Campaign) -> int:
    user_model = get_user_model()
    users = {u.username: u for u in user_model.objects.all()}
    superuser = users["admin"]
    specialties = list(Specialty.objects.order_by("pk"))
    unions = {u.code: u for u in Union.objects.filter(code__in=[b.union for b in BATCHES])}
    created = 0
    seq = 0
    for batch in BATCHES:
        union = unions[batch.union]
        area = AREA[batch.union[:5]]
        for state in batch.states:
            seq += 1
            number = demo_id_number(area, seq)
            if Volunteer.objects.filter(id_number=number).exists():
                continue
            data = {
                "name": SURNAMES[seq % len(SURNAMES)] + GIVEN[seq % len(GIVEN)],
                "id_number": number,
                "phone": f"139{41100000 + seq:08d}",
                "political_status": ("01", "13", "03", "12")[seq % 4],
                "identity": ("employee", "retired", "model_worker", "cadre", "employee")[seq % 5],
                "education": ("bachelor", "college", "master", "high_school")[seq % 4],
                "work_start": date(2000 + seq % 20, 7, 1),
                "workplace": WORKPLACES[batch.union],
                "resume": f"{2000 + seq % 20}年7月至今在{WORKPLACES[batch.union]}工作。",
                "application": "本人自愿加入工会服务帮扶志愿者队伍，服从工会安排。",
                "member_type": "member" if batch.clerk else "invited",
                "specialties": [specialties[seq % len(specialties)]] if specialties else [],
            }
            volunteer = services.volunteer_register(
                union=union,
                data=data,
                by=users.get(batch.clerk) if batch.clerk else None,
                campaign=campaign,
                self_applied=batch.clerk is None,
            )
            created += 1
            _decide(volunteer, state, campaign, users, superuser)
    return created


def _decide(
    volunteer: Volunteer, state: str, campaign: Campaign, users: Any, superuser: Any
) -> None:
    chain = services.approval_chain(union=volunteer.union, campaign=campaign)
    if "@" in state:
        final, level_text = state.split("@")
        approvals, last = int(level_text) - 1, final
    else:
        approvals, last = int(state), ""
    opinions = ("情况属实，同意推荐。", "同意上报市总工会。", "同意吸收为工会服务帮扶志愿者。")
    for level in range(approvals):
        services.approval_decide(
            volunteer=volunteer,
            by=_reviewer(chain[level], users, superuser),
            decision=ApprovalDecision.APPROVED,
            opinion=opinions[min(level, 2)],
        )
    if last:
        opinion = "请补充工作简历和本人签字。" if last == "returned" else "不符合志愿者条件。"
        services.approval_decide(
            volunteer=volunteer,
            by=_reviewer(chain[approvals], users, superuser),
            decision=last,
            opinion=opinion,
        )


@transaction.atomic
def load(stdout: Any) -> None:
    campaign = load_campaign()
    for order, name in enumerate(SPECIALTIES):
        Specialty.objects.update_or_create(name=name, defaults={"order": order})
    created = load_volunteers(campaign)
    total = sum(q for _, q in QUOTAS)
    stdout.write(
        f"volunteers: {Volunteer.objects.count()} ({created} new); "
        f"{DOC_NUMBER} quotas: {len(QUOTAS)} unions, {total:,}"
    )
