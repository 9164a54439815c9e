"""A user narrows the tools by publisher and kind with the facet links, then pages through the
results without losing the filters."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from instruments.models import Organization
from resources.models import Tool
from tests.browser.base import PortalBrowserTestCase
from tests.factories import make_tool

PER_PAGE = 20


def listed_titles(page):
    return page.locator("ol.card-list h3").all_inner_texts()


def query(browser_page):
    return parse_qs(urlsplit(browser_page.url).query)


class ToolsByPublisherAndKind(PortalBrowserTestCase):
    def setUp(self):
        """25 more published UNODC model laws (enough for two pages) and one draft."""
        unodc = Organization.objects.get(slug="unodc")
        for number in range(1, 26):
            make_tool(
                slug=f"synthetic-model-law-{number:02}",
                title=f"Synthetic UNODC model law {number:02}",
                kind=Tool.Kind.MODEL_LAW,
                publisher=unodc,
            )
        make_tool(
            slug="draft-model-law",
            title="Draft UNODC model law",
            kind=Tool.Kind.MODEL_LAW,
            publisher=unodc,
            status="draft",
        )

    def test_filtering_tools_by_publisher_and_kind_and_paging_through_them(self):
        browser_page = self.browser_page
        page = browser_page.page
        facets = page.locator("aside.facets")
        expected = list(
            Tool.objects.published()
            .filter(publisher__slug="unodc", kind=Tool.Kind.MODEL_LAW)
            .values_list("title", flat=True)
        )
        self.assertEqual(len(expected), 27)  # the fixtures' two UNODC model laws and 25 made here

        browser_page.goto("/resources/")
        expect(page.locator("#results-heading")).to_have_text(
            f"{Tool.objects.published().count()} tools"
        )
        browser_page.check("tool-list")

        facets.locator("#facet-publisher ~ ul").get_by_role(
            "link", name=re.compile(r"^United Nations Office on Drugs and Crime \d+")
        ).click()
        page.wait_for_url("**/resources/?publisher=unodc")
        unodc = Tool.objects.published().filter(publisher__slug="unodc")
        expect(page.locator("#results-heading")).to_have_text(f"{unodc.count()} tools")
        self.assertEqual(
            listed_titles(page), list(unodc.values_list("title", flat=True)[:PER_PAGE])
        )

        facets.locator("#facet-kind ~ ul").get_by_role(
            "link", name=re.compile(r"^Model law \d+")
        ).click()
        page.wait_for_url(re.compile(r"kind=model-law"))
        self.assertEqual(query(browser_page), {"publisher": ["unodc"], "kind": ["model-law"]})
        expect(page.locator("#results-heading")).to_have_text("27 tools")
        first_page = listed_titles(page)
        self.assertEqual(first_page, expected[:PER_PAGE])
        self.assertNotIn("Draft UNODC model law", first_page)
        chosen = facets.locator("a[aria-current=true] .facet__label").all_inner_texts()
        self.assertEqual(sorted(chosen), ["Model law", "United Nations Office on Drugs and Crime"])
        expect(page.locator("nav.pagination")).to_contain_text("Page 1 of 2")
        browser_page.check("tool-list-filtered")

        # The page links keep both filters.
        page.locator("nav.pagination").get_by_role("link", name="Next page").click()
        page.wait_for_url(re.compile(r"page=2"))
        self.assertEqual(
            query(browser_page), {"publisher": ["unodc"], "kind": ["model-law"], "page": ["2"]}
        )
        second_page = listed_titles(page)
        self.assertEqual(first_page + second_page, expected)
        expect(page.locator("nav.pagination")).to_contain_text("Page 2 of 2")
        expect(page.locator("nav.pagination a[aria-current=page]")).to_have_text("Page 2")
        browser_page.check("tool-list-page-2")

        page.locator("nav.pagination").get_by_role("link", name="Page 1", exact=True).click()
        page.wait_for_url(re.compile(r"page=1"))
        self.assertEqual(
            query(browser_page), {"publisher": ["unodc"], "kind": ["model-law"], "page": ["1"]}
        )
        self.assertEqual(listed_titles(page), first_page)

        # A tool's own page (the fixtures' model law comes after the synthetic ones, on page 2).
        page.go_back()
        page.wait_for_url(re.compile(r"page=2"))
        page.get_by_role("link", name="UNODC Model Law against Trafficking in Persons").click()
        page.wait_for_url("**/resources/unodc-model-law-tip/")
        expect(page.locator("h1")).to_contain_text("UNODC Model Law against Trafficking in Persons")
        browser_page.check("tool-detail")
