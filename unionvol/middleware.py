"""Session lifetime, private responses, and the client address used for login throttling.

* Idle timeout: a session expires ``SESSION_COOKIE_AGE`` after it was last saved.
  :class:`SessionTimeoutMiddleware` saves a signed-in session again once its last save
  is ``SESSION_REFRESH_SECONDS`` old (a minute), not on every request: a burst of page
  views writes the session row once, and a session unused for the idle timeout (less
  at most that minute) is gone.
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
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "unionvol_started_at"
SESSION_REFRESHED_KEY = "unionvol_refreshed_at"


def _seconds(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@receiver(user_logged_in, dispatch_uid="unionvol_session_started")
def _mark_session_start(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # The clock starts at login, not at the first request after it.
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_STARTED_KEY] = session[SESSION_REFRESHED_KEY] = int(time.time())


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = _seconds(session.setdefault(SESSION_STARTED_KEY, now))
            if started > now:  # set by a server whose clock runs ahead: not a longer life
                session[SESSION_STARTED_KEY] = started = now
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("会话已超时，请重新登录。"))
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            # Renew the idle clock: a change saves the session with a new expiry (and
            # sends its cookie again). Only a real save moves the expiry, so a stamp a
            # little ahead (another server's clock) is as good as a fresh one.
            refreshed = _seconds(session.get(SESSION_REFRESHED_KEY))
            if abs(now - refreshed) >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        response = self.get_response(request)
        # A session the view changed (a message, an import preview) is saved anyway: its
        # save renews the idle clock too, so the next minute needs no save of its own.
        changed = getattr(request, "session", None)
        if changed is not None and changed.modified and request.user.is_authenticated:
            changed[SESSION_REFRESHED_KEY] = int(time.time())
        return response


NO_STORE = "no-store, private"


class NulQueryMiddleware:
    """A query string carrying a NUL character (``%00``) is refused with a 400.

    No real link holds one, and PostgreSQL refuses NUL inside text, so a view that
    filters by a raw ``request.GET`` value would otherwise answer a hand-edited URL with
    a 500. Forms already refuse NUL in what is typed (Django's CharField does).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL in the query string")
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or a proxy.

    Every page behind the login may show personal data (names, masked or full ID
    numbers, phones, hardship details), and so may its sheets and PDFs; with
    ``no-store`` the back button on a shared computer, the disk cache and a caching
    proxy keep none of it. A response that already says ``no-store`` (a download,
    ``never_cache``) keeps its own header. Static files carry no personal data and stay
    cacheable (WhiteNoise answers them before this runs; the check below is for any
    other server of ``STATIC_URL``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = NO_STORE
        return response


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
