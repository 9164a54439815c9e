"""Every `curl` example of docs/api.md answers as the page says (200 with JSON, unless a
``# 400``-style comment says otherwise), on the real fixtures: the guide cannot drift from the
API. And the docs page itself is served with the portal's Content Security Policy."""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.helpers import FixtureTestCase, load_fixtures, load_participation

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"
SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def curl_examples(text):
    """(method, path with query, expected status, the line) of each curl command in the
    Markdown's ```sh blocks."""
    found = []
    for block in SHELL_BLOCK.findall(text):
        for line in block.splitlines():
            if not line.startswith("curl "):
                continue
            command, _, comment = line.partition("  # ")
            words = shlex.split(command.split(" | ")[0])
            url = next(word for word in words if word.startswith("http"))
            method = "HEAD" if "-I" in words else "GET"
            status = int(comment) if comment.strip().isdigit() else 200
            parts = urlsplit(url)
            found.append(
                (method, parts.path + (f"?{parts.query}" if parts.query else ""), status, line)
            )
    return found


class CurlExamples(FixtureTestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()

    def test_the_examples_are_found(self):
        examples = curl_examples(GUIDE.read_text())
        self.assertGreaterEqual(len(examples), 15)
        self.assertIn(("GET", "/api/v1/tools/no-such-tool", 404), [e[:3] for e in examples])
        self.assertIn("HEAD", {e[0] for e in examples})

    def test_every_curl_example_answers_as_the_guide_says(self):
        for method, path, status, line in curl_examples(GUIDE.read_text()):
            with self.subTest(line=line):
                self.assertTrue(path.startswith("/api/v1/"), path)
                response = self.client.generic(method, path)
                self.assertEqual(response.status_code, status, response.content[:300])
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                if method == "GET":
                    body = response.json()
                    if status == 200 and "results" in body:
                        self.assertTrue(body["results"], f"{path} finds nothing")
                    if status != 200:
                        self.assertTrue(body["detail"])

    def test_the_docs_page_runs_under_the_portals_csp(self):
        response = self.client.get(reverse("api-v1:openapi-view"))
        self.assertEqual(response.status_code, 200)
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertNotIn("unsafe", policy)
        html = response.content.decode()
        # No script runs inline (the settings are a JSON data block) and nothing comes from
        # elsewhere.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
        for attributes, body in scripts:
            if 'type="application/json"' not in attributes:  # a data block, never run
                self.assertIn('src="/static/', attributes)
                self.assertEqual(body.strip(), "")
        self.assertNotRegex(html, r'(src|href)="(https?:)?//')
        assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
        self.assertGreaterEqual(len(assets), 4)
        for asset in assets:  # ours to serve (ninja's static files, static/api/)
            with self.subTest(asset=asset):
                self.assertIsNotNone(finders.find(asset))
