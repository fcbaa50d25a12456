from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import Milestone
from reports import services
from reports.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def _jpeg(name: str = "a.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def typical(campaign: Any, tree: Any) -> Submission:
    ms = Milestone.objects.create(
        campaign=campaign, title="典型材料", form="typical", due_date=campaign.issue_date
    )
    services.ensure_submissions(milestone=ms, unions=[tree.district_a])
    return Submission.objects.get(milestone=ms, union=tree.district_a)


def test_typical_needs_2_to_3_photos_and_2000_characters(
    typical: Submission, client_as: Any, clerk_a: Any
) -> None:
    client = client_as(clerk_a)
    url = typical.get_absolute_url()
    resp = client.post(url, {"action": "submit", "version": typical.version, "narrative": "材料"})
    assert "请附 2—3 张活动图片（现有 0 张）" in resp.content.decode()
    too_long = "字" * 2001
    typical.refresh_from_db()
    resp = client.post(url, {"action": "save", "version": typical.version, "narrative": too_long})
    assert "不能超过 2000 字" in resp.content.decode()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        client.post(f"/reports/submissions/{typical.pk}/photos/", {"image": _jpeg(name)})
    assert typical.photos.count() == 3
    resp = client.post(
        f"/reports/submissions/{typical.pk}/photos/", {"image": _jpeg("d.jpg")}, follow=True
    )
    assert "最多只能上传 3 张图片" in resp.content.decode()
    assert typical.photos.count() == 3
    typical.refresh_from_db()
    resp = client.post(url, {"action": "submit", "version": typical.version, "narrative": "材料"})
    typical.refresh_from_db()
    assert typical.status == SubmissionStatus.SUBMITTED
    assert typical.versions.get().snapshot["photos"] == 3


def test_a_fake_image_is_refused(typical: Submission, client_as: Any, clerk_a: Any) -> None:
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    resp = client_as(clerk_a).post(
        f"/reports/submissions/{typical.pk}/photos/", {"image": fake}, follow=True
    )
    assert "文件扩展名与文件内容不符" in resp.content.decode()
    assert typical.photos.count() == 0


def test_photo_delete_scoped(
    typical: Submission, client_as: Any, clerk_a: Any, viewer_a: Any, admin_b: Any
) -> None:
    photo = services.photo_add(submission=typical, user=clerk_a, upload=_jpeg())
    url = f"/reports/photos/{photo.pk}/delete/"
    assert client_as(admin_b).post(url).status_code == 404
    assert client_as(viewer_a).post(url).status_code == 403
    assert client_as(clerk_a).post(url).status_code == 302
    assert typical.photos.count() == 0
