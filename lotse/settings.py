"""Lotse settings: one module, configured from the environment (12-factor).

Every setting an operator may change is read from a ``LOTSE_*`` variable or
``DATABASE_URL``; docs/betrieb.md lists them all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LOTSE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on", "ja"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", "nein"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: erwartet wird 1 oder 0 (expected 1 or 0).")


def sqlite_uri(path: str) -> str:
    """The SQLite file as a URI that opens it read-write and fails if it does not exist."""
    return f"file:{quote(path)}?mode=rw"


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


# Secure by default: production mode unless LOTSE_DEBUG=1 is set explicitly.
DEBUG = env_bool("LOTSE_DEBUG", False)
# Demo mode: demo accounts may log in and the second factor is not enforced.
LOTSE_DEMO = env_bool("LOTSE_DEMO", False)
# Plain http on this computer: the development server (LOTSE_DEBUG=1) or the demo (`make run`,
# which runs without debug like production). Only these relax the secret key, the allowed
# hosts and the https-only cookies and redirects; nothing else differs.
LOCAL_HTTP = DEBUG or LOTSE_DEMO


def _secret_key() -> str:
    key = os.environ.get("LOTSE_SECRET_KEY", "").strip()
    if key:
        return key
    if not LOCAL_HTTP:
        raise ImproperlyConfigured(
            "LOTSE_SECRET_KEY ist nicht gesetzt. Im Produktivbetrieb (LOTSE_DEBUG=0) startet Lotse "
            'nur mit einem geheimen Schlüssel, z. B.: export LOTSE_SECRET_KEY="$(python3 -c '
            "'import secrets; print(secrets.token_urlsafe(50))')\" "
            "/ LOTSE_SECRET_KEY is not set; production mode refuses to start without it."
        )
    # Development and demo only: a random key kept in var/ so that sessions survive a restart.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _encryption_keys() -> list[str]:
    """Keys for the encrypted free text (``lotse.core.crypto``), newest first: the newest
    encrypts, every listed one decrypts (rotation: put a new key first, run ``rotate_keys``,
    then drop the old one)."""
    from cryptography.fernet import Fernet

    keys = env_list("LOTSE_ENCRYPTION_KEYS", [])
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"LOTSE_ENCRYPTION_KEYS enthält einen ungültigen Schlüssel (Nr. {number}; erwartet: "
                "32 Bytes in URL-sicherem Base64, wie Fernet.generate_key() ihn erzeugt)."
            ) from None
    if keys:
        return keys
    if not LOCAL_HTTP:
        raise ImproperlyConfigured(
            "LOTSE_ENCRYPTION_KEYS ist nicht gesetzt. Im Produktivbetrieb verschlüsselt Lotse Notizen "
            "und Einschätzungen mit einem Schlüssel aus der Umgebung, z. B.: export "
            "LOTSE_ENCRYPTION_KEYS=\"$(python3 -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')\" (sicher aufbewahren: ohne ihn sind die Daten "
            "nicht lesbar) / LOTSE_ENCRYPTION_KEYS is not set."
        )
    # Development and demo only: a key kept in var/ beside the database it encrypts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev-encryption-key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return [key_file.read_text().strip()]


LOTSE_ENCRYPTION_KEYS = _encryption_keys()
ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if LOCAL_HTTP else [])
CSRF_TRUSTED_ORIGINS = env_list("LOTSE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "lotse.core",
    "lotse.accounts",
    "lotse.people",
    "lotse.clearing",
    "lotse.cases",
    "lotse.housing",
    "lotse.schooling",
    "lotse.neighbourhood",
    "lotse.planning",
    "lotse.api",
    "lotse.privacy",
    "lotse.reports",
    "lotse.portal",
    # Demo data for all apps; last, so that its part of a blueprint loads after theirs.
    "lotse.demo",
]

MIDDLEWARE = [
    "lotse.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lotse.core.middleware.SecurityHeadersMiddleware",
    # A German page on error answers without a body of their own (405, 410, 413, 429).
    "lotse.core.middleware.ErrorPageMiddleware",
    # Inside the security headers: its 503 (the read could not be recorded) gets them too.
    "lotse.core.middleware.ReadAuditMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, answering 503 when the session cannot be saved to a locked database.
    "lotse.core.middleware.SessionMiddleware",
    "lotse.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotse.accounts.middleware.SecondFactorMiddleware",
    "lotse.accounts.middleware.RoleFirstUseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lotse.core.middleware.DatabaseUnavailableMiddleware",
    # Last, so that it sees the outcome of authentication on every request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lotse" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.core.navigation.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lotse.sqlite3'}",
        conn_max_age=int(os.environ.get("LOTSE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# How long a request waits for a lock another process holds before it gives up; the page then
# says "503, try again shortly" (lotse.core.unavailable). Short on purpose: a person waits.
LOTSE_DB_LOCK_TIMEOUT = float(os.environ.get("LOTSE_DB_LOCK_TIMEOUT", "5"))
# The health check's own, shorter limit for reading and writing (/healthz, docs/betrieb.md).
LOTSE_HEALTH_TIMEOUT = float(os.environ.get("LOTSE_HEALTH_TIMEOUT", "2"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so that two writers queue instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": LOTSE_DB_LOCK_TIMEOUT,
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # Opened read-write, never created: a missing file is an error, not a new empty
        # database. Only `manage.py migrate` creates it (lotse/core/management/commands/migrate.py).
        DATABASES["default"]["NAME"] = sqlite_uri(str(DATABASES["default"]["NAME"]))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # No JIT compiling: it pays off for long analytical queries, but a page's query whose
    # estimate passes jit_above_cost spent 25–140 ms compiling for a run of a few ms
    # (decision 0048).
    _options["options"] = (
        f"{_options.get('options', '')} -c lock_timeout={round(LOTSE_DB_LOCK_TIMEOUT * 1000)} -c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, second factor, lockout ------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lotse.accounts.backends.LotseModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Second factor (TOTP) for every role that can see personal data, except in demo mode.
LOTSE_ENFORCE_SECOND_FACTOR = env_bool("LOTSE_ENFORCE_SECOND_FACTOR", not LOTSE_DEMO)
OTP_TOTP_ISSUER = os.environ.get("LOTSE_OTP_ISSUER", "Lotse")

AXES_FAILURE_LIMIT = int(os.environ.get("LOTSE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOTSE_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And failures from one address across all accounts (password spraying): lotse.accounts.lockout.
AXES_HANDLER = "lotse.accounts.lockout.LockoutHandler"
LOTSE_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOTSE_LOGIN_IP_FAILURE_LIMIT", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Successful logins are in our own audit trail; axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
if env_bool("LOTSE_BEHIND_PROXY", False):
    # Behind a reverse proxy the client address is the first in X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Idle timeout: every request renews the session, which ends after this many idle minutes.
SESSION_COOKIE_AGE = int(os.environ.get("LOTSE_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "lotse_session"
CSRF_COOKIE_NAME = "lotse_csrftoken"
CSRF_FAILURE_VIEW = "lotse.core.views.csrf_failure"

# --- Security headers -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOTSE_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
if not LOCAL_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("LOTSE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("LOTSE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("LOTSE_HSTS_PRELOAD", False)
    # Behind a reverse proxy that terminates TLS (see docs/betrieb.md).
    if env_bool("LOTSE_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading is a commitment an operator makes by submitting the domain; the flag
    # is theirs to set (LOTSE_HSTS_PRELOAD=1), not a default of ours.
    "security.W021",
]
if not LOCAL_HTTP and not SECURE_SSL_REDIRECT:
    # The operator chose LOTSE_SSL_REDIRECT=0 because the reverse proxy redirects to HTTPS.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# --- Languages ----------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
# Second: Django's German wording where Django REST framework's catalog differs (see there).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "lotse" / "api" / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "lotse_language"
LANGUAGE_COOKIE_SECURE = not LOCAL_HTTP
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LOTSE_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even before collectstatic
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json) and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "lotse" / "static",
    ("vendor/kern", NODE_MODULES / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Background tasks -------------------------------------------------------------
# django-tasks (the Django 6 tasks API). "database" (default): tasks wait in the database
# until the worker (`manage.py worker`, see docs/betrieb.md) runs them. "immediate": they
# run at once inside the web request – only for very small installations without a worker.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
LOTSE_TASKS_BACKEND = os.environ.get("LOTSE_TASKS_BACKEND", "").strip() or "database"
if LOTSE_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"LOTSE_TASKS_BACKEND={LOTSE_TASKS_BACKEND!r}: erwartet wird database oder immediate "
        "(expected database or immediate)."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[LOTSE_TASKS_BACKEND]}}
# The worker (`manage.py worker`, lotse/core/worker.py) renews its heartbeat this often; a
# task whose worker has not beaten for LOTSE_WORKER_STALE_SECONDS is taken up by another.
LOTSE_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("LOTSE_WORKER_HEARTBEAT_SECONDS", "5"))
LOTSE_WORKER_STALE_SECONDS = float(os.environ.get("LOTSE_WORKER_STALE_SECONDS", "60"))
# A task that was claimed this often (its worker died, or the database stayed busy) fails.
LOTSE_WORKER_MAX_ATTEMPTS = int(os.environ.get("LOTSE_WORKER_MAX_ATTEMPTS", "5"))
# Longest pause between two tries while the database is locked or unreachable.
LOTSE_WORKER_RETRY_MAX_SECONDS = float(os.environ.get("LOTSE_WORKER_RETRY_MAX_SECONDS", "30"))

# Figures whose computation (all a page asks together) takes at least this many milliseconds are
# kept between requests and computed again in the background when older than
# LOTSE_FIGURES_MAX_AGE_SECONDS (lotse/core/kept.py, decision 0042).
LOTSE_FIGURES_KEEP_AFTER_MS = int(os.environ.get("LOTSE_FIGURES_KEEP_AFTER_MS", "200"))
LOTSE_FIGURES_MAX_AGE_SECONDS = int(os.environ.get("LOTSE_FIGURES_MAX_AGE_SECONDS", "900"))

# --- Documents of case files -------------------------------------------------------
# Uploaded documents and photos live outside the web root under random names, encrypted with
# LOTSE_ENCRYPTION_KEYS (lotse.core.files, decision 0029); only access-checked views read them.
# Back this directory up together with the database (manage.py backup).
LOTSE_DOCUMENT_DIR = Path(os.environ.get("LOTSE_DOCUMENT_DIR", VAR_DIR / "documents"))
LOTSE_DOCUMENT_MAX_MB = int(os.environ.get("LOTSE_DOCUMENT_MAX_MB", "10"))

# --- REST API (/api/v1/, docs/api.md) ------------------------------------------------
# JSON only, bearer tokens issued on the command line (manage.py issue_token); no session
# login, so no CSRF and no browsable pages. Errors: {"detail", "code", "fields"} in German.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lotse.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["lotse.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lotse.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lotse.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "lotse.api.metadata.Metadata",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lotse API",
    "DESCRIPTION": (
        "REST-API von Lotse für Fallarbeit: Personen, Haushalte, Fallakten, Kontakte, "
        "Verweisungen, Einwilligungen und Wiedervorlagen; Wohnraumkontrolle: Gebäude, Wohnungen, "
        "Kontrollen und Anordnungen. Anleitung: docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lotse.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "lotse.cases.models.CaseFile.Status",
        "ReferralStatusEnum": "lotse.cases.models.Referral.Status",
        "ReferralStatusFilterEnum": "lotse.api.referrals.STATUS_FILTER",
        "CheckResultEnum": "lotse.cases.models.Referral.CheckResult",
        "SharedPartEnum": "lotse.cases.models.SharedPart",
        "AssessmentDomainEnum": "lotse.cases.models.case.AssessmentDomain",
        "ContactKindEnum": "lotse.cases.models.Contact.Kind",
        "CounsellingKindEnum": "lotse.neighbourhood.models.CounsellingEntry.Kind",
        "SchoolKindEnum": "lotse.schooling.models.School.Kind",
        "OrderOutcomeEnum": "lotse.housing.models.Order.Outcome",
        "SchoolingReportOutcomeEnum": "lotse.schooling.models.MissedSchoolingReport.Outcome",
        "CounsellingOutcomeEnum": "lotse.neighbourhood.models.CounsellingEntry.Outcome",
        # Kitchen and bath of a dwelling: one choice set (own, shared, none).
        "FacilityEnum": "lotse.housing.models.Dwelling.Facility",
        "IndicatorKindEnum": "lotse.planning.models.Indicator.Kind",
    },
}

# --- Register import --------------------------------------------------------------
# Largest file the Clearingstelle may upload (megabytes); the reverse proxy must allow it too.
LOTSE_IMPORT_MAX_MB = int(os.environ.get("LOTSE_IMPORT_MAX_MB", "20"))
# Uploaded files wait here (outside the web root, encrypted like documents) until the import
# is done or discarded.
LOTSE_IMPORT_DIR = VAR_DIR / "imports"
# Where ``manage.py audit_anchor`` appends the audit chain's end (decision 0022). In production
# a path the database account cannot write, best on another machine.
LOTSE_AUDIT_ANCHOR_FILE = Path(os.environ.get("LOTSE_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anker.jsonl"))

# --- E-mail ---------------------------------------------------------------------
EMAIL_HOST = os.environ.get("LOTSE_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("LOTSE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("LOTSE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LOTSE_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = env_bool("LOTSE_EMAIL_USE_SSL", False)  # SMTPS, usually port 465
EMAIL_USE_TLS = env_bool("LOTSE_EMAIL_USE_TLS", not EMAIL_USE_SSL)  # STARTTLS
DEFAULT_FROM_EMAIL = os.environ.get("LOTSE_EMAIL_FROM", "lotse@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in notices sent without a request (referrals, consents, follow-ups) start with this.
LOTSE_BASE_URL = os.environ.get("LOTSE_BASE_URL", "http://localhost:8000").strip()
PASSWORD_RESET_TIMEOUT = 2 * 3600
# Reset mails per hour: per entered address, and per client address (any addresses).
LOTSE_PASSWORD_RESET_PER_ACCOUNT = int(os.environ.get("LOTSE_PASSWORD_RESET_PER_ACCOUNT", "3"))
LOTSE_PASSWORD_RESET_PER_IP = int(os.environ.get("LOTSE_PASSWORD_RESET_PER_IP", "10"))

# --- Logging ----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOTSE_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step of every PDF at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
