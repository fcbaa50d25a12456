"""unionvol settings, read from the environment (see README «Configuration»)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from unionvol.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("UNIONVOL_TESTING", default=False)

if DEBUG or TESTING:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")

# The portal's own address, for links that leave the site (reminder e-mails).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "treebeard",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
LOCAL_APPS = [
    "unionvol",
    "unions",
    "campaigns",
    "volunteers",
    "service",
    "relief",
    "reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionvol.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Wraps everything below it: any signed-in response is no-store, private.
    "unionvol.middleware.PrivateResponseMiddleware",
    "unionvol.middleware.NulQueryMiddleware",
    "unionvol.scoping.ScopeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells the user why they were logged out.
    "unionvol.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionvol.urls"
WSGI_APPLICATION = "unionvol.wsgi.application"
ASGI_APPLICATION = "unionvol.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionvol.context_processors.membership",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (DATABASE_URL=postgres://…) in production.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
except (ValueError, KeyError) as exc:  # pragma: no cover - a bad URL is a deployment error
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are throttled per username *and* IP: a whole union sits behind one proxy.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N trusted reverse proxies the client is the N-th address from the right of
# X-Forwarded-For; with 0 (the default) only REMOTE_ADDR counts, so the header cannot be forged.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "unionvol.middleware.client_ip"
AXES_VERBOSE = False

# --- Second factor (django-otp) ----------------------------------------------
# The Django admin site requires a verified TOTP device (or a one-time static token
# from `manage.py addstatictoken USER` to enrol the first one). Off by default in DEBUG
# so the demo admin opens with the demo password.
UNIONVOL_ADMIN_OTP = env_bool("UNIONVOL_ADMIN_OTP", default=not DEBUG)
OTP_TOTP_ISSUER = "unionvol"

# --- Sessions: idle and absolute timeouts -----------------------------------
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# The idle clock is renewed by saving the session: at most once a minute
# (unionvol.middleware.SessionTimeoutMiddleware), not on every page view — a database
# write each. A session therefore ends 29–30 minutes after its last use, never later.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS <= SESSION_IDLE_TIMEOUT // 10:
    raise ImproperlyConfigured(
        "SESSION_REFRESH_SECONDS must be between 0 and a tenth of the idle timeout."
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "unionvol.views.csrf_failure"

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: MEDIA_URL is a Django view (unionvol.files) that checks the
# user's scope and role before it sends a file; nothing under MEDIA_ROOT is public.
MEDIA_URL = "/files/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# How that view sends the file once allowed: "off" streams it from Django (development);
# "nginx" answers with X-Accel-Redirect to MEDIA_ACCEL_LOCATION (an `internal;` location
# aliased to MEDIA_ROOT); "apache" with X-Sendfile (mod_xsendfile). See README «Deployment».
MEDIA_ACCEL = env_choice("MEDIA_ACCEL", ("off", "nginx", "apache"), "off")
MEDIA_ACCEL_LOCATION = env_str("MEDIA_ACCEL_LOCATION", "/protected-media/")
if not (MEDIA_ACCEL_LOCATION.startswith("/") and MEDIA_ACCEL_LOCATION.endswith("/")):
    raise ImproperlyConfigured("MEDIA_ACCEL_LOCATION must start and end with a slash.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A request's fields, files aside. The longest text a form takes is a notice's body
# (20,000 characters, about 180 KB once percent-encoded); a larger body is refused with
# a 400 before it is read, so 10 MB posted to the public form costs nothing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Spreadsheet imports (unionvol.uploads) ------------------------------------
# Data rows one import may hold, and the seconds allowed to check and read them;
# keep the time well under the server's worker timeout (gunicorn: 30 s).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 20)
if IMPORT_MAX_ROWS < 1 or IMPORT_MAX_SECONDS < 1:
    raise ImproperlyConfigured("IMPORT_MAX_ROWS and IMPORT_MAX_SECONDS must be at least 1.")

# --- Cache ------------------------------------------------------------------
# A table in the main database by default: shared by every app server (rate limits,
# dashboard figures) with no extra server to run. CACHE_URL=redis://host:6379/0 moves it
# to a Redis every app server shares (docs/scaling.md). Tests use a per-process memory
# cache.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL.")
if TESTING:
    _cache: dict[str, Any] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif CACHE_URL:
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
else:
    _cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "unionvol_cache",
    }
CACHES = {"default": {**_cache, "TIMEOUT": 300}}
# Where sessions live: "db" (the default), or — with CACHE_URL — "cache" (Redis only: no
# write to the database at all; a Redis restart signs everyone out) or "cached_db" (read
# from Redis, written to both).
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}
SESSION_STORE = env_choice("SESSION_STORE", tuple(_SESSION_ENGINES), "db")
if SESSION_STORE != "db" and not CACHE_URL and not TESTING:
    raise ImproperlyConfigured(
        f"SESSION_STORE={SESSION_STORE} needs CACHE_URL=redis://…, a cache every app server shares."
    )
SESSION_ENGINE = _SESSION_ENGINES[SESSION_STORE]
# The dashboard's totals over a subtree (a scan of every participation below it) are
# kept this long; the completeness matrix is always live.
UNIONVOL_DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 0 if TESTING else 120)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "unionvol@localhost")

# --- Security headers (production values when DEBUG is off) ---------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): no inline script, no inline style, nothing
# from other origins. Behaviour lives in static/js/unionvol.js (data-* attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_str("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER"), "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not TESTING)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not TESTING)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SILENCED_SYSTEM_CHECKS: list[str] = []

# ID numbers are masked in every log line and error report (unionvol/redaction.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "unionvol.redaction.MaskingExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"masked": {"()": "unionvol.redaction.MaskingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "masked"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

UNIONVOL = {
    "SITE_NAME": _("工会志愿服务管理平台"),
}
