"""Session lifetime and the client address used for login throttling.

* Idle timeout: ``SESSION_COOKIE_AGE`` renewed on every request
  (``SESSION_SAVE_EVERY_REQUEST``), so a session unused for that long is gone.
* Absolute timeout: :class:`SessionTimeoutMiddleware` logs the user out
  ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login, however active they are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "unionvol_started_at"


@receiver(user_logged_in, dispatch_uid="unionvol_session_started")
def _mark_session_start(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # The clock starts at login, not at the first request after it.
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_STARTED_KEY] = int(time.time())


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            try:
                started = int(started)
            except (TypeError, ValueError):
                started = 0
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("会话已超时，请重新登录。"))
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """The client address for django-axes.

    With ``AXES_IPWARE_PROXY_COUNT`` = 0, ``REMOTE_ADDR`` (a forged
    X-Forwarded-For changes nothing). Behind N trusted proxies, each appending to
    X-Forwarded-For, the client is the N-th entry from the right.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) >= count:
        return forwarded[-count]
    return remote
