"""Audiences are a small hierarchy: a tool written for a broader group (criminal justice
practitioners) is found by the filter of a group it includes (prosecutors), on the real fixtures,
whether the list is searched by words (the index) or not (the ORM), and the page says how the
filter reads."""

from django.urls import reverse

from resources.models import Audience, Tool
from tests.factories import make_audience, make_tool
from tests.helpers import FixtureTestCase, facet_counts, indexed, listed

TOOLS_URL = reverse("resources:tool_list")


class AudienceFilter(FixtureTestCase):
    def test_prosecutors_find_the_request_writer_and_the_directory(self):
        for params in ({"audience": "prosecutors"}, {"audience": "prosecutors", "q": "request"}):
            with self.subTest(**params):
                found = listed(self.client.get(TOOLS_URL, params))
                self.assertIn("mla-request-writer", found)
                if "q" not in params:
                    self.assertIn("cna-directory", found)

    def test_what_the_filter_finds_is_its_own_audience_and_the_broader_ones(self):
        prosecutors = Audience.objects.get(slug="prosecutors")
        broader = list(prosecutors.broader.all())
        self.assertIn("criminal-justice-practitioners", [a.slug for a in broader])
        expected = (
            Tool.objects.published()
            .filter(audiences__in=[prosecutors, *broader])
            .distinct()
            .count()
        )
        response = self.client.get(TOOLS_URL, {"audience": "prosecutors"})
        self.assertEqual(response.context["page"].paginator.count, expected)
        everything = self.client.get(TOOLS_URL)
        self.assertEqual(facet_counts(everything, "audience")["prosecutors"], expected)

    def test_the_page_says_how_the_filter_reads(self):
        response = self.client.get(TOOLS_URL)
        self.assertContains(response, "A tool written for a broader group counts for those it")

    def test_a_new_link_between_audiences_reaches_the_index(self):
        with indexed():
            narrow = make_audience("narrow-group", name="Narrow group")
            make_tool("broad-tool", title="Quillwort handbook", audiences=[])
            broad = make_audience("broad-group", name="Broad group")
            Tool.objects.get(slug="broad-tool").audiences.add(broad)
        self.assertNotIn(
            "broad-tool", listed(self.client.get(TOOLS_URL, {"audience": "narrow-group"}))
        )
        with indexed():
            broad.narrower.add(narrow)
        for params in (
            {"audience": "narrow-group"},
            {"audience": "narrow-group", "q": "quillwort"},
        ):
            with self.subTest(**params):
                self.assertIn("broad-tool", listed(self.client.get(TOOLS_URL, params)))
