"""The countries list's export: the same participants, in the same order, as the list's pages,
with the standings the page shows."""

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import FixtureTestCase, load_participation, notices

LIST = reverse("countries:participant_list")


def content(response):
    return b"".join(response.streaming_content).decode()


class CountriesExport(FixtureTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_participation()

    def all_pages(self, params):
        codes, page = [], 1
        while True:
            response = self.client.get(LIST, {**params, "page": page})
            self.assertEqual(response.status_code, 200)
            codes += [participant.code for participant in response.context["page"].object_list]
            if not response.context["page"].has_next():
                return codes, response
            page += 1

    def test_the_same_participants_in_the_same_order_as_the_page(self):
        for params in ({}, {"region": "europe"}, {"q": "nigeria"}, {"region": "nowhere"}):
            with self.subTest(params=params):
                expected, page = self.all_pages(params)
                url = reverse("countries:participant_export", args=["csv"])
                rows = list(csv.reader(io.StringIO(content(self.client.get(url, params))[1:])))
                self.assertEqual([row[0] for row in rows[1:]], expected)
                url = reverse("countries:participant_export", args=["json"])
                data = json.loads(content(self.client.get(url, params)))
                self.assertEqual([row["code"] for row in data["results"]], expected)
                self.assertEqual(data["notices"], notices(page))
        self.assertGreater(len(self.all_pages({})[0]), 150)

    def test_a_row_gives_the_standings_the_page_shows(self):
        url = reverse("countries:participant_export", args=["json"])
        nigeria = json.loads(content(self.client.get(url, {"q": "nigeria"})))["results"][0]
        html = self.client.get(LIST, {"q": "nigeria"}).text
        self.assertEqual(nigeria["name"], "Nigeria")
        self.assertEqual(nigeria["page"], "http://testserver/countries/nga/")
        for key in ("untoc", "tip_protocol"):
            self.assertIn(f">{nigeria[key]}</td>", html)
        self.assertEqual(nigeria["untoc"], "Party")
        self.assertTrue(nigeria["untoc_act"])

    def test_queries_do_not_grow_with_the_number_of_participants(self):
        url = reverse("countries:participant_export", args=["csv"])
        counts = []
        for params in ({}, {"region": "europe"}):  # 190 or so, then 45 or so
            with CaptureQueriesContext(connection) as queries:
                content(self.client.get(url, params))
            counts.append(len(queries))
        # The validators, the count, the ids in order, then for the batch: the participants,
        # and what their standings read (countries.status.standings).
        self.assertEqual(counts, [3 + 4, 3 + 4])
