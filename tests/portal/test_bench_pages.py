"""``make bench``'s benchmark (``python -m bench pages``), run small: it prepares its scratch
records, then prints a line for every page type with its median, p95 and query count, and the
verdict of each list against its target; ``python -m bench export`` streams the tools' CSV
and gives its size, time and memory."""

import json
import re
from io import StringIO

from django.core.management import call_command
from django.test import TransactionTestCase

from bench import export as bench_export
from bench import pages as bench_pages
from countries.models import Participant
from resources.models import Tool


class BenchPagesCommand(TransactionTestCase):
    # Not TestCase: on PostgreSQL the command runs VACUUM, which refuses a transaction.

    def test_it_times_every_page_type_with_its_queries(self):
        out = StringIO()
        call_command(bench_pages.Command(), tools=5, repeat=1, skip_export=True, stdout=out)
        report = out.getvalue()
        self.assertEqual(Tool.objects.filter(slug__startswith="synthetic-").count(), 5)
        self.assertTrue(Participant.objects.exists())  # the countries pages have records
        kinds = [page.kind for page in bench_pages.pages(5)]
        for kind in ["home", "tools list", "tool page", "source paper", "pathfinder"]:
            self.assertIn(kind, kinds)
        for page in bench_pages.pages(5):
            # kind, median, p95, queries, address (and a verdict where the page has a target)
            line = rf"{re.escape(page.kind)} +[\d.]+ +[\d.]+ +\d+  {re.escape(page.url)}"
            if page.target_ms:
                line += rf"  (meets|MISSES) {page.target_ms} ms"
            self.assertRegex(report, line + "\n")
        self.assertIn("API tools list", kinds)
        self.assertRegex(report, r"source paper +[\d.]+ +[\d.]+ +\d+  /source/\n")  # no target

        # At fixture scale (no synthetic tools asked), the source paper has its 15 ms target.
        out = StringIO()
        call_command(
            bench_pages.Command(), tools=0, repeat=1, skip_export=True, only="source", stdout=out
        )
        self.assertRegex(
            out.getvalue(), r"source paper +[\d.]+ +[\d.]+ +\d+  /source/  (meets|MISSES) 15 ms\n"
        )
        self.assertNotIn("tools list", out.getvalue())

    def test_the_export_streams_every_published_tool_and_measures_its_memory(self):
        call_command("loaddata", "source", "documents", "organizations", "mechanisms")
        call_command("loaddata", "instruments", "guidance", "resources")
        out = StringIO()
        call_command(bench_export.Command(), stdout=out)
        figures = json.loads(out.getvalue())
        published = Tool.objects.published().count()
        self.assertGreater(published, 0)
        # a header row and a row per tool, at least a line each
        self.assertGreater(figures["bytes"], 100 * published)
        self.assertGreater(figures["rss_before_mb"], 10)
        self.assertGreaterEqual(figures["peak_rss_mb"], figures["rss_before_mb"])
