"""Session lifetime: an idle timeout (the cookie age, renewed on each request)
and an absolute timeout counted from login, after which the user logs in again."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "unionvol_started_at"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("会话已超时，请重新登录。"))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
