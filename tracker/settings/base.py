"""Django's own settings: paths, apps, database, static files, email, cache, domain rules.

Local use needs no environment at all: SQLite, email written to files, a file-based cache.
`DJANGO_ENV=production` refuses to start without its secrets (see `security.py` for the rest).
"""

from pathlib import Path

from commitments.rules import Status
from tracker.env import (
    boolean,
    choice,
    day_thresholds,
    env,
    integer,
    positive_int,
    required,
    time_zone,
    url_setting,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("TRACKER_VAR_DIR", default=str(BASE_DIR / "var")))

DJANGO_ENV = choice("DJANGO_ENV", "local", ("local", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = required("DJANGO_SECRET_KEY")  # no default: production refuses to start without it
    ALLOWED_HOSTS = [h.strip() for h in required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-do-not-deploy")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

DEBUG = boolean("DJANGO_DEBUG", default=False)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The origin used to build absolute links in emails and feeds, where no request is at hand.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin: it patches the translated models and provides TranslationAdmin.
    "modeltranslation",
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
    # The features' own apps: each registers its models (app label `commitments`), admin and
    # Celery tasks, so the record's models never import them.
    "commitments.events",
    "commitments.ingestion",
    "commitments.reminders",
    "commitments.briefing",
    "commitments.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The public pages' language comes from their URL prefix (/ru/...); the staff language
    # middleware then picks the admin's from the user's profile and the API's from Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commitments.languages.middleware.InterfaceLanguageMiddleware",
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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite serialises writers; wait for the lock instead of failing with "database is locked".
# The wait covers only transactions that take the write lock when they begin: one that read first
# (every service reads the row it changes) and then writes while another writer holds the lock
# fails at once, whatever the timeout, because SQLite will not let it wait.
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DATABASES = {
    "default": url_setting(
        "DATABASE_URL", env.db_url, env.DB_SCHEMES, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", integer("DATABASE_CONN_MAX_AGE", 60, minimum=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    for name, value in SQLITE_OPTIONS.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(name, value)
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English is the source language of the code; the catalogues in locale/ translate it (README,
# "Languages"). Each language is named in itself, as the switcher shows it.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("ru", "Русский"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no number and date formats for Kazakh; ours are in tracker/formats/kk/.
FORMAT_MODULE_PATH = ["tracker.formats"]

# Content in several languages (django-modeltranslation): a commitment's title and description and
# a meeting's name have a column per language; English, the language the record is kept in, is
# required and is what a page shows when its language has no text yet. The columns are named by
# the bare language (title_en), which British English (en-gb, the interface's) resolves to.
# Sources record their language from the same list.
CONTENT_LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша"), ("ky", "Кыргызча")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in CONTENT_LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = time_zone("TIME_ZONE", "Asia/Almaty")
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
    vars().update(url_setting("EMAIL_URL", env.email_url, env.EMAIL_SCHEMES, ""))
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
COMMITMENT_STALE_DAYS_BY_STATUS = day_thresholds(
    "COMMITMENT_STALE_DAYS_BY_STATUS", {}, keys=Status.values
)

# Public pages (/) are open to anyone unless a deployment must not publish.
PUBLIC_PAGES_REQUIRE_LOGIN = boolean("PUBLIC_PAGES_REQUIRE_LOGIN", default=False)

# --- Reminders ----------------------------------------------------------------------------------
REMINDER_HOUR = integer("REMINDER_HOUR", 8, minimum=0, maximum=23)
REMINDER_MINUTE = integer("REMINDER_MINUTE", 0, minimum=0, maximum=59)
REMINDER_TIMEZONE = time_zone("REMINDER_TIMEZONE", TIME_ZONE)
# The language of a reminder email to staff who chose none and never opened the admin: their
# country's state language (commitments.languages.recipient_language).
COUNTRY_LANGUAGES = {"KZ": "kk", "KG": "ky"}
REMINDER_BATCH_SIZE = positive_int("REMINDER_BATCH_SIZE", 500)
# One digest per recipient per period: 1 = daily (key "2026-11-22"), 7 = weekly from Mondays.
REMINDER_PERIOD_DAYS = positive_int("REMINDER_PERIOD_DAYS", 1)
# A pending claim that never reached the mail server may be re-claimed after this many seconds.
REMINDER_CLAIM_LEASE = positive_int("REMINDER_CLAIM_LEASE", 600)
REMINDER_SEND_TIME_LIMIT = positive_int("REMINDER_SEND_TIME_LIMIT", 120)
REMINDER_MAX_RETRIES = positive_int("REMINDER_MAX_RETRIES", 5)
# Retry delays: exponential from the floor (the first delay), capped; jitter never below the floor.
REMINDER_RETRY_BACKOFF = positive_int("REMINDER_RETRY_BACKOFF", 60)
REMINDER_RETRY_BACKOFF_MAX = positive_int("REMINDER_RETRY_BACKOFF_MAX", 600)
# A digest that failed for a passing reason (server down, 4xx, a timeout) is retried by every later
# run of its period: its budget is the period's time, not a count. One the server refused for good
# (a 5xx, e.g. 550 no such mailbox) is retried by this many later runs of the period at most, and
# again only once the recipient's email address changes.
REMINDER_CATCH_UP_RETRIES = positive_int("REMINDER_CATCH_UP_RETRIES", 2)
# No recipient gets two digests (of two periods, e.g. either side of midnight) closer than this.
REMINDER_MIN_GAP = integer("REMINDER_MIN_GAP", 3600, minimum=0)
# Seconds between catch-up runs; 0 (unset): hourly from REMINDER_HOUR to 23:REMINDER_MINUTE.
REMINDER_CATCH_UP_SECONDS = integer("REMINDER_CATCH_UP_SECONDS", 0, minimum=0)
# Open commitments with a target date within this many days (or past) are "due" in the digest.
REMINDER_DUE_WITHIN_DAYS = integer("REMINDER_DUE_WITHIN_DAYS", 30, minimum=0)
# Seconds a worker keeps trying to record a message the server accepted while the database is down.
REMINDER_DB_PATIENCE = positive_int("REMINDER_DB_PATIENCE", 30)

# --- Cache ----------------------------------------------------------------------------------------
# The API's throttle counts live here, so every process must see the same cache: a per-process
# (locmem) cache let a 20/minute limit through 67 times with 4 gunicorn workers. CACHE_URL (e.g.
# redis://127.0.0.1:6379/1) wins; the embedded default is a file-based cache under TRACKER_VAR_DIR,
# which every process on the machine shares and which needs no table or server.
if "CACHE_URL" in env:
    CACHES = {"default": url_setting("CACHE_URL", env.cache_url, env.CACHE_SCHEMES, "")}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}

# Briefings (commitments/briefing): up to this many commitments one is built while the caller
# waits; a larger one is queued for the Celery task and its file kept under MEDIA_ROOT/briefings/.
BRIEFING_DIRECT_MAX_ITEMS = env.int("BRIEFING_DIRECT_MAX_ITEMS", default=50)
# Bumped when the documents' template changes, so kept files of the old layout are not reused.
BRIEFING_TEMPLATE_VERSION = 1
MEDIA_ROOT = Path(env.str("TRACKER_MEDIA_ROOT", default=str(VAR_DIR / "media")))
