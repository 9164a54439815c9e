"""Keyboard users: the skip link comes first and takes them to the content; the filters of the
lists can be reached, chosen, combined with words and removed without a mouse."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from instruments.models import Instrument
from tests.browser.base import PortalBrowserTestCase

MAX_TABS = 250


def is_facet_link(label, chosen=None):
    def matches(focused):
        return (
            focused["tag"] == "a"
            and re.match(rf"{re.escape(label)}\s+\d+", focused["text"])
            and "facet__label" in focused["html"]
            and (chosen is None or focused["current"] == ("true" if chosen else ""))
        )

    return matches


def query(browser_page):
    return parse_qs(urlsplit(browser_page.url).query)


class KeyboardUsers(PortalBrowserTestCase):
    def tab_to(self, browser_page, matches, description):
        """Press Tab until the focused element matches; fail after MAX_TABS presses."""
        for _ in range(MAX_TABS):
            browser_page.page.keyboard.press("Tab")
            if matches(browser_page.focused()):
                return browser_page.focused()
        self.fail(f"{description} was not reached with {MAX_TABS} presses of Tab")

    def test_the_skip_link_is_reached_first_and_moves_focus_to_the_main_content(self):
        browser_page = self.browser_page
        page = browser_page.page
        browser_page.goto("/instruments/")
        page.keyboard.press("Tab")
        focused = browser_page.focused()
        self.assertEqual((focused["tag"], focused["text"]), ("a", "Skip to main content"))
        skip_link = page.locator(".skip-link")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_in_viewport()  # shown on focus, not left off-screen
        self.assertNotEqual(
            page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle"), "none"
        )

        page.keyboard.press("Enter")
        page.wait_for_url("**/instruments/#main")
        expect(page.locator("main#main")).to_be_focused()
        page.keyboard.press("Tab")
        self.assertTrue(
            page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
        )
        self.assertEqual(browser_page.focused()["id"], "list-q")  # the content's first control
        browser_page.assert_no_problems()

    def test_the_instrument_filters_are_usable_from_the_keyboard(self):
        browser_page = self.browser_page
        page = browser_page.page
        browser_page.goto("/instruments/")

        self.tab_to(
            browser_page, is_facet_link("Extradition", chosen=False), "The Extradition filter"
        )
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        self.assertNotEqual(outline, "none", "the focused filter link shows no focus outline")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?mechanism=extradition$"))
        providing = Instrument.objects.published().filter(provisions__mechanism__slug="extradition")
        count = providing.distinct().count()
        expect(page.locator("#results-heading")).to_have_text(f"{count} instruments")

        # Words typed in the list's box keep the chosen filter.
        self.tab_to(browser_page, lambda focused: focused["id"] == "list-q", "The words box")
        page.keyboard.type("Convention")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=Convention"))
        self.assertEqual(query(browser_page), {"q": ["Convention"], "mechanism": ["extradition"]})
        titles = page.locator("ol.card-list h3").all_inner_texts()
        expected = providing.matching("Convention").distinct().values_list("short_title", flat=True)
        self.assertEqual(sorted(titles), sorted(expected))
        # the Organized Crime Convention and the 1988 Drugs Convention at least
        self.assertTrue(titles)

        # The chosen filter is removed from the keyboard too; the words stay.
        self.tab_to(browser_page, is_facet_link("Extradition", chosen=True), "The chosen filter")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?q=Convention$"))
        self.assertEqual(query(browser_page), {"q": ["Convention"]})
        browser_page.check()

    def test_on_a_phone_the_jump_link_leads_the_keyboard_to_the_filters(self):
        phone_page = self.phone_page
        page = phone_page.page
        phone_page.goto("/resources/")
        self.tab_to(
            phone_page, lambda focused: focused["text"] == "Jump to the filters", "The jump link"
        )
        page.keyboard.press("Enter")
        page.wait_for_url("**/resources/#filters-heading")
        expect(page.locator("#filters-heading")).to_be_in_viewport()
        page.keyboard.press("Tab")  # goes on from the filters' heading
        first_facet_link = page.locator("aside.facets a").first
        expect(first_facet_link).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?kind="))
        self.assertEqual(list(query(phone_page)), ["kind"])
        phone_page.check("tool-list-phone")
        phone_page.assert_fits()
