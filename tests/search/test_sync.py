"""The search index follows every change: through the admin (add, change, delete), through the
ORM (saves, deletes, links changed from either side, parts and provisions), fixtures loaded by
Django's own loaddata, and rebuilds. Records are indexed when their transaction commits, so
these tests commit (TransactionTestCase), as the site does."""

from unittest import skipUnless

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse

import search
from resources.models import Tool
from search import counts, engine
from search.index import flush
from search.models import SearchCount, SearchEntry
from search.query import parse
from search.registry import ordered_types
from tests.factories import (
    make_audience,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_passage,
    make_provision,
    make_tool,
)
from tests.helpers import admin_url, makefile_fixtures

# The admin's pages need its static files; tests run without collectstatic's manifest.
PLAIN_STATIC = override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)


def types(kind=None):
    return [kind] if kind else [search_type.kind for search_type in ordered_types()]


def found(q, kind=None):
    """The URLs the search index gives for ``q`` (of one type, if given), without correction."""
    query = parse(q)
    return {hit.url for hit in engine.snippets(query, engine.find(query, types(kind)).hits)}


def count_with(q, **required):
    """How many records the index finds for ``q`` with these facet values."""
    return engine.find(parse(q), types(), required=required).total


def tool_url(slug):
    return reverse("resources:tool_detail", args=[slug])


@PLAIN_STATIC
class AdminChangesReachTheIndex(TransactionTestCase):
    def setUp(self):
        self.publisher = make_organization(slug="unodc", name="UNODC")
        self.mechanism = make_mechanism(slug="extradition", name="Extradition")
        self.editor = User.objects.create_superuser("editor", "editor@example.org", "pw")
        self.client.force_login(self.editor)

    def tool_form(self, **overrides):
        data = {
            "title": "Quokka casework compendium",
            "short_title": "",
            "slug": "quokka-compendium",
            "status": "published",
            "featured": "",
            "kind": "manual",
            "publisher": self.publisher.pk,
            "year": "2010",
            "description": "Guides practitioners through **wombat** requests.",
            "text_source": "The publisher's catalogue (a test)",
            "url": "",
            "current_url": "",
            "mechanisms": [self.mechanism.pk],
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
            "parts-MIN_NUM_FORMS": "0",
            "parts-MAX_NUM_FORMS": "1000",
            "parts-0-kind": "module",
            "parts-0-label": "Module 9",
            "parts-0-slug": "module-9",
            "parts-0-position": "1",
            "parts-0-title": "Numbat surveillance",
            "parts-0-description": "",
            "parts-0-url": "",
        }
        data.update(overrides)
        return data

    def test_a_tool_added_changed_and_deleted_in_the_admin_is_found_then_gone(self):
        url = tool_url("quokka-compendium")
        response = self.client.post(admin_url(Tool, "add"), self.tool_form())
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        tool = Tool.objects.get(slug="quokka-compendium")
        self.assertIn(url, found("quokka", "tool"))  # title
        self.assertIn(url, found("wombat", "tool"))  # description (Markdown)
        self.assertIn(url, found("numbat", "tool"))  # a part's title folds into its tool
        self.assertIn(url, found("Module 9", "tool"))

        part = tool.parts.get()
        form = self.tool_form(
            title="Platypus casework compendium",
            description="Now about echidna requests.",
            **{
                "parts-INITIAL_FORMS": "1",
                "parts-0-id": part.pk,
                "parts-0-tool": tool.pk,
                "parts-0-title": "Bilby surveillance",
            },
        )
        response = self.client.post(admin_url(Tool, "change", tool.pk), form)
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        self.assertIn(url, found("platypus echidna bilby", "tool"))
        self.assertNotIn(url, found("quokka", "tool"))
        self.assertNotIn(url, found("wombat", "tool"))
        self.assertNotIn(url, found("numbat", "tool"))
        self.assertEqual(
            search.matching(Tool.objects.all(), "platypus").get().slug, "quokka-compendium"
        )

        response = self.client.post(admin_url(Tool, "delete", tool.pk), {"post": "yes"})
        self.assertRedirects(response, admin_url(Tool, "changelist"))
        self.assertNotIn(url, found("platypus"))
        self.assertFalse(SearchEntry.objects.filter(model="resources.tool").exists())

    def test_unpublishing_in_the_admin_takes_the_tool_out_of_search(self):
        self.client.post(admin_url(Tool, "add"), self.tool_form())
        tool = Tool.objects.get(slug="quokka-compendium")
        form = self.tool_form(status="draft", **{"parts-TOTAL_FORMS": "0"})
        self.client.post(admin_url(Tool, "change", tool.pk), form)
        tool.refresh_from_db()
        self.assertEqual(tool.status, "draft")
        self.assertNotIn(tool_url("quokka-compendium"), found("quokka"))


class OrmChangesReachTheIndex(TransactionTestCase):
    def test_saving_and_deleting_a_tool(self):
        tool = make_tool(slug="t", title="Aardvark manual", description="A manual.")
        self.assertIn(tool_url("t"), found("aardvark"))
        tool.title = "Pangolin manual"
        tool.save()
        self.assertIn(tool_url("t"), found("pangolin"))
        self.assertNotIn(tool_url("t"), found("aardvark"))
        tool.delete()
        self.assertEqual(found("pangolin"), set())
        self.assertFalse(SearchEntry.objects.exists() and found("manual"))

    def test_a_part_saved_or_deleted_reindexes_its_tool(self):
        tool = make_tool(slug="t", title="Plain tool")
        part = make_part(tool, title="Narwhal chapter")
        self.assertIn(tool_url("t"), found("narwhal"))
        part.title = "Walrus chapter"
        part.save()
        self.assertEqual(found("narwhal"), set())
        self.assertIn(tool_url("t"), found("walrus"))
        part.delete()
        self.assertEqual(found("walrus"), set())

    def test_links_changed_from_either_side_update_the_mechanism_facet(self):
        mechanism = make_mechanism(slug="hot-pursuit", name="Hot pursuit")
        tool = make_tool(slug="t", title="Okapi guide")
        self.assertEqual(found("okapi", "tool"), {tool_url("t")})

        def with_mechanism():
            return count_with("okapi", mechanism=[mechanism.pk])

        self.assertEqual(with_mechanism(), 0)
        tool.mechanisms.add(mechanism)
        self.assertEqual(with_mechanism(), 1)
        tool.mechanisms.clear()
        self.assertEqual(with_mechanism(), 0)
        mechanism.tools.add(tool)  # the reverse side
        self.assertEqual(with_mechanism(), 1)
        mechanism.tools.clear()
        self.assertEqual(with_mechanism(), 0)
        part = make_part(tool, mechanisms=[mechanism])  # through a part
        self.assertEqual(with_mechanism(), 1)
        part.mechanisms.remove(mechanism)
        self.assertEqual(with_mechanism(), 0)

    def test_a_provision_reindexes_its_instrument_and_the_passages_it_cites(self):
        instrument = make_instrument(slug="i", title="Convention on otters")
        mechanism = make_mechanism(slug="m", name="Mongoose cooperation")
        paragraph = make_passage(text="States cooperate on otters.")
        self.assertEqual(found("mongoose", "instrument"), set())
        provision = make_provision(instrument, mechanism, article="art. 77", sources=[paragraph])
        url = reverse("instruments:instrument_detail", args=["i"])
        self.assertIn(url, found("mongoose", "instrument"))
        self.assertIn(url, found("art 77", "instrument"))

        def paragraph_facet():
            return count_with("otters", mechanism=[mechanism.pk])

        self.assertEqual(paragraph_facet(), 2)  # the instrument and the paragraph
        provision.delete()
        self.assertEqual(found("mongoose", "instrument"), set())
        self.assertEqual(paragraph_facet(), 0)

    def test_a_draft_instruments_provisions_give_no_passage_its_forms_of_cooperation(self):
        # The review: /search/?q=decision+4/4+conference&mechanism=mutual-legal-assistance
        # listed /source/#para-1 because a draft instrument's provision cited it.
        mechanism = make_mechanism(slug="mutual-legal-assistance", name="Mutual legal assistance")
        paragraph = make_passage(text="The Conference adopted decision 4/4 on wombats.")
        instrument = make_instrument(slug="i", title="Draft treaty", status="draft")
        make_provision(instrument, mechanism, article="art. 3", sources=[paragraph])

        def listed():
            response = self.client.get(
                reverse("portal:search"), {"q": "decision 4/4 wombats", "mechanism": mechanism.slug}
            )
            return paragraph.get_absolute_url() in response.content.decode()

        self.assertEqual(count_with("wombats", mechanism=[mechanism.pk]), 0)
        self.assertFalse(listed())
        instrument.status = "published"
        instrument.save()  # publishing reindexes the passages its provisions cite
        self.assertEqual(count_with("wombats", mechanism=[mechanism.pk]), 1)  # the paragraph
        self.assertTrue(listed())
        instrument.status = "draft"
        instrument.save()
        self.assertEqual(count_with("wombats", mechanism=[mechanism.pk]), 0)
        self.assertFalse(listed())

    def test_renaming_a_publisher_or_audience_reindexes_its_tools(self):
        publisher = make_organization(slug="p", name="Ocelot Institute")
        audience = make_audience(name="Tapir wardens")
        make_tool(slug="t", publisher=publisher, audiences=[audience])
        self.assertIn(tool_url("t"), found("ocelot", "tool"))
        publisher.name = "Lemur Institute"
        publisher.save()
        self.assertIn(tool_url("t"), found("lemur", "tool"))
        self.assertNotIn(tool_url("t"), found("ocelot", "tool"))
        audience.name = "Gecko wardens"
        audience.save()
        self.assertEqual(found("gecko", "tool"), {tool_url("t")})
        self.assertEqual(found("tapir", "tool"), set())

    def test_drafts_are_not_indexed_until_published(self):
        tool = make_tool(slug="t", title="Caracal notes", status="draft")
        instrument = make_instrument(slug="i", title="Caracal treaty", status="draft")
        self.assertEqual(found("caracal"), set())
        tool.status = instrument.status = "published"
        tool.save()
        instrument.save()
        self.assertEqual(
            found("caracal"),
            {tool_url("t"), reverse("instruments:instrument_detail", args=["i"])},
        )

    def test_rebuild_gives_the_same_index_and_repairs_bulk_changes(self):
        tool = make_tool(slug="t", title="Dugong register", description="A register.")
        make_passage(text="A dugong paragraph.")
        before = found("dugong")
        Tool.objects.filter(pk=tool.pk).update(title="Manatee register")  # no signals
        self.assertEqual(found("manatee"), set())
        call_command("rebuild_search_index", verbosity=0)
        self.assertIn(tool_url("t"), found("manatee"))
        self.assertEqual(len(found("dugong")), len(before) - 1)

    def test_rebuild_dry_run_changes_nothing(self):
        make_tool(slug="t", title="Serval list")
        Tool.objects.update(title="Genet list")
        call_command("rebuild_search_index", "--dry-run", verbosity=0)
        self.assertEqual(found("genet"), set())
        self.assertIn(tool_url("t"), found("serval"))


class CountsFollowTheIndex(TransactionTestCase):
    """The counts kept beside the index (search/counts.py) stay what counting every entry
    afresh gives, through saves, link changes, unpublishing, deletes and rebuilds."""

    def counts(self):
        return set(SearchCount.objects.values_list("kind", "first", "second", "entries"))

    def assert_as_recounted(self):
        kept = self.counts()
        counts.recount()
        self.assertEqual(kept, self.counts())
        return kept

    def test_every_change_keeps_the_counts_right(self):
        extradition = make_mechanism(slug="extradition", name="Extradition")
        police = make_mechanism(slug="police", name="Police cooperation")
        unodc = make_organization(slug="unodc", name="UNODC")
        first = make_tool(slug="first", publisher=unodc, mechanisms=[extradition])
        second = make_tool(slug="second", kind="handbook", mechanisms=[extradition, police])
        kept = self.assert_as_recounted()
        tool_total = {row for row in kept if row[:3] == ("tool", 0, 0)}
        self.assertEqual(tool_total, {("tool", 0, 0, 2)})
        make_part(first, mechanisms=[police])  # through a part
        self.assert_as_recounted()
        second.mechanisms.remove(extradition)
        self.assert_as_recounted()
        first.kind = "handbook"
        first.save()
        self.assert_as_recounted()
        second.status = "draft"  # unpublished: no entry, not counted
        second.save()
        kept = self.assert_as_recounted()
        self.assertIn(("tool", 0, 0, 1), kept)
        first.delete()
        self.assertNotIn("tool", {kind for kind, *_ in self.assert_as_recounted()})
        second.status = "published"
        second.save()
        call_command("rebuild_search_index", verbosity=0)
        self.assertIn(("tool", 0, 0, 1), self.assert_as_recounted())


class IndexingOnCommit(TransactionTestCase):
    def test_records_are_indexed_once_when_their_transaction_commits(self):
        with transaction.atomic():
            tool = make_tool(slug="t", title="Quoll handbook")
            make_part(tool, title="Quoll chapter")
            tool.title = "Quoll handbook, second edition"
            tool.save()
            self.assertEqual(found("quoll"), set())  # not before the commit
            callbacks = [c for _, c, _ in transaction.get_connection().run_on_commit]
            self.assertEqual(callbacks.count(flush), 1)  # one callback for the transaction
        self.assertEqual(found("quoll"), {tool_url("t")})
        self.assertEqual(found("second edition"), {tool_url("t")})

    def test_a_change_rolled_back_is_never_indexed(self):
        with transaction.atomic():
            make_tool(slug="t", title="Numbat notes")
            transaction.set_rollback(True)
        self.assertEqual(found("numbat"), set())
        with transaction.atomic():
            try:
                # A savepoint rolled back first: the commit's callback it registered goes too.
                with transaction.atomic():
                    make_tool(slug="gone", title="Numbat ledger")
                    raise ValueError
            except ValueError:
                pass
            make_tool(slug="kept", title="Numbat register")
            make_tool(slug="later", title="Numbat almanac")
        self.assertEqual(found("numbat"), {tool_url("kept"), tool_url("later")})

    def test_djangos_loaddata_indexes_what_it_loads(self):
        call_command("loaddata", *makefile_fixtures(), verbosity=0)
        self.assertIn(tool_url("mla-request-writer"), found("request writer", "tool"))
        self.assertIn(reverse("portal:source") + "#para-23", found("hot pursuit", "paragraph"))
        self.assertEqual(
            SearchEntry.objects.filter(model="resources.tool").count(),
            Tool.objects.published().count(),
        )


@skipUnless(
    connection.vendor == "sqlite",
    "SQLite's planner statistics (PostgreSQL's autovacuum gathers its own)",
)
class PlannerStatisticsTests(TestCase):
    def test_a_rebuild_leaves_statistics_so_a_page_of_tools_is_read_by_primary_key(self):
        tools = [make_tool(slug=f"t{n}", title=f"Okapi guide {n}") for n in range(200)]
        page = Tool.objects.for_list().filter(pk__in=[tool.pk for tool in tools[:5]])
        call_command("rebuild_search_index", verbosity=0)
        sql, params = page.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        self.assertIn("SEARCH resources_tool USING INTEGER PRIMARY KEY", plan)
