"""How the pages read in Chromium at 1280 and 390 CSS pixels: a cooperation page puts the legal
bases first and its sources beside the text on a wide screen, below it on a phone; the source
paper shows its title before its details on a phone; nothing is wider than the screen. The
screenshots (artifacts/screenshots/) are for a person to look at."""

from tests.browser.base import PHONE, PortalBrowserTestCase


def box(page, selector):
    return page.locator(selector).first.bounding_box()


class ReadingOnWideAndNarrowScreens(PortalBrowserTestCase):
    def test_a_cooperation_page_on_a_wide_screen_and_a_phone(self):
        for name, browser_page in [("desktop", self.browser_page), ("phone", self.phone_page)]:
            with self.subTest(screen=name):
                page = browser_page.page
                browser_page.goto("/cooperation/extradition/")
                browser_page.check(f"cooperation-extradition-{name}")
                browser_page.assert_fits()
                headings = page.locator("section.force h3").all_inner_texts()
                self.assertTrue(headings[0].startswith("Legal basis"))
                self.assertEqual(headings[-1], "Guidance, not a legal basis")
                text, aside = box(page, ".record__text"), box(page, ".record__aside")
                if name == "desktop":
                    # Beside the main text, not below it: the wide screen is used.
                    self.assertGreater(aside["x"], text["x"] + text["width"])
                    self.assertLess(aside["y"], text["y"] + text["height"])
                else:
                    self.assertGreater(aside["y"], text["y"])
                # A quoted source is its first lines, the whole passage one click away.
                caption = page.locator(".record__aside .source-quote figcaption a").first
                self.assertIn("in full", caption.inner_text())

    def test_the_source_paper_on_a_phone_shows_its_title_first(self):
        browser_page = self.open_page(viewport=PHONE)
        page = browser_page.page
        browser_page.goto("/source/")
        browser_page.check("source-phone")
        browser_page.assert_fits()
        self.assertLess(box(page, ".front-matter h1")["y"], box(page, ".front-matter .meta")["y"])
        self.browser_page.goto("/source/")
        self.browser_page.check("source-desktop")
        self.browser_page.assert_fits()
