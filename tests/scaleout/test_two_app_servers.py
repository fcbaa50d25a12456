"""The scale-out path: two gunicorn app servers with production settings share one
PostgreSQL and one media store. A session started on one continues on the other, an
export started on one downloads from the other, and two submits of the same report —
one through each server, at the same moment — lose no update.

Runs only on PostgreSQL (the engine that scales out); `.ci/run` runs it there.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from bench.loadtest import CSRF_RE, Session
from campaigns.models import CampaignAddressee, Milestone, SheetKind
from reports.models import Submission, SubmissionStatus
from reports.services import ensure_submissions
from tests.factories import PASSWORD, make_campaign, make_member
from unions.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scaleout]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "scale-out-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: Any) -> Path:
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": SECRET, "STATIC_ROOT": str(root)}
    env.pop("UNIONVOL_TESTING", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def servers(static_root: Path, tmp_path: Path, transactional_db: Any) -> Iterator[list[str]]:
    if connection.vendor != "postgresql":
        pytest.skip("scale-out needs the shared PostgreSQL (run with DATABASE_URL=postgres://…)")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # one media store for both
        "UNIONVOL_ADMIN_OTP": "1",
    }
    env.pop("UNIONVOL_TESTING", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    procs, bases = [], []
    for _ in range(2):
        port = free_port()
        procs.append(
            subprocess.Popen(
                [
                    gunicorn,
                    "unionvol.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            for _ in range(100):
                try:
                    probe = Session(base)
                    status, _, _ = probe.request("GET", "/healthz")
                    probe.close()
                    if status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"{base} did not start")
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)


OPEN: list[Session] = []


@pytest.fixture(autouse=True)
def _close_sessions() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def login(base: str, username: str) -> Session:
    session = Session(base)
    OPEN.append(session)
    session.login(username, PASSWORD)
    return session


def on(base: str, session: Session) -> Session:
    """The same browser (cookies) talking to another app server."""
    other = Session(base)
    OPEN.append(other)
    other.cookies = dict(session.cookies)
    return other


def csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_two_app_servers_share_sessions_exports_and_submissions(
    servers: list[str], tree: Any
) -> None:
    a, b = servers
    clerk = make_member(tree.grassroots_a, Role.CLERK, username="so_clerk", first_name="经办甲")
    make_member(tree.city, Role.REVIEWER, username="so_issuer")
    campaign = make_campaign(tree.city)
    CampaignAddressee.objects.create(campaign=campaign, union=tree.grassroots_a)
    milestone = Milestone.objects.create(
        campaign=campaign,
        title="活动总结材料",
        form=SheetKind.SUMMARY,
        opens_on=timezone.localdate() - timedelta(days=1),
        due_date=timezone.localdate() + timedelta(days=10),
    )
    ensure_submissions(milestone=milestone)
    submission = Submission.objects.get(milestone=milestone, union=tree.grassroots_a)

    # 1. Log in on A, continue on B with the same cookies.
    on_a = login(a, "so_clerk")
    status, html, _ = on(b, on_a).request("GET", "/")
    assert status == 200
    assert clerk.first_name in html

    # 2. Start an export on A, download it from B.
    issuer_a = login(a, "so_issuer")
    _, page, _ = issuer_a.request("GET", f"/reports/campaigns/{campaign.pk}/export/")
    status, _, headers = issuer_a.request(
        "POST",
        f"/reports/campaigns/{campaign.pk}/export/",
        {"csrfmiddlewaretoken": csrf(page), "kind": "campaign", "union": str(tree.city.pk)},
    )
    assert status == 302, status
    job_url = headers["Location"]
    job_pk = re.search(r"/exports/(\d+)/", job_url).group(1)
    status, body, headers = on(b, issuer_a).request("GET", f"/exports/{job_pk}/download/")
    assert status == 200
    assert "attachment" in headers["Content-Disposition"]
    assert body.startswith("PK")  # an xlsx (zip) built on A, served by B

    # 3. The same report submitted through A and through B at the same moment.
    on_b = login(b, "so_clerk")
    forms = []
    for session in (on_a, on_b):
        _, page, _ = session.request("GET", f"/reports/submissions/{submission.pk}/")
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        forms.append((session, {"csrfmiddlewaretoken": csrf(page), "version": version}))
    results: dict[str, int] = {}
    start = threading.Barrier(2)

    def submit(session: Session, data: dict[str, str], text: str) -> None:
        start.wait()
        status, _, _ = session.request(
            "POST",
            f"/reports/submissions/{submission.pk}/",
            {**data, "action": "submit", "narrative": text},
        )
        results[text] = status

    threads = [
        threading.Thread(target=submit, args=(s, d, text))
        for (s, d), text in zip(forms, ("经A服务器报送的总结", "经B服务器报送的总结"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    submission.refresh_from_db()
    assert sorted(results.values()) in ([200, 302], [302, 400]), results
    winner = next(text for text, code in results.items() if code == 302)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.narrative == winner  # the loser changed nothing
    assert submission.versions.count() == 1
    assert submission.versions.get().narrative == winner
