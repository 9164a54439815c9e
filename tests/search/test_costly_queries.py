"""Bounds on what one anonymous request may ask of the database (issue 13, finding 6): measured at
100,000 tools, each of these took one to four seconds, and each varies the query string, so the
page cache never saves the next one. Every test checks the bound itself (the notice, the SQL that
reaches the database), never a time. Both backends run them; the statement timeout is
PostgreSQL's own and skips on SQLite.
"""

import re
from unittest import mock

from django.contrib.auth.models import User
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from resources.models import Tool
from search.facets import MAX_FACET_VALUES, MAX_RESULTS_PAGED, PER_PAGE
from search.index import index_objects
from search.query import MAX_ALTERNATIVES, MAX_PREFIXES, MAX_TERMS, parse
from tests.factories import make_instrument, make_mechanism, make_organization, make_tool
from tests.helpers import indexed, listed, notices

SEARCH_URL = reverse("portal:search")
TOOLS_URL = reverse("resources:tool_list")
INSTRUMENTS_URL = reverse("instruments:instrument_list")
# Pieces of queries that stress the bounds: prefixes, ORs, exclusions, repeats, phrases.
SYNTAX = ["abc*", "abd*", "abe", "xyz*", "OR", "OR", "-abc*", "-qrs", "NOT", '"', "6", "abc", "a"]
LAST_PAGE = MAX_RESULTS_PAGED // PER_PAGE  # 50
DEEPEST_OFFSET = MAX_RESULTS_PAGED - PER_PAGE  # 980: the last page that can be reached


def statements(response_of):
    """``(response, [SQL executed])`` of ``response_of()``."""
    with CaptureQueriesContext(connection) as captured:
        response = response_of()
    return response, [query["sql"] for query in captured.captured_queries]


def match_statement(sql):
    """The engine's statement (the materialised match) among a page's SQL."""
    return next(text for text in sql if "WITH f AS MATERIALIZED" in text)


def prefixes_in(sql):
    """The prefixes a statement hands the backend: ``"word"*`` in an FTS5 MATCH, ``'word':*`` in
    a tsquery (``'''word'':*'`` as psycopg quotes it; the statement has it twice, to match and
    to rank)."""
    return {a or b for a, b in re.findall(r'"([^\W_]+)"\*|\'+([^\W_]+)\'+:\*', sql)}


def offsets_in(sql):
    return [int(number) for text in sql for number in re.findall(r"\bOFFSET (\d+)", text)]


class QueryBoundTests(TestCase):
    """Prefixes and ORed words: each prefix is expanded over the whole index, each ORed word
    widens the match; 12 of either took about 2 s at 100,000 tools."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            for word in ["protection", "convention", "extradition", "victims", "treaty"]:
                make_tool(title=f"Handbook on {word}", description=f"About {word} and more.")

    def test_twelve_ored_prefixes_are_cut_to_the_cap_with_a_notice(self):
        starred = [f"{word}*" for word in ["pro", "con", "ext", "vic", "tre", "han"] * 2]
        typed = " OR ".join(f"{word[:3]}{n}{word[3:]}" for n, word in enumerate(starred))
        query = parse(typed)
        self.assertEqual(sum(term.prefix for term in query.terms), MAX_PREFIXES)
        response, sql = statements(lambda: self.client.get(SEARCH_URL, {"q": typed}))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(prefixes_in(match_statement(sql))), MAX_PREFIXES)
        shown = notices(response)
        self.assertIn(f"At most {MAX_PREFIXES} words are searched as the start", " ".join(shown))
        self.assertIn(f"Only the first {MAX_ALTERNATIVES} words or phrases joined by OR", shown[0])

    def test_prefixes_anded_are_cut_to_the_cap_and_still_find(self):
        typed = "han* pro* con* ext* vic*"
        query = parse(typed)
        self.assertEqual([t.prefix for t in query.terms], [True, True, True, False, False])
        self.assertEqual(str(parse(str(query))), str(query))  # reads back to itself
        response, sql = statements(lambda: self.client.get(TOOLS_URL, {"q": typed}))
        self.assertEqual(len(prefixes_in(match_statement(sql))), MAX_PREFIXES)
        self.assertIn("“ext”, “vic” only as whole words", " ".join(notices(response)))

    def test_a_500_character_or_query_reaches_the_database_with_a_bounded_number_of_terms(self):
        typed = " OR ".join(f"protection{n}" for n in range(40))[:500].rsplit(" OR ", 1)[0]
        self.assertGreater(len(typed), 450)
        for url in [SEARCH_URL, TOOLS_URL, INSTRUMENTS_URL]:
            with self.subTest(url=url):
                response, sql = statements(lambda url=url: self.client.get(url, {"q": typed}))
                self.assertEqual(response.status_code, 200)
                reaching = set(re.findall(r"protection\d+", match_statement(sql)))
                self.assertEqual(len(reaching), MAX_ALTERNATIVES)
                self.assertLessEqual(len(reaching), MAX_TERMS)
                self.assertIn("joined by OR were used", " ".join(notices(response)))


class FacetValueBoundTests(TestCase):
    """A facet's values: each is one more condition (and, without words, one more subquery in
    every facet's count); five of them took 2.4 s at 100,000 tools."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.mechanisms = [make_mechanism(f"mechanism-{n}") for n in range(MAX_FACET_VALUES + 2)]
            make_tool("all-of-them", title="Handbook", mechanisms=cls.mechanisms)
            make_tool("one-of-them", title="Handbook", mechanisms=cls.mechanisms[:1])

    def get(self, values, **params):
        query = [("mechanism", value) for value in values] + list(params.items())
        return statements(lambda: self.client.get(TOOLS_URL, query))

    def test_a_facet_value_repeated_five_times_is_used_once(self):
        for params in [{}, {"q": "handbook"}]:  # the ORM answers, then the index
            with self.subTest(**params):
                once, once_sql = self.get(["mechanism-0"], **params)
                five, five_sql = self.get(["mechanism-0"] * 5, **params)
                self.assertEqual(
                    five.context["filterset"].data.getlist("mechanism"), ["mechanism-0"]
                )
                self.assertEqual(listed(five), listed(once))
                self.assertEqual(five_sql, once_sql)  # the very same statements

    def test_more_values_than_the_cap_are_capped_with_a_message(self):
        slugs = [mechanism.slug for mechanism in self.mechanisms]
        for params in [{}, {"q": "handbook"}]:
            with self.subTest(**params):
                capped, capped_sql = self.get(slugs[:MAX_FACET_VALUES], **params)
                every, every_sql = self.get(slugs, **params)
                used = every.context["filterset"].data.getlist("mechanism")
                self.assertEqual(used, slugs[:MAX_FACET_VALUES])
                self.assertEqual(every_sql, capped_sql)
                self.assertEqual(listed(every), ["all-of-them"])
                self.assertIn(
                    f"“Cooperation type” takes at most {MAX_FACET_VALUES} choices at a time",
                    " ".join(notices(every)),
                )
                self.assertEqual(notices(capped), [])


class PageDepthTests(TestCase):
    """``?page=999999``: the list's last page was read with an OFFSET of every result but 20
    (2.3 s for the tools list at 100,000 tools), and the search index was asked for an OFFSET of
    20 million first. Paging now stops at MAX_RESULTS_PAGED results."""

    @classmethod
    def setUpTestData(cls):
        publisher = make_organization("publisher")
        tools = Tool.objects.bulk_create(
            Tool(
                slug=f"handbook-{n:04}",
                title=f"Handbook number {n:04}",
                kind=Tool.Kind.MANUAL,
                description="A handbook on extradition.",
                publisher=publisher,
            )
            for n in range(MAX_RESULTS_PAGED + 2 * PER_PAGE)
        )
        index_objects("resources.tool", [tool.pk for tool in tools])

    def assert_capped(self, url, params, number):
        response, sql = statements(lambda: self.client.get(url, params))
        self.assertEqual(response.status_code, 200)
        page = response.context["page"]
        self.assertEqual(page.number, number)
        self.assertLessEqual(max(offsets_in(sql), default=0), DEEPEST_OFFSET)
        return response, page

    def test_a_deep_page_is_the_last_page_that_can_be_reached_with_a_message(self):
        message = f"Only the first {MAX_RESULTS_PAGED:,} results can be paged through"
        cases = [
            (TOOLS_URL, {}),  # the ORM answers
            (TOOLS_URL, {"q": "handbook"}),  # the index answers
            (SEARCH_URL, {"q": "handbook", "type": "tool"}),
        ]
        for url, params in cases:
            for deep in ["999999", str(10**30), str(LAST_PAGE + 1)]:
                with self.subTest(url=url, **params, page=deep[:12]):
                    response, page = self.assert_capped(url, {**params, "page": deep}, LAST_PAGE)
                    self.assertEqual(len(page.object_list), PER_PAGE)
                    self.assertEqual(page.paginator.count, MAX_RESULTS_PAGED + 2 * PER_PAGE)
                    self.assertFalse(page.has_next())
                    self.assertIn(message, " ".join(notices(response)))
                    self.assertNotContains(response, f"page={LAST_PAGE + 1}")
            with self.subTest(url=url, **params, page="2"):
                response, _ = self.assert_capped(url, {**params, "page": "2"}, 2)
                self.assertNotIn(message, " ".join(notices(response)))
                self.assertContains(response, f"page={LAST_PAGE}")

    def test_bad_page_values_read_as_the_first_page(self):
        for url, params in [(TOOLS_URL, {}), (SEARCH_URL, {"q": "handbook", "type": "tool"})]:
            for bad in ["abc", "-1", "0", "1.5", "", "9" * 5000, "\x00"]:
                with self.subTest(url=url, page=bad[:10]):
                    self.assert_capped(url, {**params, "page": bad}, 1)


class ExclusionsOnlyTests(TestCase):
    """``-a -b``: nothing to find. The lists answered it by reading every record but those
    (1 s at 100,000 tools, uncached for every such query string); now nothing is searched."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            make_tool(title="Police handbook")
            make_tool(title="Victim handbook")
            make_instrument(title="Police convention")

    def test_exclusions_only_give_the_message_and_run_no_index_scan(self):
        for url in [SEARCH_URL, TOOLS_URL, INSTRUMENTS_URL]:
            with self.subTest(url=url):
                response, sql = statements(lambda url=url: self.client.get(url, {"q": "-a -b"}))
                self.assertEqual(response.status_code, 200)
                self.assertIn("a search cannot only exclude words", " ".join(notices(response)))
                self.assertFalse([text for text in sql if "search_searchentry" in text])
                self.assertFalse(response.context["page"] and response.context["page"].object_list)
                # Nor are the records counted (the ORM's path): only the facets' choices are read.
                self.assertFalse([text for text in sql if "COUNT(" in text])


@override_settings(STATEMENT_TIMEOUT_MS=1234)
class StatementTimeoutTests(TestCase):
    """PostgreSQL's ``statement_timeout`` for public pages, not the admin; a statement that
    runs over it gives the 503 page."""

    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            cls.skipTest(cls, "statement_timeout is PostgreSQL's: SQLite has no statement limit")
        super().setUpClass()

    def statement_timeout(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            return cursor.fetchone()[0]

    def test_public_requests_have_the_timeout_and_the_admin_has_none(self):
        self.assertEqual(self.client.get(TOOLS_URL).status_code, 200)
        self.assertEqual(self.statement_timeout(), "1234ms")
        self.client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        self.assertEqual(self.statement_timeout(), "0")
        self.client.get(SEARCH_URL, {"q": "handbook"})  # the same connection, public again
        self.assertEqual(self.statement_timeout(), "1234ms")

    @override_settings(STATEMENT_TIMEOUT_MS=50)
    def test_a_statement_over_the_timeout_gives_the_unavailable_page_not_a_500(self):
        def slow(*args):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(2)")

        with (
            mock.patch("resources.views.ToolFilterSet.page_context", side_effect=slow),
            self.assertLogs("portal.middleware", "WARNING") as logs,
        ):
            response = self.client.get(TOOLS_URL, {"q": "anything"})
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "temporarily unavailable", status_code=503)
        self.assertNotContains(response, "Traceback", status_code=503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("ran longer than 50 ms", logs.output[0])
        self.assertIn("/resources/?q=anything", logs.output[0])


class SnippetTests(TestCase):
    """The hits' snippets on SQLite: given ``rowid IN (...)`` with its MATCH, FTS5 ran the whole
    match once per hit shown, every prefix expanded again each time (45 hits of 12 ORed prefixes:
    2 s at 100,000 tools). It now runs the match once and keeps the hits' rows."""

    @classmethod
    def setUpClass(cls):
        if connection.vendor != "sqlite":
            cls.skipTest(cls, "FTS5's plan: PostgreSQL reads the hits by id, then headlines them")
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        with indexed():
            for n in range(3):
                make_tool(title=f"Protection handbook {n}", description="On victim protection.")

    def test_the_snippets_run_the_match_once_not_once_per_hit(self):
        _, sql = statements(lambda: self.client.get(SEARCH_URL, {"q": "pro* OR vic*"}))
        snippets = next(text for text in sql if "snippet(" in text)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {snippets}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        constraints = re.search(r"search_searchentry_fts VIRTUAL TABLE INDEX \d+:(\S*)", plan)
        self.assertIn("M", constraints.group(1))  # the match
        self.assertNotIn("=", constraints.group(1))  # no rowid looked up one by one


class QueryShapeProperties(SimpleTestCase):
    @given(st.lists(st.sampled_from(SYNTAX), max_size=60).map(" ".join))
    @settings(max_examples=300, deadline=None)
    def test_any_query_keeps_within_every_bound(self, text):
        query = parse(text)
        self.assertLessEqual(len(query.terms) + len(query.excluded), MAX_TERMS)
        self.assertTrue(all(len(clause) <= MAX_ALTERNATIVES for clause in query.clauses))
        prefixes = {term for term in [*query.terms, *query.excluded] if term.prefix}
        self.assertLessEqual(len(prefixes), MAX_PREFIXES)
