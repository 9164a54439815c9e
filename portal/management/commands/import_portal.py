"""Restore a backup written by ``export_portal``, in one transaction.

    python manage.py import_portal backup.json             # into a database with no content
    python manage.py import_portal backup.json --replace   # replaces all content
    python manage.py import_portal backup.json --dry-run   # loads it, then rolls back

Works on SQLite and PostgreSQL alike (links are natural keys). It refuses to load over existing
content unless ``--replace`` is given, and any error leaves the database as it was. The history in
the file is restored as it was: nothing new is recorded for the deletions and loads the import
makes. A backup written before the content moved into its own apps is read too
(portal/legacy.py). What is derived from the content (the search index) follows by itself.
"""

import json

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from editorial.history import history_paused
from portal.content import CONTENT_APPS
from portal.legacy import upgrade
from portal.management.commands.export_portal import content_models


class DryRunDone(Exception):
    """Raised to roll back the transaction of a dry run."""


def count_content(models):
    return sum(model._base_manager.count() for model in models)


def delete_content(models):
    # Latest first: records go before those their natural keys (and PROTECTed links) refer to.
    with history_paused():
        for model in reversed(models):
            model._base_manager.all().delete()


def load(records, models, connection):
    """Save every one of ``records`` (fixture records); return how many were saved."""
    saved, deferred = 0, []
    with connection.constraint_checks_disabled():
        for record in serializers.deserialize("python", records, handle_forward_references=True):
            label = record.object._meta.label
            if record.object._meta.app_label not in CONTENT_APPS:
                raise CommandError(f"The file holds {label} records, which are not content.")
            record.save()
            saved += 1
            if record.deferred_fields:
                deferred.append(record)
        for record in deferred:
            record.save_deferred_fields()
    connection.check_constraints(table_names=[model._meta.db_table for model in models])
    # Records without natural keys keep their ids: move the sequences past them (PostgreSQL).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return saved


class Command(BaseCommand):
    help = "Load a backup written by export_portal, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by export_portal.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete all existing content first."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Load, report, then roll everything back."
        )

    def handle(self, *args, file, replace, dry_run, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                records = upgrade(json.load(stream))
        except (OSError, ValueError, LookupError, TypeError, AttributeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        connection = connections[DEFAULT_DB_ALIAS]
        models = content_models()
        try:
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                existing = count_content(models)
                if existing and not (replace or dry_run):
                    raise CommandError(
                        f"The database already holds {existing} content records; nothing was "
                        "imported. Use --replace to replace them."
                    )
                if existing:
                    delete_content(models)
                with history_paused():
                    saved = load(records, models, connection)
                if dry_run:
                    raise DryRunDone
        except DryRunDone:
            needs = f" (replacing {existing}: needs --replace)" if existing and not replace else ""
            self.stderr.write(
                f"Dry run: the file is sound; {saved} records would be imported{needs}. "
                "Nothing was changed."
            )
            return
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(f"Import failed; the database is unchanged. {error}") from error
        replaced = f", replacing {existing}" if replace else ""
        self.stderr.write(f"Imported {saved} records from {file}{replaced}.")
