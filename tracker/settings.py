"""Settings for the commitment tracker, read from the environment.

Local use needs no environment at all: SQLite, a file-system Celery transport and email written to
files. `DJANGO_ENV=production` switches to a mode that refuses to start without its secrets
and passes `manage.py check --deploy`.
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import choice, day_thresholds, env, positive_int

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("TRACKER_VAR_DIR", default=str(BASE_DIR / "var")))

DJANGO_ENV = choice("DJANGO_ENV", "local", ("local", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: production refuses to start without it
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-do-not-deploy")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

DEBUG = env.bool("DJANGO_DEBUG", default=False)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The origin used to build absolute links in emails and feeds, where no request is at hand.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "commitments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Locally, serve static files straight from the apps so `runserver` with DEBUG off still has CSS.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

LOGIN_URL = "admin:login"

# --- Email -------------------------------------------------------------------------------------
# EMAIL_URL (e.g. smtp://user:pass@host:587/?tls=True) wins; otherwise mail is written as files.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = positive_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Domain rules -------------------------------------------------------------------------------
# Days without review after which an open commitment is stale; COMMITMENT_STALE_DAYS_BY_STATUS
# overrides per status, e.g. "announced=60,stalled=14".
COMMITMENT_STALE_DAYS = positive_int("COMMITMENT_STALE_DAYS", 30)
COMMITMENT_STALE_DAYS_BY_STATUS = day_thresholds("COMMITMENT_STALE_DAYS_BY_STATUS", {})

# Public pages (/) are open to anyone unless a deployment must not publish.
PUBLIC_PAGES_REQUIRE_LOGIN = env.bool("PUBLIC_PAGES_REQUIRE_LOGIN", default=False)

# --- Reminders ----------------------------------------------------------------------------------
REMINDER_HOUR = env.int("REMINDER_HOUR", default=8)
REMINDER_MINUTE = env.int("REMINDER_MINUTE", default=0)
REMINDER_TIMEZONE = env.str("REMINDER_TIMEZONE", default=TIME_ZONE)
REMINDER_BATCH_SIZE = positive_int("REMINDER_BATCH_SIZE", 500)
# One digest per recipient per period: 1 = daily (key "2026-11-22"), 7 = weekly from Mondays.
REMINDER_PERIOD_DAYS = positive_int("REMINDER_PERIOD_DAYS", 1)
# A pending claim that never reached the mail server may be re-claimed after this many seconds.
REMINDER_CLAIM_LEASE = positive_int("REMINDER_CLAIM_LEASE", 600)
REMINDER_SEND_TIME_LIMIT = positive_int("REMINDER_SEND_TIME_LIMIT", 120)
REMINDER_MAX_RETRIES = positive_int("REMINDER_MAX_RETRIES", 5)
REMINDER_RETRY_BACKOFF = positive_int("REMINDER_RETRY_BACKOFF", 60)
REMINDER_RETRY_BACKOFF_MAX = positive_int("REMINDER_RETRY_BACKOFF_MAX", 600)

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
if CELERY_BROKER_URL == "filesystem://":
    # The embedded default: a real worker and beat exchange messages through folders, no server.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacked task after this long; retries and time limits stay under it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A retry waiting out its countdown, or a task running into its time limit, must never outlive
# Redis's visibility_timeout, or the broker hands the same task to a second worker.
_visibility = CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
if _visibility and max(
    REMINDER_RETRY_BACKOFF_MAX, REMINDER_CLAIM_LEASE, REMINDER_SEND_TIME_LIMIT
) * 2 > int(_visibility):
    raise ImproperlyConfigured(
        "REMINDER_RETRY_BACKOFF_MAX, REMINDER_CLAIM_LEASE and REMINDER_SEND_TIME_LIMIT must each "
        f"stay under half the broker's visibility_timeout ({_visibility}s)."
    )
if REMINDER_SEND_TIME_LIMIT >= REMINDER_CLAIM_LEASE:
    raise ImproperlyConfigured(
        "REMINDER_SEND_TIME_LIMIT must be shorter than REMINDER_CLAIM_LEASE."
    )
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = REMINDER_TIMEZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "send-stale-reminders": {
        "task": "commitments.tasks.send_stale_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=REMINDER_MINUTE),
    },
}

# --- Events and webhooks (issue 16) -------------------------------------------------------------
# The outbox is dispatched by beat every EVENTS_DISPATCH_INTERVAL seconds and by a kick after each
# committed change; the beat job alone is enough, so a broker that was down loses nothing.
EVENTS_DISPATCH_INTERVAL = positive_int("EVENTS_DISPATCH_INTERVAL", 5)
EVENTS_KICK_ON_COMMIT = env.bool("EVENTS_KICK_ON_COMMIT", default=True)
# A delivery run sends at most this many events per query, and gives its worker back after
# EVENTS_DELIVERY_SLICE seconds (re-enqueueing itself when events are left).
EVENTS_DELIVERY_BATCH = positive_int("EVENTS_DELIVERY_BATCH", 100)
EVENTS_DELIVERY_SLICE = positive_int("EVENTS_DELIVERY_SLICE", 20)
EVENTS_WEBHOOK_CONNECT_TIMEOUT = positive_int("EVENTS_WEBHOOK_CONNECT_TIMEOUT", 3)
EVENTS_WEBHOOK_READ_TIMEOUT = positive_int("EVENTS_WEBHOOK_READ_TIMEOUT", 5)
EVENTS_WEBHOOK_MAX_RESPONSE_BYTES = positive_int("EVENTS_WEBHOOK_MAX_RESPONSE_BYTES", 64 * 1024)
# Retries: base * 2^(n-1) seconds, capped, jittered between half of that (at least base) and all.
EVENTS_WEBHOOK_RETRY_BACKOFF = positive_int("EVENTS_WEBHOOK_RETRY_BACKOFF", 10)
EVENTS_WEBHOOK_RETRY_BACKOFF_MAX = positive_int("EVENTS_WEBHOOK_RETRY_BACKOFF_MAX", 900)
# Consecutive failed or refused attempts after which an endpoint is disabled and its owner emailed.
EVENTS_WEBHOOK_DISABLE_AFTER = positive_int("EVENTS_WEBHOOK_DISABLE_AFTER", 15)
# A worker's claim on an endpoint, renewed with each event; a killed worker's claim expires.
EVENTS_WEBHOOK_CLAIM_LEASE = positive_int("EVENTS_WEBHOOK_CLAIM_LEASE", 60)
# Production delivers only to https URLs on public addresses; tests and local use may use loopback.
EVENTS_WEBHOOK_REQUIRE_HTTPS = env.bool("EVENTS_WEBHOOK_REQUIRE_HTTPS", default=PRODUCTION)
EVENTS_WEBHOOK_ALLOW_PRIVATE = env.bool("EVENTS_WEBHOOK_ALLOW_PRIVATE", default=not PRODUCTION)
if PRODUCTION and (EVENTS_WEBHOOK_ALLOW_PRIVATE or not EVENTS_WEBHOOK_REQUIRE_HTTPS):
    raise ImproperlyConfigured(
        "In production webhooks go to https URLs on public addresses only: unset "
        "EVENTS_WEBHOOK_ALLOW_PRIVATE and EVENTS_WEBHOOK_REQUIRE_HTTPS."
    )
if EVENTS_WEBHOOK_CLAIM_LEASE <= 2 * (EVENTS_WEBHOOK_CONNECT_TIMEOUT + EVENTS_WEBHOOK_READ_TIMEOUT):
    raise ImproperlyConfigured(
        "EVENTS_WEBHOOK_CLAIM_LEASE must exceed twice one delivery's connect and read timeouts."
    )
if _visibility and max(
    EVENTS_WEBHOOK_RETRY_BACKOFF_MAX, EVENTS_DELIVERY_SLICE + EVENTS_WEBHOOK_CLAIM_LEASE
) * 2 > int(_visibility):
    raise ImproperlyConfigured(
        "EVENTS_WEBHOOK_RETRY_BACKOFF_MAX and EVENTS_DELIVERY_SLICE + EVENTS_WEBHOOK_CLAIM_LEASE "
        f"must stay under half the broker's visibility_timeout ({_visibility}s)."
    )
CELERY_BEAT_SCHEDULE["dispatch-events"] = {
    "task": "commitments.events.dispatch_events",
    "schedule": float(EVENTS_DISPATCH_INTERVAL),
    "options": {"expires": EVENTS_DISPATCH_INTERVAL},
}
# --- end of events and webhooks -----------------------------------------------------------------

# --- REST API -----------------------------------------------------------------------------------
# API tokens (`manage.py issue_token`) expire this many days after they are issued.
API_TOKEN_TTL_DAYS = positive_int("API_TOKEN_TTL_DAYS", 90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commitments.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The API speaks JSON only; every error is an RFC 9457 problem (commitments/api/errors.py).
    "DEFAULT_RENDERER_CLASSES": ["commitments.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["commitments.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "commitments.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kazakhstan–Kyrgyzstan commitment tracker API",
    "DESCRIPTION": "Commitments, evidence, sources, countries and status history.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc assets come from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "commitments.rules.Status",
        "CategoryEnum": "commitments.models.Category",
        "EventTypeEnum": "commitments.events.models.EventType",  # events and webhooks
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "commitments.api.schema.add_problem_responses",
    ],
}

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Production hardening -----------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- Benchmark ----------------------------------------------------------------------------------
# Mounts the benchmark's reference views (a plain DRF list and a bare .values() list) under
# /bench/; only `manage.py benchmark` turns it on, for the gunicorn it starts.
BENCHMARK_REFERENCE_VIEWS = env.bool("BENCHMARK_REFERENCE_VIEWS", default=False)
