"""Every public page type, timed: ``make bench`` runs this on a scratch database.

    DATABASE_URL=sqlite:///.bench/bench.sqlite3 python -m bench pages --tools 100000

The scratch database is prepared as ``python -m bench search`` prepares it (bench/scratch.py:
the fixtures, the participation data, ``--tools`` synthetic tools, the search index rebuilt),
then each page below is requested ``--repeat`` times (after two warm-ups) in this process,
through Django's test client (URL routing, middleware, view, queries and template; DEBUG off,
no page cache), and its median and p95 server time and its number of queries are printed,
with the target a page of its kind has (docs/performance.md), if any.

Then a CSV export of every published tool is streamed by a fresh process
(``python -m bench export``), which says how long it took and the peak memory (RSS) of the
whole process, beside its memory before the export began.

Never run it against a database you care about: it adds synthetic tools.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.scratch import machine_speed, median_p95, prepare, timed, timing, vendor_name

LIST_MS = 30  # a list page's median (issues 15 and 17)
SOURCE_MS = 15  # the source paper's median on the fixtures alone (issue 17)
EXPORT_MB = 150  # the peak memory of a process streaming every tool as CSV (issue 15)


@dataclass
class Page:
    kind: str
    url: str
    target_ms: int | None = None  # the median it should stay under


def first_slug(model, **filters):
    record = apps.get_model(model).objects.filter(**filters).exclude(slug__startswith="synthetic-")
    return record.order_by("pk").values_list("slug", flat=True).first()


def pages(synthetic_tools):
    """The page types, each at a real record of the scratch database (the source paper has a
    target on the fixtures alone: ``synthetic_tools`` is 0)."""
    mechanism = first_slug("instruments.Mechanism", slug="extradition") or first_slug(
        "instruments.Mechanism"
    )
    instrument = first_slug("instruments.Instrument", slug="untoc", status="published")
    tool = first_slug("resources.Tool", status="published")
    organization = first_slug("instruments.Organization", slug="unodc") or first_slug(
        "instruments.Organization"
    )
    participant = (
        apps.get_model("countries.Participant")
        .objects.order_by("code")
        .values_list("code", flat=True)
    )
    code = "nga" if participant.filter(code="nga").exists() else participant.first()
    tools = reverse("resources:tool_list")
    instruments = reverse("instruments:instrument_list")
    found = [
        Page("home", reverse("portal:home")),
        Page("cooperation list", reverse("instruments:mechanism_list")),
        Page("cooperation page", reverse("instruments:mechanism_detail", args=[mechanism])),
        Page("instruments list", instruments, LIST_MS),
        Page("instruments list filtered", f"{instruments}?mechanism={mechanism}", LIST_MS),
        Page("instrument page", reverse("instruments:instrument_detail", args=[instrument])),
        Page("tools list", tools, LIST_MS),
        Page("tools list filtered", f"{tools}?kind=manual", LIST_MS),
        Page("tools list filtered", f"{tools}?mechanism={mechanism}", LIST_MS),
        Page("tools list searched", f"{tools}?q=victim+protection", LIST_MS),
        Page("tool page", reverse("resources:tool_detail", args=[tool])),
        Page(
            "organization page",
            reverse("instruments:organization_detail", args=[organization]),
        ),
        Page("source paper", reverse("portal:source"), None if synthetic_tools else SOURCE_MS),
        Page("search", f"{reverse('portal:search')}?q=extradition"),
        Page("search", f"{reverse('portal:search')}?q=mutual+legal+assistance"),
    ]
    if code:
        participants = reverse("countries:participant_list")
        found += [
            Page("countries list", participants, LIST_MS),
            Page("country page", reverse("countries:participant_detail", args=[code])),
            Page(
                "pathfinder",
                f"{reverse('portal:pathfinder')}?from={code}&to=ita&mechanism={mechanism}",
            ),
        ]
    api = "/api/v1"
    found += [
        Page("API tools list", f"{api}/tools", LIST_MS),
        Page("API tools list filtered", f"{api}/tools?kind=manual", LIST_MS),
        Page("API tools list searched", f"{api}/tools?q=victim+protection", LIST_MS),
        Page("API tools list, 100 a page", f"{api}/tools?page_size=100", LIST_MS),
        Page("API tool", f"{api}/tools/{tool}"),
        Page("API instruments list", f"{api}/instruments", LIST_MS),
        Page("API instrument", f"{api}/instruments/{instrument}"),
        Page("API passages list", f"{api}/passages", LIST_MS),
        Page("API mechanisms list", f"{api}/mechanisms", LIST_MS),
        Page("API organizations list", f"{api}/organizations", LIST_MS),
    ]
    if code:
        found.append(Page("API participants list", f"{api}/participants", LIST_MS))
    return found


def verdict(page, median):
    if page.target_ms is None:
        return ""
    return f"{'meets' if median <= page.target_ms else 'MISSES'} {page.target_ms} ms"


class Command(BaseCommand):
    help = "Time every public page type and a CSV export of every tool on a scratch database."

    def add_arguments(self, parser):
        parser.add_argument("--tools", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--skip-rebuild", action="store_true")
        parser.add_argument("--skip-export", action="store_true")
        parser.add_argument(
            "--only", default="", help="time only the pages whose kind contains this text"
        )

    def handle(self, *args, tools=100_000, repeat=15, skip_rebuild=False, **options):
        prepare(self.stdout, tools, rebuild=not skip_rebuild)
        count = apps.get_model("resources", "Tool").objects.published().count()
        self.stdout.write(
            f"\n{vendor_name()}: {count:,} published tools; {repeat} runs per page after two "
            "warm-ups; server time in ms (median / p95) and the queries a page makes\n"
            f"Machine speed: a 2,000,000-step Python loop takes {machine_speed():.0f} ms "
            "(best of three; lower is faster)\n"
        )
        self.stdout.write(f"{'page':28} {'median':>8} {'p95':>8} {'queries':>8}  address")
        client = Client()
        with timing():
            for page in pages(tools):
                if options["only"].lower() not in page.kind.lower():
                    continue
                samples = timed(partial(client.get, page.url), repeat, 2, page.url)
                median, p95 = median_p95([wall for wall, _ in samples])
                with CaptureQueriesContext(connection) as queries:
                    client.get(page.url)
                self.stdout.write(
                    f"{page.kind:28} {median:8.1f} {p95:8.1f} {len(queries):8}  {page.url}"
                    f"  {verdict(page, median)}".rstrip()
                )
        if not options["skip_export"]:
            self.report_export(count)
        loads = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        self.stdout.write(f"Load average when done: {loads}.")
        if settings.DEBUG:
            self.stdout.write("(Timed with DEBUG off; the page cache was off.)")

    def report_export(self, count):
        """The CSV export of every published tool, streamed by a process of its own, so that
        its peak memory is the export's and not this benchmark's."""
        answer = subprocess.run(
            [sys.executable, "-m", "bench", "export"],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        figures = json.loads(answer.stdout.strip().splitlines()[-1])
        peak = figures["peak_rss_mb"]
        self.stdout.write(
            f"\nCSV export of the {count:,} published tools "
            f"({reverse('resources:tool_export', args=['csv'])}): "
            f"{figures['bytes'] / 1e6:.1f} MB streamed in {figures['seconds']:.1f} s; the "
            f"process's memory (RSS) {figures['rss_before_mb']:.0f} MB before, peak {peak:.0f} MB "
            f"({'under' if peak < EXPORT_MB else 'OVER'} the {EXPORT_MB} MB bound)"
        )
