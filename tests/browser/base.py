"""What the browser tests share: Debian's Chromium driven by Playwright, the portal served by a
live server (Django's StaticLiveServerTestCase), and a check of every page reached (axe-core
accessibility, console errors and Content Security Policy reports, a screenshot).

A test class derives from :class:`BrowserTestCase`, or from :class:`PortalBrowserTestCase` to have
the portal's real fixtures loaded (as `make fixtures` does) before each test::

    class Instruments(PortalBrowserTestCase):
        def test_something(self):
            self.browser_page.goto("/instruments/")
            self.browser_page.check("instrument-list")      # axe + console + screenshot
            self.browser_page.page.get_by_role("link", name="Extradition").click()

``self.browser_page`` is a desktop-sized :class:`BrowserPage` of an anonymous visitor (``.page``
is the Playwright page) and ``self.phone_page`` one the size of a phone's screen, each opened on
first use in a test; ``self.open_page(viewport=PHONE)`` opens another, and
``self.logged_in_page(user)`` one already signed in as ``user``, for the admin and editors'
journeys.

Without Chromium at /usr/bin/chromium, or without axe-core in node_modules (``make js``), these
tests skip, unless REQUIRE_BROWSER=1 (as in CI), where they fail.
"""

import functools
import json
import os
from collections import defaultdict
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import Client

from tests.helpers import makefile_fixtures

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# axe impacts that fail a test; the "minor" and "moderate" ones go to artifacts/axe-results.json.
FAILING_IMPACTS = {"serious", "critical"}
# Every page's axe violations (all impacts), over the whole run: written to
# artifacts/axe-results.json after each test class, so the file holds every class run so far.
AXE_RESULTS = defaultdict(list)


def require(condition, reason):
    """Skip the test when something it needs is missing; fail instead under REQUIRE_BROWSER=1."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@functools.cache
def _axe_source():
    return AXE_JS.read_text()


def axe_source():
    """axe-core's script, read once. Asked for only when a page is checked, so the tests that
    check no page (the admin's) run without it."""
    require(AXE_JS.exists(), f"axe-core not found at {AXE_JS}; run `make js` (npm ci)")
    return _axe_source()


def write_axe_results():
    if AXE_RESULTS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe-results.json").write_text(json.dumps(AXE_RESULTS, indent=2) + "\n")


class BrowserPage:
    """A Playwright page on the live server that records what goes wrong in the browser:
    console errors (Content Security Policy reports among them), uncaught exceptions, and
    failed loads of the page's resources. Its checks fail ``testcase``.
    """

    def __init__(self, page, base_url, testcase):
        self.page = page
        self.base_url = base_url
        self.testcase = testcase
        self.problems = []
        self.expected_errors = set()  # addresses answered with an error on purpose (a 404 page)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("response", self._on_response)

    def _on_console(self, message):
        url = message.location.get("url", "")
        if url in self.expected_errors:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text} ({url or self.url})")

    def _on_response(self, response):
        url = response.url
        if response.status >= 400 and url not in self.expected_errors:
            self.problems.append(f"HTTP {response.status} for {url}")

    @property
    def url(self):
        return self.page.url

    @property
    def path(self):
        """The current path, query string and fragment, without the server's address."""
        return self.page.url.removeprefix(self.base_url)

    def close(self):
        """Close the page's browser context (done after each test for those still open)."""
        self.page.context.close()

    def goto(self, path, status=200):
        """Open a path of the portal and check the status of its answer."""
        url = self.base_url + path
        if status >= 400:
            self.expected_errors.add(url)
        response = self.page.goto(url)
        self.testcase.assertEqual(
            response.status, status, f"{path}: HTTP {response.status}, expected {status}"
        )
        return response

    def axe(self):
        """Run axe-core on the page as it is now; return its violations."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so the page's CSP does not block it.
            self.page.evaluate(axe_source())
        return self.page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ["violations"]});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    targets: v.nodes.map(node => node.target.join(" ")),
                }));
            }"""
        )

    def check(self, screenshot=None):
        """Fail on serious or critical axe violations and on any browser problem so far; save a
        full-page screenshot as artifacts/screenshots/<screenshot>.png."""
        violations = self.axe()
        width = self.page.viewport_size["width"]
        AXE_RESULTS[screenshot or f"{self.path} ({width}px)"].extend(violations)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=SCREENSHOTS / f"{screenshot}.png", full_page=True)
        report = "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'][:5])}"
            for v in failing
        )
        if failing:
            self.testcase.fail(f"axe found on {self.path}:\n{report}")
        self.assert_no_problems()

    def assert_no_problems(self):
        if self.problems:
            self.testcase.fail("\n".join(self.problems))

    def overflow(self):
        """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
        return self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")

    def assert_fits(self):
        """Fail if the page is wider than the viewport, naming the elements that stick out."""
        wider = self.overflow()
        sticking_out = self.page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 8)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                           + (el.className ? "." + el.className : ""))"""
        )
        self.testcase.assertLessEqual(
            wider, 0, f"{self.path} is {wider}px wider than the screen: {sticking_out}"
        )

    def focused(self):
        """A description of the element that has the keyboard focus."""
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                return {tag: el.tagName.toLowerCase(), id: el.id, text: el.innerText || "",
                        href: el.getAttribute("href") || "", className: el.className || "",
                        current: el.getAttribute("aria-current") || "", html: el.innerHTML};
            }"""
        )


class BrowserTestCase(StaticLiveServerTestCase):
    """Tests in Debian's Chromium (never a downloaded browser), one browser per test class, on
    the live server. Every test starts from an empty database (a TransactionTestCase: what the
    test saves is committed, so the live server sees it, and the search index is written)."""

    pytestmark = [pytest.mark.browser]

    @classmethod
    def setUpClass(cls):
        require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}; apt-get install chromium")
        # Playwright's sync API keeps an asyncio event loop running in this thread while it is
        # started, and Django then refuses ORM calls from the test code (loaddata, asserts on
        # records, the flush after each test) with SynchronousOnlyOperation. Nothing here runs
        # concurrently with the ORM in this thread, so the check is lifted, for the browser tests
        # only and only while the browser runs.
        allow_async_unsafe = mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
        allow_async_unsafe.start()
        cls.addClassCleanup(allow_async_unsafe.stop)
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.addClassCleanup(cls.playwright.stop)
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        cls.addClassCleanup(cls.browser.close)
        cls.addClassCleanup(write_axe_results)

    def open_page(self, **options):
        """A BrowserPage in a fresh browser context, closed after the test:
        ``self.open_page(viewport=PHONE)``. Keyword arguments go to ``browser.new_context()``
        (viewport, storage_state...)."""
        options.setdefault("viewport", DESKTOP)
        context = self.browser.new_context(**options)
        self.addCleanup(context.close)
        return BrowserPage(context.new_page(), self.live_server_url, self)

    @functools.cached_property
    def browser_page(self):
        """A desktop-sized BrowserPage of an anonymous visitor."""
        return self.open_page()

    @functools.cached_property
    def phone_page(self):
        """A BrowserPage the size of a phone's screen (390 x 844 CSS pixels)."""
        return self.open_page(viewport=PHONE)

    def logged_in_page(self, user, **options):
        """A BrowserPage signed in as ``user``: ``page = self.logged_in_page(editor)``.

        The session is made by Django's test client (force_login) and handed to the browser as
        its cookie, so the test does not depend on the login form or a known password.
        """
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        browser_page = self.open_page(**options)
        browser_page.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.live_server_url}]
        )
        return browser_page


class PortalBrowserTestCase(BrowserTestCase):
    """Browser tests on the portal's real fixtures, loaded before each test as `make fixtures`
    loads them. The load is committed, so the search index is written as it is in production."""

    fixtures = makefile_fixtures()
