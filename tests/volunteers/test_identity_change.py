"""Issue 12 item 2: a new name or ID number on an approved volunteer is another person to
the approvals. The clerk's swap sends the registration back to the first level, the
history row says so (numbers masked and fingerprinted), certificates keep the holder
they were issued to, and the roster import cannot rename an approved volunteer."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook

from service.models import TeamMember, TeamRole
from service.services import certificate_issue
from tests.campaigns.factories import make_activity, make_team
from tests.factories import make_id_number
from tests.volunteers.conftest import form_data
from unionvol.idnumbers import mask_id_number
from volunteers import services
from volunteers.imports import IMPORT_RENAMES_APPROVED, read_roster
from volunteers.models import ApprovalDecision, ApprovalStep, Volunteer, VolunteerStatus
from volunteers.privacy import fingerprint

pytestmark = pytest.mark.django_db

OLD_ID = make_id_number(7, birth="19850312")
NEW_ID = make_id_number(8, birth="19920704")


def approved(tree: Any, chain: Any) -> Volunteer:
    """Registered by the grassroots clerk and approved by all three levels."""
    volunteer = services.volunteer_register(
        union=tree.grassroots_a,
        data=form_data(name="张三", id_number=OLD_ID),
        by=chain.clerk,
        campaign=chain.campaign,
    )
    for reviewer in (chain.unit_reviewer, chain.district_reviewer, chain.city_reviewer):
        services.approval_decide(
            volunteer=volunteer, by=reviewer, decision=ApprovalDecision.APPROVED, opinion="同意"
        )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED
    return volunteer


def swap(client: Any, volunteer: Volunteer, **changes: Any) -> Any:
    data = form_data(**{"name": "张三", "id_number": "", **changes})
    data["version"] = volunteer.version
    return client.post(f"/volunteers/{volunteer.pk}/edit/", data, follow=True)


def test_the_clerks_identity_swap_goes_back_to_the_first_level(
    tree: Any, chain: Any, client_as: Any
) -> None:
    volunteer = approved(tree, chain)
    response = swap(client_as(chain.clerk), volunteer, name="李四", id_number=NEW_ID)

    html = response.content.decode()
    assert "登记表已回到第一级重新审批" in html
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.id_number) == ("李四", NEW_ID)
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.get_status_display() == "审核中"
    assert volunteer.approved_at is None
    assert volunteer.approval_round == 2
    open_steps = ApprovalStep.objects.filter(volunteer=volunteer, round=2)
    assert [(s.level, s.union, s.decision) for s in open_steps] == [
        (1, tree.grassroots_a, ApprovalDecision.PENDING)
    ]
    # The first round's three approvals stay in the trail.
    assert ApprovalStep.objects.filter(volunteer=volunteer, round=1).count() == 3
    assert "审核中" in html


def test_the_history_row_records_the_swap_without_the_numbers(
    tree: Any, chain: Any, client_as: Any
) -> None:
    volunteer = approved(tree, chain)
    swap(client_as(chain.clerk), volunteer, name="李四", id_number=NEW_ID)

    row = Volunteer.history.filter(id=volunteer.pk).latest("history_date")
    assert row.name == "李四"
    assert row.status == VolunteerStatus.PENDING
    assert row.history_user == chain.clerk
    reason = row.history_change_reason
    assert reason.startswith("姓名变更；身份证号码变更：")
    assert reason.endswith("；重新审批")
    assert f"{mask_id_number(OLD_ID)}#{fingerprint(OLD_ID)}" in reason
    assert f"{mask_id_number(NEW_ID)}#{fingerprint(NEW_ID)}" in reason
    everything = json.dumps(
        list(Volunteer.history.filter(id=volunteer.pk).values()),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    for number in (OLD_ID, NEW_ID):
        assert number not in everything
        assert number[6:14] not in everything  # nor the birth date inside it


def test_a_number_change_that_the_mask_hides_is_still_visible_in_history(
    tree: Any, chain: Any, client_as: Any
) -> None:
    volunteer = approved(tree, chain)
    # Another birth date behind the same mask (the check character happens to agree).
    other = next(
        number
        for day in range(1, 29)
        for seq in range(1, 499)
        if (number := make_id_number(seq, birth=f"198504{day:02d}")) != OLD_ID
        and mask_id_number(number) == mask_id_number(OLD_ID)
    )
    swap(client_as(chain.clerk), volunteer, id_number=other)
    row = Volunteer.history.filter(id=volunteer.pk).latest("history_date")
    assert fingerprint(OLD_ID) != fingerprint(other)
    assert fingerprint(other) in row.history_change_reason
    assert row.history_change_reason.endswith("重新审批")


def test_other_edits_keep_the_approval(tree: Any, chain: Any, client_as: Any) -> None:
    volunteer = approved(tree, chain)
    response = swap(client_as(chain.clerk), volunteer, workplace="新单位")
    assert "已保存。" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED
    assert volunteer.approval_round == 1
    assert volunteer.id_number == OLD_ID  # the empty field kept the number


def test_a_rename_in_the_middle_of_the_chain_starts_it_again(tree: Any, chain: Any) -> None:
    volunteer = services.volunteer_register(
        union=tree.grassroots_a,
        data=form_data(name="张三", id_number=OLD_ID),
        by=chain.clerk,
        campaign=chain.campaign,
    )
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision=ApprovalDecision.APPROVED
    )
    volunteer.refresh_from_db()
    services.volunteer_update(
        volunteer=volunteer, data={"name": "李四"}, by=chain.clerk, version=volunteer.version
    )
    volunteer.refresh_from_db()
    assert volunteer.approval_round == 2
    # The district's open step of round 1 is gone: nobody decides on the old person.
    assert not ApprovalStep.objects.filter(
        volunteer=volunteer, round=1, decision=ApprovalDecision.PENDING
    ).exists()
    step = ApprovalStep.objects.get(volunteer=volunteer, decision=ApprovalDecision.PENDING)
    assert (step.round, step.level, step.union) == (2, 1, tree.grassroots_a)


def test_a_rename_before_any_decision_needs_no_new_round(tree: Any, chain: Any) -> None:
    volunteer = services.volunteer_register(
        union=tree.grassroots_a,
        data=form_data(name="张三", id_number=OLD_ID),
        by=chain.clerk,
        campaign=chain.campaign,
    )
    services.volunteer_update(
        volunteer=volunteer, data={"name": "张叁"}, by=chain.clerk, version=volunteer.version
    )
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.approval_round) == (VolunteerStatus.PENDING, 1)
    row = Volunteer.history.filter(id=volunteer.pk).latest("history_date")
    assert row.history_change_reason == "姓名变更"


def test_the_issued_certificate_keeps_the_old_name(tree: Any, chain: Any, client_as: Any) -> None:
    volunteer = approved(tree, chain)
    team = make_team(tree.grassroots_a)
    TeamMember.objects.create(team=team, volunteer=volunteer, role=TeamRole.VOLUNTEER)
    make_activity(team, people=1)
    cert = certificate_issue(
        volunteer=volunteer,
        user=chain.clerk,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    swap(client_as(chain.clerk), volunteer, name="李四", id_number=NEW_ID)

    cert.refresh_from_db()
    assert (cert.volunteer_name, cert.volunteer_id_masked) == ("张三", mask_id_number(OLD_ID))
    html = client_as(chain.clerk).get(cert.get_absolute_url()).content.decode()
    assert "兹证明 张三（身份证号码：" + mask_id_number(OLD_ID) in html
    assert "李四" not in html.split("uv-certificate", 1)[1]
    pdf = client_as(chain.clerk).get(f"/service/certificates/{cert.pk}/pdf/").content
    from tests.security.test_private_ids import pdf_text

    text = pdf_text(pdf)
    assert "张三" in text
    assert "李四" not in text
    assert mask_id_number(OLD_ID) in text


def roster_file(rows: list[tuple[str, str]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "身份证号码", "工作单位", "政治面貌", "身份", "特长"])
    for seq, (name, number) in enumerate(rows, 1):
        ws.append([seq, name, "男", number, "大连商场", "中共党员", "在职职工", ""])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("roster.xlsx", out.getvalue())


def test_the_import_cannot_rename_an_approved_volunteer(tree: Any, chain: Any) -> None:
    volunteer = approved(tree, chain)
    report = read_roster(
        roster_file([("李四", OLD_ID)]),
        union=tree.grassroots_a,
        campaign=chain.campaign,
        user=chain.clerk,
    )
    assert [e.message for e in report.errors] == [str(IMPORT_RENAMES_APPROVED)]
    assert not report.updates
    volunteer.refresh_from_db()
    assert volunteer.name == "张三"
