"""Issue 12 item 1: one rule for who sees an ID number, with no side doors.

Full numbers (and the birth date inside them) only for holders of the full-ID
permission and the operator's commands; everyone else sees a mask that the same page
cannot complete. The probe of the issue is replayed here — the unmasking search and
the edit form — and every place a number can appear is enumerated, for a viewer, a
clerk, a reviewer and an admin without the permission: pages, forms, sheets, PDFs,
file names, history, the audit log, log lines and error reports.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import sys
import zlib
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from openpyxl import load_workbook
from simple_history.models import registered_models

from service.models import TeamMember, TeamRole
from service.services import certificate_issue
from tests.campaigns.factories import make_activity, make_team
from tests.factories import drain, make_campaign, make_id_number, make_member, make_volunteer
from unions.models import Role
from unionvol.idnumbers import mask_id_number, validate_id_number
from unionvol.models import AuditAction, AuditEvent
from unionvol.redaction import MaskingExceptionReporterFilter, MaskingFormatter
from volunteers import privacy
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db

BIRTH = date(1985, 3, 12)
NUMBER = make_id_number(604, birth=BIRTH.strftime("%Y%m%d"))
BIRTH_TEXTS = ("1985-03-12", "19850312", "1985年03月12日", "1985年3月12日", "1985/03/12")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()  # the rate-limit counters


@pytest.fixture
def volunteer(tree: Any) -> Volunteer:
    campaign = make_campaign(tree.city, recruits_volunteers=True)
    return make_volunteer(
        tree.grassroots_a,
        name="王测试",
        id_number=NUMBER,
        status=VolunteerStatus.APPROVED,
        campaign=campaign,
    )


@pytest.fixture
def certificate(tree: Any, volunteer: Volunteer, clerk_a: Any) -> Any:
    team = make_team(tree.grassroots_a, name="测试服务队")
    TeamMember.objects.create(team=team, volunteer=volunteer, role=TeamRole.VOLUNTEER)
    make_activity(team, people=1)
    return certificate_issue(
        volunteer=volunteer,
        user=clerk_a,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


@pytest.fixture
def holder(tree: Any) -> Any:
    """A viewer granted full ID numbers."""
    user = make_member(tree.district_a, Role.VIEWER, username="holder_a")
    user.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    return user


@pytest.fixture
def clerk_holder(tree: Any) -> Any:
    user = make_member(tree.district_a, Role.CLERK, username="clerk_holder_a")
    user.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    return user


def pdf_text(pdf: bytes) -> str:
    """The text drawn by a reportlab PDF (its streams are ASCII85 + Flate; the CID font
    F2 draws UCS-2 strings)."""
    texts = []
    for m in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        head = m.group(1)
        length = re.search(rb"/Length (\d+)", head)
        if not length:
            continue
        data = pdf[m.end() : m.end() + int(length.group(1))]
        if b"ASCII85Decode" in head:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        if b"FlateDecode" in head:
            data = zlib.decompress(data)
        font = b""
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)", data, re.S):
            if token.group(1):
                font = token.group(1)
                continue
            raw = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda e: (
                    bytes([int(e.group(1), 8)])
                    if e.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1))
                ),
                token.group(2),
                flags=re.S,
            )
            texts.append(raw.decode("utf-16-be" if font == b"F2" else "latin-1", "replace"))
    return "".join(texts)


def xlsx_text(body: bytes) -> str:
    wb = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(value)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def assert_private(text: str, where: str) -> None:
    assert NUMBER not in text, where
    assert NUMBER.lower() not in text, where
    for birth in BIRTH_TEXTS:
        assert birth not in text, f"{where}: {birth}"


# --- the mask ---------------------------------------------------------------------
def test_the_mask_hides_county_code_and_birth_date_together() -> None:
    masked = mask_id_number(NUMBER)
    assert masked == NUMBER[:2] + "*" * 14 + NUMBER[-2:]
    # Digits 3–6 (city and county), 7–14 (birth date) and 15–16 (order) are hidden.
    assert set(masked[2:16]) == {"*"}


def test_valid_numbers_behind_one_mask_are_far_too_many_to_guess() -> None:
    """Even with the county known, one mask fits thousands of valid numbers per birth
    year; the page shows no birth date to narrow them."""
    fitting = 0
    for day in range(1, 29):
        for order in range(100):
            body = f"{NUMBER[:6]}1985{day % 12 + 1:02d}{day:02d}{order:02d}{NUMBER[16]}"
            candidate = body + NUMBER[17]
            try:
                validate_id_number(candidate)
            except ValidationError:
                continue
            if mask_id_number(candidate) == mask_id_number(NUMBER):
                fitting += 1
    assert fitting > 200  # 28 days of one year alone, one county alone


# --- the attacks of the probe -------------------------------------------------------
def old_attack_candidates() -> list[str]:
    """The issue's attack: the former mask (first and last four) plus the birth date the
    page showed leave the two county digits: 100 candidates."""
    return [f"{NUMBER[:4]}{cc:02d}{BIRTH:%Y%m%d}{NUMBER[-4:]}" for cc in range(100)]


@pytest.mark.parametrize("role", ["viewer_a", "clerk_a", "reviewer_a", "admin_a"])
def test_the_unmasking_search_confirms_nothing(
    role: str, request: Any, volunteer: Volunteer, client_as: Any
) -> None:
    user = request.getfixturevalue(role)
    client = client_as(user)
    page = client.get(volunteer.get_absolute_url()).content.decode()
    assert mask_id_number(NUMBER) in page
    assert "出生日期" not in page
    assert_private(page, "detail page")

    answers = set()
    for candidate in old_attack_candidates():
        response = client.post("/volunteers/search-id/", {"id_number": candidate})
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, "/volunteers/")}  # the same refusal for all 100
    assert NUMBER in old_attack_candidates()
    refusal = client.get("/volunteers/").content.decode()
    assert str(privacy.SEARCH_NOT_ALLOWED) in refusal
    assert 'id="search-id"' not in refusal  # the box is not offered at all
    events = AuditEvent.objects.filter(action=AuditAction.SEARCH_ID, user=user)
    assert events.count() == 100
    assert {e.detail.get("refused") for e in events} == {"permission"}
    assert not any(NUMBER in json.dumps(e.detail) + e.object_repr for e in events)


def test_a_holder_finds_within_the_subtree_up_to_the_limit(
    tree: Any, volunteer: Volunteer, holder: Any, admin_b: Any, client_as: Any
) -> None:
    client = client_as(holder)
    response = client.post("/volunteers/search-id/", {"id_number": NUMBER})
    assert response["Location"] == volunteer.get_absolute_url()
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH_ID).latest("pk")
    assert (event.user, event.object_id, event.rows) == (holder, str(volunteer.pk), 1)

    admin_b.user_permissions.add(Permission.objects.get(codename="view_full_id"))
    outside = client_as(admin_b).post("/volunteers/search-id/", {"id_number": NUMBER})
    assert outside["Location"] == "/volunteers/"  # another subtree: not found

    client = client_as(holder)
    for seq in range(privacy.ID_SEARCH_LIMIT - 1):
        client.post("/volunteers/search-id/", {"id_number": make_id_number(seq + 1)})
    response = client.post("/volunteers/search-id/", {"id_number": NUMBER})
    assert response["Location"] == "/volunteers/"  # over the limit: no answer
    assert str(privacy.TOO_MANY_LOOKUPS) in client.get("/volunteers/").content.decode()
    refused = AuditEvent.objects.filter(action=AuditAction.SEARCH_ID, user=holder).latest("pk")
    assert refused.detail == {"refused": "rate"}


@pytest.mark.parametrize("role", ["clerk_a", "reviewer_a", "admin_a", "clerk_holder"])
def test_the_edit_form_never_carries_the_full_number(
    role: str, request: Any, volunteer: Volunteer, client_as: Any
) -> None:
    user = request.getfixturevalue(role)
    client = client_as(user)
    html = client.get(f"/volunteers/{volunteer.pk}/edit/").content.decode()
    assert_private(html, f"edit form for {role}")
    field = re.search(r'<input[^>]*name="id_number"[^>]*>', html)
    assert field is not None
    assert 'value="' not in field.group(0)
    assert f'placeholder="{mask_id_number(NUMBER)}"' in field.group(0)
    assert str(privacy.KEEP_ID_HELP) in html

    # Left empty, the number stays.
    data = {
        "name": volunteer.name,
        "political_status": volunteer.political_status,
        "id_number": "",
        "phone": volunteer.phone,
        "health": volunteer.health,
        "workplace": "新单位",
        "identity": volunteer.identity,
        "member_type": volunteer.member_type,
        "version": volunteer.version,
    }
    response = client.post(f"/volunteers/{volunteer.pk}/edit/", data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.id_number, volunteer.workplace) == (NUMBER, "新单位")
    assert volunteer.status == VolunteerStatus.APPROVED


def test_forms_that_take_an_id_number_are_rate_limited(
    tree: Any, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(privacy, "ID_LOOKUP_LIMIT", 2)
    client = client_as(clerk_a)
    base = {
        "name": "试一",
        "political_status": "13",
        "phone": "13904110001",
        "health": "healthy",
        "identity": "employee",
        "member_type": "member",
        "union": tree.district_a.pk,
    }
    for seq in (1, 2):
        response = client.post("/volunteers/new/", {**base, "id_number": make_id_number(seq)})
        assert response.status_code == 302
    response = client.post("/volunteers/new/", {**base, "id_number": make_id_number(3)})
    assert response.status_code == 200
    assert str(privacy.TOO_MANY_LOOKUPS) in response.content.decode()
    assert not Volunteer.objects.filter(id_number=make_id_number(3)).exists()


def _guesses_file(numbers: list[str]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.volunteers.test_imports import roster_bytes

    rows = [[i, "王测试", "男", n, "某单位", "", "", ""] for i, n in enumerate(numbers, 1)]
    return SimpleUploadedFile("花名册.xlsx", roster_bytes(rows))


def test_an_import_preview_confirms_no_more_numbers_than_the_budget(
    tree: Any, volunteer: Volunteer, clerk_a: Any, client_as: Any, monkeypatch: Any
) -> None:
    """An upload of guesses is a bulk lookup: its preview would say which row matches a
    registered number ("将更新", or "已经登记过"). Every number of a file counts against
    the importer's hourly budget before any is checked; past it, nothing is checked and
    the page tells nothing about any row. Each preview is audited with its count."""
    monkeypatch.setattr(privacy, "ID_IMPORT_LIMIT", 5)
    guesses = [make_id_number(700 + i, birth=BIRTH.strftime("%Y%m%d")) for i in range(3)]
    client = client_as(clerk_a)
    first = client.post(
        "/volunteers/import/",
        {"file": _guesses_file(guesses), "union": tree.grassroots_a.pk},
    )
    assert first.status_code == 200
    assert [r.row for r in first.context["report"].creates] == [4, 5, 6]
    # The second file holds the right number among its guesses: over the budget (3 + 3 > 5),
    # so it is refused whole, and the page names no row.
    second = client.post(
        "/volunteers/import/",
        {"file": _guesses_file([*guesses[:2], NUMBER]), "union": tree.grassroots_a.pk},
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "一小时内导入核对的身份证号码已超过5个（本文件3个）" in html
    assert "将更新" not in html
    assert "将新增" not in html
    assert "import-summary" not in html
    assert "report" not in second.context
    events = list(
        AuditEvent.objects.filter(action=AuditAction.SEARCH_ID, object_type="volunteers.import")
        .order_by("pk")
        .values_list("rows", "detail")
    )
    assert events == [(3, {}), (3, {"refused": "rate"})]
    # The number is still the volunteer's, untouched by either upload.
    volunteer.refresh_from_db()
    assert volunteer.id_number == NUMBER
    assert Volunteer.objects.count() == 1


def test_a_holder_has_a_larger_import_budget(
    tree: Any, volunteer: Volunteer, clerk_holder: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(privacy, "ID_IMPORT_LIMIT", 1)
    monkeypatch.setattr(privacy, "ID_IMPORT_LIMIT_FULL", 10)
    response = client_as(clerk_holder).post(
        "/volunteers/import/",
        {"file": _guesses_file([make_id_number(801), NUMBER]), "union": tree.grassroots_a.pk},
    )
    report = response.context["report"]
    assert [r.row for r in report.updates + report.unchanged] == [5]


# --- every place a number can appear ---------------------------------------------------
PAGES = [
    "/volunteers/",
    "/volunteers/{v}/",
    "/volunteers/{v}/print/",
    "/volunteers/{v}/edit/",
    "/volunteers/inbox/",
    "/service/hours/",
    "/service/hours/{v}/",
    "/service/certificates/{c}/",
    "/service/teams/",
]
DOWNLOADS = [
    ("/volunteers/{v}/xlsx/", "xlsx"),
    ("/volunteers/export/roster/", "xlsx"),
    ("/service/hours/export/", "xlsx"),
    ("/service/hours/{v}/export/", "xlsx"),
    ("/service/teams/export/", "xlsx"),
    ("/service/certificates/{c}/pdf/", "pdf"),
]


@pytest.mark.parametrize("role", ["viewer_a", "clerk_a", "reviewer_a", "admin_a"])
def test_no_page_form_sheet_or_pdf_shows_the_number_to_a_non_holder(
    role: str, request: Any, volunteer: Volunteer, certificate: Any, client_as: Any
) -> None:
    user = request.getfixturevalue(role)
    client = client_as(user)
    shown = 0
    for url in PAGES:
        response = client.get(url.format(v=volunteer.pk, c=certificate.pk))
        assert response.status_code in (200, 403), url
        if response.status_code == 200:
            assert_private(response.content.decode(), url)
            shown += 1
    for url, kind in DOWNLOADS:
        response = client.get(url.format(v=volunteer.pk, c=certificate.pk))
        assert response.status_code in (200, 403), url
        if response.status_code != 200:
            continue
        body = drain(response)
        text = xlsx_text(body) if kind == "xlsx" else pdf_text(body)
        assert text, url
        assert_private(text, url)
        assert_private(response.get("Content-Disposition", ""), f"file name of {url}")
        if "/export/roster/" in url or "/xlsx/" in url:
            assert mask_id_number(NUMBER) in text, url
        shown += 1
    assert shown >= 6
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID).exists()


def test_a_holder_sees_the_number_and_birth_date_and_each_view_is_audited(
    volunteer: Volunteer, holder: Any, client_as: Any
) -> None:
    client = client_as(holder)
    html = client.get(volunteer.get_absolute_url()).content.decode()
    assert f'id="id-number">{NUMBER}<' in html
    assert f'id="birth-date">{BIRTH:%Y-%m-%d}<' in html
    assert NUMBER in client.get(f"/volunteers/{volunteer.pk}/print/").content.decode()
    events = AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID, user=holder)
    assert events.count() == 2
    assert NUMBER not in json.dumps([e.object_repr for e in events], ensure_ascii=False)


def test_the_sheets_follow_the_same_rule(tree: Any, volunteer: Volunteer) -> None:
    from unionvol.sheets import Period, get_sheet
    from volunteers.exports import build_sheet

    for user, full in ((None, True), (make_member(tree.city, Role.ADMIN), False)):
        sheet, wb = build_sheet("registration", user=user, volunteer=volunteer)
        buf = io.BytesIO()
        wb.save(buf)
        text = xlsx_text(buf.getvalue())
        assert (NUMBER in text) is full
        assert sheet.full_ids is full
    data = get_sheet("roster").prefill(tree.city, Period.of_campaign(volunteer.campaign))
    rows = data["volunteers"]
    assert [r["id_number"] for r in rows] == [mask_id_number(NUMBER)]


def test_history_and_audit_hold_no_full_number(
    tree: Any, volunteer: Volunteer, holder: Any, clerk_a: Any, client_as: Any
) -> None:
    client_as(holder).get(volunteer.get_absolute_url())
    client_as(holder).post("/volunteers/search-id/", {"id_number": NUMBER})
    data = {
        "name": "王测试",
        "political_status": volunteer.political_status,
        "id_number": make_id_number(605, birth="19860101"),
        "phone": volunteer.phone,
        "health": volunteer.health,
        "identity": volunteer.identity,
        "member_type": volunteer.member_type,
        "version": volunteer.version,
    }
    assert client_as(clerk_a).post(f"/volunteers/{volunteer.pk}/edit/", data).status_code == 302
    for model in registered_models.values():
        history = getattr(model, model._meta.simple_history_manager_attribute)
        text = json.dumps(list(history.values()), cls=DjangoJSONEncoder, ensure_ascii=False)
        assert NUMBER not in text, model
        assert data["id_number"] not in text, model
    audit = json.dumps(list(AuditEvent.objects.values()), cls=DjangoJSONEncoder)
    assert NUMBER not in audit


def test_log_lines_and_error_reports_mask_numbers() -> None:
    formatter = MaskingFormatter()
    try:
        raise ValueError(f'duplicate key value violates unique constraint: "{NUMBER}"')
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/volunteers/new/",),
            sys.exc_info(),
        )
    line = formatter.format(record)
    assert NUMBER not in line
    assert mask_id_number(NUMBER) in line

    request = RequestFactory().post("/volunteers/new/", {"id_number": NUMBER, "name": "王"})
    reporter = MaskingExceptionReporterFilter()
    post = reporter.get_post_parameters(request)
    assert post["id_number"] == mask_id_number(NUMBER)
    assert post["name"] == "王"

    def frame_with_a_number() -> Any:
        cleaned_data = {"id_number": NUMBER}  # noqa: F841 - read from the frame
        return sys._getframe()

    frame = frame_with_a_number()
    variables = dict(reporter.get_traceback_frame_variables(request, frame))
    assert NUMBER not in str(variables["cleaned_data"])
