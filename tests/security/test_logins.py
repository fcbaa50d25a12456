"""Issue 7 item 1: throttled logins, password rules, sessions ended, admin second factor."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_member
from unions.models import Role

LOGIN = "/accounts/login/"
IP_1 = "10.1.1.1"
IP_2 = "10.2.2.2"
LOCKED_TEXT = "登录已暂时锁定"


def post_login(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def alice(tree: Any) -> Any:
    return make_member(tree.district_a, Role.CLERK, username="alice")


@pytest.fixture
def bob(tree: Any) -> Any:
    return make_member(tree.district_a, Role.CLERK, username="bob")


def lock_alice_on_ip1() -> None:
    for _ in range(5):
        response = post_login(Client(), "alice", "wrong-password-123", IP_1)
    # The fifth failure trips the lock and already answers with the lockout page.
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()


class TestLockout:
    def test_five_failures_lock_username_and_ip_only(self, alice: Any, bob: Any) -> None:
        lock_alice_on_ip1()

        # Even the right password is refused for alice from that address, with the Chinese message.
        client = Client()
        response = post_login(client, "alice", PASSWORD, IP_1)
        assert response.status_code == 429
        body = response.content.decode()
        assert LOCKED_TEXT in body
        assert "联系系统管理员解锁" in body
        assert not logged_in(client)

        # The same username from another address still logs in (a union behind one proxy).
        other_ip = Client()
        response = post_login(other_ip, "alice", PASSWORD, IP_2)
        assert response.status_code == 302
        assert logged_in(other_ip)

        # Another username from the locked address still logs in.
        other_user = Client()
        response = post_login(other_user, "bob", PASSWORD, IP_1)
        assert response.status_code == 302
        assert logged_in(other_user)

    def test_four_failures_do_not_lock(self, alice: Any) -> None:
        for _ in range(4):
            assert post_login(Client(), "alice", "wrong-password-123", IP_1).status_code == 200
        client = Client()
        assert post_login(client, "alice", PASSWORD, IP_1).status_code == 302
        assert logged_in(client)

    def test_forged_forwarded_for_does_not_escape_the_lock(self, alice: Any) -> None:
        lock_alice_on_ip1()
        client = Client()
        response = client.post(
            LOGIN,
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR=IP_1,
            HTTP_X_FORWARDED_FOR="192.0.2.77",
        )
        assert response.status_code == 429

    def test_behind_a_trusted_proxy_the_forwarded_client_counts(
        self, alice: Any, settings: Any
    ) -> None:
        settings.AXES_IPWARE_PROXY_COUNT = 1
        for _ in range(5):
            Client().post(
                LOGIN,
                {"username": "alice", "password": "wrong-password-123"},
                REMOTE_ADDR="10.9.9.9",  # the proxy
                HTTP_X_FORWARDED_FOR="forged, 198.51.100.1",
            )
        locked = Client().post(
            LOGIN,
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        assert locked.status_code == 429
        colleague = Client()
        response = colleague.post(
            LOGIN,
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="198.51.100.2",
        )
        assert response.status_code == 302

    def test_reset_command_unlocks(self, alice: Any) -> None:
        lock_alice_on_ip1()
        call_command("axes_reset_username", "alice", stdout=None)
        client = Client()
        assert post_login(client, "alice", PASSWORD, IP_1).status_code == 302
        assert logged_in(client)

    def test_admin_unlock_through_the_admin_site(self, alice: Any, settings: Any) -> None:
        settings.UNIONVOL_ADMIN_OTP = False
        lock_alice_on_ip1()
        attempt = AccessAttempt.objects.get(username="alice")
        superuser = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
        admin_client = Client()
        admin_client.force_login(superuser)
        changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
        assert changelist.status_code == 200
        assert "alice" in changelist.content.decode()
        response = admin_client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="alice").exists()
        client = Client()
        assert post_login(client, "alice", PASSWORD, IP_1).status_code == 302
        assert logged_in(client)

    def test_login_page_states_the_rule(self, db: Any) -> None:
        body = Client().get(LOGIN).content.decode()
        assert "暂时锁定" in body


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("Ab1!xyz9", "password_too_short"),
            ("qwertyuiop", "password_too_common"),
            ("1234567890", "password_too_common"),
            ("83749201934718", "password_entirely_numeric"),
            ("zhangwei2026", "password_too_similar"),
        ],
    )
    def test_refused(self, db: Any, password: str, code: str) -> None:
        user = get_user_model()(username="zhangwei2026", email="zhangwei2026@example.org")
        with pytest.raises(ValidationError) as excinfo:
            validate_password(password, user)
        assert code in {e.code for e in excinfo.value.error_list}

    @pytest.mark.parametrize(
        "password",
        # No composition rules: a long passphrase of lower-case words is fine.
        ["correct horse battery staple", "gonghuizhiyuanfuwu", "长城长江黄河泰山昆仑"],
    )
    def test_accepted_without_composition_rules(self, db: Any, password: str) -> None:
        user = get_user_model()(username="zhangwei2026")
        validate_password(password, user)

    def test_minimum_is_ten(self, db: Any) -> None:
        validate_password("kxqzvbnmtw")  # 10 characters
        with pytest.raises(ValidationError):
            validate_password("kxqzvbnmt")  # 9


class TestSessionsEnded:
    def test_password_change_ends_other_sessions(self, alice: Any) -> None:
        laptop, phone = Client(), Client()
        laptop.force_login(alice)
        phone.force_login(alice)
        assert phone.get("/").status_code == 200

        new_password = "a brand new passphrase 2026"
        response = laptop.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": new_password,
                "new_password2": new_password,
            },
        )
        assert response.status_code == 302
        assert response.url == reverse("password_change_done")

        # The session that changed the password lives on; the other one is over.
        assert laptop.get("/").status_code == 200
        response = phone.get("/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_weak_new_password_is_refused_in_chinese(self, alice: Any) -> None:
        client = Client()
        client.force_login(alice)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        assert response.status_code == 200
        alice.refresh_from_db()
        assert alice.check_password(PASSWORD)
        assert "密码" in response.content.decode()

    def test_disabling_a_user_ends_all_sessions(self, alice: Any) -> None:
        client = Client()
        client.force_login(alice)
        assert client.get("/").status_code == 200
        alice.is_active = False
        alice.save()
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


class TestAdminSecondFactor:
    @pytest.fixture
    def superuser(self, db: Any) -> Any:
        return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)

    def test_default_follows_debug(self, settings: Any) -> None:
        # Test settings run with DEBUG off, as production does: the second factor is required.
        assert settings.DEBUG is False
        assert settings.UNIONVOL_ADMIN_OTP is True

    def test_password_alone_does_not_open_the_admin(self, superuser: Any) -> None:
        client = Client()
        client.force_login(superuser)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
        # Logging in through the admin form without a token fails too.
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "root", "password": PASSWORD},
            REMOTE_ADDR=IP_1,
        )
        assert response.status_code == 200
        assert "otp_token" in response.content.decode()
        assert client.get("/admin/").status_code == 302

    def test_totp_device_opens_the_admin(self, superuser: Any, settings: Any) -> None:
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a bad token
        device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        wrong = (totp.token() + 500_000) % 1_000_000
        client = Client()
        client.get("/admin/login/")
        response = client.post(
            "/admin/login/?next=/admin/",
            {
                "username": "root",
                "password": PASSWORD,
                "otp_device": device.persistent_id,
                "otp_token": f"{wrong:06d}",
            },
            REMOTE_ADDR=IP_1,
        )
        assert response.status_code == 200  # wrong token
        token = totp.token()
        response = client.post(
            "/admin/login/?next=/admin/",
            {
                "username": "root",
                "password": PASSWORD,
                "otp_device": device.persistent_id,
                "otp_token": f"{token:06d}",
            },
            REMOTE_ADDR=IP_1,
        )
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_switched_off_the_password_is_enough(self, superuser: Any, settings: Any) -> None:
        settings.UNIONVOL_ADMIN_OTP = False
        client = Client()
        client.force_login(superuser)
        assert client.get("/admin/").status_code == 200
        # And the admin login form has no token field then.
        anonymous = Client()
        assert "otp_token" not in anonymous.get("/admin/login/").content.decode()

    def test_portal_pages_do_not_need_the_second_factor(self, alice: Any) -> None:
        client = Client()
        assert post_login(client, "alice", PASSWORD, IP_1).status_code == 302
        assert client.get("/").status_code == 200
