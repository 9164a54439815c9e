"""Shared fixtures of the browser tests: Debian's Chromium driven by Playwright, the portal served
by pytest-django's ``live_server`` with the real fixtures, and a check of every page reached
(axe-core accessibility, console errors and Content Security Policy reports, a screenshot).

Use in a test module (mark it ``pytestmark = pytest.mark.browser``)::

    def test_something(portal_data, browser_page):
        browser_page.goto("/instruments/")
        browser_page.check("instrument-list")        # axe + console + screenshot
        browser_page.page.get_by_role("link", name="Extradition").click()

``browser_page`` is a :class:`BrowserPage` (``.page`` is the Playwright page). ``open_page()``
opens another one (a phone viewport, say); ``logged_in_page(user)`` opens one already signed in
as ``user``, for the admin and editors' journeys.

Without Chromium at /usr/bin/chromium, or without axe-core in node_modules (``make js``), these
tests skip, unless REQUIRE_BROWSER=1 (as in CI), where they fail.
"""

import functools
import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

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


def require(condition, reason):
    """Skip the test when something it needs is missing; fail instead under REQUIRE_BROWSER=1."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def makefile_fixtures():
    """The fixture names of the Makefile's FIXTURES line, in their loading order."""
    makefile = (BASE_DIR / "Makefile").read_text()
    return re.search(r"^FIXTURES\s*:?=\s*(.+)$", makefile, re.MULTILINE).group(1).split()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium (never a downloaded browser), one per test module."""
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread while it is
    # started, and Django then refuses ORM calls from the test code (loaddata, asserts on
    # records) with SynchronousOnlyOperation. Nothing here runs concurrently with the ORM in
    # this thread, so the check is lifted, for the browser tests only and only while the
    # browser runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@functools.cache
def _axe_source():
    return AXE_JS.read_text()


def axe_source():
    """axe-core's script, read once. Asked for only when a page is checked, so the tests that
    check no page (the admin's) run without it."""
    require(AXE_JS.exists(), f"axe-core not found at {AXE_JS}; run `make js` (npm ci)")
    return _axe_source()


@pytest.fixture(scope="session")
def axe_results():
    """Every page's axe violations (all impacts), written to artifacts/axe-results.json."""
    results = defaultdict(list)
    yield results
    if results:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe-results.json").write_text(json.dumps(results, indent=2) + "\n")


@pytest.fixture
def portal_data(live_server):
    """The live server with the portal's real fixtures loaded (as `make fixtures` does)."""
    call_command("loaddata", *makefile_fixtures(), verbosity=0)
    return live_server


class BrowserPage:
    """A Playwright page on the live server that records what goes wrong in the browser:
    console errors (Content Security Policy reports among them), uncaught exceptions, and
    failed loads of the page's resources.
    """

    def __init__(self, page, base_url, axe_results):
        self.page = page
        self.base_url = base_url
        self.axe_results = axe_results
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

    def goto(self, path, status=200):
        """Open a path of the portal and check the status of its answer."""
        url = self.base_url + path
        if status >= 400:
            self.expected_errors.add(url)
        response = self.page.goto(url)
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
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
        self.axe_results[screenshot or f"{self.path} ({width}px)"].extend(violations)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=SCREENSHOTS / f"{screenshot}.png", full_page=True)
        report = "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'][:5])}"
            for v in failing
        )
        assert not failing, f"axe found on {self.path}:\n{report}"
        self.assert_no_problems()

    def assert_no_problems(self):
        assert self.problems == [], "\n".join(self.problems)

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
        assert wider <= 0, f"{self.path} is {wider}px wider than the screen: {sticking_out}"

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


@pytest.fixture
def open_page(chromium, live_server, axe_results):
    """Opens a BrowserPage in a fresh browser context: ``open_page(viewport=PHONE)``.
    Keyword arguments go to ``browser.new_context()`` (viewport, storage_state...)."""
    contexts = []

    def open_(**options):
        options.setdefault("viewport", DESKTOP)
        context = chromium.new_context(**options)
        contexts.append(context)
        return BrowserPage(context.new_page(), live_server.url, axe_results)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(open_page):
    """A desktop-sized BrowserPage of an anonymous visitor."""
    return open_page()


@pytest.fixture
def phone_page(open_page):
    """A BrowserPage the size of a phone's screen (390 x 844 CSS pixels)."""
    return open_page(viewport=PHONE)


@pytest.fixture
def logged_in_page(open_page, live_server):
    """Opens a BrowserPage signed in as a user: ``page = logged_in_page(editor)``.

    The session is made by Django's test client (force_login) and handed to the browser as its
    cookie, so the test does not depend on the login form or a known password.
    """

    def open_as(user, **options):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        browser_page = open_page(**options)
        browser_page.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return browser_page

    return open_as
