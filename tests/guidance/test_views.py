"""The guidance page: a challenge, consideration or measure of the background paper, with its
forms of cooperation and the passages it comes from."""

from django.test import TestCase

from guidance.models import Guidance
from instruments.models import Mechanism
from tests.factories import build_many, make_guidance, make_mechanism, make_paper
from tests.helpers import assert_max_num_queries


class GuidancePage(TestCase):
    def test_guidance_page(self):
        paper = make_paper()
        mechanism = make_mechanism("mutual-legal-assistance", name="Mutual legal assistance")
        make_guidance(
            "nominate-central-authority",
            kind="measure",
            title="Nominate a central authority",
            text="States may **nominate** a central authority.",
            mechanisms=[mechanism],
            sources=[paper["paras"][2]],
        )

        response = self.client.get("/guidance/nominate-central-authority/")

        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("<h1>Nominate a central authority</h1>", content)
        self.assertIn("Measure", content)
        self.assertIn("<strong>nominate</strong>", content)
        self.assertIn('href="/cooperation/mutual-legal-assistance/"', content)
        sources = content[content.index('id="sources-heading"') :]
        self.assertIn('href="/source/#para-3"', sources)
        self.assertIn("Paragraph text number 3.", sources)
        self.assertIn('aria-label="Breadcrumb"', content)
        self.assertIn('aria-current="page"', content)

    def test_guidance_page_query_count(self):
        paper = make_paper(paragraphs=10)
        build_many(5, paper)
        guidance = Guidance.objects.get(slug="guidance-0")
        guidance.sources.add(*paper["paras"])
        guidance.mechanisms.add(*Mechanism.objects.all())
        with assert_max_num_queries(self, 4):  # with the validators (editorial/conditional.py)
            self.assertEqual(self.client.get("/guidance/guidance-0/").status_code, 200)
