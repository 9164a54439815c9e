"""Rebuild the search index from scratch: every public record of every registered model.

    python manage.py rebuild_search_index [--dry-run]

Run it after changing what a model's search document holds, after bulk changes that send no
signals (``QuerySet.update()``, ``bulk_create``, raw SQL), or to check the index's size.
Saves, deletes and link changes keep the index in step by themselves, fixtures too.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

import search


class Command(BaseCommand):
    help = "Empty the search index and index every public record again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the entries, then roll back."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        started = time.perf_counter()
        log = self.stdout.write if verbosity > 1 else None
        with transaction.atomic():
            counts = search.rebuild(log=log)
            if dry_run:
                transaction.set_rollback(True)
        seconds = time.perf_counter() - started
        total = sum(counts.values())
        what = "Would index" if dry_run else "Indexed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{what} {total:,} records of {len(counts)} kinds in {seconds:.1f}s."
            )
        )
