"""A record's tools in the API are bounded: a form of cooperation, an organization and an
instrument each give their first TOOLS_SHOWN published tools by title (``tools``), how many
there are (``tool_count``) and the tools list that lists them all (``tools_url``), which agree
with each other: the first tools are that list's first page, the count its count. A page of
records costs the same number of queries however many tools they have."""

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.records import PublicationStatus
from instruments.models import TOOLS_SHOWN
from tests.factories import (
    make_category,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_tool,
)
from tests.helpers import indexed

ORIGIN = "http://testserver"
MANY = TOOLS_SHOWN + 5
# Tool titles made out of order (every seventh of MANY): the records sort them.
TITLES = [f"Tool {(7 * n) % MANY:02}" for n in range(MANY)]
# Tools that help with extradition only through one of their parts (among the first by title).
BY_A_PART = {"Tool 01", "Tool 04"}


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


def slugs(links):
    return [link["slug"] for link in links]


class FirstTools(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            category = make_category("judicial")
            cls.extradition = make_mechanism("extradition", category=category)
            cls.hot_pursuit = make_mechanism("hot-pursuit", category=category)
            cls.unodc = make_organization("unodc")
            cls.untoc = make_instrument("untoc")
            for n, title in enumerate(TITLES):
                tool = make_tool(
                    f"tool-{n:02}",
                    title=title,
                    publisher=cls.unodc,
                    instruments=[cls.untoc],
                    mechanisms=[] if title in BY_A_PART else [cls.extradition],
                )
                if title in BY_A_PART:
                    make_part(tool, "chapter-1", mechanisms=[cls.extradition])
            # Drafts, first by title, one helping through a part: neither listed nor counted.
            draft = make_tool(
                "draft",
                title="A draft",
                publisher=cls.unodc,
                instruments=[cls.untoc],
                mechanisms=[cls.extradition],
                status=PublicationStatus.DRAFT,
            )
            make_part(draft, "chapter-1", mechanisms=[cls.hot_pursuit])
            cls.few = make_organization("few")
            cls.few_instrument = make_instrument("few-instrument")
            for n in range(2):
                make_tool(
                    f"few-{n}",
                    title=f"Few {n}",
                    publisher=cls.few,
                    instruments=[cls.few_instrument],
                    mechanisms=[cls.hot_pursuit],
                )
        # The published tools, by title: what each of the records with many lists.
        cls.first = [f"tool-{TITLES.index(title):02}" for title in sorted(TITLES)][:TOOLS_SHOWN]

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.json()

    def records(self):
        """(what, record, the filter of the tools list for it) of each record with many tools,
        from its detail and from its list."""
        found = []
        for name, slug, filter_ in [
            ("mechanism", "extradition", "mechanism"),
            ("organization", "unodc", "publisher"),
            ("instrument", "untoc", "instrument"),
        ]:
            found.append((f"get_{name}", self.get(api(f"get_{name}", slug)), filter_))
            page = self.get(api(f"list_{name}s") + "?page_size=100")["results"]
            found.append((f"list_{name}s", next(r for r in page if r["slug"] == slug), filter_))
        return found

    def test_a_record_gives_its_first_tools_by_title_how_many_and_where_all_are(self):
        for what, record, filter_ in self.records():
            with self.subTest(what):
                self.assertEqual(slugs(record["tools"]), self.first)
                self.assertEqual(record["tool_count"], MANY)
                self.assertEqual(
                    record["tools_url"], f"{ORIGIN}/api/v1/tools?{filter_}={record['slug']}"
                )
                # The list it points to: as many tools, the first page being those given.
                listed = self.get(record["tools_url"])
                self.assertEqual(listed["count"], record["tool_count"])
                self.assertEqual(slugs(listed["results"]), slugs(record["tools"]))
                self.assertEqual(
                    record["tools"][1],
                    {
                        "slug": "tool-18",  # 7 x 18 = 126: "Tool 01"
                        "name": "Tool 01",
                        "url": ORIGIN + "/api/v1/tools/tool-18",
                        "html_url": ORIGIN + "/resources/tool-18/",
                    },
                )

    def test_tools_that_help_through_a_part_are_listed_and_counted(self):
        record = self.get(api("get_mechanism", "extradition"))
        by_a_part = [f"tool-{TITLES.index(title):02}" for title in sorted(BY_A_PART)]
        self.assertEqual([s for s in slugs(record["tools"]) if s in by_a_part], by_a_part)
        self.assertEqual(record["tool_count"], MANY)

    def test_drafts_are_neither_listed_nor_counted(self):
        for what, record, _ in self.records():
            with self.subTest(what):
                self.assertNotIn("draft", slugs(record["tools"]))
                self.assertEqual(record["tool_count"], MANY)
        hot_pursuit = self.get(api("get_mechanism", "hot-pursuit"))
        self.assertEqual(slugs(hot_pursuit["tools"]), ["few-0", "few-1"])
        self.assertEqual(hot_pursuit["tool_count"], 2)

    def test_a_record_with_few_tools_gives_them_all(self):
        for name, slug in [
            ("get_mechanism", "hot-pursuit"),
            ("get_organization", "few"),
            ("get_instrument", "few-instrument"),
        ]:
            with self.subTest(name):
                record = self.get(api(name, slug))
                self.assertEqual(slugs(record["tools"]), ["few-0", "few-1"])
                self.assertEqual(record["tool_count"], 2)
                self.assertEqual(self.get(record["tools_url"])["count"], 2)

    def test_the_schema_says_so(self):
        schemas = self.get(api("openapi-json"))["components"]["schemas"]
        for name in ("Mechanism", "Organization", "Instrument", "InstrumentDetail"):
            with self.subTest(name):
                schema = schemas[name]
                self.assertLessEqual({"tools", "tool_count", "tools_url"}, set(schema["required"]))
                self.assertEqual(schema["properties"]["tool_count"]["type"], "integer")
                self.assertIn(
                    f"first {TOOLS_SHOWN} by title", schema["properties"]["tools"]["description"]
                )

    def test_records_with_many_tools_and_with_few_on_one_page(self):
        # Past DENSE tools, a record's are read in title order, each checked (as the tools
        # list reads them); below, found and sorted. A page with both answers the same.
        expected = self.get(api("list_mechanisms"))["results"]
        with mock.patch("api.records.DENSE", 10):
            found = self.get(api("list_mechanisms"))["results"]
        self.assertEqual(
            [(r["slug"], slugs(r["tools"])) for r in found],
            [("extradition", self.first), ("hot-pursuit", ["few-0", "few-1"])],
        )
        self.assertEqual(found, expected)


class FirstToolsQueries(TestCase):
    """The queries of a page of records do not grow with their tools."""

    URLS = [
        api("list_mechanisms"),
        api("get_mechanism", "extradition"),
        api("list_organizations"),
        api("get_organization", "unodc"),
        api("list_instruments"),
        api("get_instrument", "untoc"),
    ]

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.extradition = make_mechanism("extradition")
            cls.hot_pursuit = make_mechanism("hot-pursuit")
            cls.unodc = make_organization("unodc")
            cls.untoc = make_instrument("untoc")
            cls.add_tools(0, 2)

    @classmethod
    def add_tools(cls, start, count):
        for n in range(start, start + count):
            tool = make_tool(
                f"tool-{n:02}",
                publisher=cls.unodc,
                instruments=[cls.untoc],
                mechanisms=[cls.extradition],
            )
            make_part(tool, "chapter-1", mechanisms=[cls.hot_pursuit])

    def queries(self):
        counts = {}
        for url in self.URLS:
            with CaptureQueriesContext(connection) as context:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            counts[url] = len(context.captured_queries)
        return counts

    def test_the_same_queries_for_2_tools_as_for_more_than_are_shown(self):
        few = self.queries()
        with indexed():
            self.add_tools(2, TOOLS_SHOWN + 3)
        for url, count in few.items():
            with self.subTest(url), self.assertNumQueries(count):
                answer = self.client.get(url).json()
            record = answer["results"][0] if "results" in answer else answer
            self.assertEqual(len(record["tools"]), TOOLS_SHOWN)
            self.assertEqual(record["tool_count"], TOOLS_SHOWN + 5)
