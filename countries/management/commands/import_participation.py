"""``manage.py import_participation FILE.csv [FILE.csv ...] [--instrument SLUG] [--dry-run]``:
read participation CSVs (countries/participation.py) in one transaction each, print what was
created, updated and skipped and where sources disagree, and keep the report for the admin (a
dry run writes nothing, the report included)."""

from django.core.management.base import BaseCommand, CommandError

from countries.models import ImportRun
from countries.participation import import_file


class Command(BaseCommand):
    help = "Import participation observations (the shared CSV format); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="untoc.csv, tip_protocol.csv, memberships.csv")
        parser.add_argument(
            "--instrument",
            help="The instrument of an instrument file (default: its file name, "
            "tip_protocol.csv for tip-protocol).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, files, instrument=None, dry_run=False, **options):
        # Participants a file names that are not here yet are created from participants.csv
        # as they are met (Participants.find); `load_participants` loads them all beforehand.
        for path in files:
            try:
                report = import_file(path, instrument=instrument, dry_run=dry_run)
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(report.text())
            if dry_run:
                continue
            ImportRun.objects.create(
                file=report.file,
                rows=report.rows,
                created=report.counts["created"],
                updated=report.counts["updated"],
                skipped=len(report.skipped),
                report=report.text(),
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
