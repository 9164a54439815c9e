"""The interface's catalogues (docs/languages.md): complete in each of the five languages other
than English, with the placeholders of their English, saying who made them; and every message
the code and templates use is in them (``makemessages`` run on a copy of the repository)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import SkipTest

from babel.messages.pofile import read_po
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

LOCALES = ["ar", "zh_Hans", "fr", "ru", "es"]
BASE = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}|%[sd]")
SOURCES = ["portal", "api", "resources", "guidance", "countries", "instruments", "paper"]
SOURCES += ["editorial", "search", "templates", "manage.py"]
IGNORE = [".venv", "node_modules", "tests", "bench", "static", "staticfiles", "locale"]


def catalogue(locale, base=BASE):
    with (base / "locale" / locale / "LC_MESSAGES" / "django.po").open("rb") as source:
        return read_po(source, locale=locale)


def ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text):
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


class Catalogues(SimpleTestCase):
    def test_every_message_is_translated_in_every_language(self):
        for locale in LOCALES:
            with self.subTest(locale=locale):
                messages = [m for m in catalogue(locale) if m.id]
                self.assertGreater(len(messages), 300)
                untranslated = [
                    ids(m)[0] for m in messages if not all(s.strip() for s in strings(m))
                ]
                fuzzy = [ids(m)[0] for m in messages if m.fuzzy]
                self.assertEqual(untranslated, [], f"{locale}: untranslated")
                self.assertEqual(fuzzy, [], f"{locale}: fuzzy (compiled without them)")

    def test_translations_keep_the_placeholders_of_their_english(self):
        """Every placeholder, and no other. A plural form may leave out the number (Arabic's
        form for one, French "le premier mot"): it names no placeholder the English lacks."""
        for locale in LOCALES:
            for message in catalogue(locale):
                if not message.id:
                    continue
                english = placeholders(ids(message)[-1])
                for text in strings(message):
                    with self.subTest(locale=locale, msgid=ids(message)[0][:60]):
                        if isinstance(message.id, tuple):
                            self.assertLessEqual(set(placeholders(text)), set(english))
                        else:
                            self.assertEqual(placeholders(text), english)

    def test_each_catalogue_says_who_made_it_and_that_it_awaits_review(self):
        for locale in LOCALES:
            with self.subTest(locale=locale):
                header = catalogue(locale).header_comment
                self.assertIn("machine", header)
                self.assertIn("awaiting review by a native speaker", header)
                self.assertIn("not an official United Nations translation", header)

    def test_the_compiled_catalogues_are_used(self):
        with translation.override("fr"):
            self.assertEqual(translation.gettext("Cooperation types"), "Types de coopération")
        with translation.override("ar"):
            self.assertNotEqual(translation.gettext("Cooperation types"), "Cooperation types")

    def test_every_message_in_use_is_in_the_catalogues(self):
        if not shutil.which("xgettext"):
            reason = "makemessages needs gettext's xgettext (apt-get install gettext)"
            if os.environ.get("REQUIRE_GETTEXT"):
                self.fail(reason)
            raise SkipTest(reason)
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch)
            for name in SOURCES:
                source = BASE / name
                if source.is_dir():
                    shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("*.pyc"))
                else:
                    shutil.copy(source, copy / name)
            (copy / "locale").mkdir()
            environment = {**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
            command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"]
            command += [f"--ignore={name}" for name in IGNORE]
            subprocess.run(command, cwd=copy, env=environment, check=True, capture_output=True)
            used = {ids(m)[0] for m in catalogue("fr", copy) if m.id}
        for locale in LOCALES:
            with self.subTest(locale=locale):
                kept = {ids(m)[0] for m in catalogue(locale) if m.id}
                self.assertEqual(sorted(used - kept), [], f"{locale}: missing (makemessages)")
                self.assertEqual(sorted(kept - used), [], f"{locale}: no longer used")
