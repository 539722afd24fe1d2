"""LEDS Admin settings: everything comes from the environment (see .env.example).

With nothing set and DEBUG on, the app runs on a laptop: SQLite under var/, Celery on kombu's
filesystem transport under var/, e-mail written to var/mail/. With DATABASE_URL and REDIS_URL set,
the same code runs on PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if env.bool("READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-never-in-production")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as exc:  # a missing secret stops the boot outside DEBUG
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off") from exc

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer's built-in widget templates (FORM_RENDERER below)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "django_celery_beat",
    "django_htmx",
    "csp",
    # ours, from the base up (DESIGN.md)
    "common",
    "accounts",
    "people",
    "notifications",
    "compliance",
    "certification",
    "background",
    "state_access",
    "training_events",
    "validations",
    "agreements",
    "reminders",
    "audit",
    "paperwork",
    "statewide",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy below, with a nonce per request
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "common.middleware.NoStoreForSignedInMiddleware",  # nothing a signed-in user sees is cached (issue 17)
    "compliance.middleware.RuleTableMiddleware",  # the rule table read once per request (issue 23)
    # sign-in limits (R-SEC-4), then the forced password change and MFA enrollment (R-SEC-1)
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "people.middleware.AgencyAccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ledsadmin.urls"
WSGI_APPLICATION = "ledsadmin.wsgi.application"

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
                "people.context_processors.access",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for the rare inline <script nonce="…">
            ],
            "builtins": ["common.templatetags.dates"],  # |day and |moment: one date format in every page
        },
    },
]

# One form renderer: every field in USWDS markup (common/renderer.py, templates/forms/).
FORM_RENDERER = "common.renderer.USWDSFormRenderer"

# --- database -------------------------------------------------------------------------------------
# Default: SQLite under var/ in WAL mode, so web, worker and beat can share it on a laptop.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'ledsadmin.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, Celery --------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# How long a request may wait for Redis (cache) or the broker before going on without it (issue 18).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
if REDIS_URL:
    # The cache fails open: while Redis is down, reads miss and writes are skipped, so sign-in, password reset
    # and every page still work (allauth's rate limits pause; the lockout, in the database, stays enforced).
    CACHES = {"default": {"BACKEND": "ledsadmin.cache.FailOpenRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                                      "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=1.0)}}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # A request that queues e-mail schedules delivery after commit; while the broker is down it gives up
        # within about REDIS_CONNECT_TIMEOUT (beat's minute tick delivers what could not be scheduled).
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "max_retries": 1,
        "interval_start": 0.1,
        "interval_step": 0.1,
        "interval_max": 0.2,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _celery_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)

# kombu's whole connect-and-retry budget when publishing (default 4 s, which let a request stall ~6 s).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TIMEZONE = env.str("TIME_ZONE", default="America/Los_Angeles")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # results live in the database, never only in the broker
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- e-mail ---------------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LEDS Admin <leds-admin@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach LEDS Admin at: links in e-mails are built from it.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# E-mail delivery (issue 18). A connection failure or a temporary (4xx) answer never uses up an attempt: the row
# waits 1, 2, 4 … minutes, never more than OUTBOX_BACKOFF_MAX_SECONDS, and is tried until the server takes it.
# Attempts are used up only by errors of ours (a template that fails) or a 5xx to the message's content; a
# permanent (5xx) refusal of the recipient fails the row at once.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_BACKOFF_BASE_SECONDS = env.float("OUTBOX_BACKOFF_BASE_SECONDS", default=60)
OUTBOX_BACKOFF_MAX_SECONDS = env.float("OUTBOX_BACKOFF_MAX_SECONDS", default=5 * 60)
# A worker claims this many rows at a time (a group comes along whole) with a lease it renews while it works;
# a lease not renewed (the worker was killed) expires and any worker claims the rows again.
OUTBOX_CLAIM_SIZE = env.int("OUTBOX_CLAIM_SIZE", default=20)
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=60)
# One delivery task works this long, then re-queues itself (a worker stops within an orchestrator's grace).
OUTBOX_TASK_BUDGET_SECONDS = env.float("OUTBOX_TASK_BUDGET_SECONDS", default=20)
# After the broker failed to take a "deliver now", a process does not ask again for this long (beat catches up).
OUTBOX_SCHEDULE_PAUSE_SECONDS = env.float("OUTBOX_SCHEDULE_PAUSE_SECONDS", default=30)
# A process asks for delivery at most once in this window, for the window's end: one run covers every row
# committed in it (a burst of 200 registrations asks a worker a few times, not 200). 0: ask at every commit.
OUTBOX_SCHEDULE_COALESCE_SECONDS = env.float("OUTBOX_SCHEDULE_COALESCE_SECONDS", default=1)
# No SMTP command may hang a worker longer than this (it would outlive its lease).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Reminders go out once the agency's own clock passes this hour; digests on this weekday (0 = Monday).
REMINDER_HOUR = env.int("REMINDER_HOUR", default=6)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)

# --- authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[LEDS Admin] "  # never the request's Host (issue 17)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# allauth's own per-account login limit would keep refusing an account axes just unlocked (stack.md §2)
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # after a reset the person signs in again, through MFA
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False  # reset by an e-mailed link (issue 5)

# Multi-factor authentication for everyone (R-SEC-1): TOTP, WebAuthn security keys, recovery codes.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a key is a second factor here, never a password replacement
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://localhost in development only
MFA_TRUST_ENABLED = False  # "trust this browser" would skip the second factor
MFA_TOTP_ISSUER = "LEDS Admin"
# The factors that count as enrolled; recovery codes alone do not (accounts.middleware.MFARequiredMiddleware).
MFA_REQUIRED_TYPES = ["totp", "webauthn"]
# TOTP secrets are encrypted at rest (accounts.adapters.MFAAdapter). Several keys, comma-separated, allow a
# rotation: the first encrypts, all decrypt. Outside DEBUG the key must be set, like SECRET_KEY.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEY", default=[])
if not MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEY must be set when DEBUG is off (it encrypts TOTP secrets)")
    MFA_ENCRYPTION_KEYS = [f"derived-for-development-only:{SECRET_KEY}"]

# The security log (R-SEC-5): kept at least a year; the LASO signs off a review every week.
SECURITY_LOG_RETENTION_DAYS = max(365, env.int("SECURITY_LOG_RETENTION_DAYS", default=365))
SECURITY_LOG_REVIEW_DAYS = env.int("SECURITY_LOG_REVIEW_DAYS", default=7)
SECURITY_LOG_PAGE_SIZE = 50
# An import file above this many rows is refused with a clear message (common.tabular, issue 17).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
# A file above this many rows is read and planned by a Celery worker, with a progress bar (common.imports, issue 17).
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=2_000)
# The obligations refresh computes and stores this many people at a time: a worker's memory is one batch's
# (compliance.obligations.refresh, issue 23).
OBLIGATIONS_REFRESH_BATCH = env.int("OBLIGATIONS_REFRESH_BATCH", default=5_000)
# A LEDS Representative's invitation link works once, for this many days (CJIS AC-2).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

AXES_FAILURE_LIMIT = env.int("LOCKOUT_FAILURES", default=5)
# Failures count in a sliding window (R-SEC-3): accounts.lockout.SlidingWindowHandler keeps one row per failure.
LOCKOUT_WINDOW_SECONDS = env.int("LOCKOUT_WINDOW_SECONDS", default=15 * 60)
AXES_HANDLER = "accounts.lockout.SlidingWindowHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"  # case-insensitive, like allauth's sign-in
# Whom a locked-out person calls; the same words for every user name, so nothing reveals whether it exists.
LOCKOUT_CONTACT = env.str(
    "LOCKOUT_CONTACT", default="your agency's LEDS Representative (or the LEDS Admin help desk)"
)
AXES_COOLOFF_TIME = None  # locked until an administrator unlocks (R-SEC-3)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
# A username-only lockout is deliberate: an IP lockout would lock a whole precinct behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=8)},
    },
    # R-SEC-2: no composition rules; common (and, with PASSWORD_LIST_PATH, breached) passwords are refused
    {
        "NAME": "accounts.passwords.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": env.str("PASSWORD_LIST_PATH", default="") or None},
    },
]

# --- sessions, security ---------------------------------------------------------------------------
# R-SEC-4: 30 minutes idle, 12 hours whatever the activity (accounts.middleware.SessionLimitsMiddleware).
# The session is saved only on real activity, so background polling does not keep it alive.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=2 * 60)
# The stored session lives a few minutes past the idle limit, so the middleware, not a silent expiry, ends it
# (logged, with a message saying why); any request after the idle limit is refused all the same.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts, styles, fonts and images — USWDS and htmx are served
# from our static files; an inline <script> runs only with the request's nonce ({{ CSP_NONCE }}); no inline
# handlers (onclick=) and no style="" attributes in pages (static/js/ledsadmin.js, static/css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n, time -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
LOCALE_PATHS = [BASE_DIR / "locale"]  # sentence case for allauth's labels (locale/en/LC_MESSAGES/django.po)
TIME_ZONE = env.str("TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------------
# USWDS and htmx come from pinned npm packages (package.json), served through staticfiles.
NODE_MODULES = BASE_DIR / "node_modules"
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_FINDERS = [
    "ledsadmin.staticfiles.LedsFileSystemFinder",  # STATICFILES_DIRS minus what no page uses
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_COMPRESS", default=True)  # scripts/smoke.sh skips gzip/brotli to stay quick
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"  # never served at a public URL; scoped views stream uploads
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- domain ---------------------------------------------------------------------------------------
LEDS_ROSTER_PAGE_SIZE = 25
SITE_NAME = env.str("SITE_NAME", default="LEDS Admin")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
