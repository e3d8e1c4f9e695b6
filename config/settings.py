"""Patch settings, read from the environment only.

Defaults give the embedded setup (SQLite, in-memory channel layer, debug) so a clean clone runs;
production sets ``PATCH_ENV=production`` with a secret key and allowed hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


PATCH_ENV = env_str("PATCH_ENV", "development")
if PATCH_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PATCH_ENV must be development or production, not {PATCH_ENV!r}")
PRODUCTION = PATCH_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random secret, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "patch-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: list the host names Patch answers on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Take X-Request-ID from the proxy in front (which must set or overwrite it); otherwise mint one.
TRUST_PROXY_REQUEST_ID = env_bool("TRUST_PROXY_REQUEST_ID", default=False)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "pwa",
    "teams",
    "caseload",
    "rota",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "teams.middleware.RequestIdMiddleware",
    "teams.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teams.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "teams.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "teams.context_processors.navigation",
                "caseload.context_processors.handover_count",
                "teams.context_processors.session_clock",
            ],
            # teams' cached_url replaces Django's {% url %} (teams/templatetags/cached_url.py).
            "builtins": [
                "django.templatetags.static",
                "django.templatetags.i18n",
                "teams.templatetags.cached_url",
            ],
        },
    },
]


def sqlite_database(name: str) -> dict:
    """Configure the embedded database at ``name``, whether from SQLITE_PATH or DATABASE_URL.

    The test database is a file beside it, so a server process started by the tests (browser
    and fault tests) opens the very database the tests write; an in-memory one stays in memory.
    """
    settings = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # WAL lets readers and the one writer proceed together; the busy timeout makes a
            # second writer wait instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
    }
    if name and name != ":memory:" and not name.startswith("file:"):
        path = Path(name).resolve()
        settings["TEST"] = {"NAME": str(path.with_name(f".test-{path.name}"))}
    return settings


def database_pool(value: str) -> dict | None:
    """Read DATABASE_POOL ``min,max`` into psycopg pool options (docs/deploy.md).

    A request waits at most DATABASE_POOL_TIMEOUT seconds for a connection, then fails as the
    database being unavailable (503 with Retry-After) rather than hanging while it restarts.
    """
    if not value:
        return None
    try:
        low, high = (int(part) for part in value.split(","))
    except ValueError:
        raise ImproperlyConfigured(f"DATABASE_POOL must be min,max, not {value!r}") from None
    if not 0 <= low <= high or high < 1:
        raise ImproperlyConfigured(f"DATABASE_POOL needs 0 <= min <= max, max >= 1: {value!r}")
    return {"min_size": low, "max_size": high, "timeout": env_int("DATABASE_POOL_TIMEOUT", 10)}


def postgres_database(database: dict) -> dict:
    """PostgreSQL with server-side binding, and the connection pool if DATABASE_POOL asks.

    With the parameters sent apart from the SQL, psycopg prepares the queries a connection
    runs often, so PostgreSQL stops planning each page's queries anew (docs/decisions.md).
    """
    options = database.setdefault("OPTIONS", {})
    options["server_side_binding"] = True
    if pool := database_pool(env_str("DATABASE_POOL")):
        options["pool"] = pool
        database["CONN_MAX_AGE"] = 0  # the pool keeps connections instead
        # Take only connections that still work from the pool, e.g. after PostgreSQL restarts.
        database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    url_database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    if url_database["ENGINE"] == "django.db.backends.sqlite3":
        url_database = sqlite_database(url_database["NAME"])
    else:
        url_database = postgres_database(url_database)
    DATABASES = {"default": url_database}
else:
    DATABASES = {
        "default": sqlite_database(env_str("SQLITE_PATH", str(BASE_DIR / "patch.sqlite3")))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env_str("CHANNEL_PREFIX", "patch"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The cache holds the login and reset-mail counters: shared through Redis when processes are
# several, in memory for the embedded single process.
CACHES = {
    "default": {"BACKEND": "config.cache.ForgivingRedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

AUTH_USER_MODEL = "teams.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins lock an account, or an address (shared by a whole surgery behind NAT, so
# allowed more), for LOGIN_LOCKOUT_MINUTES; counted in the cache (teams/throttle.py).
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_LOCKOUT_SECONDS = 60 * env_int("LOGIN_LOCKOUT_MINUTES", 15)
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)

INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
TEAM_SIZE_WARNING = 12

# Each person chooses their language (User.language, teams/language.py); anyone not logged in
# gets the language of the cookie the one-tap switch sets, or their browser's
# (docs/translation.md).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Not the manifest storage: the service worker precaches stable URLs and versions itself.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Serve static files straight from the source folders in development, so daphne alone is enough.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Patch <patch@localhost>")

# Shared tablets hold health data: a session lasts at most a working day and ends after idle
# time (teams/sessions.py); the page warns before the idle timeout. The cookie goes when the
# browser closes.
SESSION_LIFETIME_SECONDS = 60 * env_int("SESSION_LIFETIME_MINUTES", 10 * 60)
SESSION_IDLE_SECONDS = 60 * env_int("SESSION_IDLE_MINUTES", 30)
SESSION_WARNING_SECONDS = 60 * env_int("SESSION_WARNING_MINUTES", 2)
if not 0 < SESSION_WARNING_SECONDS < SESSION_IDLE_SECONDS <= SESSION_LIFETIME_SECONDS:
    raise ImproperlyConfigured(
        "Session minutes must satisfy 0 < SESSION_WARNING_MINUTES < SESSION_IDLE_MINUTES "
        "<= SESSION_LIFETIME_MINUTES."
    )
SESSION_COOKIE_AGE = SESSION_LIFETIME_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Pages carry the CSRF token (hx-headers, forms), so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Scripts only from our own origin: no inline script, no eval. Styles likewise. Sockets only to
# the page's own host and port ({socket_origin} is filled in per request).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self' {socket_origin}; worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)

PWA_APP_NAME = "Patch"
PWA_APP_DESCRIPTION = "Your team's caseload, visits and rota — online or off."
PWA_APP_THEME_COLOR = "#1d70b8"
PWA_APP_BACKGROUND_COLOR = "#ffffff"
PWA_APP_DISPLAY = "standalone"
PWA_APP_SCOPE = "/"
PWA_APP_START_URL = "/"
PWA_APP_ORIENTATION = "any"
PWA_APP_STATUS_BAR_COLOR = "default"
PWA_APP_DIR = "ltr"
PWA_APP_LANG = "en-GB"
PWA_APP_ICONS = [
    {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "src": "/static/icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]
PWA_APP_ICONS_APPLE = [{"src": "/static/icons/apple-touch-icon.png", "sizes": "180x180"}]
PWA_APP_SPLASH_SCREEN = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "teams.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Background tasks (django-tasks) -------------------------------------------------------
# The rota planner runs off the request path. Tasks are stored in the database and run by
# `manage.py db_worker`, which `scripts/dev run` starts beside daphne; tests use the immediate
# backend. TASKS_BACKEND may name another django-tasks backend.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# --- end background tasks -------------------------------------------------------------------

# --- Commons hub (commons/) -----------------------------------------------------------------
# The hub that teams publish anonymised weekly figures to. COMMONS_HUB mounts it at /commons/
# (on in the embedded demo); COMMONS_ENROL_TOKEN is the bearer token a team needs to enrol.
INSTALLED_APPS += ["commons"]
COMMONS_HUB = env_bool("COMMONS_HUB", default=True)
COMMONS_ENROL_TOKEN = env_str("COMMONS_ENROL_TOKEN", "" if PRODUCTION else "patch-demo-enrol")
COMMONS_MAX_BODY_BYTES = env_int("COMMONS_MAX_BODY_BYTES", 64 * 1024)
# Ingest requests per minute from one address (ninja's cache-backed throttle); empty: no limit.
COMMONS_INGEST_RATE = env_str("COMMONS_INGEST_RATE", "600/min")
COMMONS_CACHE_SECONDS = env_int("COMMONS_CACHE_SECONDS", 300)
# --- end commons hub ------------------------------------------------------------------------

# --- Commons export (insights/export/) -------------------------------------------------------
# The hub this server's teams send their weekly figures to once they join; empty: nothing is
# sent. Outside production, with the hub mounted here, it defaults to this server's own hub.
COMMONS_URL = env_str(
    "COMMONS_URL",
    f"http://127.0.0.1:{env_int('PORT', 8000)}/commons/" if COMMONS_HUB and not PRODUCTION else "",
)
# --- end commons export ---------------------------------------------------------------------

# --- Two-factor sign-in (teams/twofactor.py) ------------------------------------------------
# Coaches, and anyone managing members, enter a code from an authenticator app; a code entered
# in the last TWO_FACTOR_STEP_UP_MINUTES covers member management. Wrong codes lock code entry
# for the person for TWO_FACTOR_LOCKOUT_MINUTES (teams/throttle.py), which replaces django-otp's
# own per-device back-off: one rule, in one place.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("teams.sessions.SessionTimeoutMiddleware") + 1,
    "teams.twofactor.TwoFactorMiddleware",
)
TWO_FACTOR_STEP_UP_SECONDS = 60 * env_int("TWO_FACTOR_STEP_UP_MINUTES", 15)
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
TWO_FACTOR_LOCKOUT_SECONDS = 60 * env_int("TWO_FACTOR_LOCKOUT_MINUTES", 15)
OTP_TOTP_ISSUER = "Patch"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# --- end two-factor sign-in -----------------------------------------------------------------

# --- The hub alone (PATCH_ROLE=hub) ---------------------------------------------------------
# PATCH_ROLE=hub serves the commons hub and nothing else (docs/deploy.md): the hub's own
# URLconf (its pages, API and open data, and the site routes those pages link to), no logins,
# sessions or team context, so no request reads a team app's table and the hub's database needs
# only the commons tables. The default, "embedded", is the all-in-one server with the hub
# mounted at /commons/. The hub's middleware and context processors are named here, and tests
# apply these very lists.
PATCH_ROLE = env_str("PATCH_ROLE", "embedded")
if PATCH_ROLE not in {"embedded", "hub"}:
    raise ImproperlyConfigured(f"PATCH_ROLE must be embedded or hub, not {PATCH_ROLE!r}")
HUB_URLCONF = "config.urls_hub"
HUB_MIDDLEWARE = [
    name
    for name in MIDDLEWARE
    if name
    in {
        "django.middleware.security.SecurityMiddleware",
        "teams.middleware.RequestIdMiddleware",
        "teams.middleware.ContentSecurityPolicyMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
]
HUB_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
]
if PATCH_ROLE == "hub":
    ROOT_URLCONF = HUB_URLCONF
    MIDDLEWARE = HUB_MIDDLEWARE
    TEMPLATES[0]["OPTIONS"]["context_processors"] = HUB_CONTEXT_PROCESSORS
    COMMONS_HUB = True
    COMMONS_URL = ""  # a hub has no teams of its own to send from
# --- end the hub alone ----------------------------------------------------------------------
# --- Ideas (ideas/) -------------------------------------------------------------------------
# The team's ideas board: proposals decided by consent rounds, tried and reviewed (docs/ideas.md).
INSTALLED_APPS += ["ideas"]
# --- end ideas ------------------------------------------------------------------------------
