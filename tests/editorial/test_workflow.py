"""The editors' workflow: roles, history and revert, drafts, review, Markdown preview, validation
and concurrent edits (editorial/admin.py, editorial/history.py)."""

import datetime
import warnings
from io import StringIO

from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from countries.models import (
    BindingRule,
    Declaration,
    ImportRun,
    Membership,
    Participant,
    ParticipationEvent,
)
from countries.models import Group as CountryGroup
from editorial import markdown
from editorial.admin import months_before
from editorial.management.commands.setup_editor_group import GROUP_NAME, declared_permissions
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from resources.models import Audience, Tool, ToolPart
from tests.factories import build_records, make_mechanism
from tests.helpers import admin_url, form_data, indexed

EDITABLE = [
    Tool, ToolPart, Audience, Instrument, Provision, Mechanism, Organization, CitedDocument,
    Guidance, Participant, ParticipationEvent, CountryGroup, Membership, BindingRule, Declaration,
]  # fmt: skip
SOURCE_PAPER = [SourceDocument, Section, Passage]
DRAFT_BANNER = "Draft — not visible to the public"


def make_editor(username="editor"):
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP_NAME))
    return user


class EditorialTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("setup_editor_group", stdout=StringIO())
        cls.r = build_records()
        cls.editor = make_editor()

    def setUp(self):
        self.client.force_login(self.editor)

    def open_change_form(self, obj, client=None):
        response = (client or self.client).get(admin_url(type(obj), "change", obj.pk))
        self.assertEqual(response.status_code, 200)
        return response


# ---- Roles --------------------------------------------------------------------------------


class EditorGroup(EditorialTestCase):
    def test_the_group_holds_exactly_the_editors_permissions(self):
        group = Group.objects.get(name=GROUP_NAME)
        held = set(group.permissions.values_list("content_type__model", "codename"))
        expected = set()
        for model in EDITABLE:
            for action in ("add", "change", "delete", "view"):
                expected.add((model._meta.model_name, f"{action}_{model._meta.model_name}"))
        expected.add(("mechanismcategory", "add_mechanismcategory"))
        for action in ("change", "delete", "view"):
            expected.add(("mechanismcategory", f"{action}_mechanismcategory"))
        for model in SOURCE_PAPER:
            expected.add((model._meta.model_name, f"view_{model._meta.model_name}"))
        expected.update({("feedback", "view_feedback"), ("feedback", "change_feedback")})
        expected.add(("importrun", "view_importrun"))  # the participation importer's reports
        self.assertEqual(held, expected)
        self.assertEqual(len(declared_permissions()), len(EDITABLE) + len(SOURCE_PAPER) + 3)

    def test_running_the_command_again_resets_the_group_without_duplicating_it(self):
        group = Group.objects.get(name=GROUP_NAME)
        before = set(group.permissions.all())
        group.permissions.add(Permission.objects.get(codename="change_passage"))
        group.permissions.remove(Permission.objects.get(codename="change_tool"))
        out = StringIO()
        call_command("setup_editor_group", stdout=out)
        self.assertEqual(Group.objects.filter(name=GROUP_NAME).count(), 1)
        self.assertEqual(set(group.permissions.all()), before)
        self.assertIn("Updated the Editor group", out.getvalue())
        self.assertIn("make editor name=USERNAME", out.getvalue())

    def test_add_user_makes_a_staff_editor_of_a_new_or_existing_user(self):
        out = StringIO()
        call_command("setup_editor_group", "--add-user", "alice", "--no-input", stdout=out)
        alice = User.objects.get(username="alice")
        self.assertTrue(alice.is_staff)
        self.assertFalse(alice.is_superuser)
        self.assertFalse(alice.has_usable_password())
        self.assertTrue(alice.groups.filter(name=GROUP_NAME).exists())
        self.assertIn("changepassword alice", out.getvalue())
        User.objects.create_user("bob", password="pw")
        call_command("setup_editor_group", "--add-user", "bob", "--no-input", stdout=StringIO())
        bob = User.objects.get(username="bob")
        self.assertTrue(bob.is_staff and bob.has_usable_password())
        self.assertTrue(bob.has_perm("resources.change_tool"))


class EditorPermissions(EditorialTestCase):
    def test_an_editor_reads_problem_reports_and_marks_them_resolved(self):
        from editorial.feedback import Feedback

        report = Feedback.objects.create(
            record_label="A tool", page_url="/resources/a-tool/", message="Broken link"
        )
        changelist = admin_url(Feedback, "changelist")
        self.assertContains(self.client.get(changelist), "Broken link")
        self.client.post(changelist, {"action": "mark_resolved", "_selected_action": [report.pk]})
        report.refresh_from_db()
        self.assertTrue(report.resolved)
        self.assertEqual(self.client.get(admin_url(Feedback, "add")).status_code, 403)
        self.assertFalse(self.editor.has_perm("portal.delete_feedback"))

    def test_an_editor_reads_the_participation_imports_report_and_cannot_change_it(self):
        run = ImportRun.objects.create(
            file="untoc.csv", rows=187, created=328, report="untoc.csv: 187 rows read"
        )
        response = self.client.get(admin_url(ImportRun, "change", run.pk))
        self.assertContains(response, "untoc.csv: 187 rows read")
        self.assertNotContains(response, 'name="_save"')
        self.assertContains(self.client.get(admin_url(ImportRun, "changelist")), "untoc.csv")
        self.assertEqual(self.client.get(admin_url(ImportRun, "add")).status_code, 403)
        post = self.client.post(admin_url(ImportRun, "change", run.pk), {"report": "x"})
        self.assertEqual(post.status_code, 403)
        run.refresh_from_db()
        self.assertEqual(run.report, "untoc.csv: 187 rows read")

    def test_an_editor_opens_the_list_add_change_and_delete_pages_of_every_editable_model(self):
        for model in EDITABLE:
            obj = model.objects.first()
            with self.subTest(model=model.__name__):
                for url in [
                    admin_url(model, "changelist"),
                    admin_url(model, "add"),
                    admin_url(model, "change", obj.pk),
                    admin_url(model, "delete", obj.pk),
                    admin_url(model, "history", obj.pk),
                ]:
                    self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_an_editor_changes_a_tool(self):
        tool = self.r["tool"]
        data = form_data(self.open_change_form(tool))
        data["title"] = "Model Law against Trafficking in Persons (2009)"
        response = self.client.post(admin_url(Tool, "change", tool.pk), data)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool.refresh_from_db()
        self.assertEqual(tool.title, "Model Law against Trafficking in Persons (2009)")

    def test_an_editor_views_but_cannot_change_add_or_delete_a_passage(self):
        passage = self.r["paragraph"]
        response = self.client.get(admin_url(Passage, "change", passage.pk))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["has_change_permission"])
        self.assertNotContains(response, 'name="_save"')
        post = self.client.post(admin_url(Passage, "change", passage.pk), {"text": "Rewritten."})
        self.assertEqual(post.status_code, 403)
        passage.refresh_from_db()
        self.assertNotEqual(passage.text, "Rewritten.")
        self.assertEqual(self.client.get(admin_url(Passage, "add")).status_code, 403)
        self.assertEqual(self.client.get(admin_url(Passage, "delete", passage.pk)).status_code, 403)

    def test_an_editor_cannot_revert_a_passage_through_its_history(self):
        passage = self.r["paragraph"]
        passage.text = "A later wording."
        passage.save()
        first = passage.history.earliest("history_id")
        url = admin_url(Passage, "simple_history", passage.pk, first.history_id)
        self.assertEqual(self.client.get(url).status_code, 200)  # Viewing a version is allowed.
        response = self.client.post(url, {"text": "The first wording."})
        self.assertEqual(response.status_code, 403)
        passage.refresh_from_db()
        self.assertEqual(passage.text, "A later wording.")

    def test_an_editor_sees_no_user_accounts(self):
        # The review: editors could read every account's email, flags, groups and last login,
        # and the user autocomplete listed every username. Editing needs none of it.
        other = User.objects.create_user("someone", "someone@example.org", "a-long-pass-phrase")
        for url in (
            admin_url(User, "changelist"),
            admin_url(User, "change", other.pk),
            admin_url(User, "change", self.editor.pk),
            admin_url(User, "add"),
            admin_url(Group, "changelist"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        autocomplete = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "resources", "model_name": "tool", "field_name": "verified_by"}
            | {"term": "some"},
        )
        self.assertEqual(autocomplete.status_code, 403)
        post = self.client.post(
            admin_url(User, "change", self.editor.pk),
            {"username": "editor", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
        )
        self.assertEqual(post.status_code, 403)
        self.editor.refresh_from_db()
        self.assertFalse(self.editor.is_superuser)
        index = self.client.get(reverse("admin:index"))
        self.assertNotContains(index, admin_url(User, "changelist"))

    def test_a_refused_next_address_after_login_lands_on_the_admin_not_a_404(self):
        self.client.logout()
        login = reverse("admin:login")
        for next_url in ("https://evil.example.org/", "//evil.example.org/", ""):
            with self.subTest(next=next_url):
                response = self.client.post(
                    f"{login}?next={next_url}",
                    {"username": "editor", "password": "pw", "next": next_url},
                )
                self.assertRedirects(response, reverse("admin:index"))
                self.client.logout()

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        self.client.logout()
        login = reverse("admin:login")
        tool = self.r["tool"]
        for url in [reverse("admin:index"), admin_url(Tool, "change", tool.pk)]:
            with self.subTest(url=url):
                self.assertRedirects(self.client.get(url), f"{login}?next={url}")
        response = self.client.post(admin_url(Tool, "change", tool.pk), {"title": "Vandalised"})
        self.assertEqual(response.status_code, 302)
        tool.refresh_from_db()
        self.assertNotEqual(tool.title, "Vandalised")

    def test_a_user_in_the_group_who_is_not_staff_never_reaches_the_admin(self):
        outsider = User.objects.create_user("outsider", password="pw")
        outsider.groups.add(Group.objects.get(name=GROUP_NAME))
        self.client.force_login(outsider)
        url = admin_url(Tool, "changelist")
        self.assertRedirects(self.client.get(url), f"{reverse('admin:login')}?next={url}")

    def test_a_superuser_keeps_every_right(self):
        self.client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
        passage = self.r["paragraph"]
        response = self.client.get(admin_url(Passage, "change", passage.pk))
        self.assertTrue(response.context["has_change_permission"])
        self.assertEqual(self.client.get(admin_url(Group, "changelist")).status_code, 200)


# ---- History and revert -------------------------------------------------------------------


class HistoryOfChanges(EditorialTestCase):
    def save_tool(self, **changes):
        tool = self.r["tool"]
        data = form_data(self.open_change_form(tool))
        data.update(changes)
        data.setdefault("text_source", "The editor's test source")  # if a text changes
        response = self.client.post(admin_url(Tool, "change", tool.pk), data)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool.refresh_from_db()
        return tool

    def test_an_admin_save_records_one_version_with_its_fields_links_editor_and_time(self):
        tool = self.r["tool"]
        other = make_mechanism("hot-pursuit", category=self.r["category"])
        before = tool.history.count()
        started = timezone.now()
        tool = self.save_tool(
            title="A new title", mechanisms=[str(other.pk)], audiences=[], instruments=[]
        )
        self.assertEqual(tool.history.count(), before + 1)
        version = tool.history.latest("history_id")
        self.assertEqual(version.history_type, "~")
        self.assertEqual(version.history_user, self.editor)
        self.assertGreaterEqual(version.history_date, started)
        self.assertEqual(version.title, "A new title")
        self.assertEqual(
            list(version.mechanisms.values_list("mechanism_id", flat=True)), [other.pk]
        )
        self.assertFalse(version.audiences.exists())
        self.assertIn("Changed", version.history_change_reason)

    def test_adding_a_record_in_the_admin_records_its_first_version_with_links(self):
        data = {
            "slug": "counter-trafficking-toolkit",
            "title": "Toolkit to Combat Trafficking in Persons",
            "kind": "toolkit",
            "status": "published",
            "publisher": str(self.r["organization"].pk),
            "description": "Tools for every stage.",
            "mechanisms": [str(self.r["mechanism"].pk)],
            "sources": [str(self.r["annex"].pk)],
            "parts-TOTAL_FORMS": "0",
            "parts-INITIAL_FORMS": "0",
        }
        response = self.client.post(admin_url(Tool, "add"), data)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool = Tool.objects.get(slug="counter-trafficking-toolkit")
        version = tool.history.get()
        self.assertEqual((version.history_type, version.history_user), ("+", self.editor))
        self.assertEqual(
            list(version.sources.values_list("passage_id", flat=True)), [self.r["annex"].pk]
        )

    def test_a_part_changed_inline_gets_a_version_of_its_own(self):
        tool, part = self.r["tool"], self.r["part"]
        before = part.history.count()
        response = self.open_change_form(tool)
        forms = response.context["inline_admin_formsets"][0].formset.initial_forms
        prefix = next(form.prefix for form in forms if form.instance == part)
        data = form_data(response)
        data[f"{prefix}-title"] = "Extradition and mutual legal assistance"
        self.client.post(admin_url(Tool, "change", tool.pk), data)
        self.assertEqual(part.history.count(), before + 1)
        version = part.history.latest("history_id")
        self.assertEqual(version.title, "Extradition and mutual legal assistance")
        self.assertEqual(version.history_user, self.editor)
        self.assertEqual(
            list(version.mechanisms.values_list("mechanism_id", flat=True)),
            [self.r["mechanism"].pk],
        )

    def test_links_changed_outside_the_admin_are_recorded_too(self):
        tool = self.r["tool"]
        before = tool.history.count()
        tool.mechanisms.clear()
        self.assertEqual(tool.history.count(), before + 1)
        passage = self.r["paragraph"]
        passage.tool_records.add(tool)  # From the other side of the link.
        latest = tool.history.latest("history_id")
        self.assertIn(passage.pk, latest.sources.values_list("passage_id", flat=True))

    def test_the_history_page_lists_the_versions_with_their_editor(self):
        tool = self.save_tool(title="Changed once")
        response = self.client.get(admin_url(Tool, "history", tool.pk))
        self.assertContains(response, "Changed Title.")
        self.assertContains(response, self.editor.username)
        self.assertContains(response, admin_url(Tool, "history_compare", tool.pk))
        self.assertNotContains(response, "style=")

    def test_history_addresses_with_ids_that_are_not_ids_answer_404(self):
        superuser = User.objects.create_superuser("root", "root@example.org", "a-long-pass-phrase")
        self.client.force_login(superuser)
        tool = self.save_tool(title="Changed once")
        version = tool.history.latest("history_id").history_id
        huge = "9" * 30
        for model in (Tool, Instrument, Mechanism, Passage):
            record = model.objects.first()
            history = admin_url(model, "history", record.pk)
            for url in (
                history.replace(f"/{record.pk}/", "/abc/"),
                history.replace(f"/{record.pk}/", f"/{huge}/"),
                f"{history}abc/",
                f"{history}1.5/",
                f"{history}{huge}/",
                history.replace(f"/{record.pk}/", "/abc/") + f"{version}/",
            ):
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(admin_url(Tool, "history", tool.pk)).status_code, 200)

    def test_the_history_page_costs_the_same_queries_however_many_versions(self):
        tool = self.r["tool"]
        url = admin_url(Tool, "history", tool.pk)
        self.client.get(url)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(5):
            tool.title = f"Title {n}"
            tool.save()
            tool.mechanisms.add(make_mechanism(f"mechanism-{n}", category=self.r["category"]))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(response, "<li>Mechanisms</li>", html=True)
        self.assertContains(response, "<li>Title</li>", html=True)

    def test_comparing_two_versions_lists_field_and_link_differences(self):
        tool = self.r["tool"]
        old = tool.history.latest("history_id")  # The version build_records left.
        other = make_mechanism("hot-pursuit", category=self.r["category"])
        tool = self.save_tool(
            title="Model Law, second edition",
            year="2010",
            mechanisms=[str(other.pk)],
            description="Helps States implement the Protocol and its guides.",
        )
        new = tool.history.latest("history_id")
        url = admin_url(Tool, "history_compare", tool.pk)
        response = self.client.get(url, {"from": new.history_id, "to": old.history_id})
        self.assertEqual(response.status_code, 200)
        changes = {change["label"]: change for change in response.context["changes"]}
        self.assertEqual(changes["Title"]["new"], "Model Law, second edition")
        self.assertEqual((changes["Year"]["old"], changes["Year"]["new"]), ("2009", "2010"))
        self.assertEqual(changes["Mechanisms"]["added"], ["Hot pursuit"])
        self.assertEqual(changes["Mechanisms"]["removed"], ["Extradition"])
        words = changes["Description"]["words"]
        self.assertEqual(words[0], ("same", "Helps States implement the"))
        self.assertIn(("added", "Protocol and its guides."), words)
        self.assertContains(response, "<ins>Hot pursuit</ins>", html=True)

    def test_comparing_with_missing_or_foreign_versions_never_fails(self):
        tool, other = self.r["tool"], self.r["draft_tool"]
        url = admin_url(Tool, "history_compare", tool.pk)
        history = admin_url(Tool, "history", tool.pk)
        mine = tool.history.latest("history_id").history_id
        theirs = other.history.latest("history_id").history_id
        for params in [{}, {"from": "x", "to": "1"}, {"from": "9" * 40, "to": "1"}]:
            with self.subTest(params=params):
                self.assertRedirects(self.client.get(url, params), history)
        self.assertEqual(self.client.get(url, {"from": mine, "to": theirs}).status_code, 404)
        gone = admin_url(Tool, "history_compare", 999999)
        self.assertEqual(self.client.get(gone, {"from": 1, "to": 2}).status_code, 404)

    def test_revert_restores_an_earlier_versions_fields_and_links(self):
        tool = self.r["tool"]
        original = tool.history.latest("history_id")
        other = make_mechanism("hot-pursuit", category=self.r["category"])
        self.save_tool(title="A worse title", mechanisms=[str(other.pk)], audiences=[])
        url = admin_url(Tool, "simple_history", tool.pk, original.history_id)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        self.assertEqual(form.initial["mechanisms"], [self.r["mechanism"].pk])
        self.assertEqual(form.initial["title"], "Model Law against Trafficking in Persons")
        response = self.client.post(url, form_data(response))
        self.assertEqual(response.status_code, 302)
        tool.refresh_from_db()
        self.assertEqual(tool.title, "Model Law against Trafficking in Persons")
        self.assertEqual(list(tool.mechanisms.all()), [self.r["mechanism"]])
        self.assertEqual(list(tool.audiences.all()), [self.r["audience"]])
        latest = tool.history.latest("history_id")
        self.assertEqual(latest.history_user, self.editor)
        self.assertEqual(
            list(latest.mechanisms.values_list("mechanism_id", flat=True)), [self.r["mechanism"].pk]
        )

    def test_editing_in_the_list_and_deleting_record_versions_with_the_editor(self):
        category = self.r["category"]
        before = category.history.count()
        response = self.client.post(
            admin_url(type(category), "changelist"),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(category.pk),
                "form-0-position": "5",
                "_save": "Save",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(category.history.count(), before + 1)
        version = category.history.latest("history_id")
        self.assertEqual((version.position, version.history_user), (5, self.editor))

        audience = self.r["audience"]
        response = self.client.post(admin_url(Audience, "delete", audience.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        gone = Audience.history.filter(id=audience.pk).latest("history_id")
        self.assertEqual((gone.history_type, gone.history_user), ("-", self.editor))

    def test_publishing_from_the_list_records_a_version(self):
        draft = self.r["draft_tool"]
        before = draft.history.count()
        self.client.post(
            admin_url(Tool, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
        )
        draft.refresh_from_db()
        self.assertEqual(draft.status, "published")
        self.assertEqual(draft.history.count(), before + 1)
        self.assertEqual(draft.history.latest("history_id").history_user, self.editor)


class FixturesGetOneInitialVersion(TestCase):
    FIXTURES = ["source", "organizations", "mechanisms", "instruments", "documents", "guidance"]
    FIXTURES += ["resources"]

    def load(self):
        call_command("loaddata", *self.FIXTURES, verbosity=0)

    def test_loading_records_no_partial_versions_and_record_history_one_per_record(self):
        self.load()
        self.assertFalse(Tool.history.exists())
        call_command("record_history", stdout=StringIO())
        for model in [Tool, ToolPart, Instrument, Provision, Mechanism, Guidance, Passage]:
            with self.subTest(model=model.__name__):
                self.assertTrue(model.objects.exists())
                self.assertEqual(model.history.count(), model.objects.count())
                self.assertEqual(set(model.history.values_list("history_type", flat=True)), {"+"})
        tool = Tool.objects.filter(mechanisms__isnull=False).first()
        version = tool.history.get()
        self.assertEqual(
            set(version.mechanisms.values_list("mechanism_id", flat=True)),
            set(tool.mechanisms.values_list("pk", flat=True)),
        )

    def test_every_tool_and_instrument_of_the_fixtures_is_published(self):
        self.load()
        for model in [Tool, Instrument]:
            with self.subTest(model=model.__name__):
                self.assertTrue(model.objects.exists())
                self.assertEqual(model.objects.published().count(), model.objects.count())

    def test_a_second_load_and_run_records_nothing_more(self):
        self.load()
        call_command("record_history", stdout=StringIO())
        total = Tool.history.count() + Passage.history.count()
        self.load()
        out = StringIO()
        call_command("record_history", stdout=out)
        self.assertEqual(Tool.history.count() + Passage.history.count(), total)
        self.assertIn("Recorded 0 initial versions and 0 versions", out.getvalue())

    def test_a_load_that_overwrites_an_edit_leaves_a_version_to_revert_to(self):
        self.load()
        call_command("record_history", stdout=StringIO())
        tool = Tool.objects.first()
        tool.title = "An editor's better title"
        tool.save()
        self.load()
        call_command("record_history", stdout=StringIO())
        titles = list(tool.history.order_by("history_id").values_list("title", flat=True))
        self.assertEqual(titles[-2], "An editor's better title")
        self.assertNotEqual(titles[-1], "An editor's better title")

    def test_dry_run_records_nothing(self):
        self.load()
        out = StringIO()
        call_command("record_history", "--dry-run", stdout=out)
        self.assertFalse(Tool.history.exists())
        self.assertIn("Would record", out.getvalue())


# ---- Drafts -------------------------------------------------------------------------------


class DraftsStayOffThePublicSite(TestCase):
    """A draft tool and a draft instrument linked to everything a page could show them from."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            call_command("setup_editor_group", stdout=StringIO())
            cls.r = r = build_records()
            cls.draft_tool = r["draft_tool"]
            cls.draft_tool.featured = True
            cls.draft_tool.save()
            cls.draft_tool.mechanisms.add(r["mechanism"])
            cls.draft_tool.instruments.add(r["instrument"])
            cls.draft_tool.sources.add(r["paragraph"])
            cls.draft_instrument = r["draft_instrument"]
            cls.draft_instrument.adopted_by = r["organization"]
            cls.draft_instrument.save()
            cls.draft_instrument.sources.add(r["paragraph"])
            Provision.objects.create(instrument=cls.draft_instrument, mechanism=r["mechanism"])
            cls.editor = make_editor()

    def assert_no_drafts(self, response):
        self.assertEqual(response.status_code, 200)
        for text in [self.draft_tool.title, self.draft_tool.get_absolute_url()]:
            self.assertNotContains(response, text)
        for text in [self.draft_instrument.short_title, self.draft_instrument.get_absolute_url()]:
            self.assertNotContains(response, text)

    def test_lists_and_their_searches_leave_drafts_out(self):
        for url in [
            reverse("resources:tool_list"),
            reverse("resources:tool_list") + "?q=unfinished",
            reverse("instruments:instrument_list"),
            reverse("instruments:instrument_list") + "?q=draft",
            reverse("instruments:mechanism_list"),
        ]:
            with self.subTest(url=url):
                self.assert_no_drafts(self.client.get(url))

    def test_counts_leave_drafts_out(self):
        tools = self.client.get(reverse("resources:tool_list"))
        self.assertEqual(tools.context["page"].paginator.count, 1)
        kinds = next(facet for facet in tools.context["facets"] if facet.name == "kind")
        self.assertEqual({option.value: option.count for option in kinds.options}, {"model-law": 1})
        instruments = self.client.get(reverse("instruments:instrument_list"))
        self.assertEqual(instruments.context["page"].paginator.count, 1)
        for url in [reverse("portal:home"), reverse("instruments:mechanism_list")]:
            with self.subTest(url=url):
                categories = self.client.get(url).context["categories"]
                mechanism = next(m for c in categories for m in c.mechanisms.all())
                self.assertEqual((mechanism.instrument_count, mechanism.tool_count), (1, 1))

    def test_pages_that_show_related_records_leave_drafts_out(self):
        r = self.r
        for url in [
            reverse("portal:home"),
            r["mechanism"].get_absolute_url(),
            r["organization"].get_absolute_url(),
            r["instrument"].get_absolute_url(),
            reverse("portal:source"),
        ]:
            with self.subTest(url=url):
                self.assert_no_drafts(self.client.get(url))

    def test_the_site_search_leaves_drafts_out(self):
        url = reverse("portal:search")
        found = self.client.get(url, {"q": "Model Law"})
        self.assertContains(found, self.r["tool"].get_absolute_url())
        for q in ["unfinished manual", "plan still being written", "Not yet public"]:
            with self.subTest(q=q):
                self.assert_no_drafts(self.client.get(url, {"q": q}))
        # Published, then found; a draft again, then gone (the index follows the status).
        self.client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
        changelist = admin_url(Tool, "changelist")
        with indexed():  # the admin's change, as its commit indexes it
            self.client.post(
                changelist, {"action": "publish", "_selected_action": [self.draft_tool.pk]}
            )
        self.client.logout()
        self.assertContains(
            self.client.get(url, {"q": "unfinished manual"}), self.draft_tool.get_absolute_url()
        )
        self.client.force_login(User.objects.get(username="root"))
        with indexed():
            self.client.post(
                changelist, {"action": "unpublish", "_selected_action": [self.draft_tool.pk]}
            )
        self.client.logout()
        self.assert_no_drafts(self.client.get(url, {"q": "unfinished manual"}))

    def test_the_sitemap_leaves_drafts_out(self):
        response = self.client.get(reverse("site:sitemap"))
        self.assertContains(response, self.r["tool"].get_absolute_url())
        self.assertNotContains(response, self.draft_tool.get_absolute_url())
        self.assertNotContains(response, self.draft_instrument.get_absolute_url())

    def test_a_drafts_page_is_not_found_by_the_public_nor_by_staff_who_cannot_change_it(self):
        nobody = User.objects.create_user("intern", password="pw", is_staff=True)
        for client_user in [None, nobody]:
            client = Client()
            if client_user:
                client.force_login(client_user)
            for draft in [self.draft_tool, self.draft_instrument]:
                with self.subTest(user=client_user, draft=draft):
                    self.assertEqual(client.get(draft.get_absolute_url()).status_code, 404)

    def test_editors_preview_a_draft_at_its_address_under_a_banner(self):
        self.client.force_login(self.editor)
        for draft in [self.draft_tool, self.draft_instrument]:
            with self.subTest(draft=draft):
                response = self.client.get(draft.get_absolute_url())
                self.assertContains(response, DRAFT_BANNER)
                self.assertContains(response, draft.title)
                self.assertIn("no-store", response["Cache-Control"])
        published = self.client.get(self.r["tool"].get_absolute_url())
        self.assertNotContains(published, DRAFT_BANNER)

    def test_the_admin_links_a_draft_to_its_preview(self):
        self.client.force_login(self.editor)
        for draft in [self.draft_tool, self.draft_instrument]:
            with self.subTest(draft=draft):
                response = self.client.get(admin_url(type(draft), "change", draft.pk))
                self.assertContains(response, "Preview on site")
                self.assertContains(response, f'href="{draft.get_absolute_url()}"')
        response = self.client.get(admin_url(Tool, "change", self.r["tool"].pk))
        self.assertNotContains(response, "Preview on site")
        self.assertContains(response, "View on site")


# ---- Review -------------------------------------------------------------------------------


@override_settings(REVIEW_AFTER_MONTHS=12)
class Review(EditorialTestCase):
    def test_months_before_keeps_the_day_or_takes_the_months_last(self):
        self.assertEqual(months_before(datetime.date(2026, 3, 31), 1), datetime.date(2026, 2, 28))
        self.assertEqual(months_before(datetime.date(2026, 1, 15), 12), datetime.date(2025, 1, 15))
        self.assertEqual(months_before(datetime.date(2026, 1, 15), 13), datetime.date(2024, 12, 15))

    def make_tools(self):
        today = timezone.localdate()
        publisher = self.r["organization"]
        stale = Tool.objects.create(
            slug="stale", title="Stale tool", kind="manual", publisher=publisher,
            last_verified_on=today - datetime.timedelta(days=400),
        )  # fmt: skip
        fresh = Tool.objects.create(
            slug="fresh", title="Fresh tool", kind="manual", publisher=publisher,
            last_verified_on=today - datetime.timedelta(days=45),
        )  # fmt: skip
        return stale, fresh

    def listed(self, **params):
        response = self.client.get(admin_url(Tool, "changelist"), params)
        self.assertEqual(response.status_code, 200)
        return set(response.context["cl"].result_list)

    def test_needs_review_lists_records_never_verified_or_verified_too_long_ago(self):
        stale, fresh = self.make_tools()
        never = {self.r["tool"], self.r["draft_tool"]}
        self.assertEqual(self.listed(review="needed"), never | {stale})
        self.assertEqual(self.listed(review="recent"), {fresh})
        self.assertEqual(len(self.listed(review="bogus")), 4)
        with override_settings(REVIEW_AFTER_MONTHS=1):
            self.assertEqual(self.listed(review="needed"), never | {stale, fresh})

    def test_the_filter_is_offered_for_every_reviewable_model(self):
        for model in [Tool, Instrument, Mechanism, Organization, CitedDocument, Guidance]:
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "changelist"), {"review": "needed"})
                self.assertContains(response, "Needs review (never verified, or over 12 months")

    def test_mark_as_verified_sets_today_and_the_editor_and_records_a_version(self):
        stale, _fresh = self.make_tools()
        instrument = self.r["instrument"]
        for obj in [stale, instrument]:
            with self.subTest(model=type(obj).__name__):
                response = self.client.post(
                    admin_url(type(obj), "changelist"),
                    {"action": "mark_verified", "_selected_action": [obj.pk]},
                )
                self.assertEqual(response.status_code, 302)
                obj.refresh_from_db()
                self.assertEqual(obj.last_verified_on, timezone.localdate())
                self.assertEqual(obj.verified_by, self.editor)
                version = obj.history.latest("history_id")
                self.assertEqual(version.last_verified_on, timezone.localdate())
                self.assertEqual(version.history_change_reason, "Marked as verified.")

    def test_the_change_form_can_mark_a_record_verified(self):
        mechanism = self.r["mechanism"]
        response = self.open_change_form(mechanism)
        self.assertContains(response, "Mark as verified")
        data = form_data(response)
        data["mark_verified"] = "on"
        self.client.post(admin_url(Mechanism, "change", mechanism.pk), data)
        mechanism.refresh_from_db()
        self.assertEqual(
            (mechanism.last_verified_on, mechanism.verified_by),
            (timezone.localdate(), self.editor),
        )

    def test_public_pages_say_when_a_record_was_last_verified(self):
        r = self.r
        self.client.logout()
        records = [r["tool"], r["instrument"], r["mechanism"], r["organization"]]
        records += [r["cited_document"], r["guidance"]]
        for record in records:
            with self.subTest(model=type(record).__name__):
                response = self.client.get(record.get_absolute_url())
                self.assertContains(response, "Text not yet checked against the paper.")
                self.assertNotContains(response, "verified by an editor")
                type(record).objects.filter(pk=record.pk).update(
                    last_verified_on=datetime.date(2026, 3, 4)
                )
                response = self.client.get(record.get_absolute_url())
                self.assertContains(
                    response,
                    "Facts and addresses verified by an editor on "
                    '<time datetime="2026-03-04">4 March 2026</time>',
                )


# ---- Markdown preview ---------------------------------------------------------------------


class MarkdownPreview(EditorialTestCase):
    url = reverse("editorial:markdown_preview")

    def test_staff_get_the_sanitised_html_the_site_would_show(self):
        text = "**Bold** [link](javascript:alert(1)) <script>alert(2)</script>\n\n* item"
        response = self.client.post(self.url, {"text": text})
        self.assertEqual(response.status_code, 200)
        html = response.json()["html"]
        self.assertIn("<strong>Bold</strong>", html)
        self.assertIn("<li>item</li>", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("javascript:", html)

    def test_only_signed_in_staff_may_preview(self):
        self.client.logout()
        self.assertEqual(self.client.post(self.url, {"text": "x"}).status_code, 403)
        self.client.force_login(User.objects.create_user("visitor", password="pw"))
        response = self.client.post(self.url, {"text": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("error", response.json())

    def test_it_takes_posts_with_a_csrf_token_only(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.editor)
        self.assertEqual(strict.post(self.url, {"text": "x"}).status_code, 403)
        page = strict.get(admin_url(Tool, "change", self.r["tool"].pk))
        token = page.context["csrf_token"]
        response = strict.post(self.url, {"text": "*x*"}, headers={"X-CSRFToken": str(token)})
        self.assertEqual(response.json()["html"], "<p><em>x</em></p>")

    def test_oversized_text_is_refused_with_a_message(self):
        response = self.client.post(self.url, {"text": "x" * (markdown.MAX_LENGTH + 1)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("the most a text may have is 20,000", response.json()["error"])

    def test_texts_markdown_cannot_render_in_time_are_refused_not_rendered(self):
        # The review: 20,000 "[" took 59.7 s to preview; "1. " repeated nests lists until
        # Python's recursion limit. Rendering runs in a process killed after RENDER_SECONDS,
        # so these answer within that, with a message (the test would hang or fail without).
        for text, expected in [
            ("[" * markdown.MAX_LENGTH, "takes too long to display"),
            ("1. " * 3000, "nested too deeply"),
        ]:
            with self.subTest(text=text[:6]):
                response = self.client.post(self.url, {"text": text})
                self.assertEqual(response.status_code, 400)
                self.assertIn(expected, response.json()["error"])

    def test_markdown_fields_carry_the_preview_hook_and_the_script_loads_from_a_file(self):
        response = self.open_change_form(self.r["tool"])
        # The tool's description, its part's, and the empty part an "Add another" click copies.
        self.assertContains(response, f'data-markdown-preview="{self.url}"', count=3)
        self.assertContains(response, "js/admin-markdown-preview.js")
        self.assertNotContains(response, "<script>")
        for model, field in [(Instrument, "summary"), (Guidance, "text"), (Mechanism, "summary")]:
            with self.subTest(model=model.__name__):
                response = self.open_change_form(model.objects.first())
                form = response.context["adminform"].form
                self.assertIn("data-markdown-preview", form.fields[field].widget.attrs)
        passage = self.open_change_form(self.r["paragraph"])
        self.assertNotContains(passage, "data-markdown-preview")

    def test_saving_a_text_markdown_cannot_render_in_time_is_refused(self):
        guidance = Guidance.objects.first()
        url = admin_url(Guidance, "change", guidance.pk)
        page = self.open_change_form(guidance)
        form = page.context["adminform"].form
        self.assertEqual(form.fields["text"].widget.attrs["maxlength"], markdown.MAX_LENGTH)
        for text, expected in [
            ("[" * 12_000, "takes too long to display"),  # the review's guidance text
            ("x" * (markdown.MAX_LENGTH + 1), "the most a text may have is 20,000"),
        ]:
            with self.subTest(text=text[:6]):
                data = form_data(page) | {"text": text, "text_source": "A test."}
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(expected, " ".join(response.context["adminform"].form.errors["text"]))
                guidance.refresh_from_db()
                self.assertNotEqual(guidance.text, text)


# ---- Validation ---------------------------------------------------------------------------


class Validation(EditorialTestCase):
    def post_tool(self, **changes):
        tool = self.r["tool"]
        data = form_data(self.open_change_form(tool))
        data.update(changes)
        return self.client.post(admin_url(Tool, "change", tool.pk), data)

    def test_an_address_that_is_not_a_web_page_is_refused_with_a_clear_message(self):
        for value in ["ftp://ftp.unodc.org/model-law.pdf", "javascript:alert(1)", "mailto:a@b.org"]:
            with self.subTest(value=value):
                response = self.post_tool(url=value)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(
                    response.context["adminform"].form.errors["url"],
                    ["Enter a web address that starts with http:// or https://."],
                )
        response = self.post_tool(current_url="ftp://ftp.unodc.org/model-law.pdf")
        self.assertIn(
            "Enter a web address that starts with http:// or https://.",
            response.context["adminform"].form.errors["current_url"],
        )
        self.assertEqual(Tool.objects.get(pk=self.r["tool"].pk).current_url, "")

    def test_an_address_typed_without_a_scheme_is_taken_as_https(self):
        self.post_tool(current_url="www.unodc.org/model-law")
        self.assertEqual(
            Tool.objects.get(pk=self.r["tool"].pk).current_url, "https://www.unodc.org/model-law"
        )

    def test_a_year_in_the_future_is_refused_with_a_clear_message(self):
        next_year = timezone.localdate().year + 1
        response = self.post_tool(year=str(next_year))
        errors = response.context["adminform"].form.errors["year"]
        self.assertIn(f"The year {next_year} is in the future", errors[0])
        self.assertEqual(Tool.objects.get(pk=self.r["tool"].pk).year, 2009)
        self.post_tool(year=str(next_year - 1))
        self.assertEqual(Tool.objects.get(pk=self.r["tool"].pk).year, next_year - 1)

    def test_a_duplicate_slug_is_refused_with_a_clear_message(self):
        response = self.post_tool(slug=self.r["draft_tool"].slug)
        self.assertIn(
            "Tool with this Slug already exists.",
            response.context["adminform"].form.errors["slug"],
        )

    def test_failed_validation_keeps_what_the_editor_typed(self):
        response = self.post_tool(
            title="A title being rewritten", description="New *text*", url="ftp://x.org/a"
        )
        form = response.context["adminform"].form
        self.assertEqual(form["title"].value(), "A title being rewritten")
        self.assertEqual(form["description"].value(), "New *text*")
        self.assertContains(response, 'value="A title being rewritten"')

    def test_admin_forms_raise_no_deprecation_warning_about_url_schemes(self):
        superuser = User.objects.create_superuser("root", "r@example.org", "pw")
        request = type("Request", (), {"user": superuser, "GET": {}, "POST": {}})()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for model_admin in admin.site._registry.values():
                form = model_admin.get_form(request)
                form()
                for inline in model_admin.get_inline_instances(request):
                    inline.get_formset(request).form()
        messages = [str(w.message) for w in caught if "assume_scheme" in str(w.message)]
        self.assertEqual(messages, [])

    def test_forms_say_what_each_field_is_for(self):
        request = type("Request", (), {"user": User(is_superuser=True, is_active=True)})()
        for model in [Tool, Instrument, Organization, Guidance, CitedDocument, Mechanism]:
            form = admin.site._registry[model].get_form(request)()
            for name, field in form.fields.items():
                if name == "version":
                    continue
                with self.subTest(model=model.__name__, field=name):
                    self.assertTrue(field.help_text, f"{model.__name__}.{name} has no help text")


# ---- Concurrent edits ---------------------------------------------------------------------


class ConcurrentEdits(EditorialTestCase):
    def setUp(self):
        super().setUp()
        self.other = Client()
        self.other.force_login(make_editor("second"))

    def test_a_save_made_after_someone_elses_is_refused_keeping_the_editors_input(self):
        tool = self.r["tool"]
        mine = form_data(self.open_change_form(tool))
        theirs = form_data(self.open_change_form(tool, self.other))
        theirs["year"] = "2010"
        self.assertEqual(
            self.other.post(admin_url(Tool, "change", tool.pk), theirs).status_code, 302
        )

        mine["title"] = "My better title"
        response = self.client.post(admin_url(Tool, "change", tool.pk), mine)
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        message = " ".join(form.non_field_errors())
        self.assertIn("changed by second", message)
        self.assertIn("they changed: Year", message)
        self.assertIn("Your changes have not been saved", message)
        self.assertEqual(form["title"].value(), "My better title")
        tool.refresh_from_db()
        self.assertEqual(
            (tool.title, tool.year), ("Model Law against Trafficking in Persons", 2010)
        )

        # Saving again, having seen the message, keeps this editor's version.
        again = form_data(response)
        self.assertEqual(again["title"], "My better title")
        response = self.client.post(admin_url(Tool, "change", tool.pk), again)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool.refresh_from_db()
        self.assertEqual(tool.title, "My better title")

    def test_a_change_to_the_links_or_the_inline_parts_counts_as_a_change(self):
        tool, part = self.r["tool"], self.r["part"]
        mine = form_data(self.open_change_form(tool))
        part.title = "Changed by someone else"
        part.save()
        response = self.client.post(admin_url(Tool, "change", tool.pk), mine)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "conflict", response.context["adminform"].form.errors.as_data()["__all__"][0].code
        )

        mine = form_data(self.open_change_form(tool))
        tool.audiences.clear()
        response = self.client.post(admin_url(Tool, "change", tool.pk), mine)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.non_field_errors())

    def test_a_revert_after_someone_elses_save_is_refused_too(self):
        tool = self.r["tool"]
        first = tool.history.latest("history_id")
        url = admin_url(Tool, "simple_history", tool.pk, first.history_id)
        data = form_data(self.client.get(url))
        theirs = form_data(self.open_change_form(tool, self.other))
        theirs["title"] = "Their title"
        self.other.post(admin_url(Tool, "change", tool.pk), theirs)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        tool.refresh_from_db()
        self.assertEqual(tool.title, "Their title")

    def test_an_unchanged_record_saves_normally(self):
        tool = self.r["tool"]
        data = form_data(self.open_change_form(tool))
        self.assertTrue(data["version"])
        data["title"] = "Saved once"
        self.assertEqual(
            self.client.post(admin_url(Tool, "change", tool.pk), data).status_code, 302
        )
        data = form_data(self.open_change_form(tool))
        data["title"] = "Saved twice"
        self.assertEqual(
            self.client.post(admin_url(Tool, "change", tool.pk), data).status_code, 302
        )
