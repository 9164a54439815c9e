"""The addresses the API gives: a record's page on the portal is its ``get_absolute_url()``,
though api/links.py reverses it once per model and request (with a stand-in key) rather than
once per record; which holds only while a model's page address takes nothing but its key."""

from django.apps import apps
from django.test import RequestFactory

from api import links
from tests.helpers import FixtureTestCase, load_fixtures, load_participation


class PageAddresses(FixtureTestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()

    def test_a_records_page_is_its_absolute_url_for_every_model_addressed_by_its_key(self):
        request = RequestFactory().get("/api/v1/tools")
        for label in links.KEYS:
            records = list(apps.get_model(label).objects.all())
            with self.subTest(model=label):
                self.assertGreater(len(records), 1)
                for record in records:
                    self.assertEqual(
                        links.html_url(request, record),
                        "http://testserver" + record.get_absolute_url(),
                    )
