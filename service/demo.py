"""Demo service record: teams, projects, activities and certificates of the seed notices."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum.cn import ric

from campaigns.demo import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, seed_campaigns
from campaigns.models import (
    ActivityCategory,
    Campaign,
    CampaignAddressee,
)
from service.models import (
    Activity,
    ActivityPhoto,
    Certificate,
    Participation,
    ProjectStatus,
    ServiceProject,
    ServiceTeam,
    TeamMember,
    TeamRole,
)
from unions.models import Union

NAMES = (
    "王建华",
    "李秀英",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴霞",
    "徐明",
    "孙丽",
    "马超",
    "朱红",
    "胡斌",
    "郭芳",
    "何涛",
    "高洁",
    "林峰",
    "罗琳",
    "郑凯",
    "梁燕",
    "谢军",
    "宋佳",
    "唐亮",
    "许娜",
    "韩冰",
    "冯雪",
    "邓强",
    "曹颖",
    "彭辉",
    "曾倩",
    "肖鹏",
    "田甜",
    "董浩",
    "潘婷",
    "袁野",
    "蒋蕾",
    "蔡勇",
    "余萍",
)

# area code of the ID numbers per union tree
AREA = {"SD": "370102", "DL": "210202", "LYG": "320703", "JZ": "410802", "SH": "310104"}


def _id_number(area: str, seq: int) -> str:
    birth = date(1965, 1, 1) + timedelta(days=seq * 211 % 12000)
    body = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "X")


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _volunteers(union: Union, start: int, count: int, cadres: int = 0) -> list[Any]:
    """Approved demo volunteers of ``union`` (the last ``cadres`` of them are union cadres)."""
    from unionvol.idnumbers import birth_date_of, gender_of
    from volunteers.models import Identity, Volunteer, VolunteerStatus

    area = AREA[union.code.split("-")[0]]
    result = []
    for i in range(count):
        seq = start + i
        number = _id_number(area, seq)
        cadre = i >= count - cadres
        v, _created = Volunteer.objects.update_or_create(
            id_number=number,
            defaults={
                "name": NAMES[seq % len(NAMES)],
                "gender": gender_of(number),
                "birth_date": birth_date_of(number),
                "phone": f"139{seq:08d}",
                "workplace": union.name,
                "union": union,
                "status": VolunteerStatus.APPROVED,
                "approved_at": timezone.now(),
                "identity": Identity.CADRE if cadre else Identity.EMPLOYEE,
            },
        )
        result.append(v)
    return result


def _photo(label: str, colour: tuple[int, int, int]) -> ContentFile:
    img = Image.new("RGB", (640, 400), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 600, 360), outline=(255, 255, 255), width=6)
    draw.text((60, 60), label, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{label}.jpg")


def _team(
    union: Union, campaign: Campaign, name: str, members: list[Any], cadres: int, **extra: Any
) -> ServiceTeam:
    team, _created = ServiceTeam.objects.get_or_create(
        union=union, campaign=campaign, name=name, defaults=extra
    )
    for i, v in enumerate(members):
        if i == 0:
            role = TeamRole.CAPTAIN
        elif i >= len(members) - cadres:
            role = TeamRole.CADRE
        else:
            role = TeamRole.VOLUNTEER
        TeamMember.objects.update_or_create(team=team, volunteer=v, defaults={"role": role})
    return team


def _project(team: ServiceTeam, name: str, approver: Any = None, **data: Any) -> ServiceProject:
    data.setdefault("proposed_by", team.union)
    if approver is not None:
        data.setdefault("approved_by", approver)
        data.setdefault("approved_at", timezone.now())
    project, _created = ServiceProject.objects.update_or_create(team=team, name=name, defaults=data)
    return project


def _activity(
    team: ServiceTeam,
    when: date,
    place: str,
    *,
    category: str,
    description: str,
    people: list[Any],
    hours: str,
    photos: int = 0,
    **data: Any,
) -> Activity:
    cat = ActivityCategory.objects.filter(campaign=team.campaign, name=category).first()
    activity, _created = Activity.objects.update_or_create(
        team=team,
        date=when,
        place=place,
        defaults={
            "category": cat,
            "description": description,
            "start_time": data.pop("start", time(9)),
            "end_time": data.pop("end", time(11, 30)),
            **data,
        },
    )
    for v in people:
        Participation.objects.update_or_create(
            activity=activity, volunteer=v, defaults={"hours": Decimal(hours)}
        )
    missing = photos - activity.photos.count()
    for i in range(max(missing, 0)):
        colour = [(180, 40, 40), (40, 110, 170), (60, 140, 80)][i % 3]
        ActivityPhoto.objects.create(
            activity=activity, image=_photo(f"activity-{activity.pk}-{i + 1}", colour)
        )
    return activity


@transaction.atomic
def load_service(campaigns: dict[str, Campaign]) -> int:
    """Teams, projects, activities and hours under the seed campaigns; returns activities."""
    u = {
        code: Union.objects.get(code=code)
        for code in (
            "SD-U01",
            "SD-U01-G01",
            "DL-01-G01",
            "LYG",
            "LYG-D01-G01",
            "LYG-D02-G01",
            "JZ-D09-G01",
            "SH-U01",
        )
    }
    year = timezone.localdate().year

    # 000 山东大学: a conforming team (1 captain + 7 volunteers + 1 cadre) and a
    # sub-team outside the rule (6 volunteers, 3 cadres) to show the flag.
    c000 = campaigns[SEED_000]
    sdu = _volunteers(u["SD-U01"], 1, 9, cadres=1)
    team = _team(u["SD-U01"], c000, "山东大学教职工志愿服务队", sdu, cadres=1)
    med = _volunteers(u["SD-U01-G01"], 20, 9, cadres=3)
    sub = _team(u["SD-U01-G01"], c000, "齐鲁医学院医疗志愿服务分队", med, cadres=3, parent=team)
    project = _project(
        team,
        "沂蒙山区乡村学校“送教下乡”",
        approver=_user("sd_reviewer"),
        status=ProjectStatus.RUNNING,
        period_start=date(2019, 4, 1),
        period_end=date(2019, 9, 30),
        paired_unit="临沂市沂南县岸堤镇中心小学",
        beneficiaries=320,
        support_items="捐赠图书、教具",
        support_amount=Decimal("20000.00"),
        leader_name="高原",
        leader_position="山东大学工会副主席",
        leader_phone="13658640001",
        progress="组织教师赴岸堤镇开展学习辅导和教师培训，捐赠图书两千册。",
    )
    _project(
        sub,
        "乡村义诊与健康讲座",
        status=ProjectStatus.PROPOSED,
        period_start=date(2019, 5, 1),
        beneficiaries=500,
        leader_name="何敏",
        leader_position="分工会主席",
        leader_phone="13658640002",
        created_by=_user("sdu_clerk"),
    )
    clerk = _user("sdu_clerk")
    _activity(
        team,
        date(2019, 4, 20),
        "沂南县岸堤镇中心小学",
        category="免费学习辅导",
        description="为留守儿童开展数学、英语免费学习辅导，并与乡村教师座谈。",
        people=sdu[:6],
        hours="6",
        photos=3,
        project=project,
        beneficiaries=120,
        start=time(8, 30),
        end=time(14, 30),
        featured=True,
        created_by=clerk,
    )
    _activity(
        team,
        date(2019, 6, 15),
        "沂南县岸堤镇中心小学",
        category="城市教师对口帮扶偏远农村教师",
        description="组织乡村教师课堂教学示范与专业培训。",
        people=sdu[2:9],
        hours="4",
        photos=2,
        project=project,
        beneficiaries=45,
        start=time(9),
        end=time(13),
        created_by=clerk,
    )
    _activity(
        sub,
        date(2019, 7, 10),
        "沂南县岸堤镇卫生院",
        category="科技、文化、医疗、服务下乡",
        description="义诊与健康讲座，测量血压血糖，发放健康手册。",
        people=med[:5],
        hours="5",
        photos=2,
        beneficiaries=260,
        created_by=clerk,
    )

    # 001 大连商场工会: a helper corps with a one-to-one pairing project.
    c001 = campaigns[SEED_001]
    dl = _volunteers(u["DL-01-G01"], 40, 6, cadres=1)
    dteam = _team(u["DL-01-G01"], c001, "大连商场服务帮扶志愿者队", dl, cadres=1)
    dproj = _project(
        dteam,
        "“一助一”结对帮扶困难职工",
        approver=_user("zs_reviewer"),
        status=ProjectStatus.RUNNING,
        period_start=date(year, 1, 1),
        paired_unit="中山区人民路街道港湾社区",
        beneficiaries=12,
        support_items="米面油、慰问金",
        support_amount=Decimal("6000.00"),
        leader_name="王丽",
        leader_position="工会主席",
        leader_phone="0411-82610421",
    )
    _activity(
        dteam,
        date(year, 1, 15),
        "港湾社区",
        category="“一助一”长期结对服务",
        description="走访结对困难职工家庭，送去米面油和慰问金。",
        people=dl[:4],
        hours="3",
        photos=2,
        project=dproj,
        beneficiaries=12,
        created_by=_user("gr_clerk"),
    )

    # 002 连云港: the “连工惠” team with sub-teams; one union lacks featured activities.
    c002 = campaigns[SEED_002]
    lyg = _volunteers(u["LYG"], 60, 4, cadres=1)
    corps = _team(u["LYG"], c002, "“连工惠”志愿服务队", lyg, cadres=1)
    hosp = _volunteers(u["LYG-D01-G01"], 70, 8, cadres=1)
    hteam = _team(u["LYG-D01-G01"], c002, "市一院义诊志愿服务分队", hosp, cadres=1, parent=corps)
    port = _volunteers(u["LYG-D02-G01"], 80, 7, cadres=1)
    pteam = _team(u["LYG-D02-G01"], c002, "港口集团职工志愿服务分队", port, cadres=1, parent=corps)
    _activity(
        hteam,
        date(year, 3, 5),
        "海州区新南街道社区广场",
        category="关爱志愿服务",
        description="学雷锋日健康咨询义诊，送医送药。",
        people=hosp[:6],
        hours="4",
        featured=True,
        photos=2,
        beneficiaries=300,
        created_by=_user("lyg_clerk"),
    )
    _activity(
        hteam,
        date(year, 5, 12),
        "连云港市第一人民医院门诊大厅",
        category="立足岗位学雷锋",
        description="护士节文明引导与便民服务。",
        people=hosp[2:8],
        hours="3",
        featured=True,
        photos=1,
        beneficiaries=500,
        created_by=_user("lyg_clerk"),
    )
    _activity(
        pteam,
        date(year, 4, 20),
        "连云港港口岸线",
        category="环保志愿活动",
        description="港区岸线清洁与植绿护绿。",
        people=port[:5],
        hours="2.5",
        featured=True,
        photos=1,
        beneficiaries=0,
        start=time(8),
        end=time(10, 30),
        created_by=_user("lyg_clerk"),
    )
    _activity(
        pteam,
        date(year, 6, 8),
        "墟沟路口",
        category="维护交通秩序",
        description="周末文明交通劝导。",
        people=port[1:4],
        hours="2",
        beneficiaries=0,
        start=time(7),
        end=time(9),
        created_by=_user("lyg_clerk"),
    )
    _project(
        pteam,
        "港区职工文明交通劝导",
        status=ProjectStatus.APPROVED,
        approver=_user("lyg_clerk"),
        period_start=date(year, 4, 1),
        leader_name="季一鸣",
        leader_position="宣教网络部",
        leader_phone="0518-85400644",
        proposed_by=u["LYG"],
    )

    # 003 焦作: psychological support team of 沁阳市人民医院.
    c003 = campaigns[SEED_003]
    jz = _volunteers(u["JZ-D09-G01"], 100, 6, cadres=1)
    jteam = _team(u["JZ-D09-G01"], c003, "沁阳市人民医院心理疏导志愿服务队", jz, cadres=1)
    _activity(
        jteam,
        date(2020, 3, 10),
        "沁阳市怀庆街道社区",
        category="疫情防控志愿服务活动",
        description="社区疫情防控排查与宣传。",
        people=jz[:5],
        hours="8",
        photos=3,
        featured=True,
        beneficiaries=1200,
        start=time(8),
        end=time(16),
    )
    _activity(
        jteam,
        date(2020, 6, 20),
        "沁阳市职工心灵驿站",
        category="心理疏导志愿服务活动",
        description="为一线职工提供心理咨询与减压讲座。",
        people=jz[1:6],
        hours="3",
        photos=2,
        beneficiaries=80,
        start=time(14),
        end=time(17),
    )

    # 004 复旦大学: spring-festival visits.
    c004 = campaigns[SEED_004]
    fd = _volunteers(u["SH-U01"], 120, 5, cadres=2)
    fteam = _team(u["SH-U01"], c004, "复旦大学送温暖志愿服务队", fd, cadres=2)
    _activity(
        fteam,
        date(2019, 1, 25),
        "复旦大学邯郸校区",
        category="走访慰问",
        description="走访慰问困难教职工和坚守岗位的一线教职工。",
        people=fd,
        hours="4",
        photos=2,
        beneficiaries=36,
        start=time(13),
        end=time(17),
        created_by=_user("fudan_clerk"),
    )

    # Some addressed unions have read their notice.
    for doc, code, username in (
        (SEED_000, "SD-U01", "sdu_clerk"),
        (SEED_002, "LYG-D01", "lyg_clerk"),
        (SEED_004, "SH-U01", "fudan_clerk"),
    ):
        CampaignAddressee.objects.filter(
            campaign=campaigns[doc], union__code=code, read_at__isnull=True
        ).update(read_at=timezone.now(), read_by=_user(username))

    # A certificate for the first 山东大学 volunteer, once.
    holder = sdu[0]
    issuer = _user("sdu_clerk")
    if issuer is not None and not Certificate.objects.filter(volunteer=holder).exists():
        from service.services import certificate_issue

        certificate_issue(
            volunteer=holder,
            user=issuer,
            period_start=date(2019, 1, 1),
            period_end=date(2019, 12, 31),
            issued_on=date(2019, 10, 20),
        )
    return Activity.objects.count()


def load(stdout: Any) -> None:
    campaigns = seed_campaigns()
    activities = load_service(campaigns)
    stdout.write(
        f"service: {ServiceTeam.objects.count()} teams, {ServiceProject.objects.count()} projects, "
        f"{activities} activities"
    )
