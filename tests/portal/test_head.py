"""Every public address answers HEAD as it answers GET, without a body: monitors and link
checkers (check_links among them) use HEAD. The review found 405 on / and /source/."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from countries.models import Participant
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization
from paper.models import CitedDocument
from resources.models import Tool
from tests.helpers import FixtureTestCase

# Addresses that are not pages to fetch: the admin, and its Markdown preview (POST, staff). The
# API's are walked the same way by tests/api/test_errors.py (its records take their own slugs).
NOT_PUBLIC = ("admin/", "api/")


def public_patterns(patterns=None, prefix="", namespace=None):
    """(route, URL name) of every public pattern of the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_patterns(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


class HeadLikeGet(FixtureTestCase):
    def examples(self):
        """An address of each pattern, with real records for those that take a slug."""
        first = {
            "portal:document_detail": CitedDocument.objects.first(),
            "instruments:instrument_detail": Instrument.objects.published().first(),
            "instruments:mechanism_detail": Mechanism.objects.first(),
            "instruments:organization_detail": Organization.objects.first(),
            "resources:tool_detail": Tool.objects.published().first(),
            "guidance:guidance_detail": Guidance.objects.first(),
        }
        examples = {name: record.get_absolute_url() for name, record in first.items()}
        nigeria = Participant.objects.create(code="nga", iso3="NGA", name="Nigeria")
        examples["countries:participant_detail"] = nigeria.get_absolute_url()
        tool = first["resources:tool_detail"]
        examples["portal:report_problem"] = reverse(
            "portal:report_problem", args=["tool", tool.slug]
        )
        # Open data (docs/exports.md): the lists' exports and a citation file.
        examples["resources:tool_export"] = reverse("resources:tool_export", args=["csv"])
        examples["instruments:instrument_export"] = "/instruments/export.json?binding=yes"
        examples["portal:search_export"] = "/search/export.csv?q=extradition"
        examples["countries:participant_export"] = "/countries/export.json?region=europe"
        examples["portal:cite"] = reverse("portal:cite", args=["tool", tool.slug, "bib"])
        # The language switcher (portal/languages.py) answers with a redirect to the page.
        examples["site:switch_language"] = "/language/fr/?next=/resources/"
        return examples

    def test_every_public_pattern_answers_head_like_get(self):
        examples = self.examples()
        patterns = list(public_patterns())
        self.assertGreater(len(patterns), 15)
        for route, name in patterns:
            with self.subTest(route=route):
                # A new pattern with parameters fails here until it is given an example.
                url = examples.get(name) or reverse(name)
                got, head = self.client.get(url), self.client.head(url)
                # /favicon.ico and the language switcher redirect
                self.assertIn(got.status_code, (200, 301, 302), url)
                self.assertEqual(head.status_code, got.status_code, url)
                self.assertEqual(head.content, b"")
                for header in ("Content-Type", "Location"):
                    self.assertEqual(head.get(header), got.get(header))

    def test_head_of_a_missing_record_is_404_like_get(self):
        for url in ("/instruments/no-such-instrument/", "/source/documents/nothing/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.head(url).status_code, 404)
