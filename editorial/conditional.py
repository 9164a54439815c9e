"""Conditional GET: a ``Last-Modified`` date and an ``ETag`` on the public pages that change
whenever what they show may have changed, so that a browser, a feed reader or a script asking
again is answered ``304 Not Modified``, with nothing rendered or sent twice.

The validators are the portal's, not one page's: a record's page also shows the records linked
to it (a tool's page names its mechanisms and instruments), so any change anywhere changes every
ETag. That is cheap and never stale: one statement reads the newest version in every history
table (``content_state``); nothing is computed per record. They also change when

- the code or the templates change (``code_state``): a new release renders pages differently
  with the same content;
- the day changes, for pages that print today's date (``daily``: "Cite this" gives the date
  you accessed the page).

``conditional_page`` answers 304 before the view runs; it leaves alone requests the page cache
also leaves alone (a session, a one-time message, credentials), which may see other pages.
Cached pages keep the headers the view set (portal/middleware.py stores them all), and Django's
``ConditionalGetMiddleware``, outside the page cache, answers 304 for those too.

A page is also sent with ``Expires`` in the past: with a ``Last-Modified`` date and no other
freshness, browsers would keep a page for a tenth of its age without asking (a page last changed
a month ago, for three days). ``Cache-Control: no-cache`` says the same, but keeps a page out of
the page cache.

The history table of every model with a history (``editorial.history.has_history``) is read,
so it knows no content app. A change made without a version (``QuerySet.update()``, a raw SQL
statement) is not seen until the next version is recorded; ``record_history`` records one.
"""

import hashlib
import logging
import os
from datetime import UTC, datetime
from functools import cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from simple_history.utils import get_history_model_for_model

from editorial.history import has_history

logger = logging.getLogger(__name__)

# How long a fragment rendered for one state of the content is kept if nothing changes: a day
# (a change makes a new key at once; this only bounds what old states leave in the cache).
FRAGMENT_SECONDS = 24 * 60 * 60

# What the code and templates are: a change to any of these files renders pages differently.
CODE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".csl"}


@cache  # the models are known once the apps are loaded: not worth ~3 ms on every page
def history_tables():
    return tuple(
        sorted(
            get_history_model_for_model(model)._meta.db_table
            for model in apps.get_models()
            if has_history(model)
        )
    )


def as_datetime(value):
    """A datetime read by a raw cursor: PostgreSQL gives one, SQLite its text (UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def content_state():
    """``(newest change, versions)``: the date of the newest version of any record, and the
    newest version id of each history table, in one statement (each ``MAX`` reads an index).
    The ids change even when two changes share a date, or a restored backup's dates go back."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT MAX(history_date), MAX(history_id) FROM {quote(table)}"
        for table in history_tables()
    )
    if not sql:
        return None, ()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    dates = [as_datetime(date) for date, _ in rows if date is not None]
    return (max(dates) if dates else None), tuple(version or 0 for _, version in rows)


def code_roots():
    """The folders holding the project's code and templates (not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(config.path).resolve() for config in apps.get_app_configs()]
    roots = [root for root in roots if root.parent == base]  # not those of installed packages
    for engine in settings.TEMPLATES:
        roots += [Path(folder).resolve() for folder in engine.get("DIRS", [])]
    roots += [Path(folder).resolve() for folder in getattr(settings, "STATICFILES_DIRS", [])]
    return sorted(set(roots))


@cache
def code_state():
    """``(digest, newest modification)`` of the code and templates, read once per process. The
    digest is of their contents, so every server of one release agrees on it."""
    digest = hashlib.sha256()
    newest = 0.0
    for root in code_roots():
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(names):
                path = Path(folder) / name
                if path.suffix not in CODE_SUFFIXES:
                    continue
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
                newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest(), datetime.fromtimestamp(int(newest), tz=UTC)


def state(request):
    """``(token, newest version, newest change)``: a token that changes whenever the content or
    the code does (``content_state``, ``code_state``), the date of the newest version of any
    record (None if no record has one) and the date of the newest change, content or code.
    Read once per request: the page's validators and the parts of it kept in the cache (a
    request changes no content) share it."""
    if not hasattr(request, "content_state"):
        request.content_state = read_state()
    return request.content_state


def read_state():
    newest, versions = content_state()
    code, code_changed = code_state()
    moments = [moment for moment in (newest, code_changed) if moment is not None]
    token = f"{code}|{newest.isoformat() if newest else ''}|{versions}"
    return token, newest, (max(moments) if moments else None)


def validators(request, daily=False):
    """``(ETag, Last-Modified as a datetime or None)`` of the page ``request`` asks for, as of
    now. Its address (path and query string) is in the ETag so that no page answers 304 to
    another page's ETag (an address that is not found has never been given one)."""
    address = request.get_full_path()
    token, _, last_modified = state(request)
    day = ""
    if daily:
        today = timezone.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        last_modified = max(filter(None, (last_modified, today)))
        day = today.date().isoformat()
    etag = 'W/"' + hashlib.sha256(f"{token}|{day}|{address}".encode()).hexdigest()[:24] + '"'
    return etag, last_modified


def rendered_while_unchanged(request, name, render):
    """What ``render()`` returns (a text: a fragment of a page; ``name`` says which, and holds
    whatever else it depends on, e.g. its page's address), rendered once for the current
    content, code and language and then read from the cache until one of them changes: the key
    holds ``state()``'s token, read from the database, so that no process, whichever cache it
    has (Redis or its own memory), serves a fragment older than the content. The same rule as
    the ETag's: a change made without a version is not seen until one is recorded. Content
    without any version (fixtures loaded, ``record_history`` not yet run) has no states to tell
    apart, and is rendered every time. For the parts of a page that are costly to render and
    change only with the content (the source paper's text). If the cache cannot be read or
    written, it renders, as if there were no cache."""
    token, newest, _ = state(request)
    if newest is None:
        return render()
    where = f"{name}|{token}|{translation.get_language()}"
    key = "portal:fragment:" + hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
    try:
        text = caches["default"].get(key)
    except Exception:
        logger.exception("Fragment cache unavailable; rendering %s", name)
        return render()
    if text is None:
        text = render()
        try:
            caches["default"].set(key, text, timeout=FRAGMENT_SECONDS)
        except Exception:
            logger.exception("Could not keep the fragment %s in the cache", name)
    return text


def is_shared_read(request):
    """Whether the request reads a page everyone gets: no session (staff may preview drafts),
    no one-time message waiting, no credentials. The page cache keeps the same ones."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def set_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
        # In the past: no browser keeps it without asking (see the module's docstring).
        response["Expires"] = response["Last-Modified"]
    return response


def conditional_page(view=None, *, daily=False):
    """``@conditional_page`` (or ``@conditional_page(daily=True)`` for a page that prints
    today's date): the view's 200 answers carry the portal's validators, and a request that
    already holds them is answered 304 without running the view."""

    def decorate(view):
        @wraps(view)
        def conditional_view(request, *args, **kwargs):
            if not is_shared_read(request):
                return view(request, *args, **kwargs)
            etag, last_modified = validators(request, daily)
            # Whole seconds, as the header gives it back in If-Modified-Since.
            timestamp = int(last_modified.timestamp()) if last_modified is not None else None
            # "*" matches any page that exists: only the view knows whether this one does.
            if "*" not in request.headers.get("If-None-Match", ""):
                response = get_conditional_response(request, etag=etag, last_modified=timestamp)
                if response is not None:
                    return set_validators(response, etag, last_modified)
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            return set_validators(response, etag, last_modified)

        return conditional_view

    return decorate(view) if view is not None else decorate
