"""docs/exports.md's examples are run as written: each ``sh`` block with bash and curl against
a live server loaded with the fixtures, its output checked against the ``text`` block after it."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import LiveServerTestCase

from tests.helpers import load_fixtures

DOCS = Path(settings.BASE_DIR) / "docs" / "exports.md"
DOCUMENTED_ADDRESS = "http://127.0.0.1:8000"


def examples(markdown):
    """[(script, expected output or None)] of the ``sh`` blocks, in order."""
    blocks = re.findall(r"^```(\w+)\n(.*?)^```", markdown, re.S | re.M)
    found = []
    for index, (language, body) in enumerate(blocks):
        if language != "sh":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        found.append((body, following[1] if following and following[0] == "text" else None))
    return found


class DocumentedExamples(LiveServerTestCase):
    def setUp(self):
        for tool in ("bash", "curl", "python3"):
            if shutil.which(tool) is None:
                self.skipTest(f"{tool} is not installed")
        load_fixtures()

    def test_the_examples_run_as_documented(self):
        found = examples(DOCS.read_text())
        self.assertGreaterEqual(len(found), 8)
        self.assertTrue(all(DOCUMENTED_ADDRESS in script for script, _ in found))
        with tempfile.TemporaryDirectory() as folder:
            for script, expected in found:
                with self.subTest(script=script.splitlines()[0]):
                    run = subprocess.run(
                        [
                            "bash",
                            "-c",
                            "set -eu\n" + script.replace(DOCUMENTED_ADDRESS, self.live_server_url),
                        ],
                        cwd=folder,
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                    self.assertEqual(run.returncode, 0, run.stderr)
                    if expected is not None:
                        self.assertTrue(run.stdout.startswith(expected), run.stdout[:500])
