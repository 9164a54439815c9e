"""A prosecutor finds the legal basis for a form of cooperation, from the home page to the
paragraph of the background paper it comes from."""

import re

from playwright.sync_api import expect

from instruments.models import Instrument
from tests.browser.base import PortalBrowserTestCase


def listed_titles(page):
    return page.locator("ol.card-list h3").all_inner_texts()


def providing(*mechanisms):
    """Short titles of the published instruments that provide for every one of the mechanisms."""
    instruments = Instrument.objects.published()
    for slug in mechanisms:
        instruments = instruments.filter(provisions__mechanism__slug=slug)
    return sorted(instruments.distinct().values_list("short_title", flat=True))


class AProsecutorsJourney(PortalBrowserTestCase):
    def test_from_the_home_page_to_the_paragraph_that_grounds_extradition(self):
        browser_page = self.browser_page
        page = browser_page.page
        browser_page.goto("/")
        browser_page.check("home")

        # A form of cooperation, chosen in its category on the home page.
        judicial = page.locator("section.category", has=page.locator("h3", has_text="Judicial"))
        judicial.get_by_role("link", name="Extradition", exact=True).click()
        page.wait_for_url("**/cooperation/extradition/")
        expect(page.locator("h1")).to_have_text("Extradition")
        browser_page.check("mechanism-detail")

        # The instruments that provide for it.
        page.get_by_role("link", name="Filter the instruments by extradition").click()
        page.wait_for_url("**/instruments/?mechanism=extradition")
        self.assertEqual(sorted(listed_titles(page)), providing("extradition"))
        self.assertIn("Organized Crime Convention", listed_titles(page))
        self.assertLess(len(listed_titles(page)), Instrument.objects.published().count())
        browser_page.check("instrument-list-filtered")

        # Narrowed by a second form of cooperation, with the facet link.
        facets = page.locator("aside.facets")
        facets.get_by_role("link", name=re.compile(r"^Joint investigations \d+")).click()
        page.wait_for_url(re.compile(r"mechanism=extradition&mechanism=joint-investigations$"))
        self.assertEqual(
            sorted(listed_titles(page)), providing("extradition", "joint-investigations")
        )
        self.assertEqual(listed_titles(page), ["Organized Crime Convention"])
        expect(page.locator("#results-heading")).to_have_text("1 instrument")
        chosen = facets.locator("a[aria-current=true] .facet__label").all_inner_texts()
        self.assertEqual(chosen, ["Extradition", "Joint investigations"])
        browser_page.check()

        # The instrument, and the paragraph its extradition provision comes from.
        page.get_by_role("link", name="Organized Crime Convention").click()
        page.wait_for_url("**/instruments/untoc/")
        expect(page.locator("h1")).to_have_text(
            "United Nations Convention against Transnational Organized Crime"
        )
        browser_page.check("instrument-detail")

        page.locator("#provision-extradition").get_by_role("link", name="para. 7").click()
        page.wait_for_url("**/source/#para-7")
        self.assertEqual(browser_page.path, "/source/#para-7")
        self.assertEqual(page.evaluate("() => document.querySelector(':target').id"), "para-7")
        paragraph = page.locator("#para-7")
        expect(paragraph).to_be_in_viewport()
        expect(paragraph).to_contain_text(
            "The Convention establishes obligations for States Parties to cooperate in matters of "
            "mutual legal assistance and extradition"
        )
        browser_page.check("source")
