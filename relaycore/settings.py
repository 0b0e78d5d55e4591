"""RelayCore settings: one module, read from the environment.

With no environment at all this is the embedded profile: SQLite and a bundled Redis
under var/, secrets generated once and kept there. Set DATABASE_URL and REDIS_URL for
production (PostgreSQL and an external Redis).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from apps.core import task_names
from relaycore.env import (
    env_bool,
    env_email_url,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Before anything reads the environment: `.env` fills what the real environment leaves unset.
ENV_FILE = load_env_file(BASE_DIR)
# Relative paths are taken from the project folder, whatever the working directory.
VAR_DIR = (BASE_DIR / (env_str("RELAYCORE_VAR_DIR") or "var")).resolve()

DEBUG = env_bool("DEBUG", False)
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
EMBEDDED_DATABASE = not DATABASE_URL
EMBEDDED_REDIS = not REDIS_URL
EMBEDDED_REDIS_PORT = env_int("EMBEDDED_REDIS_PORT", 6380, minimum=1)
PORT = env_int("PORT", 8000, minimum=1)


def _kept_secret(filename: str, make: callable) -> str:
    """Read a secret kept under var/, creating it on first use (embedded profile only)."""
    path = VAR_DIR / filename
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def _required_secret(name: str, filename: str, make: callable) -> str:
    value = env_str(name)
    if value:
        return value
    if EMBEDDED_DATABASE or DEBUG:
        return _kept_secret(filename, make)
    raise ImproperlyConfigured(
        f"{name} is not set. Production (DATABASE_URL set, DEBUG off) needs it: "
        f"see .env.example for how to generate one."
    )


SECRET_KEY = _required_secret("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
# A comma-separated list: the first key encrypts, every key decrypts (rotation).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY") or [
    _required_secret(
        "FIELD_ENCRYPTION_KEY", "field_encryption_key", lambda: Fernet.generate_key().decode()
    )
]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be a comma-separated list of Fernet keys "
            "(32 url-safe base64-encoded bytes each)"
        ) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Pipeline behaviour
DESTINATION_ALLOWED_NETWORKS = env_networks("DESTINATION_ALLOWED_NETWORKS")
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 6, minimum=1)
DELIVERY_BACKOFF_BASE_SECONDS = env_float("DELIVERY_BACKOFF_BASE_SECONDS", 1.0, minimum=0.0)
DELIVERY_BACKOFF_MAX_SECONDS = env_float("DELIVERY_BACKOFF_MAX_SECONDS", 3600.0, minimum=0.0)
DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION = env_int(
    "DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION", 8, minimum=1
)
# Accepted event ids go to the workers many per queue message (apps.core.queue.
# BatchPublisher). While the whole gateway (all web processes, counted in Redis) accepts
# at most BATCH_ABOVE_PER_SECOND events a second, each id is sent at once; above that a
# process sends one message per interval, so that under load a message carries many ids
# (a worker pays one task per message). 150: above the 100 events/s the gateway counts
# as not saturated, below a fan-out's 250-390 (docs/performance.md).
INGEST_PUBLISH_INTERVAL_MS = env_float("INGEST_PUBLISH_INTERVAL_MS", 50.0, minimum=0.0)
INGEST_PUBLISH_BATCH_ABOVE_PER_SECOND = env_float(
    "INGEST_PUBLISH_BATCH_ABOVE_PER_SECOND", 150.0, minimum=0.0
)
# Concurrent webhook requests of one web process share one Redis round trip and one
# INSERT (apps/ingestion/group_commit.py); off, each request does its own (the benchmark
# compares the two).
INGEST_GROUP_COMMIT = env_bool("INGEST_GROUP_COMMIT", True)
# Batches one web process may have in flight at once: a request that finds fewer starts
# its own at once; the others queue for the next one to end. SQLite writes one
# transaction at a time, so a second batch would only wait for the lock (polling it)
# instead of joining the next batch: 1 on the embedded profile (docs/performance.md).
INGEST_BATCHES_IN_FLIGHT = env_int(
    "INGEST_BATCHES_IN_FLIGHT", 1 if EMBEDDED_DATABASE else 2, minimum=1
)
# Requests refused for their signature are stored (status sig_failed) up to this many
# per source and minute; past it they are still answered 401 and logged. 0: none stored.
SIG_FAILED_RECORDS_PER_MINUTE = env_int("SIG_FAILED_RECORDS_PER_MINUTE", 60, minimum=0)
# A stored sig_failed row keeps this much of the body (with the whole body's size and
# SHA-256), and a source's sig_failed rows keep at most this many body bytes an hour:
# past the budget a refusal is still answered 401, and only counted.
SIG_FAILED_BODY_BYTES = env_int("SIG_FAILED_BODY_BYTES", 4096, minimum=0)
SIG_FAILED_BYTES_PER_HOUR = env_int("SIG_FAILED_BYTES_PER_HOUR", 1024 * 1024, minimum=0)
# Each attempt keeps the request it sent (masked) and this many bytes of its body; the
# rest is cut, the whole size kept. Retention empties them with the event's payload.
ATTEMPT_BODY_LIMIT_BYTES = env_int("ATTEMPT_BODY_LIMIT_BYTES", 64 * 1024, minimum=0)
IDEMPOTENCY_TTL_SECONDS = env_int("IDEMPOTENCY_TTL_SECONDS", 86400, minimum=1)
WEBHOOK_MAX_BODY_BYTES = env_int("WEBHOOK_MAX_BODY_BYTES", 1024 * 1024, minimum=1)
# Threads per worker process that wait on destinations (apps.delivery.sender). They hold
# no database connection; a slow destination occupies at most its in-flight cap of them.
DELIVERY_SENDER_THREADS = env_int("DELIVERY_SENDER_THREADS", 64, minimum=1)
# How long a worker may hold an outcome beyond its destination timeout before the
# dispatcher decides the worker died and retries it.
DELIVERY_LEASE_GRACE_SECONDS = env_float("DELIVERY_LEASE_GRACE_SECONDS", 30.0, minimum=0.0)
# After this many consecutive failures a destination rests (0 turns the breaker off).
DESTINATION_BREAKER_THRESHOLD = env_int("DESTINATION_BREAKER_THRESHOLD", 20, minimum=0)
DESTINATION_BREAKER_SECONDS = env_float("DESTINATION_BREAKER_SECONDS", 60.0, minimum=0.0)
# A destination that failed every attempt for this long AND at least this many times in a
# row is disabled, its outcomes held (apps.delivery.health); 0 failures turns it off.
DESTINATION_AUTO_DISABLE_SECONDS = env_float(
    "DESTINATION_AUTO_DISABLE_SECONDS", 3 * 86400.0, minimum=0.0
)
DESTINATION_AUTO_DISABLE_FAILURES = env_int("DESTINATION_AUTO_DISABLE_FAILURES", 100, minimum=0)
# Web processes keep each source this long before reading it again.
SOURCE_CACHE_SECONDS = env_float("SOURCE_CACHE_SECONDS", 2.0, minimum=0.0)
SWEEP_AFTER_SECONDS = env_float("SWEEP_AFTER_SECONDS", 60.0, minimum=0.0)
# Routing one event (its routes' conditions, a source's event_type_path) stops after this
# much CPU time (0: no bound); an event whose routing fails or times out this many times
# is set aside as routing_failed, and the sweeper no longer re-queues it.
ROUTING_TIME_LIMIT_SECONDS = env_float("ROUTING_TIME_LIMIT_SECONDS", 2.0, minimum=0.0)
ROUTING_MAX_FAILURES = env_int("ROUTING_MAX_FAILURES", 3, minimum=1)
# Building one outgoing request (the route's transformer) stops after this much CPU time.
TRANSFORM_TIME_LIMIT_SECONDS = env_float("TRANSFORM_TIME_LIMIT_SECONDS", 2.0, minimum=0.0)
# JavaScript transformations (apps/transformers/javascript.py): wall time and V8 heap
# allowed to one run; code size per transformation; how many compiled versions a worker
# keeps (each up to TRANSFORM_JS_CONTEXTS_PER_VERSION engines, one per concurrent run).
TRANSFORM_JS_TIMEOUT_MS = env_int("TRANSFORM_JS_TIMEOUT_MS", 100, minimum=1)
TRANSFORM_JS_MEMORY_MB = env_int("TRANSFORM_JS_MEMORY_MB", 64, minimum=8)
TRANSFORM_JS_MAX_CODE_BYTES = env_int("TRANSFORM_JS_MAX_CODE_BYTES", 64 * 1024, minimum=1)
TRANSFORM_JS_CACHED_VERSIONS = env_int("TRANSFORM_JS_CACHED_VERSIONS", 32, minimum=1)
TRANSFORM_JS_CONTEXTS_PER_VERSION = env_int("TRANSFORM_JS_CONTEXTS_PER_VERSION", 4, minimum=1)
DISPATCH_GRACE_SECONDS = env_float("DISPATCH_GRACE_SECONDS", 30.0, minimum=0.0)
DISPATCH_INTERVAL_SECONDS = env_float("DISPATCH_INTERVAL_SECONDS", 5.0, minimum=0.1)
METRICS_INTERVAL_SECONDS = env_float("METRICS_INTERVAL_SECONDS", 60.0, minimum=1.0)
TALLY_INTERVAL_SECONDS = min(5.0, METRICS_INTERVAL_SECONDS)  # not a setting: see the schedule
# Bulk replay (API and `manage.py replay`) queues at most this many outcomes per call.
BULK_REPLAY_MAX = env_int("BULK_REPLAY_MAX", 10_000, minimum=1)
# API request bodies (login included) over this answer 413 before they are read
# (apps/api/body_limit.py); separate from the webhook limit, which must not widen it.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024, minimum=1)
# The free-text event search is stopped past this (apps/api/query_timeout.py).
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 5000, minimum=1)
# Django reads the whole body before we can count it; keep its own cap above ours.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(WEBHOOK_MAX_BODY_BYTES, API_MAX_BODY_BYTES) + 1024

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_celery_beat",
    "apps.core",
    "apps.ingestion",
    "apps.routing",
    "apps.transformers",
    "apps.delivery",
    "apps.notifications",
    "apps.config",  # above the stages: validation, admin and files of the configuration
    "apps.monitoring",
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

ROOT_URLCONF = "relaycore.urls"
WSGI_APPLICATION = "relaycore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

if EMBEDDED_DATABASE:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "relaycore.sqlite3",
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
else:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}

_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if _SQLITE:
    # Web and worker processes share the file: WAL lets readers run beside a writer,
    # IMMEDIATE takes the write lock up front so transactions queue instead of failing,
    # and relaycore.sqlite queues the threads of one process for it on a lock of their
    # own, so that only other processes' writers meet SQLite's polling busy handler.
    DATABASES["default"]["ENGINE"] = "relaycore.sqlite"
    # synchronous=FULL syncs the WAL at every commit: with NORMAL a power cut could take
    # back an event already answered 200 (SQLite's docs: NORMAL in WAL mode is durable
    # across an application crash, not across losing power).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # 512 KiB of page cache per connection, not SQLite's 2 MiB: connections are kept
        # (below), one per thread, and a commit by another one empties the others'
        # caches anyway; the stack's PSS at rest has a budget of 250 MB.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-512;"
        ),
    }
    # Seconds a thread keeps its connection. relaycore/gunicorn_conf.py sets 600 for the
    # web process: a new SQLite connection costs about 1 ms (its pragmas and parsing
    # the schema's 122 tables and indexes), once per ingest batch when each request's
    # was closed. The worker opens one per task as before: its kept connections (one
    # per thread) added 15 MB to the stack's PSS (docs/performance.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("SQLITE_CONN_MAX_AGE", 0, minimum=0)
    DATABASES["default"].setdefault("TEST", {"NAME": str(VAR_DIR / "test.sqlite3")})
else:
    # A SELECT 1 before the first query of each request or task, so that a connection
    # the server dropped (a restart) is replaced instead of failing that work. The
    # webhook path skips it (apps/ingestion/middleware.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = REDIS_URL or f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"

# `relaycore listen` (apps/api/listening.py). An event is served to listeners once it is
# this old, so that a lower id committing late (PostgreSQL sequences) is never skipped;
# SQLite commits its ids in order. An empty poll may wait for news this long, but only
# in one of LISTEN_WAIT_SLOTS threads per web process; the others answer at once and
# tell the client to poll again after LISTEN_POLL_SECONDS.
_IN_ORDER_IDS = _SQLITE
LISTEN_SETTLE_SECONDS = env_float(
    "LISTEN_SETTLE_SECONDS", 0.0 if _IN_ORDER_IDS else 0.5, minimum=0.0
)
LISTEN_WAIT_SECONDS = env_float("LISTEN_WAIT_SECONDS", 2.0, minimum=0.0)
LISTEN_WAIT_SLOTS = env_int("LISTEN_WAIT_SLOTS", 2, minimum=0)
LISTEN_POLL_SECONDS = env_float("LISTEN_POLL_SECONDS", 1.0, minimum=0.1)
# A listen poll's token (and its role) is looked up again after this long.
LISTEN_AUTH_CACHE_SECONDS = env_float("LISTEN_AUTH_CACHE_SECONDS", 5.0, minimum=0.0)
LISTEN_MAX_BATCH = env_int("LISTEN_MAX_BATCH", 100, minimum=1)
LISTEN_MAX_BATCH_BYTES = env_int("LISTEN_MAX_BATCH_BYTES", 4 * 1024 * 1024, minimum=1)
# The stream (`python -m relaycore.stream`, apps/api/stream/): server-sent events from an
# asyncio process, where an idle listener is an open socket and no thread. It listens
# on STREAM_BIND:STREAM_PORT; LISTEN_STREAM_URL is its public base URL (behind nginx, the
# gateway's own URL), which the long poll's first answer offers to clients ("": none).
# Whether `make run` starts the stream process: by default with DATABASE_URL only. The
# embedded profile is one developer's gateway, whose few listeners the long poll serves
# well, and the stream process alone would be a third of that stack's memory (~85 MB).
RUN_STREAM = env_bool("RUN_STREAM", not EMBEDDED_DATABASE)
STREAM_BIND = env_str("STREAM_BIND", "127.0.0.1")
STREAM_PORT = env_int("STREAM_PORT", 8001, minimum=1)
LISTEN_STREAM_URL = env_str("LISTEN_STREAM_URL").rstrip("/")
# One read of new events per tick for every followed source; a comment line this often
# keeps idle connections (and proxies) open; a subscriber that falls this far behind is
# dropped (it resumes from its Last-Event-ID).
STREAM_TICK_SECONDS = env_float("STREAM_TICK_SECONDS", 0.25, minimum=0.01)
STREAM_KEEPALIVE_SECONDS = env_float("STREAM_KEEPALIVE_SECONDS", 15.0, minimum=0.1)
STREAM_MAX_BUFFER_BYTES = env_int("STREAM_MAX_BUFFER_BYTES", 8 * 1024 * 1024, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The built dashboard (frontend/dist): index.html via relaycore.dashboard, its assets
# at the site root by WhiteNoise.
DASHBOARD_DIR = BASE_DIR / "frontend" / "dist"
WHITENOISE_ROOT = DASHBOARD_DIR if DASHBOARD_DIR.exists() else None
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: tasks take ids, are acknowledged after they finish and requeued when the
# worker process dies. The retry schedule itself lives in the database.
CELERY_BROKER_URL = REDIS_URL
# kombu's Redis transport with one client per channel rather than one per message
# (apps/core/broker.py); other schemes (Sentinel, a socket) keep kombu's own.
if REDIS_URL.partition("://")[0].lower() in ("redis", "rediss"):
    CELERY_BROKER_TRANSPORT = "apps.core.broker:Transport"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Threads, not processes: a delivery spends its time waiting on the network, so many
# threads per worker keep other destinations moving while one is slow to answer.
CELERY_WORKER_POOL = "threads"
# On SQLite every thread that writes queues on the one write lock (polling it, with
# growing sleeps): 8 threads delivered more and kept ingest's lone-request latency at
# about a third of 32's in the embedded benchmark (docs/performance.md).
CELERY_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 8 if EMBEDDED_DATABASE else 32, minimum=1)
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
# One queue for the whole pipeline; its name can be set so that separate installations
# (or test runs) can share one Redis without taking each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes the thread's database connection before and after every
# task unless this is set, so each task paid for a new PostgreSQL backend. Connections
# are kept instead and checked by apps.delivery.apps (close_old_connections per task).
CELERY_DB_REUSE_MAX = 1_000_000_000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# An ingest request must not hang on a dead broker: the sweeper re-enqueues later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-deliveries": {
        "task": task_names.DISPATCH_DUE,
        "schedule": DISPATCH_INTERVAL_SECONDS,
    },
    "sweep-unrouted-events": {
        "task": task_names.SWEEP_UNROUTED,
        "schedule": DISPATCH_INTERVAL_SECONDS,
    },
    "collect-metrics": {
        "task": task_names.COLLECT_METRICS,
        "schedule": METRICS_INTERVAL_SECONDS,
    },
    # /metrics and the source list read the rows after the tallies' marks from the
    # tables; moving the marks every few seconds keeps those rows few (apps/monitoring/
    # tallies.py). A run that waited behind a backlog is dropped, not stacked.
    "advance-metric-tallies": {
        "task": task_names.ADVANCE_TALLIES,
        "schedule": TALLY_INTERVAL_SECONDS,
        "options": {"expire_seconds": TALLY_INTERVAL_SECONDS * 6},
    },
    # Each destination's closed hours, for its 7-day figures (apps/monitoring/
    # destination_hours.py); a run with no hour to fold is one locked read.
    "roll-up-destination-hours": {
        "task": task_names.ROLL_UP_DESTINATION_HOURS,
        "schedule": METRICS_INTERVAL_SECONDS,
    },
}
CELERY_TIMEZONE = TIME_ZONE

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

# --- REST API, auth and hardening ---
INSTALLED_APPS += [
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "auditlog",
]
if "apps.api" not in INSTALLED_APPS:
    INSTALLED_APPS.append("apps.api")  # its ready() registers the audited models

# The audit actor is read after authentication (session or API token); CSP on every
# response; axes turns a flagged login into its lockout answer, so it comes last.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "apps.api.middleware.AuditActorMiddleware",
)
# Webhooks bypass the middleware below this one (apps/ingestion/middleware.py).
FAST_PATH_PREFIXES = ("/webhooks/",)
# The listen poll too (token-authenticated, GET only): a listener asks every second.
FAST_PATH_PATTERNS = (r"^/api/sources/[-a-zA-Z0-9_]+/listen/$",)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"),
    "apps.ingestion.middleware.WebhookFastPath",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "apps.api.body_limit.ApiBodyLimitMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "apps.api.middleware.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Before sessions and authentication: a throttled login costs one Redis round trip.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "apps.api.login_throttle.LoginThrottleMiddleware",
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords as Django checks them; permissions (the admin site's) from the roles.
    "apps.api.backends.RoleModelBackend",
]

REST_FRAMEWORK = {
    # Token first: an anonymous request then answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RelayCore API",
    "DESCRIPTION": (
        "Sources, destinations, routes, deliveries, metrics and the audit log of a "
        "RelayCore webhook gateway. Authenticate with a session cookie (browser) or "
        "`Authorization: Token <key>` (`manage.py create_api_token <username>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI are read like the rest of the API: the viewer role.
    "SERVE_PERMISSIONS": ["apps.api.permissions.RolePermission"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "apps.core.models.EventStatus",
        "OutcomeStatusEnum": "apps.core.models.OutcomeStatus",
        "ErrorKindEnum": "apps.core.models.ErrorKind",
        "IssueStatusEnum": "apps.core.models.IssueStatus",
        "KindEnum": "apps.notifications.models.ChannelKind",  # a channel's, as before issues
        "ReplayViaEnum": "apps.core.models.ReplayVia",
        "DeliveryStateEnum": "apps.api.delivery_state.STATES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_error_responses",
    ],
}

# Forwarded headers: how many proxies of ours stand in front of the web process. With 0
# (the default) X-Forwarded-For and X-Forwarded-Proto from clients are ignored; with N,
# the Nth X-Forwarded-For entry from the right is the client (apps/api/client_address.py)
# and X-Forwarded-Proto: https marks a request as secure.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# No "AXES: BEGIN version ..." banner on stderr at every start of every command.
AXES_VERBOSE = False
# django-axes: 5 failed logins for a username from one address lock that pair for an
# hour; the same username from elsewhere still logs in, so a stranger cannot lock the
# admin out. LOGIN_THROTTLE_RATE bounds the attempts of one address over all usernames.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.api.client_address.client_address"
LOGIN_THROTTLE_RATE = env_rate("LOGIN_THROTTLE_RATE", "20/min")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.api.auth.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# django-auditlog: the actor comes from apps.api.middleware.AuditActorMiddleware.
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Transport security. Behind a TLS-terminating proxy, set TRUSTED_PROXY_COUNT so that its
# X-Forwarded-Proto is believed (and never a client's own).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not EMBEDDED_DATABASE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 3600  # sent on HTTPS responses only
# Secure cookies whenever DEBUG is off. Chromium and Firefox keep Secure cookies on
# http://127.0.0.1 and http://localhost too (secure contexts), so the embedded dashboard
# still logs in; SECURE_COOKIES=false is for a browser that does not (Safari).
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the dashboard reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- operations ---
# Retention: the body, headers and parsed payload of events older than RETENTION_DAYS
# (0 = keep forever) are emptied by a Beat task, in batches of RETENTION_BATCH_SIZE rows
# (one short transaction each, then a rest of at least RETENTION_PAUSE_SECONDS and
# RETENTION_REST_RATIO times the batch's own time, at most RETENTION_MAX_BATCHES per
# run). The rows, statuses, outcomes, attempts and MetricPoints stay, so counts and
# metrics survive.
RETENTION_DAYS = env_int("RETENTION_DAYS", 30, minimum=0)
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 500, minimum=1)
RETENTION_MAX_BATCHES = env_int("RETENTION_MAX_BATCHES", 100, minimum=1)
RETENTION_PAUSE_SECONDS = env_float("RETENTION_PAUSE_SECONDS", 0.1, minimum=0.0)
# 9: at 3 (a quarter of the time) ingest beside a purge kept 84 %; a run's 100 batches
# still end within minutes of its hour.
RETENTION_REST_RATIO = env_float("RETENTION_REST_RATIO", 9.0, minimum=0.0)
# PostgreSQL: the purge's own transactions compress their WAL with lz4 (apps/monitoring/
# retention.py says why) where the server's wal_compression is off and the role may set it.
RETENTION_COMPRESS_WAL = env_bool("RETENTION_COMPRESS_WAL", True)
RETENTION_INTERVAL_SECONDS = env_float("RETENTION_INTERVAL_SECONDS", 3600.0, minimum=1.0)
CELERY_BEAT_SCHEDULE["purge-old-payloads"] = {
    "task": task_names.PURGE_OLD_PAYLOADS,
    "schedule": RETENTION_INTERVAL_SECONDS,
}

# Prometheus: /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (401 without
# the header, 403 with a wrong token); while unset, /metrics is off and answers 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# Probes and scrapers inside the private network talk plain HTTP.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^readyz$", r"^metrics$"]

# Logs: `plain` lines for people, `json` (one object per line) for log collectors.
LOG_FORMAT = (env_str("LOG_FORMAT") or "plain").lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING["formatters"]["json"] = {"()": "apps.monitoring.logging.JsonFormatter"}
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
# The Celery worker replaces the root logger's handlers unless told not to: in JSON mode
# it must keep ours, so its lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT == "plain"
# Routine lines (Celery's per-task and per-tick INFO, Django's copy of a webhook 4xx) are
# filtered out (apps/monitoring/quiet.py): idle processes write nothing at INFO.
LOGGING["filters"] = {
    "routine_tasks": {"()": "apps.monitoring.quiet.RoutineTaskLines"},
    "webhook_refusals": {"()": "apps.monitoring.quiet.WebhookRefusals"},
}
LOGGING["loggers"].update(
    {
        "celery.worker.strategy": {"filters": ["routine_tasks"]},
        "celery.app.trace": {"filters": ["routine_tasks"]},
        "celery.beat": {"filters": ["routine_tasks"]},
        "django.request": {"filters": ["webhook_refusals"]},
    }
)

# --- notifications (apps/notifications) ---
# Links in notifications point into the dashboard at this address.
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000")
NOTIFY_INTERVAL_SECONDS = env_float("NOTIFY_INTERVAL_SECONDS", 15.0, minimum=1.0)
# One notice per (type, subject) per window: a flapping destination gives no storm.
NOTIFY_DEBOUNCE_SECONDS = env_float("NOTIFY_DEBOUNCE_SECONDS", 600.0, minimum=0.0)
# destination.failing: this many consecutive failures, or over this ratio of failed
# attempts among at least MIN_ATTEMPTS in the last WINDOW_SECONDS.
NOTIFY_FAILING_CONSECUTIVE = env_int("NOTIFY_FAILING_CONSECUTIVE", 5, minimum=1)
NOTIFY_FAILURE_RATIO = env_float("NOTIFY_FAILURE_RATIO", 0.5, minimum=0.0)
NOTIFY_FAILURE_MIN_ATTEMPTS = env_int("NOTIFY_FAILURE_MIN_ATTEMPTS", 10, minimum=1)
NOTIFY_FAILURE_WINDOW_SECONDS = env_float("NOTIFY_FAILURE_WINDOW_SECONDS", 600.0, minimum=1.0)
# dead_letters: at most one digest per destination per this many seconds.
NOTIFY_DIGEST_SECONDS = env_float("NOTIFY_DIGEST_SECONDS", 600.0, minimum=0.0)
# source.signature_failures: this many refused signatures on one source in the window.
NOTIFY_SIGNATURE_BURST = env_int("NOTIFY_SIGNATURE_BURST", 20, minimum=1)
NOTIFY_SIGNATURE_WINDOW_SECONDS = env_float("NOTIFY_SIGNATURE_WINDOW_SECONDS", 300.0, minimum=1.0)
# Each send (HTTP or SMTP) ends by then.
NOTIFY_TIMEOUT_SECONDS = env_float("NOTIFY_TIMEOUT_SECONDS", 10.0, minimum=0.5)
CELERY_BEAT_SCHEDULE["evaluate-notifications"] = {
    "task": task_names.EVALUATE_NOTIFICATIONS,
    "schedule": NOTIFY_INTERVAL_SECONDS,
}
CELERY_BEAT_SCHEDULE["send-due-notifications"] = {
    "task": task_names.SEND_DUE_NOTIFICATIONS,
    "schedule": NOTIFY_INTERVAL_SECONDS,
}

# E-mail (for e-mail channels): EMAIL_URL (smtp://user:pass@host:587?tls=1, smtps://
# for implicit TLS) or the separate EMAIL_* variables; EMAIL_URL wins where both are set.
_email = env_email_url("EMAIL_URL")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _email.get("host") or env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("port") or env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = _email.get("user") or env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _email.get("password") or env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _email.get("tls", env_bool("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = _email.get("ssl", env_bool("EMAIL_USE_SSL", False))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "relaycore@localhost")
