"""Give every record a version in its history that matches what it is now.

    python manage.py record_history             # after loaddata (`make fixtures` runs it)
    python manage.py record_history --dry-run   # says what it would record, records nothing

Loading fixtures or a backup records no versions (editorial/history.py). This then records
one version, with its links, for each record that has none ("Initial version"), and a new one
for each record whose fields or links differ from its latest version (e.g. a fixture loaded
again over an editor's change, which the editor can then see and revert). A second run records
nothing.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from simple_history.utils import get_history_model_for_model

from editorial.history import differs_from, has_history, record_version


class DryRunDone(Exception):
    """Raised to roll back the transaction of a dry run."""


def versioned_models():
    return [model for model in apps.get_models() if has_history(model)]


def record_missing_versions(model):
    """Record the versions ``model``'s records lack; returns (initial, changed) counts."""
    versions = get_history_model_for_model(model).objects.filter(
        history_id__in=latest_version_ids(model)
    )
    latest = {version.id: version for version in versions}
    initial = changed = 0
    for obj in model._default_manager.order_by("pk"):
        version = latest.get(obj.pk)
        if version is None or version.history_type == "-":
            record_version(obj, created=True, reason="Initial version.")
            initial += 1
        elif differs_from(obj, version):
            record_version(obj, reason="Changed by loading fixtures or a backup.")
            changed += 1
    return initial, changed


def latest_version_ids(model):
    """A subquery: the id of each record's latest version."""
    history = get_history_model_for_model(model).objects
    return history.values("id").annotate(latest=Max("history_id")).values("latest")


class Command(BaseCommand):
    help = "Record a version of every record that has none, or differs from its latest one."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Record nothing.")

    def handle(self, *args, dry_run=False, **options):
        totals = [0, 0]
        try:
            with transaction.atomic():
                for model in versioned_models():
                    initial, changed = record_missing_versions(model)
                    totals[0] += initial
                    totals[1] += changed
                    if (initial or changed) and options["verbosity"] > 1:
                        self.stdout.write(f"{model._meta.label}: {initial} initial, {changed} new")
                if dry_run:
                    raise DryRunDone
        except DryRunDone:
            pass
        would = "Would record" if dry_run else "Recorded"
        self.stdout.write(
            f"{would} {totals[0]} initial versions and {totals[1]} versions of changed records."
        )
