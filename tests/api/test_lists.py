"""The API's lists answer what the portal's lists answer: the same records in the same order for
the same filters and words, on the real fixtures (and the participation data), drafts left out.
"""

from urllib.parse import urlencode

from django.urls import reverse

from api.v1 import LISTS
from countries.models import Participant
from instruments.models import Mechanism
from tests.factories import make_instrument, make_tool
from tests.helpers import FixtureTestCase, indexed, load_fixtures, load_participation


def api(name):
    return reverse(f"api-v1:{name}")


class SameAsThePortalsLists(FixtureTestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()
        extradition = Mechanism.objects.get(slug="extradition")
        with indexed():
            # Drafts that every filter below would otherwise find.
            make_tool(
                slug="draft-extradition-manual",
                title="Draft manual on extradition and trafficking",
                kind="manual",
                mechanisms=[extradition],
                status="draft",
            )
            make_instrument(
                slug="draft-extradition-convention",
                title="Draft convention on extradition against trafficking",
                provides=[extradition],
                status="draft",
            )

    def same_records(self, page_name, list_name, query, key="slug"):
        """The slugs (or codes) the portal's list shows, its count, and the API's, for ``query``."""
        suffix = "?" + urlencode(query, doseq=True) if query else ""
        page = self.client.get(reverse(page_name) + suffix)
        self.assertEqual(page.status_code, 200, suffix)
        answer = self.client.get(api(list_name) + suffix)
        self.assertEqual(answer.status_code, 200, answer.content)
        shown = page.context["page"]
        data = answer.json()
        records = [getattr(record, key) for record in shown.object_list]
        self.assertEqual([result[key] for result in data["results"]], records, suffix)
        self.assertEqual(data["count"], shown.paginator.count, suffix)
        return records

    def test_tools(self):
        queries = [
            {},
            {"kind": "manual", "mechanism": "extradition"},
            {"mechanism": ["extradition", "mutual-legal-assistance"]},
            {"audience": "prosecutors"},
            {"publisher": "unodc", "kind": "model-law"},
            {"instrument": "untoc"},
            {"q": "model law"},
            {"q": "trafficking", "publisher": "unodc"},
            {"q": "extradition -manual"},
            {"q": '"mutual legal assistance"'},
        ]
        for query in queries:
            with self.subTest(query=query):
                found = self.same_records("resources:tool_list", "list_tools", query)
                self.assertNotIn("draft-extradition-manual", found)
                if query:
                    self.assertTrue(found, "a filter set that finds nothing proves little")

    def test_instruments(self):
        queries = [
            {},
            {"mechanism": "extradition"},
            {"mechanism": ["extradition", "mutual-legal-assistance"], "binding": "yes"},
            {"scope": "regional"},
            {"region": "South Asia"},
            {"kind": "convention", "binding": "yes"},
            {"category": "law-enforcement-cooperation"},
            {"organization": "un-general-assembly"},
            {"q": "trafficking"},
            {"q": "convention", "scope": "global"},
        ]
        for query in queries:
            with self.subTest(query=query):
                found = self.same_records("instruments:instrument_list", "list_instruments", query)
                self.assertNotIn("draft-extradition-convention", found)
                self.assertTrue(found)

    def test_participants(self):
        queries = [
            {},
            {"page": "2"},
            {"page": "4"},
            {"region": "africa"},
            {"group": "eu"},
            {"region": "europe", "group": "osce"},
            {"q": "guinea"},
            {"q": "turkey"},  # an alias: Türkiye
        ]
        for query in queries:
            with self.subTest(query=query):
                found = self.same_records(
                    "countries:participant_list", "list_participants", query, key="code"
                )
                self.assertTrue(found)

    def test_paging_walks_every_record_once_in_order(self):
        url, seen = api("list_participants") + "?page_size=37&region=asia", []
        while url:
            data = self.client.get(url).json()
            seen += [result["code"] for result in data["results"]]
            url = data["next"]
            if url:
                self.assertTrue(url.startswith("http://testserver/api/v1/participants?"))
        expected = list(Participant.objects.filter(region="asia").values_list("code", flat=True))
        self.assertEqual(seen, expected)
        self.assertGreater(len(seen), 37)

    def test_an_instruments_parties_are_those_of_its_pages_table(self):
        for slug in ("tip-protocol", "untoc", "eu-directive-2011-36"):
            with self.subTest(instrument=slug):
                page = self.client.get(reverse("instruments:instrument_detail", args=[slug]))
                table = [(s.participant.code, s.state) for s in page.context["rows"]]
                answer = self.client.get(reverse("api-v1:get_instrument", args=[slug])).json()
                parties = [(p["participant"]["code"], p["state"]) for p in answer["parties"]]
                self.assertEqual(parties, table)
                self.assertGreater(len(parties), 20)

    def test_an_instruments_provisions_are_in_the_order_of_its_page(self):
        # The API reads the provisions of a page of instruments itself (api/records.py), in
        # the order InstrumentQuerySet.for_detail gives the instrument's page.
        for slug in ("untoc", "tip-protocol", "see-police-convention", "saarc-convention"):
            with self.subTest(instrument=slug):
                page = self.client.get(reverse("instruments:instrument_detail", args=[slug]))
                shown = [p.mechanism.slug for p in page.context["instrument"].provisions.all()]
                answer = self.client.get(reverse("api-v1:get_instrument", args=[slug])).json()
                given = [p["mechanism"]["slug"] for p in answer["provisions"]]
                self.assertEqual(given, shown)
                self.assertGreater(len(given), 2)

    def test_a_record_in_a_list_is_the_record_at_its_own_address(self):
        for name in LISTS:
            if name == "participation":  # observations have no address of their own
                continue
            results = self.client.get(api(f"list_{name}") + "?page_size=100").json()["results"]
            with self.subTest(list=name):
                self.assertTrue(results)
                for result in results[:25]:
                    record = self.client.get(result["url"]).json()
                    # A record's own address adds what only it gives (an instrument's parties,
                    # a participant's observations and declarations).
                    self.assertEqual({key: record[key] for key in result}, result)
