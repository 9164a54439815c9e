"""A database of the layout before the content moved into its own apps cannot be migrated in
place: say so, and how to upgrade, before ``migrate`` meets its history (docs/deploy.md)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

# Migrations only that layout had: its portal app held the paper and the guidance.
OLD_LAYOUT = ("portal", "0001_initial")


@register(Tags.database)
def old_layout(app_configs, databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        recorder = MigrationRecorder(connections[alias])
        try:
            if not recorder.has_table():
                continue
            applied = recorder.migration_qs.filter(app=OLD_LAYOUT[0], name=OLD_LAYOUT[1])
            if not applied.exists():
                continue
        except DatabaseError:
            continue  # an unreachable database is reported elsewhere
        errors.append(
            Error(
                f"Database '{alias}' was made by the portal before its content moved into the "
                "paper, editorial, search and guidance apps, and cannot be migrated in place.",
                hint="With the previous release, back it up (manage.py export_portal "
                "backup.json); with this one, migrate a new database and restore it there "
                "(manage.py import_portal backup.json). See docs/deploy.md, 'Upgrading from "
                "the single-app layout'.",
                id="portal.E001",
            )
        )
    return errors
