"""Every kind of public page, in a desktop browser and at a phone's width: no serious or critical
accessibility violation, nothing in the console (Content Security Policy reports, JavaScript
errors, failed loads), and nothing wider than the screen."""

from django.urls import reverse

from guidance.models import Guidance
from paper.models import CitedDocument
from tests.browser.base import PHONE, PortalBrowserTestCase

# The page types, each with its screenshot's name.
PAGES = {
    "home": lambda: reverse("portal:home"),
    "mechanism-list": lambda: reverse("instruments:mechanism_list"),
    "mechanism-detail": lambda: reverse("instruments:mechanism_detail", args=["extradition"]),
    "instrument-list": lambda: reverse("instruments:instrument_list"),
    "instrument-detail": lambda: reverse("instruments:instrument_detail", args=["untoc"]),
    "organization-detail": lambda: reverse("instruments:organization_detail", args=["unodc"]),
    "tool-list": lambda: reverse("resources:tool_list"),
    "tool-detail": lambda: reverse("resources:tool_detail", args=["unodc-model-law-tip"]),
    "source": lambda: reverse("portal:source"),
    "search": lambda: reverse("portal:search") + "?q=extradition",
    "guidance-detail": lambda: Guidance.objects.order_by("slug").first().get_absolute_url(),
    "document-detail": lambda: CitedDocument.objects.order_by("slug").first().get_absolute_url(),
}


# Phone-sized screenshots of a few of them.
PHONE_SCREENSHOTS = {"home", "instrument-list", "source"}


class EveryPage(PortalBrowserTestCase):
    def test_the_page_is_accessible_clean_in_the_console_and_fits_a_phone(self):
        for name in PAGES:
            with self.subTest(name=name):
                # Each page in browsers of its own, as if it were a test of its own.
                browser_page, phone_page = self.open_page(), self.open_page(viewport=PHONE)
                try:
                    path = PAGES[name]()
                    response = browser_page.goto(path)
                    # The console check means something only if the page runs under the strict
                    # policy.
                    self.assertIn("default-src 'self'", response.headers["content-security-policy"])
                    browser_page.check(name)

                    phone_page.goto(path)
                    phone_page.assert_fits()
                    phone_page.check(f"{name}-phone" if name in PHONE_SCREENSHOTS else None)
                finally:
                    browser_page.close()
                    phone_page.close()

    def test_the_not_found_page_is_accessible_and_clean_in_the_console(self):
        self.browser_page.goto("/no-such-page/", status=404)
        self.browser_page.check("not-found")

    def test_the_console_check_catches_what_the_policy_blocks(self):
        """An inline script and an inline style are refused by the browser and reported."""
        browser_page = self.browser_page
        page = browser_page.page
        browser_page.goto(reverse("portal:home"))
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineScriptRan = true";
                document.body.append(script);
                document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p>');
            }"""
        )
        page.wait_for_timeout(200)  # the reports arrive asynchronously
        self.assertIsNone(page.evaluate("() => window.inlineScriptRan"))
        reports = [p for p in browser_page.problems if "Content Security Policy" in p]
        self.assertTrue(any("inline script" in report for report in reports), browser_page.problems)
        self.assertTrue(any("inline style" in report for report in reports), browser_page.problems)
        with self.assertRaises(AssertionError):
            browser_page.assert_no_problems()
