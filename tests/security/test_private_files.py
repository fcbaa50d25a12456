"""Issue 12 item 3: uploaded files have random names and are served by permission only.

Every file field (volunteer photo, activity photo, submission photo, wish photo) is
stored under a random name and sent by ``unionvol.files.serve`` to those who may see
the owning row; outsiders and anonymous users get 404, ``/media/`` serves nothing
(DEBUG included), exports go to their requester only, imports to nobody. In production
the proxy sends the file (X-Accel-Redirect / X-Sendfile).
"""

from __future__ import annotations

import importlib
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from PIL import Image

from reports.models import SubmissionPhoto
from service.models import ActivityPhoto
from tests.campaigns.factories import make_activity, make_team
from tests.factories import drain, make_volunteer
from tests.relief.factories import make_wish
from tests.reports.factories import make_submission
from unionvol.models import ExportJob, ExportStatus
from unionvol.uploads import random_name

pytestmark = pytest.mark.django_db

# The uploader's file name: a resident ID number, as in the issue.
UPLOADED_AS = "210202198503121218.jpg"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL = "off"


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buf, format="JPEG")
    return buf.getvalue()


@dataclass
class Stored:
    file: FieldFile
    page: str
    content: bytes


def _volunteer(union: Any) -> Stored:
    volunteer = make_volunteer(union)
    volunteer.photo.save(UPLOADED_AS, ContentFile(_jpeg()))
    return Stored(volunteer.photo, volunteer.get_absolute_url(), _jpeg())


def _activity_photo(union: Any) -> Stored:
    activity = make_activity(make_team(union), people=0)
    photo = ActivityPhoto(activity=activity)
    photo.image.save(UPLOADED_AS, ContentFile(_jpeg()))
    return Stored(photo.image, activity.get_absolute_url(), _jpeg())


def _submission_photo(union: Any) -> Stored:
    submission = make_submission(union)
    photo = SubmissionPhoto(submission=submission)
    photo.image.save(UPLOADED_AS, ContentFile(_jpeg()))
    return Stored(photo.image, submission.get_absolute_url(), _jpeg())


def _wish_photo(union: Any) -> Stored:
    wish = make_wish(union, status="fulfilled", fulfil_note="已送达")
    wish.photo.save(UPLOADED_AS, ContentFile(_jpeg()))
    return Stored(wish.photo, wish.get_absolute_url(), _jpeg())


OWNERS: dict[str, tuple[Callable[[Any], Stored], str]] = {
    "volunteer photo": (_volunteer, "volunteers/photos"),
    "activity photo": (_activity_photo, "service/activities"),
    "submission photo": (_submission_photo, "reports/photos"),
    "wish photo": (_wish_photo, "relief/wishes"),
}


@pytest.fixture(params=list(OWNERS))
def stored(request: Any, tree: Any) -> Stored:
    make, _prefix = OWNERS[request.param]
    return make(tree.grassroots_a)


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_stored_name_is_random_and_keeps_only_the_extension(tree: Any) -> None:
    for make, prefix in OWNERS.values():
        name = make(tree.grassroots_a).file.name
        assert re.fullmatch(rf"{prefix}/\d{{4}}/[0-9a-f]{{32}}\.jpg", name), name
        assert "210202" not in name
        assert "1218" not in name
    assert random_name("x")(None, "Photo.JPEG").endswith(".jpeg")
    assert random_name("x")(None, "no-extension").count(".") == 0


def test_a_reader_of_the_owning_row_gets_the_file(stored: Stored, viewer_a: Any) -> None:
    response = as_user(viewer_a).get(stored.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert drain(response) == stored.content


def test_outsiders_and_anonymous_users_get_404(stored: Stored, admin_b: Any) -> None:
    assert as_user(admin_b).get(stored.file.url).status_code == 404
    assert Client().get(stored.file.url).status_code == 404


def test_the_page_shows_the_private_url_not_media(stored: Stored, clerk_a: Any) -> None:
    html = as_user(clerk_a).get(stored.page).content.decode()
    assert f'src="{stored.file.url}"' in html
    assert stored.file.url.startswith("/files/")
    assert "/media/" not in html


@pytest.fixture
def debug_urls(settings: Any) -> Iterator[None]:
    """The URLconf as a DEBUG server builds it (it used to add a public /media/ route)."""
    import unionvol.urls

    settings.DEBUG = True
    importlib.reload(unionvol.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(unionvol.urls)
    clear_url_caches()


def test_the_public_media_url_is_404_in_debug(
    debug_urls: None, stored: Stored, viewer_a: Any
) -> None:
    public = f"/media/{stored.file.name}"
    assert Client().get(public).status_code == 404
    assert as_user(viewer_a).get(public).status_code == 404
    assert drain(as_user(viewer_a).get(stored.file.url)) == stored.content


def test_a_removed_photo_is_no_longer_served(tree: Any, viewer_a: Any) -> None:
    """The file stays on disk for the history, but no row owns it any more."""
    volunteer = make_volunteer(tree.grassroots_a)
    volunteer.photo.save(UPLOADED_AS, ContentFile(_jpeg()))
    url = volunteer.photo.url
    volunteer.photo = ""
    volunteer.save()
    assert as_user(viewer_a).get(url).status_code == 404


def test_an_uploaded_submission_photo_gets_a_random_name(tree: Any, clerk_a: Any) -> None:
    submission = make_submission(tree.district_a)
    upload = SimpleUploadedFile(UPLOADED_AS, _jpeg(), content_type="image/jpeg")
    client = as_user(clerk_a)
    client.post(reverse("reports:photo_add", args=[submission.pk]), {"image": upload})
    photo = submission.photos.get()
    assert "210202198503121218" not in photo.image.name
    assert drain(client.get(photo.image.url)).startswith(b"\xff\xd8\xff")
    assert "210202198503121218" not in client.get(submission.get_absolute_url()).content.decode()


def test_nginx_sends_the_file_by_x_accel_redirect(
    settings: Any, stored: Stored, viewer_a: Any
) -> None:
    settings.MEDIA_ACCEL = "nginx"
    response = as_user(viewer_a).get(stored.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored.file.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""  # the proxy sends the bytes, no worker is held


def test_nginx_refuses_outsiders_before_any_redirect(
    settings: Any, stored: Stored, admin_b: Any
) -> None:
    settings.MEDIA_ACCEL = "nginx"
    response = as_user(admin_b).get(stored.file.url)
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_apache_sends_the_file_by_x_sendfile(settings: Any, stored: Stored, viewer_a: Any) -> None:
    settings.MEDIA_ACCEL = "apache"
    response = as_user(viewer_a).get(stored.file.url)
    assert response["X-Sendfile"] == str(Path(settings.MEDIA_ROOT).resolve() / stored.file.name)


# --- exports and imports ---------------------------------------------------------------------


def _finished_job(user: Any, union: Any) -> ExportJob:
    name = f"exports/{uuid.uuid4().hex}.xlsx"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 roster")
    return ExportJob.objects.create(
        requested_by=user,
        union=union,
        kind="roster",
        status=ExportStatus.DONE,
        file_path=name,
        filename="花名册-20260601.xlsx",
    )


def test_an_export_goes_to_its_requester_only(
    settings: Any, tree: Any, clerk_a: Any, admin_a: Any
) -> None:
    job = _finished_job(clerk_a, tree.district_a)
    url = reverse("export_download", args=[job.pk])
    settings.MEDIA_ACCEL = "nginx"
    response = as_user(clerk_a).get(url)
    assert response["X-Accel-Redirect"] == f"/protected-media/{job.file_path}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    settings.MEDIA_ACCEL = "off"
    assert drain(as_user(clerk_a).get(url)) == b"PK\x03\x04 roster"
    assert as_user(admin_a).get(url).status_code == 404  # same union, not the requester
    # … and never through the file view, not even for the requester
    assert as_user(clerk_a).get(f"{settings.MEDIA_URL}{job.file_path}").status_code == 404


def test_import_uploads_are_never_served(settings: Any, clerk_a: Any) -> None:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True)
    token = uuid.uuid4().hex
    (folder / f"{clerk_a.pk}-{token}.xlsx").write_bytes(b"PK\x03\x04")
    url = f"{settings.MEDIA_URL}imports/{clerk_a.pk}-{token}.xlsx"
    assert as_user(clerk_a).get(url).status_code == 404


def test_paths_outside_the_registry_are_404(clerk_a: Any) -> None:
    client = as_user(clerk_a)
    for path in ("/files/../unionvol/settings.py", "/files/volunteers/photos/../../x", "/files/"):
        assert client.get(path).status_code == 404
