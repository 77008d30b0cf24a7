"""Zhongshu settings: everything comes from environment variables, read here with typed readers.

SQLite (WAL, busy timeout, IMMEDIATE transactions) under ./var/ is the embedded default;
PostgreSQL (health-checked connection pool) is chosen with DATABASE_URL=postgres://…
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


# ---- typed readers -------------------------------------------------------------------------
def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"环境变量 {name} 应为 true/false，实际为 {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为整数，实际为 {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).resolve() if raw else default


# ---- paths ---------------------------------------------------------------------------------
VAR_DIR = env_path("ZHONGSHU_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "/media/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATIC_URL = "/static/"
# 档案 transfer packages are built as folders before they are zipped: with several app servers (and always with
# MEDIA_STORAGE=s3) a folder every server mounts.  Unset: MEDIA_ROOT/transfers.
if env_str("ARCHIVES_TRANSFER_DIR"):
    ARCHIVES_TRANSFER_DIR = env_path("ARCHIVES_TRANSFER_DIR", MEDIA_ROOT / "transfers")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once and kept under ./var/."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> str:
    """The audit chain key (HMAC-SM3, decision 0008): AUDIT_KEY, else the file AUDIT_KEY_FILE, generated once
    with mode 0600. It must live outside the database and be backed up apart from it."""
    key = env_str("AUDIT_KEY")
    if key:
        return key
    if not AUDIT_KEY_FILE.exists():
        AUDIT_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(AUDIT_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return AUDIT_KEY_FILE.read_text().strip()


AUDIT_KEY_FILE = env_path("AUDIT_KEY_FILE", VAR_DIR / "audit_key")
AUDIT_KEY = _audit_key()
# Signed checkpoints of the chain head, appended outside the database (and to syslog if AUDIT_ANCHOR_SYSLOG).
AUDIT_ANCHOR_FILE = env_path("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.log")
AUDIT_ANCHOR_SYSLOG = env_bool("AUDIT_ANCHOR_SYSLOG", False)
AUDIT_ANCHOR_SYSLOG_ADDRESS = env_str("AUDIT_ANCHOR_SYSLOG_ADDRESS", "/dev/log")  # a socket path or host:port (UDP)
AUDIT_ANCHOR_MINUTES = env_int("AUDIT_ANCHOR_MINUTES", 10)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# ---- database ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhongshu.sqlite3'}")
# The background worker (django-q) forks its processes.  A PostgreSQL connection pool opened before a fork is shared
# by parent and children — one socket, several users: "can't change 'autocommit' now: connection in transaction
# status INTRANS", and transactions left open holding row locks that stalled every web request for a minute under
# bench/scaleout.py.  The worker therefore uses plain persistent connections (one per process), never the pool.
IS_WORKER = len(sys.argv) > 1 and sys.argv[1] in ("worker", "qcluster")


def _database(url: str, worker: bool = IS_WORKER) -> dict:
    cfg: dict = dict(dj_database_url.parse(url))
    if cfg["ENGINE"] == "django.db.backends.sqlite3":
        cfg["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN so two writers queue instead of deadlocking.
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            # cache_size: SQLite's default page cache is 2 MB a connection — one full-text query over a large index
            # touches more and re-reads pages within itself; mmap lets the pages of the first 2 GB (the most SQLite
            # maps) be read without copying.  At 1M indexed documents a 文号 query verifying 717 candidates took
            # 33.8 ms median with the defaults, 9.4 ms with both (decision 0006).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA cache_size=-{env_int('SQLITE_CACHE_MB', 64) * 1024}; PRAGMA mmap_size={env_int('SQLITE_MMAP_MB', 2047) * 2**20};",
        }
        # A connection (and its page cache) lives on across requests of a worker.
        cfg["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
        cfg["CONN_HEALTH_CHECKS"] = True
        # One test database file per process: several test runs (and xdist workers) may share a checkout.
        cfg["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    elif cfg["ENGINE"] == "django.db.backends.postgresql":
        cfg["CONN_HEALTH_CHECKS"] = True
        if env_bool("DB_POOL", True) and not worker:
            # A pool replaces persistent connections (CONN_MAX_AGE must stay 0); with health checks on,
            # Django gives the pool ConnectionPool.check_connection, run at every checkout.
            cfg["CONN_MAX_AGE"] = 0
            cfg["OPTIONS"] = {"pool": {"min_size": env_int("DB_POOL_MIN", 1), "max_size": env_int("DB_POOL_MAX", 10)}}
        else:
            cfg["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    return cfg


DATABASES = {"default": _database(DATABASE_URL)}
# PostgreSQL: the owner/migration role (decision 0008). If set, `zhongshu init` migrates with it and
# `--setup-roles` grants DATABASE_URL's role the runtime rights (no TRUNCATE/ALTER, audit tables SELECT/INSERT only).
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL")
if DATABASE_OWNER_URL:
    DATABASES["owner"] = {**_database(DATABASE_OWNER_URL), "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_q",
    "zhongshu.core",
    "zhongshu.org",
    "zhongshu.access",
    "zhongshu.audit",
    "zhongshu.accounts",
    "zhongshu.workdays",
    "zhongshu.notify",
    "zhongshu.web",
    "zhongshu.notices",
    "zhongshu.proofing",
    "zhongshu.outgoing",
    "zhongshu.incoming",
    "zhongshu.flow",
    "zhongshu.supervision",
    "zhongshu.search",
    "zhongshu.archives",
    "zhongshu.seals",
    "zhongshu.agenda",
    "zhongshu.meetings",
    "zhongshu.inbox",  # after every task source: its ready() sees them registered
    "zhongshu.api",
    "zhongshu.ops",
    "zhongshu.demo",
]

MIDDLEWARE = [
    "zhongshu.ops.middleware.RequestMiddleware",  # request id (logs, jobs) and /metrics counters: first, sees everything
    "zhongshu.core.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "zhongshu.core.bounds.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhongshu.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Security headers (zhongshu/core/headers.py, decision 0011). CSP_EXTRA extends the Content-Security-Policy,
# e.g. "img-src https://witness.example" for a named external witness; empty by default.
CSP_EXTRA = env_str("CSP_EXTRA", "")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

ROOT_URLCONF = "zhongshu.urls"
WSGI_APPLICATION = "zhongshu.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:workbench"

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
                "zhongshu.web.context.shell",
            ],
        },
    }
]

# ---- authentication (等级保护 level 3) ------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhongshu.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "zhongshu.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "zhongshu.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "zhongshu.accounts.passwords.ComplexityValidator"},
    {"NAME": "zhongshu.accounts.passwords.HistoryValidator", "OPTIONS": {"keep": 5}},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhongshu.accounts.views.lockout_response"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60  # idle timeout, renewed on each request
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
TOTP_REQUIRED_FOR_ADMINS = env_bool("TOTP_REQUIRED_FOR_ADMINS", True)
TOTP_ISSUER = env_str("TOTP_ISSUER", "中枢")
# API tokens (accounts.ApiToken): hashed, one per named device, ended by password change/reset and deactivation.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 10)
# Password resets and new accounts: a one-time activation code only the person receives (docs/decisions/0009).
PASSWORD_RESET_NEEDS_APPROVAL = env_bool("PASSWORD_RESET_NEEDS_APPROVAL", True)
PASSWORD_RESET_ACTIVATION_HOURS = env_int("PASSWORD_RESET_ACTIVATION_HOURS", 72)

# ---- 涉密但不泄密: the policy mechanism (zhongshu/access/policy.py, docs/decisions/0002) -------------------------
# A person below an object's classification never receives its title. "drop": they get no notification about it
# (delegations, assignments and circulations to them are refused when chosen); "redact": they get the redacted line
# (“您有一件机密发文（无权查看），请联系办公室”).
NOTIFY_UNCLEARED = env_str("NOTIFY_UNCLEARED", "drop")

# ---- i18n ----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# ---- static files --------------------------------------------------------------------------
def media_storage(env=os.environ) -> dict:
    """The store of uploaded and generated files (STORAGES["default"]).

    MEDIA_STORAGE=filesystem (default): MEDIA_ROOT — with several app servers a folder every server mounts (NFS).
    MEDIA_STORAGE=s3: an S3-compatible object store (MinIO, a cloud's object storage) through django-storages.
    Names are never overwritten (an attachment of the same name gets a suffix) and objects stay private: files are
    served only through the platform's views, which check the reader's rights."""
    kind = (env.get("MEDIA_STORAGE") or "filesystem").strip().lower()
    if kind in ("filesystem", "fs", "local"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ValueError(f"环境变量 MEDIA_STORAGE 应为 filesystem 或 s3，实际为 {kind!r}")
    bucket = (env.get("S3_BUCKET") or "").strip()
    if not bucket:
        raise ValueError("MEDIA_STORAGE=s3 时须设置 S3_BUCKET")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.get("S3_ENDPOINT_URL") or None,  # e.g. http://minio.internal:9000; empty: AWS
        "region_name": env.get("S3_REGION") or None,
        "access_key": env.get("S3_ACCESS_KEY_ID") or None,  # empty: boto3's own chain (instance role, ~/.aws)
        "secret_key": env.get("S3_SECRET_ACCESS_KEY") or None,
        "location": (env.get("S3_PREFIX") or "").strip("/"),
        "addressing_style": env.get("S3_ADDRESSING_STYLE") or "path",  # MinIO and most on-premises stores
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50) * 1024 * 1024
# Hostile containers (core/containers.py): limits read from the ZIP central directory before any decompression.
CONTAINER_MAX_UNPACKED_MB = env_int("CONTAINER_MAX_UNPACKED_MB", 100)
CONTAINER_MAX_ENTRIES = env_int("CONTAINER_MAX_ENTRIES", 10000)
CONTAINER_MAX_RATIO = env_int("CONTAINER_MAX_RATIO", 100)
CONTAINER_MAX_DEPTH = env_int("CONTAINER_MAX_DEPTH", 2)
# Text extraction for the search index runs in a child process with these budgets (search/extract_worker.py).
EXTRACT_MEMORY_MB = env_int("EXTRACT_MEMORY_MB", 512)
EXTRACT_TIMEOUT_SECONDS = env_int("EXTRACT_TIMEOUT_SECONDS", 30)

# ---- e-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhongshu@localhost")

# ---- cache and sessions --------------------------------------------------------------------
# Sessions live in the database (Django's db backend, stated here on purpose): a person stays logged in when the app
# server that served them is lost, whichever server takes the next request.  The cache is per process unless Redis
# is configured (CACHE_URL, default REDIS_URL), then shared by every app server (Django's built-in RedisCache).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHE_URL = env_str("CACHE_URL", env_str("REDIS_URL"))


def _caches(url: str) -> dict:
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"环境变量 CACHE_URL 应为 redis://…，实际为 {url!r}")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "zs",
                        "TIMEOUT": 300}}


CACHES = _caches(CACHE_URL)

# ---- job queue -----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER: dict = {
    "name": "zhongshu",
    "workers": env_int("QUEUE_WORKERS", 2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "label": "后台任务",
    "sync": env_bool("QUEUE_SYNC", False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"  # database-backed: no extra server in the embedded default
    Q_CLUSTER["poll"] = 1

# ---- backup (zhongshu backup / restore, core/backup.py) ----------------------------------------------------------
# The daily backup runs in the worker at BACKUP_HOUR:BACKUP_MINUTE (local time) into BACKUP_DIR and keeps the newest
# backup of each of the last BACKUP_KEEP_DAILY days and of each of the last BACKUP_KEEP_MONTHLY months. With
# BACKUP_ENCRYPT the files are encrypted (BACKUP_CIPHER AES-256-GCM or SM4-GCM) under ZHONGSHU_BACKUP_KEY (64 hex
# digits, in the worker's environment, kept offline too). BACKUP_PG_BIN_DIR: where pg_dump/pg_restore of the
# server's major version live (e.g. /usr/lib/postgresql/16/bin) when the default ones are older.
BACKUP_DIR = env_path("BACKUP_DIR", VAR_DIR / "backups")
BACKUP_DAILY = env_bool("BACKUP_DAILY", True)
BACKUP_HOUR = env_int("BACKUP_HOUR", 2)
BACKUP_MINUTE = env_int("BACKUP_MINUTE", 30)
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_MONTHLY = env_int("BACKUP_KEEP_MONTHLY", 12)
BACKUP_ENCRYPT = env_bool("BACKUP_ENCRYPT", False)
BACKUP_CIPHER = env_str("BACKUP_CIPHER", "AES-256-GCM")
BACKUP_PG_BIN_DIR = env_str("BACKUP_PG_BIN_DIR")
BACKUP_TIMEOUT_SECONDS = env_int("BACKUP_TIMEOUT_SECONDS", 4 * 3600)

# ---- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhongshu.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "zhongshu.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "zhongshu.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "zhongshu.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "zhongshu.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
}
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 64)  # deeper JSON bodies are refused with 400
SPECTACULAR_SETTINGS = {
    "TITLE": "中枢 API",
    "DESCRIPTION": "中枢机关办公室平台 REST API（/api/v1/）。令牌认证：POST /api/v1/auth/token。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "GET_MOCK_REQUEST": "zhongshu.api.schema.mock_request",
    # Choice sets that several modules name alike ("kind", "source", "box"): one name each, no hashed suffixes.
    "ENUM_NAME_OVERRIDES": {
        "LoanKindEnum": "zhongshu.archives.models.Loan.Kind",
        "IncomingKindEnum": "zhongshu.incoming.models.IncomingDocument.Kind",
        "TodoOrReadEnum": "zhongshu.inbox.models.Task.Box",
        "ArchiveSourceEnum": "zhongshu.archives.models.Source",
        "SupervisionSourceEnum": "zhongshu.supervision.models.Source",
    },
}

# ---- logging -------------------------------------------------------------------------------
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id); text otherwise. The request
# id of a page or API call is carried into the jobs it queues (zhongshu/ops/logs.py, core.jobs.run_job).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "zhongshu.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "zhongshu.ops.logs.JsonFormatter"},
        "text": {"()": "zhongshu.ops.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# ---- Operations (zhongshu/ops): health, metrics, the worker supervisor ---------------------------------------------
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 512)  # /healthz fails below this much free space (media, var)
METRICS_ENABLED = env_bool("METRICS_ENABLED", True)
METRICS_TOKEN = env_str("METRICS_TOKEN")  # when set, /metrics needs "Authorization: Bearer <token>"
METRICS_ALLOW_IPS = env_list("METRICS_ALLOW_IPS", ["127.0.0.1", "::1"])  # otherwise these addresses/networks only
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 2)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 30)  # older heartbeats: the worker counts as stopped
WORKER_GRACE_SECONDS = env_int("WORKER_GRACE_SECONDS", 5)  # an incomplete cluster for longer is restarted
RECOVERY_SECONDS = env_int("RECOVERY_SECONDS", 60)  # how often the supervisor re-queues work whose runner died
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60)  # lease of a multi-step job, renewed at every step
# The last backup shown on 运行状态 (unconfirmed: the status file of `zhongshu backup`, issue 19 §1); absent = 未配置.
BACKUP_STATUS_FILE = env_path("BACKUP_STATUS_FILE", VAR_DIR / "backups" / "last-backup.json")

ZHONGSHU_DEMO = env_bool("ZHONGSHU_DEMO", False)
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", False)
if TRUSTED_PROXY:
    # Behind nginx terminating HTTPS (deploy/nginx/zhongshu-proxy.conf sets X-Forwarded-Proto, replacing the client's):
    # Django then knows the request was HTTPS (CSRF origin checks, secure redirects).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Lockout is per account (等级保护: lock the account after repeated failures). Locking per IP would lock a
# whole office that reaches the server through one NAT address, so axes' IP hint is deliberately silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
