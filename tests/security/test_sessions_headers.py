"""Issue 7 item 2: idle and absolute timeouts, cookie flags, security headers, CSP,
error pages without stack traces."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, drain, make_member
from tests.security.html_checks import csp_problems
from tests.security.urls_errors import SECRET
from unions.models import Role
from unionvol import views

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """A fake clock for both ``timezone.now`` (session expiry) and ``time.time`` (middleware)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def time(self) -> float:
        return self.now.timestamp()


@pytest.fixture
def clock() -> Any:
    fake = Clock()
    with (
        mock.patch("django.utils.timezone.now", side_effect=lambda: fake.now),
        mock.patch("unionvol.middleware.time", fake),
    ):
        yield fake


@pytest.fixture
def member(tree: Any) -> Any:
    return make_member(tree.district_a, Role.CLERK, username="member")


def is_logged_out(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


class TestTimeouts:
    def test_idle_timeout_is_renewed_by_activity(self, member: Any, clock: Clock) -> None:
        assert django_settings.SESSION_COOKIE_AGE == 30 * 60
        assert django_settings.SESSION_REFRESH_SECONDS == 60
        client = Client()
        client.force_login(member)
        for _ in range(3):
            clock.advance(minutes=29)  # 87 minutes in all, never 30 idle
            assert client.get("/").status_code == 200
        clock.advance(minutes=31)
        assert is_logged_out(client.get("/"))

    def test_a_burst_of_page_views_writes_the_session_once(self, member: Any, clock: Clock) -> None:
        """The idle clock is renewed at most once a minute: a page view within a minute of
        the last save writes nothing (the session row was written on every view before)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def session_writes() -> int:
            with CaptureQueriesContext(connection) as seen:
                assert client.get("/").status_code == 200
            return sum(
                1
                for q in seen.captured_queries
                if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
            )

        client = Client()
        client.force_login(member)
        assert client.get("/").status_code == 200  # the first view after login
        clock.advance(seconds=20)
        assert session_writes() == 0
        clock.advance(seconds=39)
        assert session_writes() == 0
        clock.advance(seconds=2)  # 61 s after the last save
        assert session_writes() == 1
        assert session_writes() == 0

    def test_a_save_made_by_the_view_renews_the_idle_clock(self, member: Any, clock: Clock) -> None:
        """A view that changes the session (it is saved anyway) stamps the renewal, so the
        next minute's views write nothing; stamps a little ahead (another app server's
        clock) count as fresh, and a login time in the future is not a longer life."""
        from django.contrib.sessions.backends.db import SessionStore

        from unionvol.middleware import (
            SESSION_REFRESHED_KEY,
            SESSION_STARTED_KEY,
            SessionTimeoutMiddleware,
        )

        def run(session: Any, view: Any = None) -> Any:
            request = RequestFactory().get("/")
            request.user, request.session = member, session
            SessionTimeoutMiddleware(view or (lambda r: None))(request)
            return session

        def view_writes(request: Any) -> None:
            request.session["import_preview"] = "x"

        now = int(clock.time())
        session = SessionStore()
        session.update({SESSION_STARTED_KEY: now - 600, SESSION_REFRESHED_KEY: now - 30})
        session.modified = False
        assert not run(session).modified  # 30 s after the last save: nothing to write
        clock.advance(seconds=10)
        run(session, view_writes)
        assert session[SESSION_REFRESHED_KEY] == now + 10  # renewed by the view's own save
        session.modified = False
        clock.advance(seconds=55)
        assert not run(session).modified  # 55 s after that save
        session[SESSION_REFRESHED_KEY] = int(clock.time()) + 40  # a clock 40 s ahead
        session.modified = False
        assert not run(session).modified
        session[SESSION_STARTED_KEY] = int(clock.time()) + 3600
        run(session)
        assert session[SESSION_STARTED_KEY] == int(clock.time())

    def test_the_idle_timeout_counts_from_the_last_save(self, member: Any, clock: Clock) -> None:
        """A view under a minute after a save does not extend the session: it ends 30
        minutes after that save (29 min 10 s after its last use here), never later. A view
        a minute or more after the save does extend it."""
        client = Client()
        client.force_login(member)  # saved
        clock.advance(seconds=50)
        assert client.get("/").status_code == 200  # not saved
        clock.advance(minutes=29, seconds=15)  # 30 min 5 s after the save
        assert is_logged_out(client.get("/"))

        client = Client()
        client.force_login(member)
        clock.advance(seconds=61)
        assert client.get("/").status_code == 200  # saved: the clock starts again
        clock.advance(minutes=29, seconds=30)  # 30 min 31 s after the login
        assert client.get("/").status_code == 200

    def test_absolute_timeout_however_active(self, member: Any, clock: Clock) -> None:
        assert django_settings.SESSION_ABSOLUTE_TIMEOUT == 10 * 3600
        client = Client()
        client.get("/accounts/login/")
        client.force_login(member)
        assert client.get("/").status_code == 200
        for _ in range(23):  # 23 × 26 min = 9 h 58 min of steady work
            clock.advance(minutes=26)
            assert client.get("/").status_code == 200
        clock.advance(minutes=3)
        response = client.get("/unions/")
        assert is_logged_out(response)
        assert "next=/unions/" in response.url
        page = client.get(response.url)
        assert "会话已超时，请重新登录。" in page.content.decode()
        assert "_auth_user_id" not in client.session

    def test_signing_in_again_restarts_the_absolute_clock(self, member: Any, clock: Clock) -> None:
        client = Client()
        client.force_login(member)
        assert client.get("/").status_code == 200
        for _ in range(23):
            clock.advance(minutes=26)
            assert client.get("/").status_code == 200
        # Re-entering the password keeps the session (its key is cycled) but restarts the clock.
        response = client.post(
            "/accounts/login/", {"username": "member", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
        )
        assert response.status_code == 302
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200

    def test_session_cookie_flags(self, member: Any) -> None:
        client = Client()
        client.post("/accounts/login/", {"username": "member", "password": PASSWORD})
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert not cookie["max-age"]  # ends with the browser, too


class TestHeaders:
    def test_security_headers(self, db: Any) -> None:
        response = Client().get("/accounts/login/", secure=True)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        hsts = response["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts
        assert "includeSubDomains" in hsts

    def test_content_security_policy(self, db: Any) -> None:
        header = Client().get("/accounts/login/")["Content-Security-Policy"]
        policy = {
            part.split()[0]: part.split()[1:]
            for part in (p.strip() for p in header.split(";"))
            if part
        }
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert sorted(policy["img-src"]) == sorted(["'self'", "data:"])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert "unsafe-inline" not in header
        assert "unsafe-eval" not in header

    def test_csp_also_on_error_pages(self, db: Any) -> None:
        response = Client().get("/no-such-page/")
        assert response.status_code == 404
        assert "script-src 'self'" in response["Content-Security-Policy"]


def _run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # (The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not reach a "production" process.)
    dropped = {"UNIONVOL_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "x.example.org",
    "SITE_URL": "https://x.example.org",
}
DUMP_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ("
    "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
    "'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', "
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'UNIONVOL_ADMIN_OTP', 'X_FRAME_OPTIONS')}))"
)


class TestProductionSettings:
    def test_cookie_flags_and_hsts(self) -> None:
        result = _run(
            ["-c", DUMP_SETTINGS], DJANGO_SETTINGS_MODULE="unionvol.settings", **PRODUCTION
        )
        assert result.returncode == 0, result.stderr
        values = json.loads(result.stdout.strip().splitlines()[-1])
        assert values == {
            "DEBUG": False,
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "SESSION_COOKIE_HTTPONLY": True,
            "CSRF_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "CSRF_COOKIE_SAMESITE": "Lax",
            "SECURE_SSL_REDIRECT": True,
            "SECURE_HSTS_SECONDS": 31536000,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            "UNIONVOL_ADMIN_OTP": True,
            "X_FRAME_OPTIONS": "DENY",
        }

    def test_demo_admin_without_second_factor(self) -> None:
        result = _run(["-c", DUMP_SETTINGS], DJANGO_SETTINGS_MODULE="unionvol.settings", DEBUG="1")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1])["UNIONVOL_ADMIN_OTP"] is False

    def test_check_deploy_is_clean(self) -> None:
        result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout


# --- pages a strict CSP would break ------------------------------------------
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"logout", "set_language", "healthz"}


def _named_patterns(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIP_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names += _named_patterns(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIP_NAMES:
            names.append(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def pages_without_ids() -> list[str]:
    urls = []
    for name in _named_patterns(get_resolver().url_patterns):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # needs an id: covered by the apps' own tests
    return sorted(set(urls))


def test_the_enumeration_finds_the_foundation_pages() -> None:
    pages = pages_without_ids()
    for expected in ("/", "/unions/", "/accounts/login/", "/accounts/password/"):
        assert expected in pages


@pytest.mark.parametrize("url", pages_without_ids())
def test_no_inline_script_or_style(url: str, tree: Any) -> None:
    user = make_member(tree.district_a, Role.ADMIN, username="csp_admin")
    checked = 0
    anonymous = Client(raise_request_exception=False)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(user)
    for client in (anonymous, signed_in):
        response = client.get(url)
        drain(response)  # a download: read it to the end, which closes its temporary file
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        problems = csp_problems(response.content.decode())
        assert not problems, f"{url}: {problems}"
        checked += 1
    if url in ("/", "/unions/", "/accounts/login/", "/accounts/password/"):
        assert checked >= 1


@pytest.mark.parametrize("template", ["errors/400.html", "errors/403.html", "errors/404.html"])
def test_error_templates_have_no_inline_code(template: str, db: Any) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert not csp_problems(render_to_string(template, request=request))


def test_500_template_has_no_inline_code() -> None:
    response = views.error_500(RequestFactory().get("/"))
    assert not csp_problems(response.content.decode())


# --- error pages ---------------------------------------------------------------
class TestErrorPages:
    def test_debug_is_off(self) -> None:
        assert django_settings.DEBUG is False

    def test_404_in_chinese(self, db: Any) -> None:
        response = Client().get("/no-such-page/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "页面不存在，或不在您的工会范围内。" in body
        assert "Traceback" not in body
        assert "URLconf" not in body

    @pytest.mark.urls("tests.security.urls_errors")
    def test_500_in_chinese_without_stack_trace(self, db: Any) -> None:
        client = Client(raise_request_exception=False)
        response = client.get("/test-errors/boom/")
        assert response.status_code == 500
        body = response.content.decode()
        assert "服务器内部错误" in body
        assert SECRET not in body
        assert "Traceback" not in body
        assert "RuntimeError" not in body

    @pytest.mark.urls("tests.security.urls_errors")
    def test_403_in_chinese(self, db: Any) -> None:
        response = Client().get("/test-errors/forbidden/")
        assert response.status_code == 403
        body = response.content.decode()
        assert "您没有执行此操作的权限。" in body
        assert SECRET not in body

    @pytest.mark.urls("tests.security.urls_errors")
    def test_400_in_chinese(self, db: Any) -> None:
        response = Client().get("/test-errors/bad/")
        assert response.status_code == 400
        body = response.content.decode()
        assert "请求无效。" in body
        assert SECRET not in body

    def test_csrf_failure_in_chinese(self, db: Any) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})
        assert response.status_code == 403
        body = response.content.decode()
        assert "页面已过期或表单校验失败" in body
        assert "CSRF" not in body

    def test_500_handler_needs_no_database(self) -> None:
        # Called without a database (no db fixture): it must not touch it.
        response = views.error_500(RequestFactory().get("/"))
        assert response.status_code == 500
        assert "服务器内部错误" in response.content.decode()
