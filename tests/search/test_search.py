"""The site search on the real fixtures: relevance, syntax, typos, grouping, facets, snippets,
bad input and its query budget. Runs on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL."""

from html.parser import HTMLParser

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from instruments.models import Instrument, Mechanism, Organization
from paper.models import Passage
from resources.models import Tool
from search.models import SearchEntry
from tests.factories import make_passage, make_tool
from tests.helpers import (
    FixtureTestCase,
    facet_options,
    found_urls,
    indexed,
    instrument_url,
    load_fixtures,
    passage_url,
    search_page,
    tool_url,
)

SEARCH_URL = reverse("portal:search")


class RelevanceOnTheFixtures(FixtureTestCase):
    def test_loading_the_fixtures_indexes_every_public_record_once(self):
        expected = (
            Tool.objects.published().count()
            + Instrument.objects.published().count()
            + Mechanism.objects.count()
            + Organization.objects.count()
            + Passage.objects.count()
        )
        self.assertGreaterEqual(SearchEntry.objects.count(), expected)
        self.assertEqual(
            SearchEntry.objects.filter(model="resources.tool").count(),
            Tool.objects.published().count(),
        )
        load_fixtures()  # again: no duplicates
        self.assertEqual(
            SearchEntry.objects.filter(model="resources.tool").count(),
            Tool.objects.published().count(),
        )

    def test_request_writer_puts_the_mla_tool_first_among_tools(self):
        results = search_page("request writer")
        self.assertEqual(found_urls(results, "tool")[0], tool_url("mla-request-writer"))

    def test_hot_pursuit_finds_the_south_east_europe_convention_and_paragraph_23(self):
        results = search_page("hot pursuit")
        self.assertIn(instrument_url("see-police-convention"), found_urls(results, "instrument"))
        self.assertIn(passage_url("para-23"), found_urls(results, "paragraph"))

    def test_module_6_finds_the_criminal_justice_manual(self):
        self.assertIn(
            tool_url("criminal-justice-manual"), found_urls(search_page("Module 6"), "tool")
        )

    def test_principle_14_finds_the_ohchr_principles_and_paragraph_20(self):
        results = search_page("Principle 14")
        self.assertIn(instrument_url("ohchr-principles"), found_urls(results, "instrument"))
        self.assertIn(passage_url("para-20"), found_urls(results, "paragraph"))

    def test_derived_demand_finds_paragraph_13(self):
        self.assertIn(
            passage_url("para-13"), found_urls(search_page("derived demand"), "paragraph")
        )

    def test_a_misspelt_word_is_searched_in_its_closest_spelling(self):
        results = search_page("extradtion")
        self.assertEqual(str(results.corrected_from), "extradtion")
        self.assertEqual(results.text, "extradition")
        self.assertIn(
            reverse("instruments:mechanism_detail", args=["extradition"]),
            found_urls(results, "mechanism"),
        )
        self.assertIn(instrument_url("untoc"), found_urls(results, "instrument"))

    def test_other_misspellings_find_their_records(self):
        for typed, kind, url in [
            (
                "repatriaton",
                "mechanism",
                reverse("instruments:mechanism_detail", args=["repatriation"]),
            ),
            ("Interpool", "tool", tool_url("interpol-model-police-agreement")),
        ]:
            with self.subTest(typed=typed):
                results = search_page(typed)
                self.assertIsNotNone(results.corrected_from)
                self.assertIn(url, found_urls(results, kind))

    def test_english_stemming_finds_other_forms_of_a_word(self):
        # The paper says "cooperation"; "cooperating" finds it.
        results = search_page("cooperating consular")
        self.assertIsNone(results.corrected_from)
        self.assertIn(
            reverse("instruments:mechanism_detail", args=["consular-cooperation"]),
            found_urls(results, "mechanism"),
        )

    def test_case_and_accents_make_no_difference(self):
        plain = search_page("hot pursuit")
        for variant in ["HOT PURSUIT", "hôt pùrsuit"]:
            with self.subTest(variant=variant):
                self.assertEqual(search_page(variant).total, plain.total)

    def test_a_quoted_phrase_needs_its_words_side_by_side_in_order(self):
        self.assertIn(
            tool_url("mla-request-writer"), found_urls(search_page('"request writer"'), "tool")
        )
        self.assertNotIn(
            tool_url("mla-request-writer"), found_urls(search_page('"writer request"'), "tool")
        )

    def test_a_minus_sign_leaves_out_records_with_the_word(self):
        self.assertIn(
            instrument_url("see-police-convention"),
            found_urls(search_page("pursuit"), "instrument"),
        )
        self.assertNotIn(
            instrument_url("see-police-convention"),
            found_urls(search_page("pursuit -police"), "instrument"),
        )
        self.assertNotIn(
            instrument_url("see-police-convention"),
            found_urls(search_page("pursuit NOT police"), "instrument"),
        )

    def test_or_finds_records_with_either_word(self):
        results = search_page("pursuit OR prostitution")
        found = found_urls(results, "instrument")
        self.assertIn(instrument_url("see-police-convention"), found)
        self.assertIn(instrument_url("saarc-convention"), found)
        self.assertEqual(search_page("pursuit prostitution").total, 0)

    def test_the_last_word_also_matches_as_a_prefix(self):
        results = search_page("extrad")
        self.assertIsNone(results.corrected_from)
        self.assertIn(
            reverse("instruments:mechanism_detail", args=["extradition"]),
            found_urls(results, "mechanism"),
        )

    def test_title_matches_rank_above_body_matches(self):
        # "Commentary" is in the OHCHR Commentary's title, and in the model laws' descriptions.
        for q in ["commentary", "guidelines"]:
            with self.subTest(q=q):
                tools = list(Tool.objects.published().matching(q))
                in_title = [q in tool.title.lower() for tool in tools]
                self.assertIn(False, in_title)
                self.assertEqual(in_title, sorted(in_title, reverse=True))


class SearchPage(FixtureTestCase):
    def test_an_empty_search_explains_what_to_search_not_every_record(self):
        for q in ["", "   ", "OR", "-", '"', "*"]:
            with self.subTest(q=q):
                response = self.client.get(SEARCH_URL, {"q": q})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "How to search")
                self.assertNotContains(response, 'class="search-hit"')

    def test_excluding_words_only_says_a_word_is_needed(self):
        response = self.client.get(SEARCH_URL, {"q": "-police"})
        self.assertContains(response, "a search cannot only exclude words")

    def test_results_are_grouped_by_type_with_counts(self):
        response = self.client.get(SEARCH_URL, {"q": "hot pursuit"})
        self.assertContains(response, "Instruments (1)")
        self.assertContains(response, "Source paragraphs (1)")
        self.assertContains(response, "Cooperation types (1)")

    def test_paragraph_hits_link_to_their_anchor_on_the_source_page(self):
        response = self.client.get(SEARCH_URL, {"q": "hot pursuit"})
        self.assertContains(response, f'href="{passage_url("para-23")}"')

    def test_matched_words_are_marked_in_titles_and_snippets(self):
        response = self.client.get(SEARCH_URL, {"q": "request writer"})
        self.assertContains(response, "<mark>Request</mark> <mark>Writer</mark> Tool")
        self.assertRegex(response.text, r'class="search-hit__snippet">[^<]*(<mark>[^<]+</mark>)')

    def test_a_correction_says_what_was_searched_and_links_to_it(self):
        response = self.client.get(SEARCH_URL, {"q": "extradtion", "type": "mechanism"})
        self.assertContains(response, "No results for “extradtion”")
        self.assertContains(response, 'href="?q=extradition&amp;type=mechanism">extradition</a>')

    def test_nothing_found_gives_advice(self):
        response = self.client.get(SEARCH_URL, {"q": "qqqzzzxxx"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing found for “qqqzzzxxx”")

    def test_the_type_facet_narrows_keeps_the_query_and_marks_the_choice(self):
        response = self.client.get(SEARCH_URL, {"q": "cooperation", "page": "2"})
        self.assertContains(response, 'href="/search/?q=cooperation&amp;type=paragraph"')  # page 1
        response = self.client.get(SEARCH_URL, {"q": "cooperation", "type": "paragraph"})
        groups = response.context["groups"]
        self.assertEqual([group.type.kind for group in groups], ["paragraph"])
        # The choice is marked, and its link takes it off again.
        self.assertRegex(
            response.text,
            r'href="/search/\?q=cooperation" aria-current="true">'
            r'<span class="facet__label">Source paragraphs',
        )

    def test_a_type_is_paged_and_page_links_keep_the_query(self):
        response = self.client.get(SEARCH_URL, {"q": "cooperation", "type": "mechanism"})
        page = response.context["page"]
        self.assertGreater(page.paginator.count, 20)
        self.assertEqual(len(page.object_list), 20)
        self.assertContains(response, 'href="/search/?q=cooperation&amp;type=mechanism&amp;page=2"')
        second = self.client.get(SEARCH_URL, {"q": "cooperation", "type": "mechanism", "page": 2})
        self.assertEqual(len(second.context["page"].object_list), page.paginator.count - 20)
        first_urls = {hit.url for hit in page.object_list}
        self.assertFalse(first_urls & {hit.url for hit in second.context["page"].object_list})
        for bad in ["abc", "-1", "0", "999999", "1.5", "\x00"]:
            with self.subTest(page=bad):
                response = self.client.get(
                    SEARCH_URL, {"q": "cooperation", "type": "mechanism", "page": bad}
                )
                self.assertEqual(response.status_code, 200)

    def test_see_all_links_to_the_type_filter(self):
        response = self.client.get(SEARCH_URL, {"q": "cooperation"})
        self.assertContains(response, 'href="?q=cooperation&amp;type=paragraph">See all')

    def test_mechanism_and_publisher_facets_narrow_the_results(self):
        everything = self.client.get(SEARCH_URL, {"q": "cooperation"}).context
        narrowed = self.client.get(
            SEARCH_URL, {"q": "cooperation", "mechanism": "extradition"}
        ).context
        self.assertLess(narrowed["total"], everything["total"])
        chosen = [o.value for o in facet_options(narrowed, "mechanism") if o.active]
        self.assertIn("extradition", chosen)
        response = self.client.get(SEARCH_URL, {"q": "cooperation", "publisher": "unodc"})
        self.assertLess(response.context["total"], everything["total"])
        self.assertTrue(
            all(group.type.kind in {"tool", "organization"} for group in response.context["groups"])
        )
        self.assertContains(response, 'aria-current="true"><span class="facet__label">UNODC')

    def test_each_mechanism_count_is_what_choosing_it_finds(self):
        for params in ({"q": "cooperation"}, {"q": "cooperation", "type": "tool"}):
            options = facet_options(self.client.get(SEARCH_URL, params).context, "mechanism")
            self.assertGreater(len(options), 3)
            for option in options:
                with self.subTest(**params, mechanism=option.value):
                    chosen = self.client.get(SEARCH_URL, {**params, "mechanism": option.value})
                    self.assertEqual(chosen.context["total"], option.count)
                    if "type" in params:  # tools: as the ORM counts them, parts included
                        tools = Tool.objects.published().matching("cooperation")
                        own = tools.filter(mechanisms__slug=option.value)
                        parts = tools.filter(parts__mechanisms__slug=option.value)
                        self.assertEqual((own | parts).distinct().count(), option.count)

    def test_unknown_filters_are_ignored_or_find_nothing_never_fail(self):
        response = self.client.get(
            SEARCH_URL, {"q": "cooperation", "type": "pamphlet", "mechanism": "<b>"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“pamphlet” is not a known choice for “Type”")
        self.assertContains(response, "“&lt;b&gt;” is not a known choice for “Cooperation type”")
        self.assertEqual(response.context["total"], search_page("cooperation").total)
        response = self.client.get(SEARCH_URL, {"q": "cooperation", "mechanism": "no-such-thing"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“no-such-thing” is not a known choice")
        # A known choice that finds nothing with the words says so.
        response = self.client.get(SEARCH_URL, {"q": "pursuit", "mechanism": "confiscation"})
        self.assertContains(response, "with these filters")

    def test_only_published_tools_and_instruments_are_found(self):
        Tool.objects.filter(slug="mla-request-writer").update(status="draft")
        Instrument.objects.filter(slug="see-police-convention").update(status="draft")
        call_command("rebuild_search_index", verbosity=0)
        self.assertNotIn(
            tool_url("mla-request-writer"), found_urls(search_page("request writer"), "tool")
        )
        self.assertNotIn(
            instrument_url("see-police-convention"),
            found_urls(search_page("hot pursuit"), "instrument"),
        )
        self.assertEqual(Tool.objects.for_list().matching("request writer").count(), 0)

    def test_oversized_queries_are_refused_with_a_message(self):
        response = self.client.get(SEARCH_URL, {"q": "extradition " * 500})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Please shorten it", status_code=400)
        limit = "x" * settings.MAX_QUERY_LENGTH
        self.assertEqual(self.client.get(SEARCH_URL, {"q": limit}).status_code, 200)

    def test_hostile_input_gives_a_page_never_an_error(self):
        hostile = [
            '"',
            '""',
            "*",
            "(",
            ")",
            "NEAR(",
            "NEAR(a b)",
            "AND",
            "OR",
            "NOT",
            "-",
            "--",
            "+",
            "a AND OR NOT b",
            "title:extradition",
            "^extradition",
            "'; DROP TABLE tool; --",
            "1' OR '1'='1",
            "<script>alert(1)</script>",
            "\x00extradition\x00",
            "a\x00b",
            "😀 extradition 🎉",
            "الاتجار بالبشر",
            "торговля людьми",
            "人口贩卖",
            "ＥＸＴＲＡＤＩＴＩＯＮ",
            "e" * 499,
            "extradition:*",
            "a & b | !c",
            "'quoted'",
            "\\",
            "%",
            "_",
            "$$",
            "{}",
        ]
        for q in hostile:
            for url in [
                SEARCH_URL,
                reverse("resources:tool_list"),
                reverse("instruments:instrument_list"),
            ]:
                with self.subTest(q=q, url=url):
                    response = self.client.get(url, {"q": q})
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("<script>alert(1)", response.text)

    def test_the_search_page_runs_a_fixed_number_of_queries(self):
        # One statement for the counts and the hits' ids, one for the hits' snippets, and one
        # each for the choices of the two facets that name records (forms of cooperation,
        # publishers): whatever the number of results, the page asked for or the filters.
        # Each after the page's validators (editorial/conditional.py): one more.
        cases = [
            ({"q": "cooperation"}, 1 + 4),
            ({"q": "cooperation", "type": "paragraph", "page": "1"}, 1 + 4),
            ({"q": "cooperation", "type": "mechanism", "page": "2"}, 1 + 4),
            ({"q": "cooperation", "mechanism": "extradition", "publisher": "unodc"}, 1 + 4),
            ({"q": "qqqzzzxxxyyy"}, 1 + 3),  # nothing found: + known words, + similar words
            ({"q": ""}, 1 + 0),
        ]
        for params, expected in cases:
            with self.subTest(params=params), self.assertNumQueries(expected):
                self.client.get(SEARCH_URL, params)
        # A page past the end shows the last one: the ids of that page are fetched again.
        with self.assertNumQueries(1 + 5):
            self.client.get(SEARCH_URL, {"q": "cooperation", "type": "mechanism", "page": "99"})
        # A misspelling: the search that finds nothing, the known words, one similarity lookup
        # per unknown word, then the corrected search (after the validators).
        with CaptureQueriesContext(connection) as queries:
            self.client.get(SEARCH_URL, {"q": "extradtion"})
        self.assertLessEqual(len(queries), 1 + 1 + 1 + 1 + 4)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags_in(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


class SafeSnippets(TestCase):
    def test_text_around_the_highlight_is_escaped_and_only_marks_are_markup(self):
        with indexed():
            make_tool(title="A <b>bold</b> zebracrossing guide")
            make_passage(
                text="Before <script>alert('x')</script> zebracrossing & <img src=x> after."
            )
        response = self.client.get(SEARCH_URL, {"q": "zebracrossing"})
        self.assertContains(response, "A &lt;b&gt;bold&lt;/b&gt; <mark>zebracrossing</mark> guide")
        hits = [hit for group in response.context["groups"] for hit in group.hits]
        self.assertEqual(len(hits), 2)
        for hit in hits:
            with self.subTest(hit=hit.url):
                self.assertEqual(set(tags_in(hit.title + hit.snippet)), {"mark"})
        snippet = next(hit.snippet for hit in hits if "/source/" in hit.url)
        self.assertIn("<mark>zebracrossing</mark>", snippet)
        self.assertIn("alert(&#x27;x&#x27;)", snippet)
        self.assertIn("&amp;", snippet)
        if connection.vendor == "sqlite":
            # PostgreSQL's ts_headline drops what looks like a tag; FTS5 keeps it, escaped.
            self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", snippet)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<img src=x>")
