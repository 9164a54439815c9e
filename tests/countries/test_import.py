"""The importer on the shared participation data (fixtures/participation/, PROVENANCE.md), and on
small files written to show what it does with conflicts and bad rows."""

import csv
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from countries.models import ImportRun, Membership, Origin, Participant, ParticipationEvent
from countries.participation import EVENT_HEADER, import_file
from countries.status import State, standings
from instruments.models import Instrument
from tests.helpers import PARTICIPATION_FILES, load_fixtures, load_participation

UNTOC = "https://example.org/untoc-status"


def counts():
    return (
        Participant.objects.count(),
        ParticipationEvent.objects.count(),
        Membership.objects.count(),
        ImportRun.objects.count(),
    )


class SharedDataImport(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        cls.output = load_participation()

    def parties(self, slug):
        instrument = Instrument.objects.get(slug=slug)
        found = standings(Participant.objects.all(), [instrument]).values()
        recorded = ParticipationEvent.objects.filter(instrument=instrument)
        return (
            sum(standing.state == State.PARTY for standing in found),
            recorded.values("participant").distinct().count(),
        )

    def test_every_row_is_read_and_none_skipped(self):
        for name, rows in [("untoc.csv", 187), ("tip_protocol.csv", 178), ("memberships.csv", 162)]:
            with self.subTest(name):
                run = ImportRun.objects.get(file=name)
                self.assertEqual((run.rows, run.skipped), (rows, 0))
                self.assertIn(f"{name}: {rows} rows read", self.output)

    def test_the_counts_provenance_gives(self):
        # PROVENANCE.md: UNTOC 181 parties identified (179 in 2014, Barbados and Bhutan later)
        # among 186 participants; the Protocol 170 of UNTC's 182, among 176 participants.
        self.assertEqual(self.parties("untoc"), (181, 186))
        self.assertEqual(self.parties("tip-protocol"), (170, 176))
        self.assertEqual(self.parties("see-police-convention"), (11, 11))  # PCC SEE's list
        self.assertEqual(Membership.objects.count(), 162 - 11)  # PCC SEE rows are participation
        # 193 UN Member States, the European Union, and the Cook Islands, Niue and the State of
        # Palestine from the files (the Holy See is not in them).
        self.assertEqual(Participant.objects.count(), 197)

    def test_a_second_run_changes_nothing(self):
        before = list(ParticipationEvent.objects.values_list("pk", "date", "as_at", "note"))
        out = StringIO()
        call_command("import_participation", *PARTICIPATION_FILES, stdout=out)
        self.assertEqual(out.getvalue().count("  created: 0"), 3)
        self.assertEqual(out.getvalue().count("  updated: 0"), 3)
        after = list(ParticipationEvent.objects.values_list("pk", "date", "as_at", "note"))
        self.assertEqual(before, after)

    def test_a_dry_run_writes_nothing(self):
        ParticipationEvent.objects.filter(participant__code="nga").delete()
        before = counts()
        out = StringIO()
        call_command("import_participation", *PARTICIPATION_FILES, "--dry-run", stdout=out)
        self.assertEqual(counts(), before)
        # Nigeria's signature and ratification, of the Convention and of the Protocol.
        self.assertEqual(out.getvalue().count("  created: 2"), 2)
        self.assertIn("Dry run: nothing was changed.", out.getvalue())

    def test_partial_dates_and_sources_are_kept_as_given(self):
        bangladesh = ParticipationEvent.objects.get(
            participant__code="bgd", instrument__slug="tip-protocol", kind="accession"
        )
        self.assertEqual(bangladesh.date_display, "September 2019")
        barbados = ParticipationEvent.objects.filter(
            participant__code="brb", instrument__slug="untoc"
        )
        self.assertEqual(sorted(barbados.values_list("kind", flat=True)), ["consent", "signature"])
        scrape = ParticipationEvent.objects.filter(instrument__slug="untoc").first()
        self.assertIn("github.com/zmjones/untreaties", scrape.source_url)
        self.assertIn("treaties.un.org", scrape.derived_from)

    def test_what_to_check_is_reported(self):
        self.assertIn("the note has a doubt: UNODC (20 Feb 2023) says Bhutan", self.output)
        self.assertIn("a date gives only the month or year (2): Bangladesh (line 172)", self.output)


class SmallFiles(TestCase):
    """Conflicts, bad rows and editors' records, on files written here."""

    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        call_command("load_participants", stdout=StringIO())

    def write(self, rows):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        path = folder / "untoc.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, EVENT_HEADER)
            writer.writeheader()
            for row in rows:
                writer.writerow(dict.fromkeys(EVENT_HEADER, "") | row)
        return path

    def test_sources_that_disagree_are_all_kept_and_reported(self):
        path = self.write(
            [
                {"state": "Nigeria", "iso3": "NGA", "action_date": "2001-06-28",
                 "action_type": "ratification", "source": UNTOC, "as_at": "2014-01-27"},
                {"state": "Nigeria", "iso3": "NGA", "action_date": "2001-07-01",
                 "action_type": "accession", "source": UNTOC + "/later", "as_at": "2020-01"},
            ]
        )  # fmt: skip
        report = import_file(path)
        self.assertEqual(report.counts["created"], 2)
        self.assertEqual(len(report.conflicts), 1)
        self.assertIn("Nigeria", report.text())
        self.assertIn("sources that disagree: 1", report.text())
        standing = standings(
            Participant.objects.filter(code="nga"), Instrument.objects.filter(slug="untoc")
        ).popitem()[1]
        self.assertEqual(standing.state, State.PARTY)
        self.assertTrue(standing.disagree)
        self.assertEqual(standing.shown.source_url, UNTOC + "/later")  # the newest "as at"

    def test_bad_rows_are_skipped_with_the_reason_and_the_rest_imported(self):
        path = self.write(
            [
                {"state": "Nowhere", "iso3": "XXX", "action_date": "2001-06-28", "source": UNTOC},
                {"state": "Nigeria", "iso3": "NGA", "action_date": "28/06/2001", "source": UNTOC},
                {"state": "Ghana", "iso3": "GHA", "action_date": "2001-06-28", "source": "ftp://x"},
                {"state": "Kenya", "iso3": "KEN", "action_date": "2004-06-16",
                 "action_type": "ratified", "source": UNTOC},
                {"state": "Kenya", "iso3": "KEN", "source": UNTOC},
                {"state": "Mali", "iso3": "MLI", "action_date": "2002-04-12",
                 "action_type": "ratification", "source": UNTOC, "as_at": "2014-01-27"},
            ]
        )  # fmt: skip
        report = import_file(path)
        self.assertEqual(
            [why for _, why in report.skipped],
            [
                "'XXX' is not an ISO 3166 alpha-3 code",
                "action_date: not a date: '28/06/2001' (YYYY-MM-DD, YYYY-MM or YYYY)",
                "source is not a web address: 'ftp://x'",
                "unknown action_type 'ratified'",
                "the row records no signature, act or party",
            ],
        )
        self.assertEqual([line for line, _ in report.skipped], [2, 3, 4, 5, 6])
        self.assertEqual(report.counts["created"], 1)
        self.assertEqual(ParticipationEvent.objects.get().participant.code, "mli")

    def test_an_editors_record_is_never_overwritten(self):
        path = self.write(
            [{"state": "Mali", "iso3": "MLI", "action_date": "2002-04-12",
              "action_type": "ratification", "source": UNTOC, "as_at": "2014-01-27"}]
        )  # fmt: skip
        import_file(path)
        ParticipationEvent.objects.update(origin=Origin.EDITOR, note="Checked on UNTC.")
        report = import_file(path)
        self.assertEqual(report.counts["kept"], 1)
        self.assertEqual(ParticipationEvent.objects.get().note, "Checked on UNTC.")

    def test_an_unknown_file_or_instrument_is_an_error_not_a_partial_import(self):
        path = self.write(
            [{"state": "Mali", "iso3": "MLI", "action_date": "2002", "source": UNTOC}]
        )
        with self.assertRaisesMessage(ValueError, "no instrument 'nope'"):
            import_file(path, instrument="nope")
        self.assertFalse(ParticipationEvent.objects.exists())
