"""Every official sheet, written once per test session on a small tree, per union and
aggregated, and saved to xlsx: the layout tests read the saved files, the printed tests
convert them all to PDF in one LibreOffice run.

    测试市总工会 (issuer)
    ├── 甲区总工会 (addressed) ── 甲区某企业工会: a team of three, a project with a
    │                                          448-character 进展情况, three volunteers
    │                                          approved through the chain (one with a
    │                                          600-character 工作简历 and a photo), one
    │                                          still pending, relief records
    └── 乙区总工会 (addressed) ── 乙区某企业工会: one approved volunteer

甲区总工会 has submitted its 情况调度表 and its 典型材料 (with three photos). The data
is built inside a transaction that is rolled back once the files are written, so the
rest of the suite never sees it.
"""

from __future__ import annotations

import gc
import io
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from PIL import Image

from unionvol.scoping import system_scope

# A 448-character 进展情况 (the issue's example), a 600-character 工作简历.
PROGRESS = ("组织教师赴岸堤镇开展学习辅导和教师培训，捐赠图书两千册，" * 16)[:447] + "。"
RESUME = ("1998年7月至2005年6月在大连理工大学附属中学任教，担任班主任和年级组长；" * 20)[
    :599
] + "。"
APPLICATION = "本人自愿加入工会服务帮扶志愿者队伍，服从工会安排，遵守志愿服务条例。" * 3
PARAGRAPH = "二〇二六年春，甲区总工会组织劳模志愿服务队走进社区，开展义诊和法律咨询。" * 5
TYPICAL = "\n".join([PARAGRAPH] * 11)[:1979] + "正文到此结束。"  # 1,986 characters
VARIANTS = ("union", "aggregate")


@dataclass
class Built:
    """The sheets as written: (identifier, variant) → xlsx path, and what they hold."""

    files: dict[tuple[str, str], Path] = field(default_factory=dict)
    errors: dict[tuple[str, str], str] = field(default_factory=dict)  # a sheet that failed
    leaks: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # files left open
    approved: dict[str, int] = field(default_factory=dict)  # union name → approved volunteers
    approved_total: int = 0
    addressed: list[str] = field(default_factory=list)  # in the tree's order
    union: str = ""  # the addressed union whose sheets are written
    issuer: str = ""

    def path(self, form: str, variant: str) -> Path:
        if (form, variant) in self.errors:
            pytest.fail(f"{form} ({variant}) was not written: {self.errors[form, variant]}")
        return self.files[form, variant]


def jpeg(size: tuple[int, int] = (300, 400), color: str = "steelblue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def _build(tmp: Path) -> Built:
    from campaigns.models import CampaignAddressee, CampaignKind, Milestone
    from reports import exports, services
    from reports.models import Submission
    from tests.campaigns.factories import add_members, make_activity, make_project, make_team
    from tests.factories import make_campaign, make_id_number, make_member, make_union
    from tests.relief.factories import make_donation, make_file, make_grant, make_visit
    from unions.models import Role, UnionKind
    from unionvol.sheets import SHEETS
    from volunteers import services as volunteer_services
    from volunteers.models import QuotaAllocation

    city = make_union(name="测试市总工会", code="P", kind=UnionKind.CITY)
    district_a = make_union(city, name="甲区总工会", code="P-A", kind=UnionKind.DISTRICT)
    district_b = make_union(city, name="乙区总工会", code="P-B", kind=UnionKind.DISTRICT)
    grassroots_a = make_union(district_a, name="甲区某企业工会", code="P-A-1")
    grassroots_b = make_union(district_b, name="乙区某企业工会", code="P-B-1")
    for u in (city, district_a, district_b):
        u.refresh_from_db()
    for union, person, phone in (
        (district_a, "赵海", "0411-82610421"),
        (district_b, "钱江", "0411-82610422"),
    ):
        union.contact_person, union.contact_phone = person, phone
        union.save()

    today = date.today()
    campaign = make_campaign(
        city,
        doc_number="测工〔2026〕99号",
        title="关于组建工会服务帮扶志愿者队伍的通知",
        kind=CampaignKind.HELPER_CORPS,
        recruits_volunteers=True,
        issue_date=today - timedelta(days=40),
        period_start=today - timedelta(days=40),
        period_end=today + timedelta(days=200),
    )
    for union in (district_a, district_b):
        CampaignAddressee.objects.create(campaign=campaign, union=union)
    milestones = {}
    for form in SHEETS:
        if form == "quota":
            continue  # the notice allocates the quota; no union reports it
        milestones[form] = Milestone.objects.create(
            campaign=campaign, title=str(SHEETS[form].title), form=form, due_date=today
        )
    for order, (union, quota) in enumerate(((district_a, 300), (district_b, 400)), start=1):
        QuotaAllocation.objects.create(
            campaign=campaign, union=union, order=order, quota=quota, note="按在职职工数分配"
        )

    # 服务: a team, a project with a long 进展情况, activities.
    team = make_team(grassroots_a, campaign, name="甲区某企业工会志愿服务队")
    team.description = "送教下乡、义诊、法律咨询"
    team.save()
    add_members(team, volunteers=2, cadres=1)
    project = make_project(
        team,
        name="送教下乡",
        beneficiaries=320,
        support_items="图书、教具",
        support_amount=Decimal("20000"),
        leader_position="副主席",
        progress=PROGRESS,
        period_start=today - timedelta(days=30),
    )
    for i in range(2):
        make_activity(
            team, project=project, people=3, hours="2", date=today - timedelta(days=20 - i)
        )

    # 登记表: approved through the chain (grassroots → district → city), with opinions.
    clerk = make_member(grassroots_a, Role.CLERK, username="p_clerk")
    reviewers = {
        grassroots_a.pk: make_member(grassroots_a, Role.REVIEWER, username="p_unit"),
        district_a.pk: make_member(district_a, Role.REVIEWER, username="p_district"),
        city.pk: make_member(city, Role.REVIEWER, username="p_city"),
    }
    clerk_b = make_member(grassroots_b, Role.CLERK, username="p_clerk_b")
    reviewers_b = {
        grassroots_b.pk: make_member(grassroots_b, Role.REVIEWER, username="p_unit_b"),
        district_b.pk: make_member(district_b, Role.REVIEWER, username="p_district_b"),
        city.pk: reviewers[city.pk],
    }

    def register(union: Any, by: Any, chain: dict[int, Any], seq: int, **extra: Any) -> Any:
        data = {
            "name": extra.pop("name", f"志愿者{seq}"),
            "political_status": "01",
            "id_number": make_id_number(200 + seq),
            "phone": f"1390411{seq:04d}",
            "work_start": "2010-07-01",
            "education": "bachelor",
            "health": "healthy",
            "workplace": "大连商场",
            "resume": "2010年至今在大连商场工作。",
            "application": "本人自愿加入工会服务帮扶志愿者队伍。",
            "identity": "employee",
            "member_type": "member",
        } | extra
        volunteer = volunteer_services.volunteer_register(
            union=union, data=data, by=by, campaign=campaign
        )
        return volunteer, chain

    def approve(volunteer: Any, chain: dict[int, Any], opinion: str) -> None:
        from volunteers.models import ApprovalDecision, ApprovalStep, VolunteerStatus

        for _level in range(3):
            step = (
                ApprovalStep.objects.filter(volunteer=volunteer, decision=ApprovalDecision.PENDING)
                .order_by("level")
                .first()
            )
            if step is None:
                break
            volunteer_services.approval_decide(
                volunteer=volunteer, by=chain[step.union_id], decision="approved", opinion=opinion
            )
        volunteer.refresh_from_db()
        assert volunteer.status == VolunteerStatus.APPROVED

    long_one, chain = register(
        grassroots_a,
        clerk,
        reviewers,
        1,
        name="欧阳明远",
        resume=RESUME,
        application=APPLICATION,
    )
    approve(long_one, chain, "同意推荐。该同志工作认真负责，热心公益，多次参加义务劳动。")
    long_one.refresh_from_db()
    long_one.photo.save("photo.jpg", ContentFile(jpeg()), save=True)
    for seq in (2, 3):
        volunteer, chain = register(grassroots_a, clerk, reviewers, seq)
        approve(volunteer, chain, "同意")
    register(grassroots_a, clerk, reviewers, 4)  # pending: on no sheet
    volunteer, chain = register(grassroots_b, clerk_b, reviewers_b, 5)
    approve(volunteer, chain, "同意")

    # 送温暖: grants, a visit, a one-day donation.
    hardship = make_file(grassroots_a)
    make_grant(grassroots_a, file=hardship, campaign=campaign, amount=Decimal("2500.00"))
    make_visit(grassroots_a, campaign=campaign, visited_on=today - timedelta(days=10))
    make_donation(district_a, campaign=campaign, amount=Decimal("12345.67"))

    # 报送: 甲区总工会 submits its 情况调度表 and its 典型材料 (three photos).
    district_clerk = make_member(district_a, Role.CLERK, username="p_district_clerk")
    services.ensure_submissions(milestone=milestones["dispatch"])
    sub = Submission.objects.get(milestone=milestones["dispatch"], union=district_a)
    sub = services.submission_save(
        submission=sub, user=district_clerk, version=sub.version, cleaned={"progress_0": PROGRESS}
    )
    services.submission_submit(submission=sub, user=district_clerk, version=sub.version)
    services.ensure_submissions(milestone=milestones["typical"])
    sub = Submission.objects.get(milestone=milestones["typical"], union=district_a)
    for i, color in enumerate(("red", "green", "blue")):
        services.photo_add(
            submission=sub,
            user=district_clerk,
            upload=SimpleUploadedFile(f"{i}.jpg", jpeg((800, 600), color), "image/jpeg"),
        )
    sub.refresh_from_db()
    sub = services.submission_save(
        submission=sub, user=district_clerk, version=sub.version, cleaned={"narrative": TYPICAL}
    )
    services.submission_submit(submission=sub, user=district_clerk, version=sub.version)
    for form in ("plan", "summary"):
        services.ensure_submissions(milestone=milestones[form])
        sub = Submission.objects.get(milestone=milestones[form], union=district_a)
        sub = services.submission_save(
            submission=sub,
            user=district_clerk,
            version=sub.version,
            cleaned={"narrative": "全年计划开展送教下乡、义诊和法律咨询活动各两次。" * 12},
        )
        # Submitted: a draft is not printed as the union's (the sheets print its records).
        services.submission_submit(submission=sub, user=district_clerk, version=sub.version)

    from unionvol.scoping import subtree_q
    from volunteers.models import Volunteer, VolunteerStatus

    approved = {
        union.name: Volunteer.objects.filter(
            subtree_q(union, "union"), campaign=campaign, status=VolunteerStatus.APPROVED
        ).count()
        for union in (district_a, district_b)
    }
    built = Built(
        approved=approved,
        approved_total=sum(approved.values()),
        addressed=[district_a.name, district_b.name],
        union=district_a.name,
        issuer=city.name,
    )
    for form in SHEETS:
        for variant in VARIANTS:
            aggregate = variant == "aggregate"
            path = tmp / f"{form}-{variant}.xlsx"
            # A file left open (a photo, say) is recorded for its own test, not raised at
            # some later test's setup.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ResourceWarning)
                try:
                    wb = exports.form_workbook(
                        form,
                        union=city if aggregate else district_a,
                        campaign=campaign,
                        aggregate=aggregate,
                        full_ids=True,
                    )
                    wb.save(str(path))
                    del wb
                except Exception as exc:  # one broken sheet fails its own tests, not all
                    built.errors[(form, variant)] = f"{type(exc).__name__}: {exc}"
                gc.collect()
            built.leaks[(form, variant)] = [
                str(w.message) for w in caught if issubclass(w.category, ResourceWarning)
            ]
            if (form, variant) not in built.errors:
                built.files[(form, variant)] = path
    return built


@pytest.fixture(scope="session")
def built_sheets(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Built:
    """Every sheet per union and aggregated, written once; the records rolled back."""
    tmp = tmp_path_factory.mktemp("printed")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp / "media")),
        system_scope(),
        transaction.atomic(),
    ):
        built = _build(tmp)
        transaction.set_rollback(True)
    return built
