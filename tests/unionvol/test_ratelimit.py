from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.test import RequestFactory

from unionvol.ratelimit import hit


def test_each_client_has_its_own_budget_per_purpose(settings: Any) -> None:
    cache.clear()
    first = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    assert [hit(first, scope="a", limit=2, window=60) for _ in range(3)] == [True, True, False]
    assert hit(other, scope="a", limit=2, window=60)
    assert hit(first, scope="b", limit=2, window=60)


def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings: Any) -> None:
    cache.clear()
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = "192.168.0.1"
    alice = RequestFactory().post("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.1.1.1")
    bob = RequestFactory().post("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.1.1.2")
    assert hit(alice, scope="c", limit=1, window=60)
    assert not hit(alice, scope="c", limit=1, window=60)
    assert hit(bob, scope="c", limit=1, window=60)  # one union behind one proxy is not one client
