"""Measure search at scale: ``make bench-search`` runs this on a scratch database.

    DATABASE_URL=sqlite:///.bench/bench.sqlite3 python -m bench search --tools 100000

Steps: migrate the (scratch) database, load the fixtures if it has no tools, top it up to
``--tools`` synthetic tools (``python -m bench synthetic-tools``), rebuild the search index (timed),
gather the planner's statistics (``VACUUM ANALYZE`` on PostgreSQL, what autovacuum does to a live
database; ``ANALYZE`` on SQLite, what the rebuild does), then answer a fixed set of searches
``--repeat`` times each and print the median and p95 server time (in-process, through Django's
test client: URL routing, view, queries and template) of

- the search page, ``/search/?q=...``;
- the tools list filtered by words, ``/resources/?q=...`` (its facets included);
- the search engine alone (the search page's FilterSet: counts, ranked hits, snippets);
- the same words answered by a plain ``icontains`` scan of the index's text (a count per type
  and the first 20 rows), the baseline the engine replaces; the ratio is engine / scan;

and, fewer times (at most five runs each), the tools list filtered by facets without words
(``LIST_FILTERS``), which the ORM answers.

Never run it against a database you care about: it adds synthetic tools (``--delete`` of
``python -m bench synthetic-tools`` removes them).
"""

import os
import statistics
from functools import partial, reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from bench.scratch import machine_speed, percentile, prepare, timed, timing
from portal.filters import SearchFilterSet
from search.models import SearchEntry
from search.text import tokens

QUERIES = [
    "request writer",
    "extradition",
    "mutual legal assistance",
    "hot pursuit",
    "Module 6",
    "victim protection",
    '"joint investigation"',
    "witness protection -police",
    "labour exploitation OR debt bondage",
    "prosecutors West Africa",
    "extradtion",
    "Operation Kalomi",
]
# The tools list filtered by its facets alone: no words, so the ORM answers (the index serves
# word searches), counting every facet over the tools chosen.
LIST_FILTERS = ["", "kind=manual", "mechanism=extradition", "publisher=unodc&kind=manual"]


TARGET_MS = 50


def verdict(median):
    return f"{'meets' if median < TARGET_MS else 'misses'} the {TARGET_MS} ms target"


def icontains_scan(q):
    """The words of ``q`` (operators ignored), each in any text column, as a naive search."""
    words = tokens(q) or [q]
    columns = ["title", "keywords", "body", "extra"]
    condition = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{column}__icontains": word}) for column in columns))
            for word in words
        ),
    )
    entries = SearchEntry.objects.filter(condition)
    counts = list(entries.values("kind").annotate(n=Count("id")).order_by())
    first = list(entries.order_by("title").values_list("id", "title", "url")[:20])
    return counts, first


class Command(BaseCommand):
    help = "Time fixed searches on a database of N synthetic tools, beside an icontains scan."

    def add_arguments(self, parser):
        parser.add_argument("--tools", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--skip-rebuild", action="store_true")

    def handle(self, *args, tools=100_000, repeat=15, skip_rebuild=False, **options):
        prepare(self.stdout, tools, rebuild=not skip_rebuild)
        self.stdout.write(f"The search index holds {SearchEntry.objects.count():,} entries")
        self.report(repeat, apps.get_model("resources", "Tool").objects.published().count())

    def report_lists(self, client, runs):
        self.stdout.write(
            f"Tools list filtered without words (the ORM answers), median of {runs} runs:"
        )
        url = reverse("resources:tool_list")
        with timing():
            for filters in LIST_FILTERS:
                samples = timed(
                    partial(client.get, f"{url}?{filters}"), runs, 1, f"tools list {filters!r}"
                )
                median = statistics.median(wall for wall, _ in samples)
                self.stdout.write(f"  /resources/?{filters:30} {median:8.1f} ms: {verdict(median)}")

    def report(self, repeat, tool_count):
        client = Client()
        measures = {
            "search page": lambda q: client.get(reverse("portal:search"), {"q": q}),
            "tools list": lambda q: client.get(reverse("resources:tool_list"), {"q": q}),
            "engine": lambda q: SearchFilterSet(QueryDict(urlencode({"q": q}))).page_context(1),
            "icontains": icontains_scan,
        }
        times = {name: {} for name in measures}
        page_cpu = []
        with timing():
            for q in QUERIES:
                for name, measure in measures.items():
                    samples = timed(partial(measure, q), repeat, 2, f"{name} {q!r}")
                    times[name][q] = [wall for wall, _ in samples]
                    if name == "search page":
                        page_cpu += [cpu for _, cpu in samples]
        vendor = {"sqlite": "SQLite (FTS5)", "postgresql": "PostgreSQL"}.get(connection.vendor)
        self.stdout.write(
            f"\n{vendor}: {tool_count:,} published tools, {SearchEntry.objects.count():,} "
            f"index entries; {repeat} runs per query; server time in ms, median / p95\n"
            f"Machine speed: a 2,000,000-step Python loop takes {machine_speed():.0f} ms "
            "(best of three; lower is faster)\n"
        )
        header = f"{'query':38} " + " ".join(f"{name:>17}" for name in measures) + "   ratio"
        self.stdout.write(header)
        for q in QUERIES:
            cells = [
                f"{statistics.median(times[n][q]):8.1f} / {percentile(times[n][q], 0.95):6.1f}"
                for n in measures
            ]
            ratio = statistics.median(times["engine"][q]) / statistics.median(times["icontains"][q])
            self.stdout.write(
                f"{q[:38]:38} " + " ".join(f"{c:>17}" for c in cells) + f"  {ratio:6.2f}"
            )
        cells = []
        for name in measures:
            every = [t for q in QUERIES for t in times[name][q]]
            cells.append(f"{statistics.median(every):8.1f} / {percentile(every, 0.95):6.1f}")
        all_engine = [t for q in QUERIES for t in times["engine"][q]]
        all_scan = [t for q in QUERIES for t in times["icontains"][q]]
        ratio = statistics.median(all_engine) / statistics.median(all_scan)
        self.stdout.write(
            f"{'ALL QUERIES':38} " + " ".join(f"{c:>17}" for c in cells) + f"  {ratio:6.2f}"
        )
        self.stdout.write("")
        for name in ("search page", "tools list"):
            median = statistics.median([t for q in QUERIES for t in times[name][q]])
            self.stdout.write(f"{name.capitalize()} median {median:.1f} ms: {verdict(median)}.")
        self.report_lists(client, min(repeat, 5))
        self.stdout.write(
            f"Search page CPU time of this process: median {statistics.median(page_cpu):.1f} ms, "
            f"p95 {percentile(page_cpu, 0.95):.1f} ms (on PostgreSQL the database's own time is "
            f"not in it). Load average when done: {', '.join(f'{x:.1f}' for x in os.getloadavg())}."
        )
        if settings.DEBUG:
            self.stdout.write("(Timed with DEBUG off; the page cache was off.)")
