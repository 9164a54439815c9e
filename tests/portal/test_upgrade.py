"""A database made before the content moved into its own apps reaches today's layout with nothing
lost: its backup, written by that code's ``export_portal`` (tests/data/export-before-layers.json,
with editors' changes, a draft, a deleted record and their history), restores with today's
``import_portal``, and every record, link, history row and search result is as that code had them
(tests/data/expectations-before-layers*.json, computed by that code on the same backend: the two
rank ties differently; see tests/data/README.md). Runs on SQLite and, in CI, on PostgreSQL."""

import io
import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.http import QueryDict
from django.test import TestCase
from simple_history.utils import get_history_model_for_model

from editorial.history import has_history
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument
from paper.models import CitedDocument
from portal.checks import old_layout
from portal.content import CONTENT_APPS
from portal.legacy import new_label
from resources.filters import ToolFilterSet
from resources.models import Tool
from tests.helpers import indexed, search_page

# Content apps added after that layout: the old backup cannot hold their records.
ADDED_SINCE = {"countries"}

DATA = Path(__file__).resolve().parents[1] / "data"
BACKUP = DATA / "export-before-layers.json"
# PostgreSQL ranks ties (and stop words) differently from SQLite: each has its own expectations.
BACKEND = "-postgresql" if connection.vendor == "postgresql" else ""
EXPECTED = json.loads(
    (DATA / f"expectations-before-layers{BACKEND}.json").read_text(encoding="utf-8")
)


def restore():
    with indexed():  # the search index follows the import, as its commit would
        call_command("import_portal", str(BACKUP), stderr=io.StringIO())


def every_url(q, kind):
    """Every hit of ``kind`` for ``q`` on the search page, page after page."""
    urls, number = [], 1
    while True:
        answer = search_page(q, type=kind, page=str(number))
        urls += answer.urls(kind)
        page = answer.context["page"]
        if page is None or not page.has_next():
            return answer, urls
        number += 1


def listed_slugs(filterset_class, queryset, q):
    filterset = filterset_class(QueryDict(f"q={q}" if q else ""), queryset=queryset)
    return [record.slug for record in filterset.page(1, per_page=10_000).object_list]


class UpgradeFromTheLayoutBefore(TestCase):
    @classmethod
    def setUpTestData(cls):
        restore()

    def test_every_record_and_history_row_is_restored(self):
        legacy = json.loads(BACKUP.read_text(encoding="utf-8"))
        self.assertEqual(len(legacy), sum(EXPECTED["counts"].values()))
        for label, count in EXPECTED["counts"].items():
            with self.subTest(label=label):
                model = apps.get_model(new_label(label))
                self.assertEqual(model._base_manager.count(), count)

    def test_every_link_is_restored(self):
        for key, count in EXPECTED["links"].items():
            label, _, field = key.rpartition(".")
            with self.subTest(link=key):
                model = apps.get_model(new_label(label))
                self.assertEqual(getattr(model, field).through.objects.count(), count)
        # A cited document named the instrument it is; the instrument now lists its documents.
        before = [r for r in json.loads(BACKUP.read_text()) if r["model"] == "portal.citeddocument"]
        pairs = {
            (r["fields"]["slug"], r["fields"]["instrument"][0])
            for r in before
            if r["fields"]["instrument"]
        }
        self.assertEqual(len(pairs), 5)
        now = set(
            Instrument.documents.through.objects.values_list(
                "citeddocument__slug", "instrument__slug"
            )
        )
        self.assertEqual(now, pairs)

    def test_every_version_in_the_history_is_restored(self):
        for label, expected in EXPECTED["history"].items():
            model = apps.get_model(new_label(label))
            with self.subTest(label=label):
                self.assertEqual(model.objects.count(), expected["rows"])
                for kind in "+~-":
                    self.assertEqual(
                        model.objects.filter(history_type=kind).count(), expected[kind]
                    )
        # Every versioned model of the content apps had its history in the backup.
        versioned = {
            get_history_model_for_model(model)._meta.label_lower
            for label in CONTENT_APPS
            if label not in ADDED_SINCE
            for model in apps.get_app_config(label).get_models()
            if has_history(model)
        }
        self.assertEqual(versioned, {new_label(label) for label in EXPECTED["history"]})

    def test_the_editors_changes_survive(self):
        # From tests/data/legacy_make_changes.py: a draft, a deleted record, edited texts.
        self.assertEqual(Instrument.objects.get(slug="see-police-convention").status, "draft")
        self.assertEqual(Tool.objects.get(slug="unodc-mla-extradition-manual").status, "draft")
        self.assertIn("30 July 2010", CitedDocument.objects.get(slug="a-res-64-293").note)
        guidance = apps.get_model("guidance", "Guidance")
        self.assertFalse(guidance.objects.filter(slug="take-part-in-data-collection").exists())
        deleted = guidance.history.filter(slug="take-part-in-data-collection", history_type="-")
        self.assertEqual(deleted.count(), 1)

    def test_every_search_finds_what_it_found_before(self):
        for q, expected in EXPECTED["searches"].items():
            with self.subTest(q=q):
                answer = search_page(q)
                self.assertEqual(answer.total, expected["total"])
                corrected = answer.text if answer.corrected_from else None
                self.assertEqual(corrected, expected["corrected_to"])
                for kind, urls in expected["urls"].items():
                    typed, found = every_url(q, kind)
                    self.assertEqual(found, urls, kind)

    def test_the_lists_find_what_they_found_before(self):
        tools, instruments = Tool.objects.for_list(), Instrument.objects.for_list()
        for q, slugs in EXPECTED["lists"]["tools"].items():
            with self.subTest(tools=q):
                self.assertEqual(listed_slugs(ToolFilterSet, tools, q), slugs)
        for q, slugs in EXPECTED["lists"]["instruments"].items():
            with self.subTest(instruments=q):
                self.assertEqual(listed_slugs(InstrumentFilterSet, instruments, q), slugs)
        self.assertEqual(
            listed_slugs(ToolFilterSet, tools, ""), EXPECTED["lists"]["tools without words"]
        )
        self.assertEqual(
            listed_slugs(InstrumentFilterSet, instruments, ""),
            EXPECTED["lists"]["instruments without words"],
        )

    def test_drafts_stay_out_of_every_search(self):
        for q in EXPECTED["searches"]:
            with self.subTest(q=q):
                found = search_page(q).urls()
                for url in EXPECTED["drafts"]["urls"]:
                    self.assertNotIn(url, found)


class UpgradedBackupsReadAsToday(TestCase):
    def test_the_labels_of_the_old_layout_map_to_todays(self):
        self.assertEqual(new_label("portal.passage"), "paper.passage")
        self.assertEqual(
            new_label("portal.historicalciteddocument_sources"),
            "paper.historicalciteddocument_sources",
        )
        self.assertEqual(new_label("portal.historicalguidance"), "guidance.historicalguidance")
        self.assertEqual(new_label("instruments.tool"), "instruments.tool")  # not moved

    def test_a_backup_of_the_old_layout_exports_again_in_todays(self):
        restore()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "backup.json"
            call_command("export_portal", str(path), stderr=io.StringIO())
            labels = {record["model"] for record in json.loads(path.read_text(encoding="utf-8"))}
        self.assertFalse({label for label in labels if label.startswith("portal.")})
        self.assertTrue({"paper.passage", "guidance.guidance", "instruments.instrument"} <= labels)

    def test_migrate_refuses_a_database_of_the_old_layout_and_says_how_to_upgrade(self):
        self.assertEqual(old_layout(None, databases=["default"]), [])
        MigrationRecorder(connection).record_applied("portal", "0001_initial")
        errors = old_layout(None, databases=["default"])
        self.assertEqual([error.id for error in errors], ["portal.E001"])
        self.assertIn("export_portal", errors[0].hint)
        self.assertIn("import_portal", errors[0].hint)
        with self.assertRaises(SystemCheckError):
            call_command("migrate", "--check", skip_checks=False, stdout=io.StringIO())
