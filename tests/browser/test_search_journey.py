"""A user searches from the header's box, sees the results grouped by type with the words
highlighted, and follows a paragraph hit to its place in the source paper."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.base import PortalBrowserTestCase


class ASearchJourney(PortalBrowserTestCase):
    def test_searching_from_the_header_and_following_a_paragraph_hit(self):
        browser_page = self.browser_page
        page = browser_page.page
        browser_page.goto(reverse("instruments:instrument_list"))
        header_search = page.locator("header form[role=search]")
        header_search.get_by_role("searchbox").fill("hot pursuit")
        header_search.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"/search/\?q=hot\+pursuit$"))

        # Grouped by type, each group with its number of hits.
        groups = page.locator("section.search-group h3").all_inner_texts()
        self.assertIn("Source paragraphs (1)", groups)
        self.assertIn("Cooperation types (1)", groups)
        self.assertGreaterEqual(len(groups), 2)
        for heading in groups:
            self.assertTrue(re.fullmatch(r".+ \(\d+\)", heading), heading)

        # The words are highlighted in the hits.
        marked = page.locator("section.search-group mark").all_inner_texts()
        marks = {text.lower() for text in marked}
        self.assertEqual(marks, {"hot", "pursuit"})
        paragraphs = page.locator("section.search-group", has=page.locator("#group-paragraph"))
        expect(paragraphs.locator(".search-hit__snippet mark").first).to_be_visible()
        expect(page.get_by_role("link", name="Hot pursuit", exact=True)).to_have_attribute(
            "href", reverse("instruments:mechanism_detail", args=["hot-pursuit"])
        )
        browser_page.check("search-results")

        paragraphs.get_by_role("link", name="Paragraph 23").click()
        page.wait_for_url("**/source/#para-23")
        self.assertEqual(browser_page.path, "/source/#para-23")
        self.assertEqual(page.evaluate("() => document.querySelector(':target').id"), "para-23")
        paragraph = page.locator("#para-23")
        expect(paragraph).to_be_in_viewport()
        expect(paragraph).to_contain_text("Convention on Police Cooperation in South East Europe")
        expect(paragraph).to_contain_text("hot pursuit")
        browser_page.check()
