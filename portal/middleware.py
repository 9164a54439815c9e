"""Middleware for running the portal in production: a page cache and a clear 503 when the
database is down.

``PublicPageCacheMiddleware`` keeps whole public pages in the cache (Redis in production). Every
stored page carries a content *generation* number; saving, deleting or re-linking any record of
the content apps (portal/content.py) bumps it (``connect_content_signals``, called from
``PortalConfig.ready``), and a page of an older generation is never served again. It is bumped
when the change is made *and* again when its transaction commits: a visitor who came in between
read the rows as they were before the change, and the page stored for them is left behind by the
second bump. Only anonymous GET requests that get a plain 200 are cached: never staff (anyone
with a session cookie), never the admin, never other methods, error responses, pages that set a
cookie or say ``no-cache``.

Each server process also keeps the pages it served last in its own memory (``LocalPages``), and
trusts the generation it last read for ``PAGE_CACHE_LOCAL_SECONDS`` (1 with Redis): a hit then
asks Redis nothing, which is what makes it nearly as cheap as a static file. The process that
saves a change knows at once; every other process, on every server, within that many seconds.
``PAGE_CACHE_LOCAL_SECONDS=0`` asks Redis on every request (one round trip: the generation and
the page together), and no page outlives a change.

``DatabaseUnavailableMiddleware`` answers 503 with ``templates/503.html`` (rendered without the
database) when the database cannot be reached, and the next request tries again, so the site
recovers by itself when the database is back.
"""

import functools
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation

from portal.content import is_content_model

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"
# Longer paths (odd query strings) are served but not stored: they are not worth the memory.
MAX_CACHED_PATH = 1000
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")
# What makes a request conditional (RFC 9110, 13.1), for ConditionalGetMiddleware.
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# The pages a server process keeps in its own memory, at most (most recently served kept).
LOCAL_BYTES = 16 * 2**20


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
    """Make every cached page stale: in this process at once, in the others (on every server
    sharing the cache) within ``PAGE_CACHE_LOCAL_SECONDS``."""
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # No generation stored yet (or it was evicted): start a fresh one.
        generation = secrets.randbits(62)
        cache.set(GENERATION_KEY, generation, timeout=None)
    local_pages.remember(generation)


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
    """Serve anonymous GET pages from the cache for PAGE_CACHE_SECONDS (0 turns it off).

    It sits near the top of the stack (settings.MIDDLEWARE), so that a hit costs little more
    than a static file: no database, only CORS, security and WhiteNoise around it, and no
    round trip to Redis while this process trusts the generation it read (``LocalPages``). A
    page is stored as the rest of the stack left it, with every header that stack gave it (the
    Content Security Policy, which has no per-request nonce, Vary, Content-Language, ETag and
    Last-Modified); the headers of the middleware above it are added to hits and misses alike,
    per request.

    What the middleware below it would have decided differently for another request is in the
    key or answered here:

    - the language: at an English address, ``PreferredLanguageMiddleware`` sends a visitor who
      chose (or whose browser prefers) another language to that language's page, so the key
      holds the language a visitor asks for;
    - a request holding the page's validators is answered 304, as ``ConditionalGetMiddleware``
      answers it, by that middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self.request_is_cacheable(request):
            return self.get_response(request)
        key = self.cache_key(request)
        try:
            generation, stored = self.lookup(key)
        except Exception:
            logger.exception("Page cache unavailable; serving without it")
            return self.get_response(request)
        if stored is not None:
            response = self.rebuild(stored)
            # A stored page has its validators (ConditionalGetMiddleware gave them to it, below):
            # only a request holding some may be answered otherwise.
            if any(header in request.META for header in CONDITIONAL_HEADERS):
                response = self.conditional.process_response(request, response)
            return response
        response = self.get_response(request)
        if self.response_is_cacheable(request, response):
            try:
                stored = self.freeze(response, generation, seconds)
                cache.set(key, stored, timeout=seconds)
                local_pages.keep(key, stored)
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
        )

    @staticmethod
    def response_is_cacheable(request, response):
        cache_control = response.get("Cache-Control", "").lower()
        return (
            # Asked here rather than of the request: a hit then needs no URL resolver, and a
            # page of the admin is never stored, so never found.
            not request.path_info.startswith(admin_paths())
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
            # A nonce is for one response only: stored, every visitor would get the same one.
            and "'nonce-" not in response.get("Content-Security-Policy", "")
        )

    @staticmethod
    def cache_key(request):
        # The address's own language, else (at an English address) the one the visitor asks for.
        language = translation.get_language_from_request(request, check_path=True)
        where = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
        digest = hashlib.sha256(f"{language} {where}".encode("utf-8", "surrogateescape"))
        return f"portal:page:{digest.hexdigest()}"

    @staticmethod
    def lookup(key):
        """``(generation, stored page or None)``: the current generation and the page stored
        under ``key``, if it was made in that generation. From this process's memory while it
        trusts the generation it read last; else from the cache, in one round trip."""
        generation = local_pages.generation()
        if generation is not None:
            stored = local_pages.get(key, generation)
            if stored is not None:
                return generation, stored
            stored = cache.get(key)
        else:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                generation = content_generation()
            local_pages.remember(generation)
            stored = found.get(key)
        if stored is None or stored["generation"] != generation:
            return generation, None
        local_pages.keep(key, stored)
        return generation, stored

    @staticmethod
    def freeze(response, generation, seconds):
        """What is stored: the page, its headers, when it expires, and the generation read
        *before* it was rendered, so that a page rendered while a change was being saved is
        never served after that change's bump."""
        headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
        return {
            "generation": generation,
            "expires": time.time() + seconds,
            "content": response.content,
            "headers": headers,
        }

    @staticmethod
    def rebuild(stored):
        response = HttpResponse(stored["content"], headers=stored["headers"])
        response["X-Page-Cache"] = "hit"
        return response


@functools.cache
def admin_paths():
    """The admin's address in every language (``/admin/``, ``/fr/admin/``, ...), as a
    ``path_info`` begins with it; read once per process."""
    prefix = get_script_prefix()
    paths = []
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            paths.append("/" + reverse("admin:index").removeprefix(prefix))
    return tuple(paths)


class LocalPages:
    """This process's own copy of the pages it served last (up to LOCAL_BYTES), and the
    generation it read last, trusted for PAGE_CACHE_LOCAL_SECONDS (0: not at all, and nothing
    is kept). Shared by the threads of the process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self, **kwargs):
        with self.lock:
            self.pages = OrderedDict()
            self.size = 0
            self.known = (None, 0.0)  # (generation, time.monotonic() when read)

    def remember(self, generation):
        self.known = (generation, time.monotonic())

    def generation(self):
        """The generation this process read last, or None if it is no longer to be trusted."""
        generation, read = self.known
        trusted = getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0)
        return generation if time.monotonic() - read < trusted else None

    def get(self, key, generation):
        with self.lock:
            stored = self.pages.get(key)
            if stored is None:
                return None
            if stored["generation"] == generation and stored["expires"] > time.time():
                self.pages.move_to_end(key)
                return stored
            self.drop(key)
        return None

    def keep(self, key, stored):
        if not getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0):
            return
        size = len(stored["content"])
        if size > LOCAL_BYTES // 4:
            return
        with self.lock:
            self.drop(key)
            self.pages[key] = stored
            self.size += size
            while self.size > LOCAL_BYTES:
                self.drop(next(iter(self.pages)))

    def drop(self, key):
        stored = self.pages.pop(key, None)
        if stored is not None:
            self.size -= len(stored["content"])


local_pages = LocalPages()
# A test that swaps the cache (or turns the page cache off) starts from an empty process copy.
setting_changed.connect(local_pages.clear, dispatch_uid="portal-local-pages")


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
