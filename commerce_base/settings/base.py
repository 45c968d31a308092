"""Complete, environment-driven settings.

With no environment at all this runs the embedded default: SQLite in var/, and Celery on a
filesystem broker (a real worker process, no server needed). With DATABASE_URL and REDIS_URL
it runs on PostgreSQL and Redis. Every variable is listed in .env.example.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_time_zone,
    env_url,
    redis_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("COMMERCE_BASE_VAR_DIR", str(BASE_DIR / "var")))

# A fixed development key keeps sessions valid across restarts of `make run`; production.py
# refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Keys the one-way hash that counts distinct buyers (orders never store who they are). Apart
# from SECRET_KEY so that rotating the secret does not split every buyer count; changing this
# key does (README: "Buyer counts and BUYER_HASH_KEY"). Required in production.
BUYER_HASH_KEY = env_str("BUYER_HASH_KEY", SECRET_KEY)
# Where users reach the site: absolute links in e-mails are built from it.
SITE_URL = (env_url("SITE_URL", schemes=("http", "https")) or "http://127.0.0.1:8000").rstrip("/")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where the site is reached, for absolute links in emails (reminders, review decisions).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Our apps, in dependency order: each imports only those before it (the import-linter contract
# in pyproject.toml checks it). The roles' permissions and the URLs are built from this list.
DOMAIN_APPS = ("core", "cooperatives", "catalog", "livestreams", "orders", "dashboards")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Exclusion constraints and btree_gist on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    # The audit trail of edits that change figures or decisions (core.audit).
    "auditlog",
    # Our apps, in dependency order: each imports only those above it.
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # auditlog's AuditlogMiddleware, minus the actor's e-mail and address (core.audit).
    "core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the flag the authentication backend set and answers 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commerce_base.urls"
WSGI_APPLICATION = "commerce_base.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "commerce_base.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: WAL lets readers go on while one
    # writes, IMMEDIATE transactions avoid "database is locked" on lock upgrades, and the
    # timeout waits for the other process instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache and broker ----------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
# The broker, the result backend and the cache each get a Redis database of their own, so that
# a cache.clear() (or an eviction under memory pressure) never empties the task queues. By
# default they are REDIS_URL's database and the next two; each can be given its own URL.
CELERY_BROKER_REDIS_URL = env_url("CELERY_BROKER_REDIS_URL", schemes=("redis", "rediss")) or (
    redis_database(REDIS_URL, 0) if REDIS_URL else None
)
CELERY_RESULT_REDIS_URL = env_url("CELERY_RESULT_REDIS_URL", schemes=("redis", "rediss")) or (
    redis_database(REDIS_URL, 1) if REDIS_URL else None
)
CACHE_REDIS_URL = env_url("CACHE_REDIS_URL", schemes=("redis", "rediss")) or (
    redis_database(REDIS_URL, 2) if REDIS_URL else None
)
if REDIS_URL and len({CELERY_BROKER_REDIS_URL, CELERY_RESULT_REDIS_URL, CACHE_REDIS_URL}) < 3:
    raise ImproperlyConfigured(
        "CELERY_BROKER_REDIS_URL, CELERY_RESULT_REDIS_URL and CACHE_REDIS_URL must differ: a "
        "cache shared with the broker loses queued tasks when it is cleared."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery --------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = CELERY_BROKER_REDIS_URL
    CELERY_RESULT_BACKEND = CELERY_RESULT_REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task (CELERY_TASK_TIME_LIMIT), so Redis never hands a running
        # task to a second worker. Lost workers are recovered sooner by the stale-batch sweep.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 7200, minimum=60),
    }
else:
    # The embedded default: kombu's filesystem transport is a real broker that needs no
    # server; the worker started by `make run` consumes from these folders.
    CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    # A host name, though unused, keeps kombu from warning on every connection.
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # Without this kombu writes its exchange files into the current directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3600, minimum=30)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 15
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues by kind of work, so that a big import never starves thumbnails or reminders.
CELERY_TASK_ROUTES = {
    "orders.tasks.import_*": {"queue": "imports"},
    "catalog.tasks.*image*": {"queue": "images"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Authentication ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force on the sign-in page, the admin and the API token (RELIABILITY.md S5). Axes'
# default locks an address forever after 3 failures, so one mistyping colleague behind the
# bureau's shared address would lock everyone out: count per username and address together,
# lock for a while, and forget the failures once the right password gets through.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("LOGIN_COOL_OFF_MINUTES", 15, minimum=1, maximum=24 * 60)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A guess during the lockout starts the cool-off again, so guessing on costs the guesser.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_HTTP_RESPONSE_CODE = 429
# The page (or JSON under /api/) shown instead of the sign-in form's answer.
AXES_LOCKOUT_CALLABLE = "core.logins.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.logins.client_ip_address"
# Reverse proxies in front of the web server that append the client's address to
# X-Forwarded-For; 0 reads the peer's address (REMOTE_ADDR). Behind one proxy every client
# would otherwise share its address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "en", ("en", "vi", "zh-hans"))
LANGUAGES = [
    ("en", _("English")),
    ("vi", _("Vietnamese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times are stored in UTC; this is only the default zone for showing them.
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# WhiteNoise warns on every request when the folder is missing; collectstatic fills it.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files that only signed-in staff may read (uploaded order exports hold buyers' names, phones
# and addresses) live outside MEDIA_ROOT: no web server or URL pattern serves this folder, only
# views that check the user's role.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
IMPORTS_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT / "imports"},
}
# Certification evidence: only staff, officials and the cooperative's members may read it.
DOCUMENTS_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT / "documents"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": IMPORTS_STORAGE,
    "documents": DOCUMENTS_STORAGE,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Commerce Base <noreply@commerce-base.local>")
BUREAU_NOTIFICATION_EMAILS = env_list("BUREAU_NOTIFICATION_EMAILS", [])

# --- REST API ------------------------------------------------------------------------------
# Request limits, per client address (anonymous) or per account: the API through DRF's
# throttles, the public registration and password-reset forms through core.ratelimit. Over
# a limit the answer is 429 with Retry-After.
API_THROTTLE_ANON = env_rate("API_THROTTLE_ANON", "60/minute")
API_THROTTLE_USER = env_rate("API_THROTTLE_USER", "600/minute")
REGISTRATION_RATE = env_rate("REGISTRATION_RATE", "5/hour")
PASSWORD_RESET_RATE = env_rate("PASSWORD_RESET_RATE", "5/hour")

REST_FRAMEWORK = {
    # DRF's default is AllowAny; every endpoint here needs a login unless it says otherwise.
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.RolePermission"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonymousThrottle",
        "core.throttling.AccountThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The services' errors become 400 or 409 in one place (core/api/errors.py).
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commerce Base API",
    "DESCRIPTION": "Cooperatives, catalogue, live sessions, order imports and sales figures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Many models have a "kind" or "status": name each choice set after its model, so that
    # clients get stable, readable enum names.
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "catalog.models.Currency",
        "PlatformEnum": "catalog.models.Platform",
        "CooperativeKindEnum": "cooperatives.models.Cooperative.Kind",
        "CooperativeStatusEnum": "cooperatives.models.Cooperative.Status",
        "CertificationKindEnum": "catalog.models.Certification.Kind",
        "ZoneKindEnum": "catalog.models.Zone.Kind",
        "ProductStatusEnum": "catalog.models.Product.Status",
        "RoomKindEnum": "livestreams.models.Room.Kind",
        "HostKindEnum": "livestreams.models.Host.Kind",
        "SessionKindEnum": "livestreams.models.Session.Kind",
        "SessionStatusEnum": "livestreams.models.Session.Status",
        "ImportBatchStatusEnum": "orders.models.ImportBatch.Status",
    },
}

# --- Security headers (also on in development, so tests see what production sends) ---------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Domain settings -----------------------------------------------------------------------
# Minutes kept free before and after each session in a room or for a host (setup buffer).
SESSION_SETUP_BUFFER_MINUTES = env_int("SESSION_SETUP_BUFFER_MINUTES", 0, minimum=0, maximum=240)
# A line-up product on air longer than this is warned about (DESIGN.md: at most 5 minutes).
LINEUP_PRODUCT_CAP_MINUTES = env_int("LINEUP_PRODUCT_CAP_MINUTES", 5, minimum=1, maximum=240)
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 200 * 1024 * 1024, minimum=1024)
# A file with more data rows than this is cut into ranges of about this many rows (whole
# orders), imported in parallel by every worker of the `imports` queue; smaller files are
# imported by one worker. A range is a few seconds of one worker's time (bench/RESULTS.md), short
# enough for two workers to share a 200,000-line file, long enough that opening the file and
# seeking cost little. The test settings raise it: the reliability tests R1, R2 and R5 pin the
# single-worker path with files of 60,000 and 110,000 lines.
IMPORT_RANGE_LINES = env_int("IMPORT_RANGE_LINES", 50_000, minimum=1000)
# An export is deleted this many days after it imported successfully (failed ones are kept
# until retried or purged): the figures are in the database, the buyers' data is not kept.
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 7, minimum=0)
IMAGE_MAX_FILE_BYTES = env_int("IMAGE_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000, minimum=10_000)

# --- Audit trail (core.audit) --------------------------------------------------------------
# Who changed what is kept as the user's id; their IP address is not personal data we need.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Personal fields of logged models are recorded as "changed", never with their values.
AUDITLOG_MASK_CALLABLE = "core.audit.mask_personal_data"
# The models whose edits change figures or decisions, registered in one place. Each lists the
# fields it logs: on create and delete auditlog would otherwise read every reverse relation
# too (a query each, and a reverse one-to-one read before it exists is cached as missing).
# Not logged: long free text, files, derived values and timestamps that change on every save.
# auditlog sees Model.save() and delete(), not QuerySet.update() nor bulk_create(): the
# importer's bulk writes of orders are not logged (re-imports would drown the decisions);
# staff's bulk decisions write their own entries (orders.services.queues,
# core.audit.log_bulk_update), and product and cooperative status moves are logged from their
# review rows (catalog/apps.py, cooperatives/apps.py).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "cooperatives.cooperative",
        # Not logged: description, logo, the reason given with a status (kept by
        # CooperativeReview), reviewed_at, created_at, updated_at.
        "include_fields": [
            "kind", "name", "slug", "registration_number", "tax_number", "province", "district",
            "commune", "address", "contact_name", "phone", "email", "status", "reviewed_by",
        ],
        # The contact person's data; a household business's tax number is its owner's.
        "mask_fields": ["contact_name", "phone", "email", "address", "tax_number"],
    },
    {
        "model": "catalog.product",
        # Not logged: description, created_at, updated_at.
        "include_fields": [
            "cooperative", "category", "name", "slug", "origin_province", "origin_district",
            "origin_commune", "unit", "net_weight_grams", "price", "currency", "seasonality",
            "monthly_capacity", "status",
        ],
    },
    {
        # A channel's time zone and grace period decide which orders count for its sessions.
        "model": "catalog.channel",
        "include_fields": [
            "platform", "name", "slug", "handle", "shop_id", "currency", "time_zone",
            "grace_minutes", "settlement_delay_days", "owner_kind", "owner_cooperative",
            "owner_name", "is_active",
        ],
        # A KOL channel's owner is a person.
        "mask_fields": ["owner_name"],
    },
    {
        # Which product an SKU's lines count for, and who mapped it.
        "model": "catalog.platformlisting",
        "include_fields": [
            "product", "platform", "channel", "external_product_id", "sku_id", "seller_sku",
            "mapped_by",
        ],
    },
    {
        # Times and channel decide which orders count for a session. Not logged: notes (free
        # text), occupied_until (follows scheduled_end), created_at, updated_at.
        "model": "livestreams.session",
        "include_fields": [
            "title", "kind", "room", "channel", "scheduled_start", "scheduled_end",
            "actual_start", "actual_end", "status", "platform_live_id", "is_rehearsal", "series",
        ],
    },
    # Only who decided an order's session: every other field is the platform export's.
    {"model": "orders.order", "include_fields": ["session", "attribution", "attributed_by"]},
)  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
