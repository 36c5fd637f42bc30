"""Settings for Congress Prep.

One env-driven module: with no variables set it runs embedded (SQLite under var/, in-memory
channel layer, Celery tasks run in-process, email to the console). Production sets
DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker, channels-redis, cache), EMAIL_URL (SMTP),
SECRET_KEY and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY", default="embedded-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "congress",
    "workflows",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "congress.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "congress.security.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.web.context_processors.web",
            ],
            "libraries": {"web": "workflows.web.templatetags.web"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'congress.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections for the WSGI workers (HTTP) and Celery: a request reuses its worker's
# connection instead of paying connect + cold catalog caches (~10 ms). Under ASGI every sync
# request runs in a thread of its own, so config/asgi.py sets CONN_MAX_AGE=0 for itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "congress.User"
AUTHENTICATION_BACKENDS = ["congress.auth_backends.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Failed logins are counted per (account, client address) and per address, and an account that
# fails from everywhere is slowed, never locked (congress/login_throttle.py). The client address
# is the socket's, unless the proxies in front are declared: NUM_PROXIES (how many append to
# X-Forwarded-For) or TRUSTED_PROXIES (their addresses or networks).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = env.int("LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", default=10)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=50)
LOGIN_FAILURES_WINDOW_SECONDS = env.int("LOGIN_FAILURES_WINDOW_SECONDS", default=900)
LOGIN_ACCOUNT_SLOW_AFTER = env.int("LOGIN_ACCOUNT_SLOW_AFTER", default=200)
LOGIN_ACCOUNT_SLOW_SECONDS = env.int("LOGIN_ACCOUNT_SLOW_SECONDS", default=5)

# API tokens (django-rest-knox): one per login, stored hashed, valid API_TOKEN_TTL days from
# their last use.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL", default=30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 3600,
    "AUTH_HEADER_PREFIX": "Token",
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["congress.formats"]  # dates read dd/mm/yyyy in both languages
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# A JSON request body (congress.api.parsers): a version sent as text may be as large as an upload,
# twice that once a client escapes non-ASCII characters as \uXXXX.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=2 * DOCUMENT_MAX_UPLOAD_BYTES + 2**20)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Redis pub/sub: a group send is one PUBLISH that every subscribed server receives, instead
    # of one message per websocket (500 clients: median 78 ms instead of 106 ms in
    # benchmarks/RESULTS.md). CHANNEL_LAYER=core selects the list-based layer.
    if env.str("CHANNEL_LAYER", default="pubsub") == "core":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                # No socket timeout: redis-py's default (5 s) equals the layer's blocking read,
                # so an idle websocket's consumer would crash with "Timeout reading".
                "CONFIG": {
                    "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                    "capacity": 1000,
                    "expiry": 30,
                },
            }
        }
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}]},
            }
        }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: a Redis broker in production; embedded, tasks run in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Congress Prep <no-reply@congress.local>"
)
# Where emails and feeds link to. Without SITE_URL, the address `make run` serves (HOST and
# PORT, as the Makefile passes them); a server bound to every interface is linked as this host.
_RUN_HOST = env.str("HOST", default="127.0.0.1")
SITE_URL = env.str(
    "SITE_URL",
    default="http://{}:{}".format(
        "127.0.0.1" if _RUN_HOST in ("0.0.0.0", "::", "") else _RUN_HOST,
        env.int("PORT", default=8000),
    ),
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congress.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "congress.api.parsers.JSONParser",  # bounded size and nesting depth
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "congress.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "congress.api.filters.BoundedSearchFilter",
        "congress.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "congress.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "congress.api.throttles.AnonThrottle",
        "congress.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="120/min"),
        "user": env.str("API_RATE_USER", default="1200/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,  # else DRF's rate limits would believe any X-Forwarded-For
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Congress Prep API",
    "DESCRIPTION": "Chuẩn bị Đại hội: tasks, documents, notifications (API v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "workflows.models.Task.Status",
        "DocumentStatusEnum": "workflows.models.Document.Status",
        "DocumentKindEnum": "workflows.models.DocumentKind",
        "CongressStatusEnum": "congress.models.Congress.Status",
        "BodyKindEnum": "congress.models.Body.Kind",
        "CalendarDayKindEnum": "congress.models.CalendarDay.Kind",
        "EmailStatusEnum": "notifications.models.EmailDelivery.Status",
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per successful task would drown the server log in embedded mode.
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
    },
}

# Periodic jobs: celery beat in production; embedded, a timer thread inside the server process.
PERIODIC_JOBS_IN_PROCESS = env.bool("PERIODIC_JOBS_IN_PROCESS", default=not REDIS_URL)
CELERY_BEAT_SCHEDULE = {
    "redispatch-events": {"task": "notifications.tasks.redispatch_events", "schedule": 10.0},
    "send-due-emails": {"task": "notifications.tasks.send_due_emails", "schedule": 60.0},
    "send-reminders": {"task": "workflows.jobs.send_reminders", "schedule": 300.0},
    "send-digests": {"task": "workflows.jobs.send_digests", "schedule": 300.0},
}

# Security headers everywhere; HTTPS-only cookies, HSTS and redirects in production
# (PRODUCTION=1, behind a TLS-terminating proxy that sets X-Forwarded-Proto).
PRODUCTION = env.bool("PRODUCTION", default=False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: refuse to start without one
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# What reading one uploaded draft may cost (workflows/uploads.py). Measured on a 60-page
# political report written the way Word writes it: 0.27 MB packed, 2.8 MB unpacked, 44,000 XML
# elements, 851 paragraphs, 108,000 characters, read in 0.2 s. The limits leave 7 to 20 times
# that; the unpacked size also leaves room for 20 MB of pictures, which barely compress.
DOCUMENT_MAX_UNPACKED_BYTES = env.int("DOCUMENT_MAX_UNPACKED_BYTES", default=24 * 1024 * 1024)
DOCUMENT_MAX_COMPRESSION_RATIO = env.int("DOCUMENT_MAX_COMPRESSION_RATIO", default=200)
DOCUMENT_MAX_XML_ELEMENTS = env.int("DOCUMENT_MAX_XML_ELEMENTS", default=300_000)
DOCUMENT_MAX_PARAGRAPHS = env.int("DOCUMENT_MAX_PARAGRAPHS", default=20_000)
DOCUMENT_MAX_TEXT_CHARS = env.int("DOCUMENT_MAX_TEXT_CHARS", default=2_000_000)
DOCUMENT_MAX_READ_SECONDS = env.float("DOCUMENT_MAX_READ_SECONDS", default=3.0)
# The diff (workflows/diff.py) compares at most this much of two versions (what still differs
# once their common beginning and end are set aside); beyond it the answer says the versions
# are too large to compare line by line. Results are cached per version pair.
DIFF_MAX_LINES = env.int("DIFF_MAX_LINES", default=20_000)
DIFF_MAX_CHARS = env.int("DIFF_MAX_CHARS", default=2_000_000)
DIFF_CACHE_SECONDS = env.int("DIFF_CACHE_SECONDS", default=30 * 24 * 3600)

# The reminder sweep (workflows/reminders.py) sends at most this many reminders, the most
# urgent first, and starts no new chunk of 500 after this many seconds; a backlog goes out
# over the next sweeps (every 5 minutes). Measured at 0.55-0.8 ms a reminder on 2 cores,
# loaded or not (benchmarks/RESULTS.md, 2): 4,000 keep a sweep near 3 s. 0 means no bound.
REMINDERS_PER_SWEEP = env.int("REMINDERS_PER_SWEEP", default=4_000)
REMINDERS_SWEEP_SECONDS = env.float("REMINDERS_SWEEP_SECONDS", default=3.5)

# The worker reconnects to a lost broker every second (notifications/worker.py), not at
# Celery's growing 2, 4, 6... s intervals: after an outage the dispatches wait a second at most.
CELERY_WORKER_CONSUMER = "notifications.worker:Consumer"
# Retrying forever: Celery's 100 tries would be spent in 100 s at that pace, then it exits.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
