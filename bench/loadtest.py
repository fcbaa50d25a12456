"""Load test driver (``make loadtest``): logged-in users walking the main pages.

Runs N concurrent virtual users against a running server (gunicorn, production
settings) on loopback, for a bounded time and number of requests. Each user logs in
through the real login form and finds its own URLs (home, roster filtered, a volunteer,
campaigns, a campaign, its dashboard); then every page in turn is requested by all users
at once for an equal slice of the time. Reports requests/s and p50/p95/p99 per page, and
the same for a trivial view (/ping) measured the same way in the same run, so the ratios
are comparable on a noisy machine; then one line a page for scripts:

    LOADTEST page=NAME p95_ms=P ratio=R

(R: the page's throughput over the trivial view's). ``dashboard_cold`` is the dashboard
served by a second server (``--cold-base``) started with ``DASHBOARD_CACHE_SECONDS=0``,
so every request computes its figures: the cost a cache would otherwise hide.

    python bench/loadtest.py --base http://127.0.0.1:8001 --users dl_admin,zs_reviewer,gr_clerk \
        --concurrency 8 --seconds 30 --max-requests 20000 [--cold-base http://127.0.0.1:8002]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from http.cookies import SimpleCookie

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    def __init__(self, base: str) -> None:
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        return response.status, text, dict(response.getheaders())

    def close(self) -> None:
        self.conn.close()

    def login(self, username: str, password: str) -> None:
        _, html, _ = self.request("GET", "/accounts/login/")
        token = CSRF_RE.search(html)
        if not token:
            raise RuntimeError("no CSRF token on the login page")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed with {status}")


def first_link(html: str, pattern: str) -> str | None:
    match = re.search(pattern, html)
    return match.group(0) if match else None


PAGES = [
    "trivial",
    "home",
    "roster",
    "volunteer",
    "campaigns",
    "campaign",
    "dashboard",
    "dashboard_cold",
]


# The pages every user has (bench/page_cost.py measures the same ones).
FIXED_PATHS = {
    "trivial": "/ping",
    "home": "/",
    "roster": "/volunteers/?status=approved&political_status=01",
    "campaigns": "/campaigns/",
}


def resolve_paths(session: Session) -> dict[str, str]:
    """Find concrete URLs for this user (a volunteer, a campaign) by following links."""
    paths = dict(FIXED_PATHS)
    _, roster, _ = session.request("GET", "/volunteers/?status=approved")
    if link := first_link(roster, r"/volunteers/\d+/"):
        paths["volunteer"] = link
    _, campaigns, _ = session.request("GET", "/campaigns/")
    if link := first_link(campaigns, r"/campaigns/\d+/"):
        paths["campaign"] = link
        paths["dashboard"] = link.replace("/campaigns/", "/reports/campaigns/") + "dashboard/"
        paths["dashboard_cold"] = paths["dashboard"]
    return paths


def twin(session: Session, base: str) -> Session:
    """The same login on another server of the same database (the cold-cache one)."""
    other = Session(base)
    other.cookies = dict(session.cookies)
    return other


def hammer(session: Session, path: str, page: str, record: callable, stop: threading.Event) -> None:  # type: ignore[valid-type]
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _, _ = session.request("GET", path)
        except (http.client.HTTPException, OSError):  # a timeout: an error, and go on
            status = 599
            session.conn.close()
            session.conn = http.client.HTTPConnection(session.host, session.port, timeout=60)
        record(page, time.perf_counter() - started, status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8001")
    parser.add_argument("--users", default="dl_admin,dl_reviewer,zs_reviewer,gr_clerk")
    parser.add_argument("--password", default="unionvol-demo-2026")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--cold-base", default="", help="a server with the dashboard cache off")
    args = parser.parse_args()

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop = threading.Event()
    count = [0]

    def record(page: str, seconds: float, status: int) -> None:
        with lock:
            timings[page].append(seconds)
            if status >= 400:
                errors[page] += 1
            count[0] += 1
            if count[0] >= args.max_requests:
                stop.set()

    users = args.users.split(",")
    sessions = []
    for i in range(args.concurrency):
        session = Session(args.base)
        session.login(users[i % len(users)], args.password)
        sessions.append(session)

    paths = [resolve_paths(s) for s in sessions]
    cold = [twin(s, args.cold_base) for s in sessions] if args.cold_base else []
    if not cold:
        for p in paths:
            p.pop("dashboard_cold", None)
    # Warm both servers first: a gunicorn worker imports the URLconf and the views on its
    # first request (a second or two), which would otherwise be timed as the first
    # page's — the trivial view's on one server, the cold dashboard's on the other.
    for _ in range(2):
        for session, p in zip(sessions, paths, strict=True):
            for page, path in p.items():
                if page != "dashboard_cold":
                    session.request("GET", path)
        for session, p in zip(cold, paths, strict=False):
            session.request("GET", p["dashboard_cold"])
    per_phase = args.seconds / len(PAGES)
    elapsed_by_page: dict[str, float] = {}
    for page in PAGES:
        if page not in paths[0]:
            print(f"{page}: no URL found for this data, skipped")
            continue
        stop.clear()
        count[0] = 0
        users = cold if page == "dashboard_cold" else sessions
        threads = [
            threading.Thread(target=hammer, args=(s, p[page], page, record, stop))
            for s, p in zip(users, paths, strict=True)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        stop.wait(per_phase)
        stop.set()
        for t in threads:
            t.join()
        elapsed_by_page[page] = time.perf_counter() - started
    elapsed = sum(elapsed_by_page.values())

    trivial_rps = len(timings["trivial"]) / elapsed_by_page["trivial"]
    total = sum(map(len, timings.values()))
    print(f"loadtest: {args.concurrency} users, {elapsed:.1f}s, {total} requests")
    columns = ("n", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs trivial")
    print(f"{'page':<15}" + "".join(f"{c:>11}" for c in columns))
    lines = []
    for page in [p for p in PAGES if p in timings]:
        values = timings[page]
        values.sort()
        q = (
            statistics.quantiles(values, n=100, method="inclusive")
            if len(values) > 1
            else values * 99
        )
        rps = len(values) / elapsed_by_page[page]
        ratio = rps / trivial_rps if trivial_rps else 0.0
        print(
            f"{page:<15}{len(values):>11}{rps:>11.1f}{q[49] * 1000:>11.0f}{q[94] * 1000:>11.0f}"
            f"{q[98] * 1000:>11.0f}{errors[page]:>11}{ratio:>11.2f}"
        )
        lines.append(f"LOADTEST page={page} p95_ms={q[94] * 1000:.0f} ratio={ratio:.2f}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
