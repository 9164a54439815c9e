"""What many tests share: indexing their records for search, the real fixtures, reading what a
list or search page shows, and talking to a server run in a subprocess."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse


def listed(response):
    """Slugs of the records on the current page, in order."""
    return [record.slug for record in response.context["page"].object_list]


def facet_counts(response, name):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: option.count for option in facet.options}


def facet_option(response, name, value):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return next(option for option in facet.options if option.value == value)


def notices(response):
    return re.findall(r'<p class="notice" role="status">(.*?)</p>', response.text)


@contextmanager
def indexed():
    """Index what the block saves, as its commit would: the search index is written by an
    on-commit callback, and a TestCase never commits. ``with indexed(): make_tool(...)``.
    Records saved before the block, in the same test transaction, are indexed with them (a
    commit would): their callback, never run, is scheduled again inside the block."""
    from search import index

    index._local.scheduled = False
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks


def makefile_fixtures():
    """The fixture names `make fixtures` loads, in its order (the Makefile's FIXTURES line)."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    return re.search(r"^FIXTURES\s*:?=\s*(.+)$", makefile, re.MULTILINE).group(1).split()


def load_fixtures():
    """Load the real fixtures as `make fixtures` does, indexed for search."""
    with indexed():
        call_command("loaddata", *makefile_fixtures(), verbosity=0)


PARTICIPATION_FILES = [
    str(Path(settings.BASE_DIR) / "fixtures" / "participation" / name)
    for name in ("untoc.csv", "tip_protocol.csv", "memberships.csv")
]


def load_participation():
    """The participants, their groups and the shared participation data, as `make fixtures`
    loads them after the fixtures (which it needs); returns what the importer printed."""
    out = StringIO()
    with indexed():
        call_command("load_participants", stdout=out)
        call_command("loaddata", "countries", verbosity=0)
        call_command("import_participation", *PARTICIPATION_FILES, stdout=out)
    return out.getvalue()


class FixtureTestCase(TestCase):
    """Tests on the real fixtures (the paper's records), loaded and indexed once per class."""

    @classmethod
    def setUpTestData(cls):
        load_fixtures()


class SearchAnswer:
    """What the search page shows for some parameters (its context), read as a test reads it."""

    def __init__(self, context):
        self.context = context
        self.total = context["total"]
        self.corrected_from = context["filterset"].corrected_from
        self.text = context["filterset"].text

    def urls(self, kind=None):
        """The URLs of the hits (of one type, if given), in the page's order."""
        return [
            hit.url
            for group in self.context["groups"]
            if kind is None or group.type.kind == kind
            for hit in group.hits
        ]


def search_page(q="", **params):
    """The search page's answer for ``q`` and its other parameters, as its view computes it."""
    from portal.filters import SearchFilterSet

    data = QueryDict(urlencode({"q": q, **params}, doseq=True))
    return SearchAnswer(SearchFilterSet(data).page_context(params.get("page", "1")))


def found_urls(answer, kind=None):
    return answer.urls(kind)


def facet_options(context, name):
    """The options of a page's facet ``name`` (none if the page does not show it)."""
    return next((f.options for f in context["facets"] if f.name == name), [])


def tool_url(slug):
    return reverse("resources:tool_detail", args=[slug])


def instrument_url(slug):
    return reverse("instruments:instrument_detail", args=[slug])


def passage_url(slug):
    return reverse("portal:source") + f"#{slug}"


def plain_static():
    """``@plain_static()`` on a test class: serve static names unhashed. Tests run with DEBUG off,
    without collectstatic, so the manifest storage could not resolve them."""
    from django.test import override_settings

    return override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )


@contextmanager
def assert_max_num_queries(testcase, limit, using="default"):
    """Fail ``testcase`` if the block runs more than ``limit`` queries (assertNumQueries wants
    the exact number): ``with assert_max_num_queries(self, 3): self.client.get("/")``."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[using]) as context:
        yield context
    executed = len(context.captured_queries)
    queries = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.captured_queries, 1))
    testcase.assertLessEqual(
        executed, limit, f"{executed} queries executed, at most {limit} expected:\n{queries}"
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response):
    """What the admin's change form in ``response`` posts if the editor changes nothing."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.initial_forms:
            add(form)
    return data


# ---- Servers run in a subprocess ------------------------------------------------------------


def closed_port():
    """A port on 127.0.0.1 that nothing listens on (connection refused), free to serve on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url_or_skip(testcase, database=0):
    """``REDIS_URL`` (default: database ``database`` of the local Redis), or ``testcase`` skipped
    with the reason when nothing answers there (CI starts a Redis)."""
    url = os.environ.get("REDIS_URL", f"redis://127.0.0.1:6379/{database}")
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError as error:
        testcase.skipTest(f"Redis is not reachable at {url}: {error}")
    return url


def down_redis_caches():
    """A CACHES setting whose Redis refuses connections (nothing listens on its port)."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def stop_process_group(process, seconds=20):
    """Stop a server started with ``start_new_session=True`` and its children: TERM, then KILL
    after ``seconds``."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(url, headers=None):
    """``(status, text, headers)`` of a GET of ``url``, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def wait_for(url, status, seconds=30):
    """Poll ``url`` until it answers ``status``; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            got = get(url)
            if got[0] == status:
                return got
        except OSError:
            got = None
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never answered {status}; last: {got and got[:2]}")
        time.sleep(0.3)
