"""An editor's day in the browser, under the site's Content Security Policy: the Markdown preview
renders as they type, the history compares two versions and reverts, a draft is previewed on the
site behind its banner (instruments/editorial.py, static/js/admin-markdown-preview.js)."""

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from resources.models import Tool
from tests.browser.base import BrowserTestCase
from tests.factories import build_records


class AnEditorsDay(BrowserTestCase):
    def setUp(self):
        call_command("setup_editor_group", verbosity=0)
        self.editor = User.objects.create_user("editor", password="pw", is_staff=True)
        self.editor.groups.add(Group.objects.get(name="Editor"))

    def test_the_markdown_preview_shows_the_sanitised_html_as_the_editor_types(self):
        r = build_records()
        browser_page = self.logged_in_page(self.editor)
        page = browser_page.page
        browser_page.goto(reverse("admin:resources_tool_change", args=[r["tool"].pk]))
        preview = page.locator("#id_description-markdown-preview .markdown-preview__body")
        expect(preview).to_contain_text("Helps States implement the Protocol.")  # on opening

        page.fill("#id_description", "")
        page.type("#id_description", "A **bold** claim <script>alert(1)</script>\n\n* one\n* two")
        expect(preview.locator("strong")).to_have_text("bold")
        expect(preview.locator("li")).to_have_count(2)
        self.assertEqual(preview.locator("script").count(), 0)
        browser_page.assert_no_problems()

    def test_an_editor_compares_two_versions_and_reverts_to_the_earlier(self):
        r = build_records()
        tool = r["tool"]
        browser_page = self.logged_in_page(self.editor)
        page = browser_page.page
        browser_page.goto(reverse("admin:resources_tool_change", args=[tool.pk]))
        page.fill("#id_title", "A title to regret")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

        page.click("a.historylink")
        page.click("input[type=submit][value='Compare the two chosen versions']")
        expect(page.locator(".history-compare")).to_contain_text("A title to regret")
        expect(
            page.locator(".history-compare del", has_text="Model Law against Trafficking")
        ).to_have_text("Model Law against Trafficking in Persons")
        page.click("text=Revert to the earlier version")
        page.click("input[type=submit][value='Revert']")
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        tool.refresh_from_db()
        self.assertEqual(tool.title, "Model Law against Trafficking in Persons")
        self.assertEqual(list(tool.mechanisms.all()), [r["mechanism"]])
        browser_page.assert_no_problems()

    def test_an_editor_previews_a_draft_on_the_site(self):
        r = build_records()
        draft = r["draft_tool"]
        browser_page = self.logged_in_page(self.editor)
        page = browser_page.page
        browser_page.goto(reverse("admin:resources_tool_change", args=[draft.pk]))
        page.click("text=Preview on site")
        page.wait_for_url(f"**{draft.get_absolute_url()}")
        expect(page.locator(".draft-banner")).to_contain_text("Draft — not visible to the public")
        expect(page.locator("h1")).to_have_text(draft.title)
        expect(page.locator(".record-status")).to_contain_text(
            "Text not yet checked against the paper."
        )
        browser_page.check(screenshot="editorial-draft-preview")
        self.assertEqual(Tool.objects.get(pk=draft.pk).status, "draft")
