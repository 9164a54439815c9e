"""``make bench-search``'s benchmark (``python -m bench search``), run small: it builds its
records, rebuilds the index and prints every measure for every query, with the verdicts against
the 50 ms target."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import TransactionTestCase

from bench import search as bench_search
from bench.search import LIST_FILTERS, QUERIES
from resources.models import Tool


class BenchSearchCommand(TransactionTestCase):
    # Not TestCase: on PostgreSQL the command runs VACUUM, which refuses a transaction.

    def test_it_reports_every_query_and_both_verdicts(self):
        out = StringIO()
        call_command(bench_search.Command(), tools=30, repeat=1, stdout=out)
        report = out.getvalue()
        self.assertEqual(Tool.objects.filter(slug__startswith="synthetic-").count(), 30)
        self.assertIn("search page", report)
        self.assertIn("tools list", report)
        for q in QUERIES:
            self.assertIn(q[:38], report)
        self.assertRegex(report, r"Search page median [\d.]+ ms: (meets|misses) the 50 ms target")
        self.assertRegex(report, r"Tools list median [\d.]+ ms: (meets|misses) the 50 ms target")
        self.assertRegex(report, r"Machine speed: a 2,000,000-step Python loop takes \d+ ms")
        for filters in LIST_FILTERS:
            self.assertRegex(
                report,
                rf"/resources/\?{re.escape(filters)} +[\d.]+ ms: (meets|misses) the 50 ms target",
            )
