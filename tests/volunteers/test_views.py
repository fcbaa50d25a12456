from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import CampaignAddressee
from tests.factories import make_campaign, make_id_number, make_volunteer
from tests.volunteers.conftest import form_data
from unionvol.models import AuditAction, AuditEvent
from volunteers import services
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

SEED_LABELS = [
    "姓名",
    "性别",
    "政治面貌",
    "照片",
    "身份证号",
    "联系电话",
    "参加工作时间",
    "学历",
    "健康状况",
    "工作单位",
    "特长",
    "工作简历",
    "本人申请",
    "身份",
    "会员类别",
]


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "red").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def grant_full_id(user: Any) -> None:
    user.user_permissions.add(Permission.objects.get(codename="view_full_id"))


def test_register_page_has_the_seed_labels_and_campaign_choices(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    recruiting = make_campaign(tree.city, recruits_volunteers=True, title="招募通知甲")
    CampaignAddressee.objects.create(campaign=recruiting, union=tree.district_a)
    make_campaign(tree.district_a, title="不招募的通知")
    response = client_as(clerk_a).get("/volunteers/new/")
    assert response.status_code == 200
    html = re.sub(r"\s+", "", response.content.decode())
    for label in SEED_LABELS:
        assert f">{label}<" in html or f">{label}*<" in html or f">{label}<span" in html, label
    assert "全国志愿服务信息系统" in html
    assert recruiting.title in html
    assert "不招募的通知" not in html


def test_clerk_registers_with_a_photo(tree: Any, clerk_a: Any, client_as: Any) -> None:
    data = {**form_data(), "union": tree.grassroots_a.pk, "photo": jpeg()}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = Volunteer.objects.get()
    assert volunteer.union == tree.grassroots_a
    assert volunteer.photo.name.endswith(".jpg")
    with Image.open(volunteer.photo.path) as img:
        assert not img.getexif()
    volunteer.photo.delete(save=False)


def test_a_bad_photo_is_refused_and_what_was_typed_is_kept(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    bad = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    data = {**form_data(name="保留的姓名"), "union": tree.grassroots_a.pk, "photo": bad}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留的姓名" in html
    assert "JPEG/PNG" in html
    assert Volunteer.objects.count() == 0


def test_a_bad_id_number_keeps_the_form(tree: Any, clerk_a: Any, client_as: Any) -> None:
    data = {**form_data(name="李四", id_number="21020219900101001"), "union": tree.district_a.pk}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码应为18位" in html
    assert "李四" in html
    assert Volunteer.objects.count() == 0


def test_a_duplicate_links_to_the_existing_record_in_scope(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    existing = make_volunteer(tree.grassroots_a, id_number=make_id_number(21))
    data = {**form_data(id_number=existing.id_number), "union": tree.district_a.pk}
    html = client_as(clerk_a).post("/volunteers/new/", data).content.decode()
    assert existing.get_absolute_url() in html
    outsider_existing = make_volunteer(tree.grassroots_b, id_number=make_id_number(22))
    data = {**form_data(id_number=outsider_existing.id_number), "union": tree.district_a.pk}
    html = client_as(clerk_a).post("/volunteers/new/", data).content.decode()
    assert outsider_existing.get_absolute_url() not in html
    assert "不能重复登记" in html


def test_register_page_access(
    tree: Any, clerk_a: Any, viewer_a: Any, client_as: Any, client: Any
) -> None:
    assert client_as(viewer_a).get("/volunteers/new/").status_code == 403
    assert client_as(viewer_a).post("/volunteers/new/", form_data()).status_code == 403
    client.logout()
    assert client.get("/volunteers/new/").status_code == 302


def test_a_union_outside_the_scope_cannot_be_chosen(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    data = {**form_data(), "union": tree.grassroots_b.pk}
    response = client_as(clerk_a).post("/volunteers/new/", data)
    assert response.status_code == 200
    assert Volunteer.objects.count() == 0


def test_edit_with_a_stale_version_gets_a_conflict(tree: Any, clerk_a: Any, client_as: Any) -> None:
    volunteer = services.volunteer_register(union=tree.district_a, data=form_data(), by=clerk_a)
    url = f"/volunteers/{volunteer.pk}/edit/"
    client = client_as(clerk_a)
    assert client.get(url).status_code == 200
    first = {**form_data(workplace="第一次"), "version": volunteer.version}
    assert client.post(url, first).status_code == 302
    stale = {**form_data(workplace="第二次"), "version": volunteer.version}
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.workplace == "第一次"


def test_edit_access(tree: Any, clerk_a: Any, viewer_a: Any, admin_b: Any, client_as: Any) -> None:
    volunteer = make_volunteer(tree.grassroots_a)
    url = f"/volunteers/{volunteer.pk}/edit/"
    assert client_as(viewer_a).get(url).status_code == 403
    assert client_as(admin_b).get(url).status_code == 404


def test_detail_masks_the_id_number_without_the_permission(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    volunteer = make_volunteer(tree.grassroots_a, id_number=make_id_number(31))
    html = client_as(viewer_a).get(volunteer.get_absolute_url()).content.decode()
    assert volunteer.masked_id in html
    assert volunteer.id_number not in html
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID).exists()
    assert client_as(admin_b).get(volunteer.get_absolute_url()).status_code == 404


def test_full_id_view_is_audited_without_the_number(
    tree: Any, admin_a: Any, client_as: Any
) -> None:
    grant_full_id(admin_a)
    volunteer = make_volunteer(tree.grassroots_a, id_number=make_id_number(32))
    html = client_as(admin_a).get(volunteer.get_absolute_url()).content.decode()
    assert volunteer.id_number in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW_FULL_ID)
    assert event.object_id == str(volunteer.pk)
    assert volunteer.id_number not in str(event.__dict__)


def test_detail_uses_a_constant_number_of_queries(
    tree: Any, chain: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    volunteer = services.volunteer_register(
        union=tree.grassroots_a, data=form_data(), by=chain.clerk, campaign=chain.campaign
    )
    client = client_as(chain.unit_reviewer)
    with django_assert_max_num_queries(14):
        assert client.get(volunteer.get_absolute_url()).status_code == 200


def test_search_by_id_number_is_a_post_and_is_audited(
    tree: Any, viewer_a: Any, admin_b: Any, client_as: Any
) -> None:
    grant_full_id(viewer_a)
    grant_full_id(admin_b)
    volunteer = make_volunteer(tree.grassroots_a, id_number=make_id_number(33))
    response = client_as(viewer_a).post(
        "/volunteers/search-id/", {"id_number": volunteer.id_number.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == volunteer.get_absolute_url()
    assert volunteer.id_number not in response["Location"]
    event = AuditEvent.objects.get(action=AuditAction.SEARCH_ID)
    assert volunteer.id_number not in str(event.__dict__)
    assert client_as(viewer_a).get("/volunteers/search-id/").status_code == 405
    response = client_as(admin_b).post("/volunteers/search-id/", {"id_number": volunteer.id_number})
    assert response["Location"] == "/volunteers/"
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH_ID).count() == 2


def test_printable_registration_form(tree: Any, chain: Any, client_as: Any) -> None:
    volunteer = services.volunteer_register(
        union=tree.grassroots_a, data=form_data(), by=chain.clerk, campaign=chain.campaign
    )
    services.approval_decide(
        volunteer=volunteer, by=chain.unit_reviewer, decision="approved", opinion="同意推荐"
    )
    html = client_as(chain.clerk).get(f"/volunteers/{volunteer.pk}/print/").content.decode()
    for label in ("工会服务帮扶志愿者登记表", "单位工会意见", "区市县总工会、产业工会意见"):
        assert label in html
    assert "市总工会意见" in html
    assert "同意推荐" in html
    assert "data-print" in html


def test_the_english_catalogue_is_compiled() -> None:
    from django.utils import translation

    from volunteers.models import VolunteerStatus
    from volunteers.services import OWN_ENTRY

    with translation.override("en"):
        assert str(VolunteerStatus.APPROVED.label) == "Approved"
        assert str(OWN_ENTRY) == "You cannot review a registration you entered yourself."


def test_a_photo_can_be_cleared_on_edit(tree: Any, clerk_a: Any, client_as: Any) -> None:
    client = client_as(clerk_a)
    client.post("/volunteers/new/", {**form_data(), "union": tree.district_a.pk, "photo": jpeg()})
    volunteer = Volunteer.objects.get()
    assert volunteer.photo
    url = f"/volunteers/{volunteer.pk}/edit/"
    kept = {**form_data(workplace="改过"), "version": volunteer.version}
    assert client.post(url, kept).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.photo
    cleared = {**form_data(), "version": volunteer.version, "photo-clear": "on"}
    assert client.post(url, cleared).status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.photo


def test_volunteer_page_shows_service_hours_and_points(
    tree: Any, clerk_a: Any, client_as: Any
) -> None:
    from decimal import Decimal

    from service.models import Participation, TeamMember, TeamRole
    from tests.campaigns.factories import make_activity, make_rule_campaign, make_team
    from tests.factories import make_volunteer as _make

    campaign = make_rule_campaign(
        tree.city, points_per_participation=Decimal("10"), points_per_hour=Decimal("2")
    )
    team = make_team(tree.grassroots_a, campaign)
    volunteer = _make(tree.grassroots_a, status="approved")
    TeamMember.objects.create(team=team, volunteer=volunteer, role=TeamRole.VOLUNTEER)
    activity = make_activity(team, people=0)
    Participation.objects.create(activity=activity, volunteer=volunteer, hours=Decimal("2.5"))
    html = client_as(clerk_a).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert 'id="service-summary"' in html
    assert "2.5" in html
    assert "15.0" in html  # 10 per participation + 2 × 2.5 hours
    assert f"/service/hours/{volunteer.pk}/" in html
