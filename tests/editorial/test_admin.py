"""The admin: every model can be listed, added, changed and searched by staff, and only by staff."""

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from resources.models import Audience, Tool, ToolPart
from tests.factories import build_records
from tests.helpers import admin_url

# The admin's pages need its static files; tests run without collectstatic's manifest.
PLAIN_STATIC = override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)

# Which record of build_records() stands for each model, and a search term that finds it.
PORTAL_MODELS = {
    SourceDocument: ("document", "trafficking persons"),
    Section: ("section", "Instruments"),
    Passage: ("paragraph", "para-7"),
    CitedDocument: ("cited_document", "A/RES/64"),
    Guidance: ("guidance", "central authorities"),
    Organization: ("organization", "UNODC"),
    MechanismCategory: ("category", "Judicial"),
    Mechanism: ("mechanism", "Extradition"),
    Instrument: ("instrument", "UNTOC"),
    Provision: ("provision", "art. 16"),
    Audience: ("audience", "Prosecutors"),
    Tool: ("tool", "Model Law"),
    ToolPart: ("part", "Chapter 6"),
}


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()
        cls.superuser = User.objects.create_superuser("editor", "editor@example.org", "pw")
        cls.group = Group.objects.create(name="Editors")

    def setUp(self):
        self.client.force_login(self.superuser)

    def instance_of(self, model):
        if model is User:
            return self.superuser
        if model is Group:
            return self.group
        return self.r[PORTAL_MODELS[model][0]]


@PLAIN_STATIC
class EveryModelIsEditable(AdminTestCase):
    def test_every_model_of_the_portal_is_registered(self):
        for model in PORTAL_MODELS:
            with self.subTest(model=model.__name__):
                self.assertTrue(admin.site.is_registered(model))

    def test_changelist_add_and_change_pages_open_for_every_registered_model(self):
        # Problem reports and django-axes' lockout records come from visitors, never from an
        # add page: tests/test_feedback.py and tests/test_login_lockout.py cover their admin.
        editable = [m for m in admin.site._registry if m in PORTAL_MODELS or m in (User, Group)]
        for model in editable:
            obj = self.instance_of(model)
            for view, args in [("changelist", []), ("add", []), ("change", [obj.pk])]:
                with self.subTest(model=model.__name__, view=view):
                    response = self.client.get(admin_url(model, view, *args))
                    self.assertEqual(response.status_code, 200)

    def test_changelists_show_the_record(self):
        for model in PORTAL_MODELS:
            obj = self.instance_of(model)
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "changelist"))
                self.assertIn(obj, response.context["cl"].result_list)
                self.assertContains(response, admin_url(model, "change", obj.pk))

    def test_the_site_is_named_for_the_portal(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "TIP Cooperation Portal administration")

    def test_computed_columns_show_citations_and_counts(self):
        response = self.client.get(admin_url(Mechanism, "changelist"))
        self.assertContains(response, "para. 7, fn. 6")
        response = self.client.get(admin_url(ToolPart, "changelist"))
        self.assertContains(response, "annex entry 1")
        response = self.client.get(admin_url(Instrument, "changelist"))
        untoc = next(i for i in response.context["cl"].result_list if i.slug == "untoc")
        self.assertEqual(untoc.provision_count, 1)

    def test_forms_carry_the_models_help_texts(self):
        response = self.client.get(admin_url(Tool, "add"))
        self.assertContains(response, "Forms of cooperation this tool helps with.")


@PLAIN_STATIC
class ChangelistSearch(AdminTestCase):
    def test_search_finds_the_record(self):
        for model, (name, term) in PORTAL_MODELS.items():
            with self.subTest(model=model.__name__, term=term):
                response = self.client.get(admin_url(model, "changelist"), {"q": term})
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.r[name], response.context["cl"].result_list)

    def test_search_leaves_out_what_does_not_match(self):
        for model in PORTAL_MODELS:
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "changelist"), {"q": "zzqxv nothing"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["cl"].result_count, 0)

    def test_search_narrows_to_the_matching_record(self):
        response = self.client.get(admin_url(Passage, "changelist"), {"q": "fn-6"})
        self.assertEqual(list(response.context["cl"].result_list), [self.r["footnote"]])

    def test_autocomplete_offers_passages_for_sources(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "resources", "model_name": "tool", "field_name": "sources", "term": "fn"},
        )
        self.assertEqual(response.status_code, 200)
        results = response.json()["results"]
        self.assertEqual(results, [{"id": str(self.r["footnote"].pk), "text": "Footnote 6"}])

    def test_autocomplete_offers_mechanisms_and_instruments_for_tools(self):
        for field_name, term, expected in [
            ("mechanisms", "extrad", "Extradition"),
            ("instruments", "untoc", "UNTOC"),
            ("publisher", "unodc", "UNODC"),
        ]:
            with self.subTest(field_name=field_name):
                response = self.client.get(
                    reverse("admin:autocomplete"),
                    {
                        "app_label": "resources",
                        "model_name": "tool",
                        "field_name": field_name,
                        "term": term,
                    },
                )
                self.assertEqual(
                    [result["text"] for result in response.json()["results"]], [expected]
                )

    def test_autocomplete_results_keep_the_models_ordering(self):
        for name in ["Zeta Organization", "Alpha Organization"]:
            Organization.objects.create(
                slug=name.lower().replace(" ", "-"), name=name, kind="regional-organization"
            )
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "resources",
                "model_name": "tool",
                "field_name": "publisher",
                "term": "organization",
            },
        )
        texts = [result["text"] for result in response.json()["results"]]
        self.assertEqual(texts, ["Alpha Organization", "Zeta Organization"])

    def test_odd_search_strings_never_fail(self):
        for term in ["%", "_", "'; drop table", "\\", "é" * 300, '"unbalanced']:
            with self.subTest(term=term[:20]):
                response = self.client.get(admin_url(Tool, "changelist"), {"q": term})
                self.assertEqual(response.status_code, 200)


@PLAIN_STATIC
class OnlyStaffReachTheAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        login = reverse("admin:login")
        for model in admin.site._registry:
            url = admin_url(model, "changelist")
            with self.subTest(model=model.__name__):
                response = self.client.get(url)
                self.assertRedirects(response, f"{login}?next={url}")

    def test_a_signed_in_non_staff_user_cannot_reach_the_admin(self):
        self.client.force_login(User.objects.create_user("visitor", password="pw"))
        login = reverse("admin:login")
        for url in [reverse("admin:index"), admin_url(Tool, "changelist")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, f"{login}?next={url}")

    def test_staff_without_permissions_cannot_open_changelists(self):
        self.client.force_login(User.objects.create_user("intern", password="pw", is_staff=True))
        for model in PORTAL_MODELS:
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "changelist"))
                self.assertEqual(response.status_code, 403)


@PLAIN_STATIC
class EditorsPublishWithoutCode(AdminTestCase):
    def tool_form(self, **overrides):
        r = self.r
        data = {
            "title": "Mutual Legal Assistance Request Writer Tool",
            "short_title": "MLA Tool",
            "slug": "mla-request-writer",
            "status": "published",
            "kind": "online-tool",
            "publisher": r["organization"].pk,
            "year": "2007",
            "description": "Helps States draft requests for *mutual legal assistance*.",
            "url": "http://www.unodc.org/mla/index.html",
            "current_url": "",
            "audiences": [r["audience"].pk],
            "mechanisms": [r["mechanism"].pk],
            "instruments": [r["instrument"].pk],
            "sources": [r["annex"].pk],
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
            "parts-MIN_NUM_FORMS": "0",
            "parts-MAX_NUM_FORMS": "1000",
            "parts-0-kind": "module",
            "parts-0-label": "Module 1",
            "parts-0-slug": "module-1",
            "parts-0-position": "1",
            "parts-0-title": "Extradition requests",
            "parts-0-description": "",
            "parts-0-url": "",
            "parts-0-mechanisms": [r["mechanism"].pk],
            "parts-0-sources": [r["annex"].pk],
        }
        data.update(overrides)
        return data

    def test_an_editor_adds_a_tool_and_sees_it_on_the_site(self):
        response = self.client.post(admin_url(Tool, "add"), self.tool_form())
        self.assertRedirects(response, admin_url(Tool, "changelist"))

        tool = Tool.objects.get(slug="mla-request-writer")
        self.assertEqual(list(tool.mechanisms.all()), [self.r["mechanism"]])
        self.assertEqual(list(tool.instruments.all()), [self.r["instrument"]])
        self.assertEqual(list(tool.audiences.all()), [self.r["audience"]])
        self.assertEqual(list(tool.sources.all()), [self.r["annex"]])
        part = tool.parts.get()
        self.assertEqual((part.slug, part.label), ("module-1", "Module 1"))
        self.assertIn(tool, Tool.objects.published())

        self.client.logout()
        response = self.client.get(tool.get_absolute_url())
        self.assertEqual(response.status_code, 200)

    def test_a_tool_with_an_unknown_kind_is_refused_with_a_message(self):
        response = self.client.post(admin_url(Tool, "add"), self.tool_form(kind="pamphlet"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Tool.objects.filter(slug="mla-request-writer").exists())
        self.assertIn("kind", response.context["adminform"].form.errors)

    def test_a_tool_reusing_a_slug_is_refused_with_a_message(self):
        response = self.client.post(admin_url(Tool, "add"), self.tool_form(slug="model-law"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("slug", response.context["adminform"].form.errors)

    def test_an_editor_adds_an_instrument_with_its_provisions(self):
        data = {
            "title": "Protocol to Prevent, Suppress and Punish Trafficking in Persons",
            "short_title": "Trafficking Protocol",
            "slug": "trafficking-protocol",
            "status": "published",
            "kind": "protocol",
            "summary": "Supplements the Convention.",
            "legally_binding": "on",
            "scope": "global",
            "region": "",
            "adopted_by": self.r["organization"].pk,
            "supplements": self.r["instrument"].pk,
            "sources": [self.r["paragraph"].pk],
            "provisions-TOTAL_FORMS": "1",
            "provisions-INITIAL_FORMS": "0",
            "provisions-MIN_NUM_FORMS": "0",
            "provisions-MAX_NUM_FORMS": "1000",
            "provisions-0-mechanism": self.r["mechanism"].pk,
            "provisions-0-article": "art. 1(2)",
            "provisions-0-sources": [self.r["paragraph"].pk],
            # The participation events (countries adds them to the form), none here.
            "participation_events-TOTAL_FORMS": "0",
            "participation_events-INITIAL_FORMS": "0",
        }
        response = self.client.post(admin_url(Instrument, "add"), data)
        self.assertRedirects(response, admin_url(Instrument, "changelist"))
        protocol = Instrument.objects.get(slug="trafficking-protocol")
        self.assertEqual(protocol.supplements, self.r["instrument"])
        provision = protocol.provisions.get()
        self.assertEqual(
            (provision.mechanism, provision.article), (self.r["mechanism"], "art. 1(2)")
        )

    def test_view_on_site_leads_to_each_records_page(self):
        for model, (name, _term) in PORTAL_MODELS.items():
            obj = self.r[name]
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "change", obj.pk))
                self.assertTrue(response.context["has_absolute_url"])
                link = response.context["absolute_url"]
                if link != obj.get_absolute_url():
                    # The admin's shortcut view redirects to get_absolute_url().
                    content_type = ContentType.objects.get_for_model(model)
                    self.assertEqual(
                        link, reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
                    )
                    redirect = self.client.get(link)
                    self.assertEqual(redirect.status_code, 302)
                    self.assertEqual(redirect.url, f"http://testserver{obj.get_absolute_url()}")

    def test_drafts_and_their_parts_have_no_view_on_site_link(self):
        draft_part = ToolPart.objects.create(
            tool=self.r["draft_tool"], slug="part-1", kind="part", label="Part 1"
        )
        draft_provision = Provision.objects.create(
            instrument=self.r["draft_instrument"], mechanism=self.r["mechanism"]
        )
        for model, draft in [
            (Tool, self.r["draft_tool"]),
            (Instrument, self.r["draft_instrument"]),
            (ToolPart, draft_part),
            (Provision, draft_provision),
        ]:
            with self.subTest(model=model.__name__):
                response = self.client.get(admin_url(model, "change", draft.pk))
                self.assertFalse(response.context["has_absolute_url"])

    def test_the_publish_action_publishes_drafts(self):
        draft = self.r["draft_tool"]
        response = self.client.post(
            admin_url(Tool, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
        )
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        self.assertEqual(draft.status, "published")
        self.client.post(
            admin_url(Tool, "changelist"), {"action": "unpublish", "_selected_action": [draft.pk]}
        )
        self.assertNotIn(draft, Tool.objects.published())


def add_more_records(r, n):
    """n more records of each model, each citing passages where it can."""
    passages = [r["paragraph"], r["footnote"], r["annex"]]
    for i in range(n):
        mechanism = Mechanism.objects.create(
            slug=f"mechanism-{i}", name=f"Mechanism {i}", category=r["category"], summary="."
        )
        mechanism.sources.add(*passages)
        instrument = Instrument.objects.create(
            slug=f"instrument-{i}",
            title=f"Instrument {i}",
            short_title=f"Instrument {i}",
            kind="convention",
            legally_binding=True,
            scope="global",
            adopted_by=r["organization"],
            summary=".",
        )
        instrument.sources.add(*passages)
        provision = Provision.objects.create(instrument=instrument, mechanism=mechanism)
        provision.sources.add(*passages)
        tool = Tool.objects.create(
            slug=f"tool-{i}", title=f"Tool {i}", kind="manual", publisher=r["organization"]
        )
        tool.sources.add(*passages)
        tool.mechanisms.add(mechanism)
        part = ToolPart.objects.create(tool=tool, slug="part", kind="part", label=f"Part {i}")
        part.sources.add(*passages)
        guidance = Guidance.objects.create(slug=f"g-{i}", kind="measure", title=f"G {i}", text=".")
        guidance.sources.add(*passages)
        Section.objects.create(
            document=r["document"], slug=f"s-{i}", title=f"S {i}", parent=r["section"], position=i
        )
        Organization.objects.create(
            slug=f"org-{i}", name=f"Organization {i}", kind="un-entity"
        ).sources.add(*passages)
        MechanismCategory.objects.create(slug=f"category-{i}", name=f"Category {i}")
        Audience.objects.create(slug=f"audience-{i}", name=f"Audience {i}")
        Passage.objects.create(
            document=r["document"],
            slug=f"para-{100 + i}",
            kind="paragraph",
            number=100 + i,
            section=r["section"],
            text="More.",
            position=100 + i,
        )
        document = CitedDocument.objects.create(slug=f"doc-{i}", title=f"Doc {i}", kind="report")
        document.sources.add(*passages)
        instrument.documents.add(document)


@PLAIN_STATIC
class ChangelistsDoNotQueryPerRow(AdminTestCase):
    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_the_number_of_rows(self):
        urls = {model: admin_url(model, "changelist") for model in PORTAL_MODELS}
        for url in urls.values():
            self.client.get(url)  # warm caches (content types, sessions)
        before = {model: self.count_queries(url) for model, url in urls.items()}
        add_more_records(self.r, 5)
        for model, url in urls.items():
            with self.subTest(model=model.__name__):
                self.assertEqual(self.count_queries(url), before[model])
