"""CACHE_URL and SESSION_STORE: the cache and the sessions on a Redis every app server
shares (docs/scaling.md), instead of the database's cache table and session rows."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from tests.factories import make_member
from tests.security.test_sessions_headers import PRODUCTION, _run
from unions.models import Role

DUMP = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default'], s.SESSION_ENGINE]))"
)
REDIS = "redis://127.0.0.1:6379/15"


def settings_with(**env: str) -> Any:
    result = _run(["-c", DUMP], DJANGO_SETTINGS_MODULE="unionvol.settings", **PRODUCTION, **env)
    if result.returncode:
        return result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_is_the_database() -> None:
    cache, engine = settings_with()
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert engine == "django.contrib.sessions.backends.db"


def test_redis_for_the_cache_and_the_sessions() -> None:
    cache, engine = settings_with(CACHE_URL=REDIS, SESSION_STORE="cache")
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
        "TIMEOUT": 300,
    }
    assert engine == "django.contrib.sessions.backends.cache"
    assert settings_with(CACHE_URL=REDIS, SESSION_STORE="cached_db")[1] == (
        "django.contrib.sessions.backends.cached_db"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL must be a redis://"),
        ({"SESSION_STORE": "cache"}, "SESSION_STORE=cache needs CACHE_URL=redis://"),
        ({"SESSION_STORE": "file", "CACHE_URL": REDIS}, "is not one of db, cache, cached_db"),
    ],
)
def test_a_bad_setting_stops_the_start(env: dict[str, str], message: str) -> None:
    assert message in settings_with(**env)


@pytest.fixture
def redis_sessions() -> Iterator[Callable[[], list[str]]]:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS}")
    prefix = f"test-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(REDIS)
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cache"):
        yield lambda: [k.decode() for k in client.scan_iter(f"{prefix}:*")]
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_session_on_redis_writes_no_session_row(
    tree: Any, redis_sessions: Callable[[], list[str]]
) -> None:
    member = make_member(tree.district_a, Role.CLERK, username="on_redis")
    client = Client()
    client.force_login(member)
    for _ in range(3):
        assert client.get("/").status_code == 200
    key = client.cookies["sessionid"].value
    (stored,) = [k for k in redis_sessions() if k.endswith(key)]  # the session is in Redis
    assert client.session.get("_auth_user_id") == str(member.pk)
    assert not Session.objects.exists()
    client.post("/accounts/logout/")
    assert stored not in redis_sessions()  # signing out deleted it
    assert client.get("/").status_code == 302
