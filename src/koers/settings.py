"""Django settings for Koers, all read from environment variables.

See docs/configuration.md for every variable. SQLite is the embedded default
(``make run``); PostgreSQL via ``DATABASE_URL`` is the production database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from koers.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env_str("KOERS_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or "mypy" in sys.modules or env_bool("KOERS_TESTING", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-" + "x" * 20
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, "
            "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

KOERS_LINK_KEY = env_secret("KOERS_LINK_KEY")
# Former keys, comma-separated: after a rotation open links, resume and receipt codes keep
# working (docs/operations.md, "Rotating keys").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
KOERS_LINK_KEY_FALLBACKS = env_list("KOERS_LINK_KEY_FALLBACKS", [])
# Two-factor authentication is required for admins, HR analysts, the confidential adviser
# and researchers (accounts/twofactor.py), enforced by accounts.middleware.
KOERS_REQUIRE_2FA = env_bool("KOERS_REQUIRE_2FA", True)
# Days a member invitation link works (docs/members.md).
KOERS_MEMBER_INVITE_DAYS = env_int("KOERS_MEMBER_INVITE_DAYS", 7)
OTP_TOTP_ISSUER = "Koers"
# django-otp's per-device throttle blocks the right code too, so a guesser holding the
# password could lock the owner out for days; koers.accounts.throttle limits guessing
# per account and address instead (docs/security.md).
OTP_TOTP_THROTTLE_FACTOR = 0

# Retention periods in months (organisations/retention.py, docs/privacy.md).
KOERS_RETAIN_ANSWERS_MONTHS = env_int("KOERS_RETAIN_ANSWERS_MONTHS", 24)
KOERS_RETAIN_HR_MONTHS = env_int("KOERS_RETAIN_HR_MONTHS", 84)
# Days a replaced Gender Scan snapshot is kept so the replacement can be undone (koers.scan).
KOERS_SNAPSHOT_UNDO_DAYS = env_int("KOERS_SNAPSHOT_UNDO_DAYS", 14)
KOERS_RETAIN_AUDIT_MONTHS = env_int("KOERS_RETAIN_AUDIT_MONTHS", 24)
KOERS_RETAIN_REPORTS_MONTHS = env_int("KOERS_RETAIN_REPORTS_MONTHS", 12)
KOERS_RETAIN_APPLICANTS_MONTHS = env_int("KOERS_RETAIN_APPLICANTS_MONTHS", 24)
KOERS_RETAIN_APPRAISALS_MONTHS = env_int("KOERS_RETAIN_APPRAISALS_MONTHS", 24)
# Dialogue sessions (anonymous answers, summary) are kept 12 months after closing.
KOERS_RETAIN_DIALOGUE_MONTHS = env_int("KOERS_RETAIN_DIALOGUE_MONTHS", 12)
KOERS_RETAIN_FLEXIBILITY_MONTHS = env_int("KOERS_RETAIN_FLEXIBILITY_MONTHS", 36)

# A file made in the background (koers.jobs.downloads: a PDF, a research export) can be
# downloaded by the member who asked for it for this many minutes, then it is deleted; the
# retention rule removes leftovers after KOERS_RETAIN_PDF_DAYS days. (The names are older
# than the other files.)
KOERS_PDF_KEEP_MINUTES = env_int("KOERS_PDF_KEEP_MINUTES", 30)
KOERS_RETAIN_PDF_DAYS = env_int("KOERS_RETAIN_PDF_DAYS", 1)

# Privacy: the smallest group any aggregate may describe. Configurable upward only.
KOERS_MIN_GROUP_SIZE = max(5, env_int("KOERS_MIN_GROUP_SIZE", 5))
# Figures across organisations (koers.programme): at least this many organisations each.
KOERS_MIN_ORGANISATIONS = max(5, env_int("KOERS_MIN_ORGANISATIONS", 5))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Serves Swagger UI for /api/v1/docs from our own static files, not a CDN.
    "ninja",
    "koers.organisations",
    "koers.accounts",
    "koers.jobs",
    "koers.web",
    "koers.api",
    "koers.surveys",
    "koers.scan",
    "koers.compass",
    "koers.reportbox",
    "koers.recruitment",
    "koers.paytransparency",
    "koers.plan",
    "koers.targets",
    "koers.inclusion",
    "koers.dialogue",
    "koers.research",
    "koers.programme",
]

MIDDLEWARE = [
    "koers.web.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koers.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "koers.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "koers.organisations.context_processors.current_organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'koers.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection per request cost about 3 ms of
        # database CPU per autosave (bench/load_respondents.py); health checks drop dead ones.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and an in-process worker share the file.
    # secure_delete zeroes deleted rows instead of leaving them in free pages; the
    # write-ahead log is emptied after deletions of personal data (organisations/gdpr.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate-limit and throttling counters. Per process by default; in production
# with several web processes set CACHE_URL=redis://host:6379/1 so they share counters.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # An unreachable Redis fails fast; the public endpoints then skip their limits.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
KOERS_PUBLIC_REQUESTS_PER_MINUTE = env_int("KOERS_PUBLIC_REQUESTS_PER_MINUTE", 6000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Dutch first, English complete.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Uploads live outside the web root and are never served back directly.
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Koers <noreply@koers.local>")

# Background work: Celery. Without CELERY_BROKER_URL tasks run in-process
# (eagerly), so `make run` needs nothing else; production sets a Redis URL and
# runs `celery -A koers worker` processes, as many as needed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"  # never fall back to a default AMQP server
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "retention-daily": {"task": "koers.retention", "schedule": 24 * 3600},
    # Once a day at a fixed hour: a mail per report would reveal when it was written.
    "reportbox-digest": {"task": "koers.reportbox_digest", "schedule": crontab(hour=7, minute=30)},
    # What members share with a sector programme: their newest snapshot, targets and plan.
    "programme-refresh": {"task": "koers.programme_refresh", "schedule": crontab(hour=3, minute=0)},
}

# Security
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
_HTTPS = env_bool("KOERS_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many reverse proxies append to X-Forwarded-For in front of Koers: the client's
# address is taken from there (koers.web.middleware.ClientAddressMiddleware).
KOERS_PROXY_COUNT = env_int("KOERS_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Paths under /r/, /s/ and /meld/ carry link secrets and tokens: koers.lib.redact replaces
# them (and query strings) in every record, on the handler here and on each logger that
# writes paths (django.request, django.server, django.security.*, gunicorn.*; installed by
# koers.web.apps). The reverse proxy's access log is configured apart: docs/deployment.md.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_credentials": {"()": "koers.lib.redact.RedactCredentials"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_credentials"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

os.makedirs(STATIC_ROOT, exist_ok=True)
