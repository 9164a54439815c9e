"""The API's docs page in Chromium, at 1280 and 390 CSS pixels: Swagger UI renders every
operation under the portal's Content Security Policy (no report, no console error, nothing
fetched from elsewhere) and a request tried from it is answered. Screenshots:
artifacts/screenshots/api-docs-*.png."""

from django.urls import reverse

from tests.browser.base import PHONE, SCREENSHOTS, PortalBrowserTestCase


class DocsPage(PortalBrowserTestCase):
    def test_the_docs_page_renders_and_tries_a_request_on_a_wide_screen_and_a_phone(self):
        schema = self.client.get(reverse("api-v1:openapi-json")).json()
        operations = sum(len(methods) for methods in schema["paths"].values())
        for name, browser_page in [("desktop", self.browser_page), ("phone", self.phone_page)]:
            with self.subTest(screen=name):
                page = browser_page.page
                elsewhere = []
                page.on("request", lambda request, found=elsewhere: found.append(request.url))
                browser_page.goto(reverse("api-v1:openapi-view"))
                page.wait_for_selector(".opblock")
                self.assertEqual(page.locator(".opblock").count(), operations)
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"api-docs-{name}.png")
                # Try the tools list, filtered by a kind chosen in its select.
                block = page.locator("#operations-Tools-list_tools")
                block.locator(".opblock-summary").click()
                block.get_by_role("button", name="Try it out").click()
                block.locator("tr[data-param-name='kind'] select").select_option("manual")
                block.get_by_role("button", name="Execute").click()
                status = block.locator(".live-responses-table .response .response-col_status")
                status.first.wait_for()
                self.assertEqual(status.first.inner_text().strip(), "200")
                self.assertIn(
                    "criminal-justice-manual", block.locator(".live-responses-table").inner_text()
                )
                page.screenshot(path=SCREENSHOTS / f"api-docs-{name}-tried.png", full_page=False)
                browser_page.assert_no_problems()  # console errors, CSP reports, failed loads
                origin = self.live_server_url
                self.assertEqual([url for url in elsewhere if not url.startswith(origin)], [])

    def test_the_phone_page_fits(self):
        browser_page = self.open_page(viewport=PHONE)
        browser_page.goto(reverse("api-v1:openapi-view"))
        browser_page.page.wait_for_selector(".opblock")
        browser_page.assert_fits()
