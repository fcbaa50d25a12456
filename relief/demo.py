"""Demo relief data for 上海市教育工会 (SH) and its universities, for the 2019 春节送温暖
campaign (沪教工〔2019〕1号, seed 004). Safe to run again: everything is matched first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import Campaign, CampaignAddressee
from relief import services
from relief.models import Donation, HardshipFile, MicroWish, Pairing, ReliefGrant, Visit
from unions.models import Union
from unionvol.idnumbers import birth_date_of, gender_of
from volunteers.models import Volunteer


def id_number(area: str, birth: str, seq: int) -> str:
    """A valid resident ID number (GB 11643 check digit, ISO 7064 MOD 11-2)."""
    body = f"{area}{birth}{seq:03d}"
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


# name, id, phone, family size, members, income source, monthly income, health, cause, degree
FILES = {
    "SH-U01": [
        (
            "陈志强",
            id_number("310110", "19680412", 11),
            "13801710011",
            3,
            "配偶 王某 无业\n子 陈某 高中在读",
            "本人工资",
            "4200.00",
            "本人患尿毒症，每周透析",
            "illness",
            "deep",
        ),
        (
            "刘桂芳",
            id_number("310104", "19750923", 22),
            "13801710022",
            2,
            "女 刘某 大学在读",
            "本人工资",
            "3600.00",
            "一般",
            "schooling",
            "ordinary",
        ),
        (
            "王海涛",
            id_number("310110", "19820130", 33),
            "13801710033",
            4,
            "配偶 李某 务工\n父 王某 卧床\n子 王某 小学",
            "夫妻工资",
            "5200.00",
            "家中火灾后房屋受损",
            "disaster",
            "accident",
        ),
    ],
    "SH-U02": [
        (
            "周美玲",
            id_number("310104", "19711105", 44),
            "13801710044",
            3,
            "配偶 孙某 残疾\n子 孙某 初中",
            "本人工资、残疾补贴",
            "3900.00",
            "配偶肢体残疾",
            "disability",
            "deep",
        ),
    ],
}

VOLUNTEERS = [
    ("SH-U01", "赵晓峰", id_number("310110", "19880315", 51), "13901710051"),
    ("SH-U01", "钱雅琴", id_number("310104", "19900708", 62), "13901710062"),
    ("SH-U01", "孙立新", id_number("310110", "19850221", 73), "13901710073"),
    ("SH-U02", "李文博", id_number("310104", "19870611", 84), "13901710084"),
]

WISHES = [
    ("SH-U01", "陈小雨", "hardship", "一套高三复习资料", "260.00"),
    ("SH-U01", "欧阳秀英", "elderly", "一台收音机", "120.00"),
    ("SH-U02", "张乐乐", "left_behind", "一个新书包", "150.00"),
    ("SH-U02", "吴建国", "disabled", "一副助行器", "380.00"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load(stdout: Any) -> None:
    unions = {u.code: u for u in Union.objects.filter(code__in=["SH", "SH-U01", "SH-U02"])}
    if len(unions) < 3:
        stdout.write("relief: demo unions missing, skipped")
        return
    clerk, reviewer = _user("fudan_clerk"), _user("fudan_reviewer")
    if clerk is None or reviewer is None:
        stdout.write("relief: demo users missing, skipped")
        return

    campaign, _ = Campaign.objects.update_or_create(
        issuer=unions["SH"],
        doc_number="沪教工〔2019〕1号",
        defaults={
            "title": "上海市教育工会关于组织开展2019年春节送温暖活动的通知",
            "kind": "spring_warmth",
            "issue_date": date(2018, 12, 26),
            "status": "published",
        },
    )
    for code in ("SH-U01", "SH-U02"):
        CampaignAddressee.objects.get_or_create(campaign=campaign, union=unions[code])

    volunteers: dict[str, list[Volunteer]] = {"SH-U01": [], "SH-U02": []}
    for code, name, number, phone in VOLUNTEERS:
        volunteer, _ = Volunteer.objects.update_or_create(
            id_number=number,
            defaults={
                "name": name,
                "gender": gender_of(number),
                "birth_date": birth_date_of(number),
                "phone": phone,
                "union": unions[code],
                "workplace": unions[code].name,
                "status": "approved",
            },
        )
        volunteers[code].append(volunteer)

    files: list[HardshipFile] = []
    for code, rows in FILES.items():
        for i, row in enumerate(rows):
            name, number, phone, size, members, source, income, health, cause, degree = row
            file, _ = HardshipFile.objects.update_or_create(
                union=unions[code],
                id_number=number,
                defaults={
                    "name": name,
                    "phone": phone,
                    "family_size": size,
                    "family_members": members,
                    "income_source": source,
                    "monthly_income": Decimal(income),
                    "per_capita_income": (Decimal(income) / size).quantize(Decimal("0.01")),
                    "health": health,
                    "cause": cause,
                    "degree": degree,
                    "contact_person": clerk if code == "SH-U01" else None,
                    "reviewed_on": date(2018, 12, 28),
                    "created_by": clerk,
                },
            )
            files.append(file)
            # every file but the last of 复旦 is paired (the last shows on 未结对)
            if not (code == "SH-U01" and i == len(rows) - 1):
                Pairing.objects.get_or_create(
                    file=file,
                    end=None,
                    defaults={"volunteer": volunteers[code][i], "start": date(2019, 1, 5)},
                )

    fudan_files = [f for f in files if f.union_id == unions["SH-U01"].pk]
    if not ReliefGrant.objects.filter(file__in=fudan_files).exists():
        plan = [
            (fudan_files[0], "hardship", "2000.00", date(2019, 1, 20), campaign),
            (fudan_files[1], "spring_warmth", "1500.00", date(2019, 1, 22), campaign),
            (fudan_files[2], "serious_illness", "3000.00", date(2019, 1, 25), campaign),
            (fudan_files[0], "hardship", "1000.00", date(2018, 6, 1), None),
            (fudan_files[1], "hardship", "800.00", date(2018, 9, 10), None),
        ]
        grants = [
            services.grant_create(
                file=f,
                user=clerk,
                campaign=c,
                fund_type=t,
                amount=Decimal(a),
                granted_on=d,
                card_tail="6688",
                note="",
            )
            for f, t, a, d, c in plan
        ]
        for grant in grants:
            services.grant_approve(grant=grant, user=reviewer)
        reversal = services.grant_reverse(
            grant=grants[2], user=clerk, granted_on=date(2019, 2, 1), note="重复发放，冲销"
        )
        services.grant_approve(grant=reversal, user=reviewer)

    if not Visit.objects.filter(union=unions["SH-U01"], campaign=campaign).exists():
        visited: tuple[tuple[HardshipFile | None, str, str], ...] = (
            (fudan_files[0], "hardship", ""),
            (None, "model_worker", "顾国华"),
            (None, "frontline", "沈一鸣"),
        )
        for visited_file, category, name in visited:
            services.visit_create(
                union=unions["SH-U01"],
                user=clerk,
                campaign=campaign,
                visited_on=date(2019, 1, 28),
                file=visited_file,
                category=category,
                visited_name=name,
                visitors="工会主席、许佳",
                gift="米、油、春联",
                money=Decimal("500.00"),
                note="",
            )

    for code, amount, donors in (("SH-U01", "25680.50", 512), ("SH-U02", "18000.00", 360)):
        Donation.objects.update_or_create(
            union=unions[code],
            campaign=campaign,
            defaults={"amount": Decimal(amount), "donors": donors, "updated_by": clerk},
        )

    for code, name, category, wish, value in WISHES:
        MicroWish.objects.get_or_create(
            union=unions[code],
            beneficiary_name=name,
            wish=wish,
            defaults={"category": category, "estimated_value": Decimal(value), "posted_by": clerk},
        )

    stdout.write(
        f"relief: {HardshipFile.objects.count()} hardship files, "
        f"{ReliefGrant.objects.count()} grants, {MicroWish.objects.count()} micro-wishes"
    )
