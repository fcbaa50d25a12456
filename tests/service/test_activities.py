"""Activity log: participants from the team, hours computed, photos validated (max 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import ActivityCategory
from service.models import Activity, ActivityPhoto, Participation, ProjectStatus
from tests.campaigns.conftest import photo_upload
from tests.campaigns.factories import (
    add_members,
    make_activity,
    make_approved_volunteer,
    make_project,
    make_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tree: Any, campaign: Any) -> Any:
    t = make_team(tree.grassroots_a, campaign=campaign)
    add_members(t, volunteers=3, cadres=1)
    return t


def _form(team: Any, **extra: Any) -> dict[str, Any]:
    people = [m.volunteer_id for m in team.members.all()[:2]]
    data: dict[str, Any] = {
        "date": "2026-05-01",
        "start_time": "09:00",
        "end_time": "11:30",
        "place": "港湾社区",
        "description": "清扫楼道",
        "beneficiaries": "40",
        "participants": people,
        "hours": "",
    }
    data.update(extra)
    return data


def test_hours_default_to_the_time_span(team: Any, clerk_g: Any, client: Any) -> None:
    client.force_login(clerk_g)
    response = client.post(f"/service/teams/{team.pk}/activities/new/", _form(team))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.created_by == clerk_g
    assert [p.hours for p in activity.participations.all()] == [Decimal("2.5")] * 2
    page = client.get(activity.get_absolute_url())
    assert page.context["activity"].person_times == 2
    assert page.context["activity"].total_hours == Decimal("5.0")


def test_category_and_project_and_featured(tree: Any, team: Any, clerk_g: Any, client: Any) -> None:
    cat = ActivityCategory.objects.create(campaign=team.campaign, name="免费学习辅导")
    project = make_project(team)
    client.force_login(clerk_g)
    client.post(
        f"/service/teams/{team.pk}/activities/new/",
        _form(team, category=cat.pk, project=project.pk, featured="on", hours="3"),
    )
    a = Activity.objects.get()
    assert (a.category, a.project, a.featured) == (cat, project, True)


def test_foreign_category_and_unapproved_project_are_refused(
    tree: Any, team: Any, clerk_g: Any, client: Any
) -> None:
    other = make_team(tree.grassroots_a)
    foreign = ActivityCategory.objects.create(campaign=other.campaign, name="别的")
    proposed = make_project(team, status=ProjectStatus.PROPOSED)
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/activities/new/",
        _form(team, category=foreign.pk, project=proposed.pk),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"category", "project"}
    assert not Activity.objects.exists()


def test_non_members_cannot_take_part(tree: Any, team: Any, clerk_g: Any, client: Any) -> None:
    stranger = make_approved_volunteer(tree.grassroots_a)
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/activities/new/", _form(team, participants=[stranger.pk])
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_end_before_start_keeps_the_input(team: Any, clerk_g: Any, client: Any) -> None:
    client.force_login(clerk_g)
    response = client.post(
        f"/service/teams/{team.pk}/activities/new/",
        _form(team, start_time="12:00", end_time="09:00", place="保留地点"),
    )
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert response.context["form"]["place"].value() == "保留地点"
    assert not Activity.objects.exists()


def test_photos_are_reencoded_and_limited_to_three(team: Any, clerk_g: Any, client: Any) -> None:
    client.force_login(clerk_g)
    data = _form(team, photo1=photo_upload("a.png"), photo2=photo_upload("b.png"))
    client.post(f"/service/teams/{team.pk}/activities/new/", data)
    activity = Activity.objects.get()
    photos = list(activity.photos.all())
    assert len(photos) == 2
    assert all(p.image.name.endswith(".jpg") for p in photos)

    # the edit form may add one more, not two
    edit = {
        **_form(team),
        "version": activity.version,
        "photo1": photo_upload("c.png"),
        "photo2": photo_upload("d.png"),
    }
    response = client.post(f"/service/activities/{activity.pk}/edit/", edit)
    assert response.status_code == 200
    assert "最多上传 3 张图片" in response.content.decode()
    assert activity.photos.count() == 2
    client.post(
        f"/service/activities/{activity.pk}/edit/",
        {**_form(team), "version": activity.version, "photo1": photo_upload()},
    )
    assert activity.photos.count() == 3


def test_a_fake_image_is_refused_and_nothing_is_written(
    team: Any, clerk_g: Any, client: Any
) -> None:
    client.force_login(clerk_g)
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(f"/service/teams/{team.pk}/activities/new/", _form(team, photo1=fake))
    assert response.status_code == 200
    assert "photo1" in response.context["form"].errors
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_edit_changes_participants_and_hours(team: Any, clerk_g: Any, client: Any) -> None:
    activity = make_activity(team, people=2)
    third = team.members.all()[2].volunteer
    client.force_login(clerk_g)
    client.post(
        f"/service/activities/{activity.pk}/edit/",
        _form(team, participants=[third.pk], hours="4", version=activity.version),
    )
    assert list(activity.participations.values_list("volunteer_id", "hours")) == [
        (third.pk, Decimal("4.0"))
    ]


def test_delete_photo(team: Any, clerk_g: Any, viewer_a: Any, client: Any) -> None:
    client.force_login(clerk_g)
    client.post(f"/service/teams/{team.pk}/activities/new/", _form(team, photo1=photo_upload()))
    photo = ActivityPhoto.objects.get()
    client.force_login(viewer_a)
    assert client.post(f"/service/photos/{photo.pk}/delete/").status_code == 403
    client.force_login(clerk_g)
    client.post(f"/service/photos/{photo.pk}/delete/")
    assert not ActivityPhoto.objects.exists()


def test_viewer_and_outsider(team: Any, viewer_a: Any, admin_b: Any, client: Any) -> None:
    activity = make_activity(team)
    client.force_login(viewer_a)
    assert client.get("/service/activities/").status_code == 200
    assert client.get(activity.get_absolute_url()).status_code == 200
    assert client.get(f"/service/teams/{team.pk}/activities/new/").status_code == 403
    client.force_login(admin_b)
    assert client.get("/service/activities/").context["object_list"] == []
    assert client.get(activity.get_absolute_url()).status_code == 404


def test_person_times_are_computed_not_typed(team: Any) -> None:
    make_activity(team, people=3, hours="1.5")
    assert Participation.objects.count() == 3


def test_activity_pages_query_counts_are_constant(
    team: Any, clerk_g: Any, client: Any, count_queries: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(clerk_g)
    a = make_activity(team, people=1)
    ActivityPhoto.objects.create(activity=a, image="x.jpg")
    small_list = count_queries(lambda: client.get("/service/activities/"))
    small_detail = count_queries(lambda: client.get(a.get_absolute_url()))
    small_form = count_queries(lambda: client.get(f"/service/activities/{a.pk}/edit/"))
    add_members(team, volunteers=5)
    for _ in range(6):
        make_activity(team, people=4)
    for m in team.members.all()[1:]:
        Participation.objects.create(activity=a, volunteer=m.volunteer, hours=1)
    ActivityPhoto.objects.create(activity=a, image="y.jpg")
    with django_assert_max_num_queries(small_list):
        client.get("/service/activities/")
    with django_assert_max_num_queries(small_detail):
        client.get(a.get_absolute_url())
    with django_assert_max_num_queries(small_form):
        client.get(f"/service/activities/{a.pk}/edit/")


def test_each_participants_hours_can_be_adjusted(
    team: Any, clerk_g: Any, viewer_a: Any, client: Any
) -> None:
    activity = make_activity(team, people=2, hours="3")
    first, second = activity.participations.order_by("pk")
    url = f"/service/activities/{activity.pk}/hours/"
    client.force_login(viewer_a)
    assert client.post(url, {}).status_code == 403
    client.force_login(clerk_g)
    v = activity.version
    response = client.post(
        url, {f"hours_{first.pk}": "1.5", f"hours_{second.pk}": "30", "version": v}
    )
    assert response.status_code == 200  # 30 hours in a day: refused, nothing written
    first.refresh_from_db()
    assert first.hours == Decimal("3.0")
    client.post(url, {f"hours_{first.pk}": "1.5", f"hours_{second.pk}": "3", "version": v})
    first.refresh_from_db()
    assert first.hours == Decimal("1.5")


def test_activity_list_filters(tree: Any, team: Any, clerk_g: Any, client: Any) -> None:
    from datetime import date

    make_activity(team, people=0, featured=True, date=date(2026, 3, 1))
    make_activity(team, people=0, date=date(2025, 3, 1))
    other = make_activity(make_team(tree.grassroots_a), people=0, date=date(2026, 4, 1))
    client.force_login(clerk_g)
    count = lambda q: len(client.get(f"/service/activities/?{q}").context["object_list"])  # noqa: E731
    assert count("") == 3
    assert count("featured=1") == 1
    assert count("year=2025") == 1
    assert count(f"campaign={other.team.campaign_id}") == 1
    assert count(f"team={team.pk}") == 2
