"""CSV and JSON exports of the filtered lists: the same records in the same order as the page,
inert formulas, the byte order mark and header, no drafts, bad filters handled as the page
handles them, and memory kept flat by reading in batches (a constant number of queries per
batch, whatever the number of records)."""

import csv
import io
import json
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.records import PublicationStatus
from resources.exports import COLUMNS as TOOL_COLUMNS
from search import exports
from tests.factories import (
    make_audience,
    make_instrument,
    make_mechanism,
    make_organization,
    make_passage,
    make_tool,
)
from tests.helpers import FixtureTestCase, indexed, listed, notices

TOOLS = reverse("resources:tool_list")
INSTRUMENTS = reverse("instruments:instrument_list")
SEARCH = reverse("portal:search")
BOM = "\ufeff".encode()


def content(response):
    return b"".join(response.streaming_content)


def csv_rows(response):
    text = content(response).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def json_data(response):
    return json.loads(content(response))


class SameRecordsAsThePage(FixtureTestCase):
    """On the real fixtures: each export lists what the page lists, page after page."""

    def all_pages(self, url, params):
        slugs, page = [], 1
        while True:
            response = self.client.get(url, {**params, "page": page})
            self.assertEqual(response.status_code, 200)
            slugs += listed(response)
            if not response.context["page"].has_next():
                return slugs, response
            page += 1

    def assert_same(self, list_url, export_name, params):
        expected, page = self.all_pages(list_url, params)
        csv_response = self.client.get(reverse(export_name, args=["csv"]), params)
        json_response = self.client.get(reverse(export_name, args=["json"]), params)
        self.assertEqual([row[0] for row in csv_rows(csv_response)[1:]], expected)
        data = json_data(json_response)
        self.assertEqual([record["slug"] for record in data["results"]], expected)
        self.assertEqual(data["count"], page.context["page"].paginator.count)
        self.assertEqual(data["notices"], notices(page))
        return expected

    def test_tools(self):
        filter_sets = [
            {},
            {"kind": "manual"},
            {"mechanism": "extradition"},
            {"mechanism": ["extradition", "mutual-legal-assistance"], "audience": "prosecutors"},
            {"publisher": "unodc"},
            {"q": "trafficking"},  # ranked by the index
            {"q": "cooperation", "kind": "handbook"},
            {"kind": "no-such-kind", "audience": "x" * 600},  # ignored, with notices
        ]
        for params in filter_sets:
            with self.subTest(params=params):
                found = self.assert_same(TOOLS, "resources:tool_export", params)
                if params in ({}, {"q": "trafficking"}):
                    self.assertGreater(len(found), 3)

    def test_instruments(self):
        filter_sets = [
            {},
            {"binding": "yes"},
            {"mechanism": "extradition"},
            {"scope": "regional", "kind": "directive"},
            {"q": "trafficking"},
            {"q": "convention", "binding": "yes"},
            {"binding": ["yes", "no"]},  # one choice at a time: the first, with a notice
        ]
        for params in filter_sets:
            with self.subTest(params=params):
                self.assert_same(INSTRUMENTS, "instruments:instrument_export", params)

    def test_search_with_a_type_chosen_is_the_pages_of_that_type(self):
        for params in (
            {"q": "extradition", "type": "tool"},
            {"q": "cooperation", "type": "paragraph"},
        ):
            with self.subTest(params=params):
                urls, page = [], 1
                while True:
                    response = self.client.get(SEARCH, {**params, "page": page})
                    urls += [hit.url for group in response.context["groups"] for hit in group.hits]
                    if not response.context["page"].has_next():
                        break
                    page += 1
                rows = csv_rows(
                    self.client.get(reverse("portal:search_export", args=["csv"]), params)
                )
                self.assertEqual(
                    [row[2].removeprefix("http://testserver") for row in rows[1:]], urls
                )
                self.assertGreater(len(urls), 3)

    def test_search_without_a_type_is_every_hit_grouped_as_the_page(self):
        params = {"q": "extradition"}
        response = self.client.get(SEARCH, params)
        data = json_data(self.client.get(reverse("portal:search_export", args=["json"]), params))
        self.assertEqual(data["count"], response.context["total"])
        self.assertEqual(len(data["results"]), response.context["total"])
        start = 0
        for group in response.context["groups"]:
            shown = [hit.url for hit in group.hits]
            exported = data["results"][start : start + group.count]
            self.assertEqual({hit["type"] for hit in exported}, {group.type.singular.capitalize()})
            pages = [hit["page"].removeprefix("http://testserver") for hit in exported]
            self.assertEqual(pages[: len(shown)], shown)  # the page's best of that type, first
            start += group.count
        self.assertEqual(start, len(data["results"]))

    def test_bad_filters_are_ignored_with_the_pages_notices_never_an_error(self):
        params = {"kind": ["manual", "toolkit"], "page": "-3", "mechanism": "\x00", "q": "-x"}
        page = self.client.get(TOOLS, params)
        response = self.client.get(reverse("resources:tool_export", args=["json"]), params)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json_data(response)["notices"], notices(page))
        too_long = {"q": "word " * 200}
        response = self.client.get(reverse("portal:search_export", args=["csv"]), too_long)
        self.assertEqual(response.status_code, 400)
        self.assertIn("characters long", response.content.decode())


class Files(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.extradition = make_mechanism("extradition", name="Extradition")
            cls.untoc = make_instrument(
                "untoc", short_title="UNTOC", provides=[(cls.extradition, "art. 16")]
            )
            cls.draft_instrument = make_instrument(
                "secret-treaty", short_title="Secret treaty", status=PublicationStatus.DRAFT
            )
            cls.para = make_passage(7)
            cls.evil = make_tool(
                "evil",
                title='=HYPERLINK("http://x")',
                short_title="+1",
                year=2009,
                mechanisms=[cls.extradition],
                instruments=[cls.untoc, cls.draft_instrument],
                audiences=[make_audience("prosecutors", name="@Prosecutors")],
                sources=[cls.para],
                publisher=make_organization("unodc", name="-UNODC"),
                url="https://example.org/tool",
            )
            cls.tabbed = make_tool("tabbed", title="\tTabbed", short_title="\rCarriage")
            cls.draft = make_tool("draft-tool", title="Draft tool", status=PublicationStatus.DRAFT)

    def test_formulas_export_as_inert_text(self):
        rows = csv_rows(self.client.get(reverse("resources:tool_export", args=["csv"])))
        by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        evil = by_slug["evil"]
        self.assertEqual(evil["Title"], '\'=HYPERLINK("http://x")')
        self.assertEqual(evil["Short title"], "'+1")
        self.assertEqual(evil["Publisher"], "'-UNODC")
        self.assertEqual(evil["Written for"], "'@Prosecutors")
        self.assertEqual(evil["Year"], "2009")  # a number is a number
        self.assertEqual(by_slug["tabbed"]["Title"], "'\tTabbed")
        self.assertEqual(by_slug["tabbed"]["Short title"], "'\rCarriage")
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell.startswith(exports.FORMULA_STARTS), cell)
        # JSON is not read by spreadsheets: values as they are.
        data = json_data(self.client.get(reverse("resources:tool_export", args=["json"])))
        self.assertIn('=HYPERLINK("http://x")', [tool["title"] for tool in data["results"]])

    def test_inert_prefixes_exactly_the_formula_starts(self):
        for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
            self.assertEqual(exports.inert(text), "'" + text)
        for text in ("1-1", "a=b", " =1", "", "'=1", "UNODC"):
            self.assertEqual(exports.inert(text), text)

    def test_csv_is_utf8_with_a_byte_order_mark_and_a_header_row(self):
        response = self.client.get(reverse("resources:tool_export", args=["csv"]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="tools.csv"')
        body = content(response)
        self.assertTrue(body.startswith(BOM))
        self.assertEqual(body.count(BOM), 1)
        header = next(csv.reader(io.StringIO(body.decode()[1:])))
        self.assertEqual(header, [column.header for column in TOOL_COLUMNS])
        self.assertEqual(header[:4], ["Slug", "Title", "Short title", "Kind"])

    def test_relations_are_joined_readably(self):
        rows = csv_rows(self.client.get(reverse("instruments:instrument_export", args=["csv"])))
        untoc = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(untoc["Slug"], "untoc")
        self.assertEqual(
            untoc["Forms of cooperation it provides for (article)"], "Extradition (art. 16)"
        )
        data = json_data(self.client.get(reverse("instruments:instrument_export", args=["json"])))
        provision = data["results"][0]["provides_for"][0]
        self.assertEqual(provision["name"], "Extradition")
        self.assertEqual(provision["detail"], "art. 16")
        self.assertEqual(provision["url"], "http://testserver/cooperation/extradition/")
        tool = json_data(self.client.get(reverse("resources:tool_export", args=["json"])))
        evil = next(t for t in tool["results"] if t["slug"] == "evil")
        self.assertEqual(
            evil["sources"], [{"name": "para. 7", "url": "http://testserver/source/#para-7"}]
        )

    def test_drafts_are_never_exported(self):
        for fmt in ("csv", "json"):
            for name in ("resources:tool_export", "instruments:instrument_export"):
                with self.subTest(fmt=fmt, name=name):
                    body = content(self.client.get(reverse(name, args=[fmt]))).decode()
                    self.assertNotIn("draft-tool", body)
                    self.assertNotIn("Draft tool", body)
                    self.assertNotIn("secret-treaty", body)  # nor as a tool's instrument
                    self.assertNotIn("Secret treaty", body)
        body = content(
            self.client.get(reverse("portal:search_export", args=["csv"]), {"q": "draft"})
        )
        self.assertNotIn(b"draft-tool", body)

    def test_head_reads_nothing(self):
        with self.assertNumQueries(1):  # the validators
            response = self.client.head(reverse("resources:tool_export", args=["csv"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="tools.csv"')


class Batches(TestCase):
    """Memory stays flat: records are read, prefetched and written BATCH_SIZE at a time."""

    @classmethod
    def setUpTestData(cls):
        # All indexed: the index is written once per transaction, by the first change's
        # on-commit callback.
        with indexed():
            mechanism = make_mechanism("extradition")
            audience = make_audience("prosecutors")
            publisher = make_organization("unodc")
            make_instrument("untoc", provides=[mechanism])
            for n in range(10):
                make_tool(
                    f"tool-{n:02}",
                    title=f"Manual number {n:02}",
                    publisher=publisher,
                    mechanisms=[mechanism],
                    audiences=[audience],
                )

    def prefetches(self, queries, table):
        return sum(1 for query in queries if f'FROM "{table}"' in query["sql"])

    def test_the_export_reads_in_bounded_batches_as_it_streams(self):
        with mock.patch.object(exports, "BATCH_SIZE", 3):
            response = self.client.get(reverse("resources:tool_export", args=["csv"]))
            chunks = iter(response.streaming_content)
            with CaptureQueriesContext(connection) as queries:
                next(chunks)  # the header
                first = next(chunks)  # the first batch
            # One batch read: its audiences prefetched once, for its three tools only.
            self.assertEqual(first.count(b"\r\n"), 3)
            self.assertEqual(self.prefetches(queries, "resources_audience"), 1)
            with CaptureQueriesContext(connection) as queries:
                rest = list(chunks)
        self.assertEqual([chunk.count(b"\r\n") for chunk in rest], [3, 3, 1])
        self.assertEqual(self.prefetches(queries, "resources_audience"), 3)

    def test_a_list_searched_by_words_is_read_in_batches_too(self):
        with mock.patch.object(exports, "BATCH_SIZE", 4):
            response = self.client.get(
                reverse("resources:tool_export", args=["json"]), {"q": "manual"}
            )
            with CaptureQueriesContext(connection) as queries:
                chunks = list(response.streaming_content)
        self.assertEqual(len(chunks), 1 + 3 + 1)  # head, 4 + 4 + 2 tools, the end
        self.assertEqual(self.prefetches(queries, "resources_audience"), 3)
        self.assertEqual(len(json.loads(b"".join(chunks))["results"]), 10)

    def test_queries_do_not_grow_with_the_number_of_records(self):
        def queries_for(url, params=None):
            with CaptureQueriesContext(connection) as captured:
                content(self.client.get(url, params or {}))
            return len(captured)

        cases = [
            (reverse("resources:tool_export", args=["csv"]), {}),
            (reverse("resources:tool_export", args=["json"]), {"q": "manual"}),
            (reverse("resources:tool_export", args=["csv"]), {"mechanism": "extradition"}),
            (reverse("instruments:instrument_export", args=["csv"]), {}),
            (reverse("portal:search_export", args=["csv"]), {"q": "manual"}),
        ]
        before = [queries_for(url, params) for url, params in cases]
        mechanism = make_mechanism("mla")
        with indexed():
            for n in range(10, 40):
                make_tool(f"tool-{n:02}", title=f"Manual number {n:02}", mechanisms=[mechanism])
                make_instrument(f"instrument-{n:02}", provides=[mechanism])
        after = [queries_for(url, params) for url, params in cases]
        self.assertEqual(before, after)
        # The tools list, no filter: the validators, the count, the ids in order (a cursor),
        # then for each batch the tools (with publishers), their audiences, mechanisms,
        # instruments and passages.
        self.assertEqual(before[0], 3 + 5)
