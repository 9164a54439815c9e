"""The interface in Arabic, right to left, and in Chinese (docs/languages.md), in a real
browser at a desktop's and a phone's width: nothing wider than the screen, the facets column at
the end of the line (left in Arabic, right in English), the language switcher keeping the page
and its filters, no serious accessibility violation; a screenshot of each."""

from urllib.parse import urlsplit

from tests.browser.base import PHONE, PortalBrowserTestCase

# (screenshot name, address): Arabic home, a cooperation page, the tools list with filters.
ARABIC = {
    "ar-home": "/ar/",
    "ar-mechanism-detail": "/ar/cooperation/extradition/",
    "ar-tool-list-filtered": "/ar/resources/?mechanism=extradition&kind=manual",
}
CHINESE = {
    "zh-home": "/zh-hans/",
    "zh-tool-list-filtered": "/zh-hans/resources/?mechanism=extradition",
}


class RightToLeft(PortalBrowserTestCase):
    def test_arabic_and_chinese_pages_lay_out_in_their_direction_and_fit_a_phone(self):
        for name, path in {**ARABIC, **CHINESE}.items():
            with self.subTest(name=name):
                desktop, phone = self.open_page(), self.open_page(viewport=PHONE)
                try:
                    desktop.goto(path)
                    direction = "rtl" if path.startswith("/ar/") else "ltr"
                    self.assertEqual(desktop.page.evaluate("document.dir"), direction)
                    self.assertEqual(
                        desktop.page.evaluate("getComputedStyle(document.body).direction"),
                        direction,
                    )
                    self.assertEqual(desktop.overflow(), 0)
                    desktop.check(name)
                    phone.goto(path)
                    phone.assert_fits()
                    phone.check(f"{name}-phone")
                finally:
                    desktop.close()
                    phone.close()

    def test_the_facets_are_on_the_left_in_arabic_and_on_the_right_in_english(self):
        def sides(path):
            page = self.open_page()
            try:
                page.goto(path)
                results = page.page.locator(".results").first.bounding_box()
                facets = page.page.locator("aside.facets").bounding_box()
                return results, facets
            finally:
                page.close()

        results, facets = sides("/ar/resources/?kind=manual")
        self.assertLess(facets["x"] + facets["width"], results["x"] + 1)  # facets left of results
        results, facets = sides("/resources/?kind=manual")
        self.assertGreater(facets["x"] + 1, results["x"] + results["width"])  # right of results

    def test_the_switcher_keeps_the_page_and_its_filters(self):
        page = self.browser_page
        page.goto("/resources/?kind=manual")
        page.page.locator("nav.languages").get_by_role("link", name="العربية").click()
        page.page.wait_for_load_state()
        self.assertEqual(urlsplit(page.url).path, "/ar/resources/")
        self.assertIn("kind=manual", page.url)
        self.assertEqual(page.page.evaluate("document.documentElement.lang"), "ar")
        # Chosen, Arabic stays: an English address now leads to the Arabic page.
        page.goto("/cooperation/")
        self.assertEqual(page.path, "/ar/cooperation/")
        page.page.locator("nav.languages").get_by_role("link", name="English").click()
        page.page.wait_for_load_state()
        self.assertEqual(page.path, "/cooperation/")
        self.assertEqual(page.page.evaluate("document.documentElement.lang"), "en")
