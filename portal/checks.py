"""System checks of what the portal needs before it runs: a database of the layout before the
content moved into its own apps cannot be migrated in place (say so, and how to upgrade, before
``migrate`` meets its history; docs/deploy.md), and production needs a strong SECRET_KEY."""

from django.conf import settings
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


# Django's deploy check only warns (security.W009) about a key like these; `make serve` runs
# `check --deploy --fail-level ERROR`, so a weak key stops the server from starting.
MIN_KEY_LENGTH, MIN_KEY_CHARACTERS = 50, 5


@register(Tags.security, deploy=True)
def strong_secret_key(app_configs, **kwargs):
    key = settings.SECRET_KEY
    weak = (
        len(key) < MIN_KEY_LENGTH
        or len(set(key)) < MIN_KEY_CHARACTERS
        or key.startswith("django-insecure-")
    )
    if not weak:
        return []
    return [
        Error(
            f"SECRET_KEY is weak: it needs {MIN_KEY_LENGTH} or more characters, at least "
            f"{MIN_KEY_CHARACTERS} different ones, and not Django's 'django-insecure-' prefix.",
            hint="Generate one: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="portal.E002",
        )
    ]
