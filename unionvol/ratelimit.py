"""Rate limits for the public pages (applications, wish claims) and for lookups by ID
number: a counter per client address (or per user) and purpose in the shared cache, so
every app server counts together.

The client address is the one login throttling uses (``unionvol.middleware.client_ip``),
which reads X-Forwarded-For only behind the configured number of trusted proxies.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from unionvol.middleware import client_ip


def hit(
    request: HttpRequest,
    *,
    scope: str,
    limit: int,
    window: int,
    key: str | None = None,
    cost: int = 1,
) -> bool:
    """Count ``cost`` attempts (one, unless a request makes many at once, such as an
    import's rows); True while the client is within ``limit`` per ``window`` seconds.

    ``key`` counts per something else than the client address, e.g. per signed-in user
    for lookups that a user could spread over many addresses."""
    counter = f"unionvol:rate:{scope}:{key or client_ip(request) or 'unknown'}"
    cache.add(counter, 0, window)
    try:
        count = cache.incr(counter, cost)
    except ValueError:  # the counter expired between add and incr
        cache.set(counter, cost, window)
        count = cost
    return count <= limit
