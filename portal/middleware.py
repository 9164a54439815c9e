"""Middleware for running the portal in production: a page cache and a clear 503 when the
database is down.

``PublicPageCacheMiddleware`` keeps whole public pages in the cache (Redis in production). Every
cache key carries a content *generation* number; saving, deleting or re-linking any record of the
content apps (portal/content.py) bumps it (``connect_content_signals``, called from
``PortalConfig.ready``), so nobody reads a stale page after an editor saves. It is bumped when
the change is made *and* again when its transaction commits: a visitor who came in between read
the rows as they were before the change, and the page stored for them is left behind by the
second bump. Only anonymous GET
requests that get a plain 200 are cached: never staff (anyone with a session cookie), never the
admin, never other methods, error responses, pages that set a cookie or say ``no-cache``.

``DatabaseUnavailableMiddleware`` answers 503 with ``templates/503.html`` (rendered without the
database) when the database cannot be reached, and the next request tries again, so the site
recovers by itself when the database is back.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from portal.content import is_content_model

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"
# Longer paths (odd query strings) are served but not stored: they are not worth the memory.
MAX_CACHED_PATH = 1000
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")


# ---- Content generation -------------------------------------------------------------------


def content_generation():
    """The current generation number, starting from a random one if the cache has none.

    A random start (rather than 1) means a generation lost to eviction or a cache restart never
    comes back to a number whose pages may still be stored.
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.randbits(62), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate_pages():
    """Make every cached page stale, on every server sharing the cache."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # No generation stored yet (or it was evicted): start a fresh one.
        cache.set(GENERATION_KEY, secrets.randbits(62), timeout=None)


def bump_content_generation(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Signal receiver: any change to a content record makes every cached page stale, now and
    once more when the transaction commits (once per transaction, however many records change).

    Problem reports, link checks and the search index are not shown as content, so saving them
    (often, and not by editors) leaves the cache alone.
    """
    if not is_content_model(sender):
        return
    invalidate_pages_quietly()
    # Outside a transaction on_commit runs at once: the page is then bumped twice, harmlessly.
    if not any(
        callback is invalidate_pages_quietly for _, callback, _ in connections[using].run_on_commit
    ):
        transaction.on_commit(invalidate_pages_quietly, using=using)


def invalidate_pages_quietly():
    try:
        invalidate_pages()
    except Exception:
        # The cache is down: pages stored before can live at most PAGE_CACHE_SECONDS.
        logger.exception("Could not bump the page-cache generation after a change to content")


def connect_content_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_content_generation, dispatch_uid=f"portal-page-cache-{signal!r}")


# ---- Page cache ---------------------------------------------------------------------------


class PublicPageCacheMiddleware:
    """Serve anonymous GET pages from the cache for PAGE_CACHE_SECONDS (0 turns it off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self.request_is_cacheable(request):
            return self.get_response(request)
        try:
            key = self.cache_key(request)
            stored = cache.get(key)
        except Exception:
            logger.exception("Page cache unavailable; serving without it")
            return self.get_response(request)
        if stored is not None:
            return self.rebuild(stored)
        response = self.get_response(request)
        if self.response_is_cacheable(response):
            try:
                cache.set(key, self.freeze(response), timeout=seconds)
            except Exception:
                logger.exception("Could not store a page in the cache")
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def request_is_cacheable(request):
        return (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # A one-time message (e.g. "thank you for your report") is waiting for this visitor.
            and CookieStorage.cookie_name not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and len(request.get_full_path()) <= MAX_CACHED_PATH
            and not request.path.startswith(reverse("admin:index"))
        )

    @staticmethod
    def response_is_cacheable(response):
        cache_control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        )

    @staticmethod
    def cache_key(request):
        where = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
        digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
        return f"portal:page:{content_generation()}:{digest}"

    @staticmethod
    def freeze(response):
        headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
        return {"content": response.content, "headers": headers}

    @staticmethod
    def rebuild(stored):
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


# ---- Database faults ----------------------------------------------------------------------

DATABASE_DOWN = (OperationalError, InterfaceError)
FALLBACK_503 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Temporarily unavailable</title>"
    "<h1>The portal is temporarily unavailable</h1>"
    "<p>Its database cannot be reached. Please try again in a few minutes.</p></html>"
)


def service_unavailable():
    """The 503 page, rendered without a request (so no context processor touches the database)."""
    try:
        content = render_to_string("503.html")
    except Exception:
        logger.exception("Could not render 503.html; sending the built-in page")
        content = FALLBACK_503
    response = HttpResponse(content, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def limit_statements(connection, request):
    """Give the connection this request's limit on each SQL statement (PostgreSQL's
    ``statement_timeout``): ``STATEMENT_TIMEOUT_MS`` for a public page, the server's own (none,
    unless the database sets one) for the admin. Management commands never pass here, so a
    rebuild or an import is never cut short.

    Set on every request, because a kept connection (``CONN_MAX_AGE``) serves the admin and the
    public in turn: one round trip, through the driver's cursor as Django sets a connection's
    time zone (it is a setting of the connection, not a query of the page). Not set in the
    connection's options: those apply to every process, management commands included.
    """
    if connection.vendor != "postgresql":
        return  # SQLite has no statement timeout: it serves development and one-process sites
    public = not request.path.startswith(reverse("admin:index"))
    milliseconds = settings.STATEMENT_TIMEOUT_MS if public else 0
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        if milliseconds:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}"])
        else:
            cursor.execute("RESET statement_timeout")


def timed_out(exception):
    """Whether a database error is a statement cancelled by ``statement_timeout``."""
    cause = exception.__cause__
    return (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == "57014"


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when the database cannot be reached, or takes longer than a
    public page may wait (``limit_statements``).

    The connection is opened (or health-checked) before anything else touches it, so a failure in
    the session or auth middleware is caught too; ``process_exception`` catches one in a view.
    Django drops a broken connection at the end of the request, so the next one tries afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
            limit_statements(connection, request)
        except DATABASE_DOWN:
            logger.error("Database unavailable; answering 503 for %s", request.path)
            return service_unavailable()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        if timed_out(exception):
            # The address says what was asked: the query string is what made it costly.
            logger.warning(
                "A statement ran longer than %s ms; answering 503 for %s",
                settings.STATEMENT_TIMEOUT_MS,
                request.get_full_path()[:1000],
            )
        else:
            logger.error("Database error in a view; answering 503 for %s", request.path)
        return service_unavailable()
