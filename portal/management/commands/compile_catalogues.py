"""Compile the interface's translations: each locale/<code>/LC_MESSAGES/django.po whose .mo is
missing or older, with Babel (no gettext's msgfmt needed). `make run`, `make test` and
`make serve` run it; the .mo files are not kept in the repository.

A catalogue with an error (a translation missing a placeholder of its English, or adding one)
stops it, naming the message: such a translation would fail when the page is shown.
"""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def compile_catalogues(force=False):
    """Compile the catalogues that need it; return the paths of the .mo files written."""
    written = []
    for folder in settings.LOCALE_PATHS:
        for po in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            problems = [
                f"{po}: {message.id!r}: {problem}"
                for message, errors in catalog.check()
                for problem in errors
            ]
            if problems:
                raise CommandError("\n".join(problems))
            # Whole or not at all: another process may be reading it, or compiling it too.
            with tempfile.NamedTemporaryFile(
                dir=mo.parent, suffix=".partial", delete=False
            ) as target:
                write_mo(target, catalog)  # fuzzy translations left out, as msgfmt does
            os.chmod(target.name, 0o644)  # readable as a file written by make would be
            os.replace(target.name, mo)
            written.append(mo)
    return written


class Command(BaseCommand):
    help = "Compile the interface's .po catalogues to .mo (those that changed) with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force=False, **options):
        written = compile_catalogues(force=force)
        if options["verbosity"]:
            self.stdout.write(f"Compiled {len(written)} catalogue(s).")
