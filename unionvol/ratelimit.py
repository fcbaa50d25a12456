"""Rate limits for the public pages (applications, wish claims): a counter per client
address and purpose in the shared cache, so every app server counts together.

The client address is the one login throttling uses (``unionvol.middleware.client_ip``),
which reads X-Forwarded-For only behind the configured number of trusted proxies.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from unionvol.middleware import client_ip


def hit(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count one attempt; True while the client is within ``limit`` per ``window`` seconds."""
    key = f"unionvol:rate:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
