"""Issue 7 item 5: history rows name the user; the audit log and history never hold
a full ID number; the admin audit list filters by user and date."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.models import registered_models

from tests.factories import PASSWORD, make_id_number, make_volunteer
from unionvol.audit import audit, mask_ids
from unionvol.models import AuditAction, AuditEvent
from volunteers.models import Volunteer

FULL_ID = make_id_number(7)
FULL_ID_X = "11010519491231002X"


def stored_text(event: AuditEvent) -> str:
    values = AuditEvent.objects.filter(pk=event.pk).values().get()
    return json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False)


class TestAuditNeverStoresFullIds:
    def test_detail_and_label_are_masked(self, admin_a: Any) -> None:
        event = audit(
            user=admin_a,
            action=AuditAction.SEARCH_ID,
            what=f"按身份证号 {FULL_ID} 查询",
            rows=1,
            query=FULL_ID,
            nested={"ids": [FULL_ID_X.lower(), f"号码:{FULL_ID_X}。"], FULL_ID: "as a key"},
            number=int(FULL_ID) if FULL_ID.isdigit() else 0,
        )
        text = stored_text(event)
        assert FULL_ID not in text
        assert FULL_ID_X not in text.upper()
        assert FULL_ID[:2] + "*" * 14 + FULL_ID[-2:] in text
        assert event.detail["query"] == FULL_ID[:2] + "*" * 14 + FULL_ID[-2:]
        assert event.rows == 1

    def test_target_text_is_masked(self, admin_a: Any, tree: Any) -> None:
        volunteer = make_volunteer(tree.district_a, name=f"张三{FULL_ID}")
        event = audit(user=admin_a, action=AuditAction.VIEW_FULL_ID, target=volunteer)
        assert FULL_ID not in stored_text(event)
        assert event.object_id == str(volunteer.pk)

    def test_other_numbers_are_left_alone(self) -> None:
        # A 19-digit bank card, a phone number and a short code are not ID numbers.
        detail = {"card": "6222021234567890123", "phone": "13900000000", "n": 42, "ok": True}
        assert mask_ids(detail) == detail


class TestHistory:
    def test_middleware_is_installed(self, settings: Any) -> None:
        assert "simple_history.middleware.HistoryRequestMiddleware" in settings.MIDDLEWARE

    @pytest.mark.urls("tests.security.urls_history")
    def test_a_change_made_in_a_request_names_the_user(self, clerk_a: Any) -> None:
        client = Client()
        client.force_login(clerk_a)
        response = client.get("/test-history/create/")
        assert response.status_code == 200
        record = Volunteer.history.get(id=int(response.content))
        assert record.history_user == clerk_a
        assert record.history_type == "+"
        assert record.history_date is not None

    def test_no_history_table_keeps_an_id_number(self) -> None:
        assert registered_models, "simple-history tracks no model"
        for model in registered_models.values():
            history = getattr(model, model._meta.simple_history_manager_attribute).model
            fields = [f.name for f in history._meta.fields]
            assert not [f for f in fields if "id_number" in f], model

    def test_volunteer_history_rows_never_contain_the_number(self, tree: Any) -> None:
        volunteer = make_volunteer(tree.district_a, id_number=FULL_ID)
        volunteer.phone = "13800000000"
        volunteer.save()
        rows = list(Volunteer.history.filter(id=volunteer.pk).values())
        assert len(rows) == 2
        assert FULL_ID not in json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False)


class TestAuditList:
    @pytest.fixture
    def staff_client(self, db: Any, settings: Any) -> Client:
        settings.UNIONVOL_ADMIN_OTP = False
        root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
        client = Client()
        client.force_login(root)
        return client

    def test_filter_by_user_and_date(
        self, staff_client: Client, admin_a: Any, admin_b: Any
    ) -> None:
        old = audit(user=admin_a, action=AuditAction.EXPORT, what="旧的导出A", rows=3)
        AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
        audit(user=admin_a, action=AuditAction.EXPORT, what="今天的导出A", rows=5, full_ids=True)
        audit(user=admin_b, action=AuditAction.EXPORT, what="今天的导出B", rows=7)
        url = reverse("admin:unionvol_auditevent_changelist")

        everything = staff_client.get(url).content.decode()
        for label in ("旧的导出A", "今天的导出A", "今天的导出B"):
            assert label in everything
        # The user filter is offered with the users who appear in the log.
        assert f"user__id__exact={admin_a.pk}" in everything

        by_user = staff_client.get(url, {"user__id__exact": admin_a.pk}).content.decode()
        assert "今天的导出A" in by_user
        assert "旧的导出A" in by_user
        assert "今天的导出B" not in by_user

        today = timezone.localdate()
        by_date = staff_client.get(
            url,
            {
                "user__id__exact": admin_a.pk,
                "created_at__year": today.year,
                "created_at__month": today.month,
                "created_at__day": today.day,
            },
        ).content.decode()
        assert "今天的导出A" in by_date
        assert "旧的导出A" not in by_date

    def test_audit_rows_cannot_be_edited_or_deleted(
        self, staff_client: Client, admin_a: Any
    ) -> None:
        event = audit(user=admin_a, action=AuditAction.EXPORT, what="导出", rows=1)
        change = reverse("admin:unionvol_auditevent_change", args=[event.pk])
        assert staff_client.post(change, {"username": "forged"}).status_code == 403
        delete = reverse("admin:unionvol_auditevent_delete", args=[event.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 403
        assert AuditEvent.objects.filter(pk=event.pk, username="admin_a").exists()
