"""Every kind of public page, in a desktop browser and at a phone's width: no serious or critical
accessibility violation, nothing in the console (Content Security Policy reports, JavaScript
errors, failed loads), and nothing wider than the screen."""

import pytest
from django.urls import reverse

from portal.models import CitedDocument, Guidance

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_accessible_clean_in_the_console_and_fits_a_phone(
    portal_data, browser_page, phone_page, name
):
    path = PAGES[name]()
    response = browser_page.goto(path)
    # The console check means something only if the page runs under the strict policy.
    assert "default-src 'self'" in response.headers["content-security-policy"]
    browser_page.check(name)

    phone_page.goto(path)
    phone_page.assert_fits()
    phone_page.check(f"{name}-phone" if name in PHONE_SCREENSHOTS else None)


def test_the_not_found_page_is_accessible_and_clean_in_the_console(portal_data, browser_page):
    browser_page.goto("/no-such-page/", status=404)
    browser_page.check("not-found")


def test_the_console_check_catches_what_the_policy_blocks(portal_data, browser_page):
    """An inline script and an inline style are refused by the browser and reported."""
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
    assert page.evaluate("() => window.inlineScriptRan") is None
    reports = [p for p in browser_page.problems if "Content Security Policy" in p]
    assert any("inline script" in report for report in reports), browser_page.problems
    assert any("inline style" in report for report in reports), browser_page.problems
    with pytest.raises(AssertionError):
        browser_page.assert_no_problems()
