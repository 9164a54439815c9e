"""Backup and restore: export_portal writes all content to one JSON file; import_portal loads it
into an empty database in one transaction, refuses to overwrite content unless told to, and leaves
the database unchanged when anything fails. The round trip SQLite -> PostgreSQL -> SQLite gives the
same content, byte for byte."""

import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase

from instruments.models import (
    Instrument,
)
from paper.models import Passage
from portal.management.commands.export_portal import content_models
from portal.management.commands.import_portal import delete_content
from resources.models import Audience, Tool
from tests.factories import make_sample_content

ROOT = Path(__file__).resolve().parents[2]


def export(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("export_portal", str(path), stderr=io.StringIO())
    return path.read_bytes()


def import_(path, *args):
    call_command("import_portal", str(path), *args, stderr=io.StringIO())


def content_count():
    return sum(model._base_manager.count() for model in content_models())


class ExportImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_sample_content()

    def setUp(self):
        self.tmp_path = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_export_holds_every_model_with_natural_keys(self):
        records = json.loads(export(self.tmp_path))
        labels = {record["model"] for record in records}
        self.assertEqual(labels, {model._meta.label_lower for model in content_models()})
        # Ids are kept (history refers to them); links are natural keys.
        self.assertTrue(all("pk" in record for record in records))
        provision = next(r for r in records if r["model"] == "instruments.provision")
        self.assertEqual(provision["fields"]["instrument"], ["bk-untoc"])
        tool = next(r for r in records if r["model"] == "resources.tool")
        self.assertEqual(tool["fields"]["audiences"], [["bk-police"], ["bk-prosecutors"]])

    def test_models_come_after_those_they_refer_to(self):
        order = [model._meta.label_lower for model in content_models()]
        for before, after in [
            ("paper.passage", "instruments.instrument"),
            ("instruments.organization", "instruments.instrument"),
            ("instruments.mechanism", "instruments.provision"),
            ("paper.citeddocument", "instruments.instrument"),
            ("resources.tool", "resources.toolpart"),
        ]:
            self.assertLess(order.index(before), order.index(after), (before, after))

    def test_import_into_an_empty_database_restores_identical_content(self):
        before = export(self.tmp_path)
        count = content_count()
        delete_content(content_models())
        self.assertEqual(content_count(), 0)
        import_(self.tmp_path / "backup.json")
        self.assertEqual(content_count(), count)
        self.assertEqual(export(self.tmp_path, "again.json"), before)
        # The sequences moved past the restored ids: new records can be added.
        Audience.objects.create(slug="bk-new", name="Added after the restore")
        footnote = Passage.objects.get(slug="bk-fn-1")
        self.assertEqual(footnote.cited_in.slug, "bk-para-1")
        self.assertEqual(Instrument.objects.get(slug="bk-protocol").supplements.slug, "bk-untoc")

    def test_import_refuses_to_overwrite_content_without_replace(self):
        before = export(self.tmp_path)
        with self.assertRaisesMessage(CommandError, "--replace"):
            import_(self.tmp_path / "backup.json")
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_history_dates_keep_their_microseconds(self):
        # Below a millisecond, too: cut to ".000" and read back as a whole second, the restored
        # portal would export a different file.
        when = datetime.datetime(2026, 11, 28, 12, 0, 0, 400, tzinfo=datetime.UTC)
        Tool.history.model.objects.update(history_date=when)
        before = export(self.tmp_path)
        self.assertIn(b'"2026-11-28T12:00:00.000400Z"', before)
        delete_content(content_models())
        import_(self.tmp_path / "backup.json")
        self.assertEqual(set(Tool.history.values_list("history_date", flat=True)), {when})
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_import_with_replace_replaces_all_content(self):
        before = export(self.tmp_path)
        Audience.objects.create(slug="bk-extra", name="Added after the backup")
        Tool.objects.filter(slug="bk-manual").update(title="Changed after the backup")
        import_(self.tmp_path / "backup.json", "--replace")
        self.assertFalse(Audience.objects.filter(slug="bk-extra").exists())
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_failed_import_leaves_the_database_unchanged(self):
        before = export(self.tmp_path)
        records = json.loads(before)
        # The last record refers to a passage that does not exist: the load fails at the end.
        records[-1]["fields"]["sources"] = [["no-such-passage"]]
        broken = self.tmp_path / "broken.json"
        broken.write_text(json.dumps(records), encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "unchanged"):
            import_(broken, "--replace")
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_truncated_or_missing_file_is_refused_cleanly(self):
        before = export(self.tmp_path)
        truncated = self.tmp_path / "truncated.json"
        truncated.write_bytes(before[: len(before) // 2])
        with self.assertRaises(CommandError):
            import_(truncated, "--replace")
        with self.assertRaisesMessage(CommandError, "Could not read"):
            import_(self.tmp_path / "missing.json")
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_records_of_other_apps_are_refused(self):
        before = export(self.tmp_path)
        foreign = self.tmp_path / "foreign.json"
        user = {"model": "auth.user", "fields": {"username": "mallory", "password": "x"}}
        foreign.write_text(json.dumps([*json.loads(before), user]), encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "not content"):
            import_(foreign, "--replace")
        self.assertEqual(export(self.tmp_path, "again.json"), before)

    def test_dry_run_changes_nothing(self):
        before = export(self.tmp_path)
        Audience.objects.create(slug="bk-extra", name="Added after the backup")
        after = export(self.tmp_path, "after.json")
        report = io.StringIO()
        backup = str(self.tmp_path / "backup.json")
        call_command("import_portal", backup, "--dry-run", stderr=report)
        self.assertIn("needs --replace", report.getvalue())
        self.assertEqual(export(self.tmp_path, "again.json"), after)
        delete_content(content_models())
        import_(self.tmp_path / "backup.json", "--dry-run")
        self.assertEqual(content_count(), 0)
        self.assertNotEqual(before, after)


# ---- SQLite -> PostgreSQL -> SQLite, each in its own process ------------------------------


def postgres_admin_url():
    """The maintenance database of the suite's PostgreSQL server, or of the local one."""
    url = os.environ.get("DATABASE_URL", "")
    server = (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )
    return f"{server}/postgres"


def postgres_or_skip(testcase):
    import psycopg2

    try:
        psycopg2.connect(postgres_admin_url(), connect_timeout=3).close()
    except psycopg2.OperationalError as error:
        testcase.skipTest(f"PostgreSQL is not reachable at {postgres_admin_url()}: {error}")


def fixture_paths():
    """The project's fixtures that exist, in the Makefile's loading order."""
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("FIXTURES"))
    paths = [ROOT / "fixtures" / f"{name}.json" for name in line.split(":=")[1].split()]
    return [str(path) for path in paths if path.exists()]


class RoundTripAcrossBackends(SimpleTestCase):
    """Each step in its own process, on its own databases: the suite's test database is not used."""

    def manage(self, database_url, *args):
        """Run ``python *args`` on the database at ``database_url``; fail unless it succeeds."""
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL"}}
        env |= {"DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": "backup-test-key"}
        env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        self.assertEqual(result.returncode, 0, f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def test_round_trip_sqlite_postgresql_sqlite_gives_identical_content(self):
        postgres_or_skip(self)
        import psycopg2

        tmp_path = Path(self.enterContext(tempfile.TemporaryDirectory()))
        name = f"tip_backup_roundtrip_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(postgres_admin_url())
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        pg_url = postgres_admin_url().rsplit("/", 1)[0] + f"/{name}"
        try:
            first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
            self.manage(first, "manage.py", "migrate", "--no-input", "-v0")
            if fixture_paths():
                self.manage(first, "manage.py", "loaddata", *fixture_paths())
            sample = (
                "import django; django.setup(); from tests.factories import make_sample_content"
            )
            self.manage(first, "-c", f"{sample}; make_sample_content()")
            self.manage(first, "manage.py", "export_portal", str(tmp_path / "a.json"))

            self.manage(pg_url, "manage.py", "migrate", "--no-input", "-v0")
            self.manage(pg_url, "manage.py", "import_portal", str(tmp_path / "a.json"))
            self.manage(pg_url, "manage.py", "export_portal", str(tmp_path / "b.json"))

            last = f"sqlite:///{tmp_path / 'last.sqlite3'}"
            self.manage(last, "manage.py", "migrate", "--no-input", "-v0")
            self.manage(last, "manage.py", "import_portal", str(tmp_path / "b.json"))
            self.manage(last, "manage.py", "export_portal", str(tmp_path / "c.json"))
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        a, b, c = ((tmp_path / f"{x}.json").read_bytes() for x in "abc")
        records = json.loads(a)
        self.assertGreaterEqual(len(records), 20)
        self.assertLessEqual(
            {"resources.toolpart", "instruments.provision"}, {r["model"] for r in records}
        )
        self.assertEqual(a, b, "PostgreSQL's export differs from SQLite's")
        self.assertEqual(b, c, "Back in SQLite, the export differs from PostgreSQL's")
