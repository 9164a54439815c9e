"""Where each statement comes from: a text written from the paper says so (its passages); a text
an editor adds or changes is marked as the editors', with its source and date, and the admin asks
for that source; the record says when its text was checked against the paper, when it last
changed and when an editor verified it; the compare view shows an empty link as empty."""

import datetime

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from editorial.admin import display_value
from instruments.models import Mechanism
from resources.models import Tool
from tests.factories import build_records
from tests.helpers import admin_url, form_data, plain_static


@plain_static()
class EditorsTexts(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()
        cls.editor = User.objects.create_superuser("root", "root@example.org", "pw")

    def setUp(self):
        self.client.force_login(self.editor)

    def change(self, record, **fields):
        url = admin_url(type(record), "change", record.pk)
        data = form_data(self.client.get(url))
        data.update(fields)
        return self.client.post(url, data)

    def test_a_text_from_the_paper_cites_its_passages(self):
        tool = self.r["tool"]
        response = self.client.get(tool.get_absolute_url())
        self.assertContains(
            response, 'From the paper: <a href="/source/#annex-1">annex entry 1</a>'
        )
        self.assertNotContains(response, "Editors' text")

    def test_changing_a_text_needs_its_source(self):
        tool = self.r["tool"]
        response = self.change(tool, description="A new description.")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Say where the changed text comes from")
        tool.refresh_from_db()
        self.assertEqual(tool.description, "Helps States implement the Protocol.")

    def test_a_changed_text_is_marked_as_the_editors_with_its_source_and_date(self):
        tool = self.r["tool"]
        source = "UNODC, Model Law page, https://www.unodc.org/model-law"
        response = self.change(tool, description="A new description.", text_source=source)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool.refresh_from_db()
        self.assertEqual(list(tool.editors_text), ["description"])
        self.assertEqual(tool.editors_text["description"]["source"], source)
        self.assertIsNotNone(tool.updated_on)
        self.assertEqual(tool.editors_text["description"]["on"], tool.updated_on.isoformat())
        page = self.client.get(tool.get_absolute_url())
        self.assertContains(page, "Editors' text")
        self.assertContains(page, "Source: UNODC, Model Law page, ")
        self.assertContains(page, '<a href="https://www.unodc.org/model-law" rel="nofollow">')
        self.assertContains(page, "Last updated")
        # The history keeps the marking: each version says whose the text was.
        self.assertEqual(tool.history.latest().editors_text["description"]["source"], source)

    def test_a_change_to_other_fields_needs_no_source_and_marks_no_text(self):
        mechanism = self.r["mechanism"]
        response = self.change(mechanism, name="Extradition of persons")
        self.assertRedirects(response, admin_url(Mechanism, "changelist"))
        mechanism.refresh_from_db()
        self.assertEqual(mechanism.editors_text, {})
        self.assertIsNotNone(mechanism.updated_on)

    def test_the_record_says_how_it_was_checked(self):
        Tool.objects.filter(pk=self.r["tool"].pk).update(checked_against_paper_on="2026-12-05")
        response = self.client.get(self.r["tool"].get_absolute_url())
        self.assertContains(response, "Text checked against the paper on")
        self.assertNotContains(response, "Not yet verified against its source")
        response = self.client.get(self.r["mechanism"].get_absolute_url())
        self.assertContains(response, "Text not yet checked against the paper.")


class CompareView(TestCase):
    def test_an_empty_link_shows_as_empty_not_as_a_deleted_record(self):
        from simple_history.models import DeletedObject

        field = Tool._meta.get_field("verified_by")
        self.assertEqual(display_value(field, DeletedObject(User, None)), "—")
        self.assertEqual(
            display_value(field, DeletedObject(User, 7)), "Deleted user (pk=7) (deleted)"
        )

    def test_the_compare_page_of_a_verified_record_shows_no_deleted_user(self):
        r = build_records()
        root = User.objects.create_superuser("root", "root@example.org", "pw")
        self.client.force_login(root)
        tool = r["tool"]
        tool.last_verified_on, tool.verified_by = datetime.date(2026, 12, 5), root
        tool.save()  # "Verified by" goes from empty to root
        versions = list(tool.history.order_by("history_id").values_list("history_id", flat=True))
        url = reverse("admin:resources_tool_history_compare", args=[tool.pk])
        response = self.client.get(url, {"from": versions[0], "to": versions[-1]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Verified by")
        self.assertNotContains(response, "pk=None")
