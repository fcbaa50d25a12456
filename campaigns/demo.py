"""Demo data of the campaigns app: the five seed notices with their real issuers,
numbers, dates, categories and deadlines, plus teams, projects, activities and hours.

Idempotent: campaigns are matched by (issuer, doc_number), volunteers by ID number,
teams by (union, campaign, name), projects by (team, name), activities by
(team, date, place). The volunteers app's demo updates campaign 001 the same way.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from campaigns.models import (
    ActivityCategory,
    Campaign,
    CampaignAddressee,
    CampaignKind,
    CampaignStatus,
    Milestone,
    SheetKind,
)
from campaigns.services import CAMPAIGN_FIELDS, direct_children
from unions.models import Union

SEED_000 = "鲁教工〔2019〕13号"
SEED_001 = "大工办发[2012]18号"
SEED_002 = "连工发〔2019〕39号"
SEED_003 = "焦工文〔2020〕11号"
SEED_004 = "沪教工〔2019〕1号"

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "issuer": "SD",
        "doc_number": SEED_000,
        "title": "中国教育工会山东省委员会关于开展2019年“践行新思想·奋进新时代”"
        "助力脱贫攻坚教职工志愿服务活动的通知",
        "kind": CampaignKind.POVERTY_RELIEF,
        "issue_date": date(2019, 3, 1),
        "period_start": date(2019, 3, 1),
        "period_end": date(2019, 10, 11),
        "contact_person": "魏志宣",
        "contact_phone": "0531-81916597 13658647619",
        "contact_email": "sdjygh1@shandong.cn",
        "team_min_volunteers": 7,
        "team_max_volunteers": 10,
        "team_min_cadres": 1,
        "team_max_cadres": 2,
        "body": (
            "各市教育工会、各高校工会成立教职工志愿服务队，每个服务队由 7-10 "
            "名志愿服务者和 1-2 名工会干部组成，以自愿参加为原则，选派政治素质和业务能力过硬的"
            "志愿服务者开展专业志愿服务。积极鼓励符合条件的劳模和先进工作者参加。\n\n"
            "省教育工会将采取季报形式通报各单位开展活动情况，请各单位于三个阶段时间节点，"
            "即3月30日前，6月30日前，9月30日前分别报送活动部署启动、半程推进及活动总结等"
            "情况调度表电子版（见附件）。请各单位于10月11日前将活动总结材料（电子版）报送省教育工会。"
        ),
        "categories": [
            "知识服务",
            "科学普及",
            "政策咨询",
            "专业培训",
            "科技、文化、医疗、服务下乡",
            "免费学习辅导",
            "安全知识宣讲",
            "城市教师对口帮扶偏远农村教师",
            "捐赠物资",
        ],
        "milestones": [
            (date(2019, 3, 30), "活动部署启动情况调度表", SheetKind.DISPATCH),
            (date(2019, 6, 30), "半程推进情况调度表", SheetKind.DISPATCH),
            (date(2019, 9, 30), "活动总结情况调度表", SheetKind.DISPATCH),
            (date(2019, 10, 11), "活动总结材料", SheetKind.SUMMARY),
        ],
    },
    {
        "issuer": "DL",
        "doc_number": SEED_001,
        "title": "关于组建工会服务帮扶志愿者队伍的通知",
        "kind": CampaignKind.HELPER_CORPS,
        "issue_date": date(2012, 7, 3),
        "contact_person": "梁玉叶",
        "contact_phone": "82610421",
        "recruits_volunteers": True,
        "body": (
            "工会服务帮扶志愿者队伍采取工会统一组织和个人自愿参加相结合的方式组建。"
            "以企业和社区为基本组建单位，企业志愿者由企业工会负责组建；社会人员可到本人户籍所在地"
            "街道、社区工会报名，通过审核后加入到当地服务帮扶志愿者队伍。\n\n"
            "工会服务帮扶志愿活动的内容实行项目化管理，由市总工会提出服务项目，各级工会组织承接；"
            "也可由各级工会组织或志愿者上报志愿服务的项目，经市总工会审核同意后实施。\n\n"
            "请各区市县总工会、产业工会按照分配的指标，建立工会帮扶志愿者档案、花名册等存档备查，"
            "于7月15日前将工会服务帮扶志愿者登记表和志愿者花名册报到市总工会生活保障部。"
        ),
        "categories": [
            "“一助一”长期结对服务",
            "社会救助",
            "慈善公益",
            "文化活动",
            "医疗义诊",
            "卫生保健",
            "环境保护",
            "法律咨询",
            "优抚助残",
            "金秋助学",
            "再就业",
        ],
        "milestones": [
            (date(2012, 7, 15), "工会服务帮扶志愿者登记表", SheetKind.REGISTRATION),
            (date(2012, 7, 15), "服务帮扶志愿者花名册", SheetKind.ROSTER),
        ],
    },
    {
        "issuer": "LYG",
        "doc_number": SEED_002,
        "title": "连云港市总工会关于深入推进全市职工志愿服务活动的通知",
        "kind": CampaignKind.CIVILISED_CITY,
        "issue_date": date(2019, 5, 6),
        "contact_person": "季一鸣",
        "contact_phone": "0518-85400644",
        "featured_per_year": 2,
        # “连工惠”积分: the notice gives no figures; these are the demo's rule.
        "points_per_participation": Decimal("10"),
        "points_per_hour": Decimal("2"),
        "body": (
            "市总工会成立“连工惠”职工志愿服务中心，组建“连工惠”志愿服务队，下设劳模志愿服务、"
            "公益宣传、科技服务、环保服务等分队，同时设立各县区、各集团公司职工志愿服务分队。"
            "对参加“连工惠”统一组织的公益活动，将给予以一定的“连工惠”积分奖励。\n\n"
            "各县区、各有关单位每年至少组织 2 次特色明显、成效显著的职工志愿服务活动。"
            "请各单位5月30日前，上报职工志愿服务分队组建、全年志愿服务活动计划安排。"
        ),
        "categories": [
            "文明知识宣讲",
            "维护交通秩序",
            "环保志愿活动",
            "劳模志愿服务",
            "立足岗位学雷锋",
            "关爱志愿服务",
        ],
        "milestones": [
            (date(2019, 5, 30), "职工志愿服务分队组建、全年志愿服务活动计划安排", SheetKind.PLAN),
        ],
    },
    {
        "issuer": "JZ",
        "doc_number": SEED_003,
        "title": "焦作市总工会关于开展“和你在一起”职工志愿服务工作的通知",
        "kind": CampaignKind.WITH_YOU,
        "issue_date": date(2020, 2, 17),
        "contact_person": "陈晓杰",
        "contact_phone": "3999928",
        "contact_email": "jzghxjb@163.com",
        "body": (
            "以各级工会组建的各种职工、劳模志愿服务队为主体，紧密结合群众性精神文明创建活动，"
            "结合当前形势，利用重要时间节点，组织开展形式多样的职工、劳模志愿服务活动。\n\n"
            "各县（市）区总工会、市属基层工会、市各产业工会务于 4月 15日、7月 15日前分别报送"
            "“和你在一起”职工志愿服务活动典型材料（2000字以内，附2—3张高清活动图片），"
            "12月 15日前报送全年开展职工志愿服务活动总结。"
        ),
        "categories": [
            "疫情防控志愿服务活动",
            "劳模助力脱贫攻坚志愿服务活动",
            "劳模工匠宣讲志愿服务活动",
            "心理疏导志愿服务活动",
            "法律咨询志愿服务活动",
            "送文化进基层志愿服务活动",
            "“点亮微心愿”活动",
        ],
        "milestones": [
            (date(2020, 4, 15), "“和你在一起”职工志愿服务活动典型材料", SheetKind.TYPICAL),
            (date(2020, 7, 15), "“和你在一起”职工志愿服务活动典型材料", SheetKind.TYPICAL),
            (date(2020, 12, 15), "全年开展职工志愿服务活动总结", SheetKind.SUMMARY),
        ],
    },
    {
        "issuer": "SH",
        "doc_number": SEED_004,
        "title": "上海市教育工会关于组织开展2019年春节送温暖活动的通知",
        "kind": CampaignKind.SPRING_WARMTH,
        "issue_date": date(2018, 12, 26),
        "contact_email": "lt@shsjygh.org.cn",
        "body": (
            "“走万家门，知万家情，暖万家心”是工会送温暖工作的核心。各级工会要通过入户走访，"
            "重点排摸困难教职工的家庭成员、经济来源、收入情况、健康状况、致困原因和困难程度等情况，"
            "分类梳理，按类别层级及时做好困难教职工建档工作。\n\n"
            "请各基层工会按照本通知要求，制定符合本单位实际的送温暖方案，并做好数据汇总和经验总结"
            "工作，填写并上报《2019年教育工会送温暖活动统计表》，于3月1日前报本会生活保障部。"
        ),
        "categories": ["走访慰问", "困难教职工帮扶", "爱心“一日捐”", "节日文化活动"],
        "milestones": [
            (date(2019, 3, 1), "2019年教育工会送温暖活动统计表", SheetKind.WARMTH_STATS),
        ],
    },
]


def load_campaigns() -> dict[str, Campaign]:
    return _load_specs(CAMPAIGNS)


def _load_specs(specs: list[dict[str, Any]]) -> dict[str, Campaign]:
    campaigns = {}
    for spec in specs:
        issuer = Union.objects.get(code=spec["issuer"])
        defaults = {k: spec[k] for k in CAMPAIGN_FIELDS if k in spec and k != "doc_number"}
        defaults["status"] = CampaignStatus.PUBLISHED
        campaign, _created = Campaign.objects.update_or_create(
            issuer=issuer, doc_number=spec["doc_number"], defaults=defaults
        )
        for order, name in enumerate(spec["categories"], start=1):
            ActivityCategory.objects.update_or_create(
                campaign=campaign, name=name, defaults={"order": order}
            )
        for due, title, form in spec["milestones"]:
            Milestone.objects.update_or_create(
                campaign=campaign, due_date=due, form=form, defaults={"title": title}
            )
        for child in direct_children(issuer):
            CampaignAddressee.objects.get_or_create(campaign=campaign, union=child)
        campaigns[spec["doc_number"]] = campaign
    return campaigns


def _this_year(text: str, year: int) -> str:
    return re.sub(
        r"(〔|\[)\d{4}(〕|\])", rf"\g<1>{year}\g<2>", re.sub(r"20\d\d年", f"{year}年", text)
    )


def current_round_specs(today: date | None = None) -> list[dict[str, Any]]:
    """This year's round of each seed notice: the same notice, re-issued with its
    deadlines moved so that the first fell due 20 days ago and the rest are to come —
    so the demo shows a normal day (reports on time, late, returned and not yet)."""
    today = today or timezone.localdate()
    specs = []
    for spec in CAMPAIGNS:
        first_due = min(due for due, _title, _form in spec["milestones"])
        shift = (today - timedelta(days=20)) - first_due
        new = dict(spec)
        new["doc_number"] = _this_year(spec["doc_number"], today.year)
        new["title"] = _this_year(spec["title"], today.year)
        for key in ("issue_date", "period_start", "period_end"):
            if spec.get(key):
                new[key] = spec[key] + shift
        new["milestones"] = [
            (due + shift, _this_year(title, today.year), form)
            for due, title, form in spec["milestones"]
        ]
        specs.append(new)
    return specs


def load_current_round(today: date | None = None) -> dict[str, Campaign]:
    return _load_specs(current_round_specs(today))


def current_round_campaigns(today: date | None = None) -> list[Campaign]:
    numbers = [s["doc_number"] for s in current_round_specs(today)]
    return list(Campaign.objects.filter(doc_number__in=numbers).order_by("pk"))


def seed_campaigns() -> dict[str, Campaign]:
    """The seed notices already loaded, by document number (for the demo steps above)."""
    numbers = [spec["doc_number"] for spec in CAMPAIGNS]
    return {c.doc_number: c for c in Campaign.objects.filter(doc_number__in=numbers)}


def load(stdout: Any) -> None:
    campaigns = load_campaigns()
    current = load_current_round()
    stdout.write(
        f"campaigns: {len(campaigns)} seed notices and this year's round of each ({len(current)})"
    )
