"""Editors in the admin: its JavaScript (autocomplete, slug prepopulation) works under the site's
Content Security Policy, and what they save appears on the public site.

Moved from tests/test_admin.py so that every browser test launches Chromium the same way."""

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from resources.models import Tool
from tests.browser.base import BrowserTestCase
from tests.factories import build_records


def choose(page, field, term, option):
    """Pick an option of an autocomplete (select2) field by typing part of it."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.keyboard.type(term)
    page.locator(".select2-results__option", has_text=option).click()


class AdminInTheBrowser(BrowserTestCase):
    def test_an_editor_adds_a_tool_with_autocomplete_and_sees_it_on_the_site(self):
        r = build_records()
        User.objects.create_superuser("editor", "editor@example.org", "editor-pw-2011")
        browser_page = self.browser_page
        page = browser_page.page

        browser_page.goto(reverse("admin:login"))
        page.fill("#id_username", "editor")
        page.fill("#id_password", "editor-pw-2011")
        page.click("input[type=submit]")
        page.wait_for_url(f"**{reverse('admin:index')}")
        browser_page.goto(reverse("admin:resources_tool_add"))
        page.type("#id_title", "MLA Request Writer Tool")  # keystrokes fill in the slug
        page.select_option("#id_kind", "online-tool")
        choose(page, "publisher", "unod", "UNODC")
        page.fill("#id_description", "Helps States draft requests.")
        choose(page, "mechanisms", "extra", "Extradition")
        choose(page, "instruments", "unt", "UNTOC")
        choose(page, "sources", "annex", "Annex: UNODC Model Law")
        page.click("input[name=_save]")
        page.wait_for_url(f"**{reverse('admin:resources_tool_changelist')}")
        response = browser_page.goto("/resources/mla-request-writer-tool/")
        status, heading = response.status, page.locator("h1").inner_text()

        tool = Tool.objects.get(slug="mla-request-writer-tool")
        self.assertEqual(tool.publisher, r["organization"])
        self.assertEqual(list(tool.mechanisms.all()), [r["mechanism"]])
        self.assertEqual(list(tool.instruments.all()), [r["instrument"]])
        self.assertEqual(list(tool.sources.all()), [r["annex"]])
        self.assertEqual(tool.get_absolute_url(), "/resources/mla-request-writer-tool/")
        self.assertEqual(status, 200)
        self.assertIn("MLA Request Writer Tool", heading)
        blocked = [p for p in browser_page.problems if "Content Security Policy" in p]
        self.assertEqual(blocked, [])
        browser_page.assert_no_problems()

    def test_logged_in_page_opens_the_admin_as_that_user(self):
        """The helper for editors' journeys: a browser already signed in, without the login
        form."""
        editor = User.objects.create_superuser("editor", "editor@example.org", "editor-pw-2011")
        browser_page = self.logged_in_page(editor)
        browser_page.goto(reverse("admin:index"))
        self.assertEqual(browser_page.path, reverse("admin:index"))  # not sent to the login page
        expect(browser_page.page.locator("#user-tools")).to_contain_text("editor")
        browser_page.assert_no_problems()
