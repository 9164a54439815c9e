"""Settings for the TIP Cooperation Portal: one file, configured from the environment.

Every value has a safe default: SQLite in ``db.sqlite3``, DEBUG off, no secret in the repository.
``make run`` turns DEBUG on for local work; production sets SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS and security headers (docs/deploy.md). Behind a TLS proxy that sets X-Forwarded-Proto,
# BEHIND_TLS_PROXY=1 trusts that header and redirects plain http to https. Tests and `make serve`
# speak plain http on loopback, so the redirect is off unless one of these switches is set.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
# A load balancer probes the app servers over plain http: /healthz answers it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS is only ever sent over https; one year, subdomains and preload unless switched off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request bodies above this are refused with 400 (the admin's forms are far smaller).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

# Content Security Policy (django-csp) on every page, the admin included: nothing inline, nothing
# from another origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Search lookups on PostgreSQL (trigram similarity); inert on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "simple_history",
    # Locks the admin login after repeated failures (AXES_* below).
    "axes",
    # CORS headers on the API (CORS_* below); the API itself, whose docs page's Swagger UI is
    # served from ninja's own static files (no CDN).
    "corsheaders",
    "ninja",
    # The portal's apps, lowest layer first (README: "Where things live"): an app imports only
    # apps listed before it, and its search.py may extend the records of those.
    "editorial",
    "search",
    "paper",
    "instruments",
    "resources",
    "guidance",
    "countries",
    # The read-only JSON API (/api/v1/), above the content apps it serves.
    "api",
    "portal",
]

MIDDLEWARE = [
    # First, as django-cors-headers asks: its headers go on every API response, even those that
    # other middleware (WhiteNoise, the page cache, CommonMiddleware) answer.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files never ask the cache), before everything else: a cached
    # page is served with the headers the middleware below gave it, without the database. A
    # hit holding the page's ETag or Last-Modified is answered 304, as ConditionalGet would.
    "portal.middleware.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # A first visit at an English address by a browser that prefers another of the portal's
    # languages (or a visitor who chose one) goes to that language. The page cache keys its
    # pages by that language, so a hit never skips this.
    "portal.languages.PreferredLanguageMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the address (English without a prefix), for the view and its template.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made a change (history of records saved outside the admin's own hooks).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

# The API (/api/v1/, docs/api.md) may be read by any other site's pages, without credentials;
# it only answers GET and HEAD. Nothing else of the portal is shared across origins.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            # Records' translated texts in every template: {{ mechanism|in_language:"name" }}.
            "builtins": ["editorial.templatetags.translation_tags"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # Persistent connections are checked before reuse, so a database restart is survived.
        conn_health_checks=env_int("CONN_MAX_AGE", 0) > 0,
    )
}
# On PostgreSQL, no SQL statement of a public page may run longer than this (milliseconds; 0: no
# limit): set for each request by portal/middleware.py, answered by a 503 page. The admin and
# management commands (rebuilds, imports, backups) are not limited.
STATEMENT_TIMEOUT_MS = env_int("STATEMENT_TIMEOUT_MS", 5000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Editors sign in through the admin; a `next=` that is refused (another site) lands there too.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface in the six official languages of the UN (docs/languages.md): English at the
# addresses it always had, the others under their code (/fr/instruments/). The paper and the
# records' texts are in English. Catalogues: locale/<code>/LC_MESSAGES/django.po, compiled by make.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates written out in full, as before ("6 December 2026"); the other languages take
# Django's formats for their locale.
FORMAT_MODULE_PATH = ["portal.formats"]
# The language a visitor chose with the switcher (portal/languages.py), for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# `loaddata source organizations ...` finds the hand-written fixtures here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed static names are cached for ever (immutable) by WhiteNoise; the others for this long.
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 0 if DEBUG else 3600)

# Cache: Redis from REDIS_URL (or CACHE_URL), shared by every app server; else per-process memory.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
SHARED_CACHE = CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
if SHARED_CACHE:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tip"),
            # A slow or absent Redis must not hold requests: the pages are served without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://..., rediss://..., or locmem://.")
# Whole public pages are cached this long (portal/middleware.py); any content change invalidates
# them (within PAGE_CACHE_LOCAL_SECONDS, below). Off by default with the per-process memory
# cache, whose invalidation cannot reach the other server processes; on by default with Redis.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if SHARED_CACHE else 0)
# How long each server process serves cached pages from its own memory, trusting the content
# generation it read last, before asking Redis again: a hit then costs no round trip, and a
# change reaches every other process within this many seconds (0: every request asks Redis, and
# no page outlives a change). Without Redis there is nothing to trust it over.
PAGE_CACHE_LOCAL_SECONDS = env_int("PAGE_CACHE_LOCAL_SECONDS", 1 if SHARED_CACHE else 0)

# Records verified longer ago than this (or never) are listed under "needs review" in the admin.
REVIEW_AFTER_MONTHS = env_int("REVIEW_AFTER_MONTHS", 12)

# Query-string values longer than this are refused with a message rather than processed.
MAX_QUERY_LENGTH = env_int("MAX_QUERY_LENGTH", 500)

# Logs go to stderr (gunicorn and systemd collect them), one line each, with the process id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "{asctime} {levelname} {name} [{process:d}] {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Who the client is (editorial/client.py): REMOTE_ADDR, unless the site runs behind this many
# reverse proxies that each append to X-Forwarded-For (e.g. 1 behind one nginx). Set it only when
# every request comes through them: a client could otherwise claim any address. The feedback
# rate limit and the login lockout both use it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# "Report a problem with this entry": at most this many reports per client address per window.
FEEDBACK_RATE_LIMIT = env_int("FEEDBACK_RATE_LIMIT", 5)
FEEDBACK_RATE_WINDOW = env_int("FEEDBACK_RATE_WINDOW_SECONDS", 600)

# Login lockout (django-axes 8): after AXES_FAILURE_LIMIT failed logins for one username from one
# client address (an IPv6 client is its /64), that pair is refused (429) for AXES_COOLOFF_MINUTES;
# after LOGIN_USERNAME_FAILURE_LIMIT for one username from any addresses, that username is refused
# from everywhere (editorial.limits.LoginLockoutHandler gives each set its limit). That one is
# higher (4x by default) because anyone can trigger it: typing wrong passwords locks an editor out.
# Guesses spread over many addresses still get no more than that many per cool-off. A success
# clears the failures of that username from that client only.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # First: refuses locked-out logins before any check.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 4 * AXES_FAILURE_LIMIT)
AXES_HANDLER = "editorial.limits.LoginLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "editorial.client.client_address"
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
