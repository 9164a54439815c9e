"""What a record looks like in the API: its slug, its page and API addresses (absolute), the
passages it comes from (their anchors on /source/), when it last changed, its relations by slug
and address; and that drafts appear nowhere, not even as a relation."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from editorial.history import history_paused, record_version
from tests.factories import build_records, make_tool
from tests.helpers import indexed

ORIGIN = "http://testserver"


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


class Records(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.records = build_records()
            # A published tool that names the draft instrument among its instruments.
            cls.other = make_tool(
                slug="guide",
                publisher=cls.records["organization"],
                instruments=[cls.records["instrument"], cls.records["draft_instrument"]],
            )
            cls.records["draft_instrument"].supplements = cls.records["instrument"]
            cls.records["draft_instrument"].save()
            cls.records["instrument"].supplements = cls.records["draft_instrument"]
            cls.records["instrument"].save()

    def get(self, name, *args):
        response = self.client.get(api(name, *args))
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.json()

    def test_a_tool_as_the_api_gives_it(self):
        tool = self.get("get_tool", "model-law")
        self.assertEqual(tool["slug"], "model-law")
        self.assertEqual(tool["url"], ORIGIN + "/api/v1/tools/model-law")
        self.assertEqual(
            tool["html_url"], ORIGIN + reverse("resources:tool_detail", args=["model-law"])
        )
        self.assertEqual(
            tool["sources"],
            [
                {
                    "slug": "annex-1",
                    "citation": "annex entry 1",
                    "url": ORIGIN + "/api/v1/passages/annex-1",
                    "html_url": ORIGIN + "/source/#annex-1",
                }
            ],
        )
        self.assertEqual(
            tool["publisher"],
            {
                "slug": "unodc",
                "name": "UNODC",
                "url": ORIGIN + "/api/v1/organizations/unodc",
                "html_url": ORIGIN + "/organizations/unodc/",
            },
        )
        self.assertEqual([m["slug"] for m in tool["mechanisms"]], ["extradition"])
        self.assertEqual([i["slug"] for i in tool["instruments"]], ["untoc"])
        self.assertEqual(
            tool["audiences"][0]["html_url"], ORIGIN + "/resources/?audience=prosecutors"
        )
        self.assertIsNone(tool["audiences"][0]["url"])
        part = tool["parts"][0]
        self.assertEqual(part["slug"], "chapter-6")
        self.assertEqual(part["html_url"], ORIGIN + "/resources/model-law/#part-chapter-6")
        self.assertEqual(part["sources"][0]["html_url"], ORIGIN + "/source/#annex-1")

    def test_every_passage_cited_is_linked_to_its_place_in_the_paper(self):
        mechanism = self.get("get_mechanism", "extradition")
        self.assertEqual(
            [source["html_url"] for source in mechanism["sources"]],
            [ORIGIN + "/source/#para-7", ORIGIN + "/source/#fn-6"],
        )
        footnote = self.get("get_passage", "fn-6")
        self.assertEqual(footnote["cited_in"]["slug"], "para-7")
        self.assertEqual(footnote["text"], "Available at eur-lex.")
        paragraph = self.get("get_passage", "para-7")
        self.assertEqual([f["slug"] for f in paragraph["footnotes"]], ["fn-6"])
        self.assertEqual(paragraph["section"]["slug"], "ii-instruments")

    def test_an_instrument_with_its_provisions(self):
        untoc = self.get("get_instrument", "untoc")
        self.assertEqual(untoc["force"], "binding-other-offences")
        provision = untoc["provisions"][0]
        self.assertEqual(provision["article"], "art. 16")
        self.assertEqual(provision["mechanism"]["slug"], "extradition")
        self.assertEqual(
            provision["html_url"], ORIGIN + "/instruments/untoc/#provision-extradition"
        )
        self.assertEqual(provision["sources"][0]["slug"], "para-7")
        self.assertEqual([d["slug"] for d in untoc["documents"]], ["a-res-64-293"])
        mechanism = self.get("get_mechanism", "extradition")
        self.assertEqual(
            [(p["instrument"]["slug"], p["article"]) for p in mechanism["provisions"]],
            [("untoc", "art. 16")],
        )
        self.assertEqual([t["slug"] for t in mechanism["tools"]], ["model-law"])

    def test_drafts_appear_nowhere(self):
        everything = []
        for name in (
            "list_instruments",
            "list_tools",
            "list_mechanisms",
            "list_organizations",
            "list_documents",
            "list_participation",
            "list_participants",
        ):
            everything.append(self.client.get(api(name) + "?page_size=100").content.decode())
        everything.append(self.client.get(api("get_tool", "guide")).content.decode())
        everything.append(self.client.get(api("get_instrument", "untoc")).content.decode())
        everything.append(self.client.get(api("get_organization", "unodc")).content.decode())
        for text in everything:
            self.assertNotIn("draft-plan", text)
            self.assertNotIn("unfinished-manual", text)
        guide = self.get("get_tool", "guide")
        self.assertEqual([i["slug"] for i in guide["instruments"]], ["untoc"])
        self.assertIsNone(self.get("get_instrument", "untoc")["supplements"])
        self.assertEqual(self.get("list_instruments")["count"], 1)

    def test_last_modified_is_the_newest_version_else_the_day_it_was_updated(self):
        tool, part = self.records["tool"], self.records["part"]
        with history_paused():
            tool.updated_on = datetime.date(2026, 3, 1)
            tool.save(update_fields=["updated_on"])
        tool.history.all().delete()
        part.history.all().delete()
        self.assertEqual(self.get("get_tool", "model-law")["last_modified"], "2026-03-01T00:00:00Z")
        record_version(tool)
        version = tool.history.latest().history_date
        answer = self.get("get_tool", "model-law")["last_modified"]
        self.assertEqual(
            parse_datetime(answer), version.replace(microsecond=version.microsecond // 1000 * 1000)
        )
        # A change to one of its parts is a change to the tool (its page shows them).
        part.title = "Extradition"
        part.save()
        newer = parse_datetime(self.get("get_tool", "model-law")["last_modified"])
        self.assertGreater(newer, parse_datetime(answer))
        response = self.client.get(api("get_tool", "model-law"))
        self.assertTrue(response["Last-Modified"].endswith("GMT"))

    def test_a_participant_with_its_standings_and_observations(self):
        nigeria = self.get("get_participant", "nga")
        self.assertEqual(nigeria["html_url"], ORIGIN + "/countries/nga/")
        standing = nigeria["standings"][0]
        self.assertEqual(standing["instrument"]["slug"], "untoc")
        self.assertEqual(
            {key: standing[key] for key in ("state", "act", "date", "as_at", "source_url")},
            {
                "state": "party",
                "act": "ratification",
                "date": "2001-06-28",
                "as_at": "2014-01-27",
                "source_url": "https://example.org/untoc-status",
            },
        )
        # The draft it is bound by (as a member of a group) is not shown.
        self.assertEqual([s["instrument"]["slug"] for s in nigeria["standings"]], ["untoc"])
        self.assertEqual(nigeria["memberships"][0]["group"]["slug"], "ecowas")
        self.assertEqual(nigeria["declarations"][0]["article"], "art. 16(5)")
        self.assertEqual([e["kind"] for e in nigeria["events"]], ["ratification"])
        self.assertEqual(self.get("get_participant", "NGA")["code"], "nga")
        parties = self.get("get_instrument", "untoc")["parties"]
        self.assertEqual(
            [(p["participant"]["code"], p["state"]) for p in parties], [("nga", "party")]
        )
        events = self.get("list_participation")
        self.assertEqual(events["count"], 1)
        self.assertEqual(events["results"][0]["participant"]["code"], "nga")
        filtered = self.client.get(api("list_participation") + "?instrument=untoc&participant=nga")
        self.assertEqual(filtered.json()["count"], 1)
        refused = self.client.get(api("list_participation") + "?instrument=draft-plan")
        self.assertEqual(refused.json()["parameters"], ["instrument"])

    def test_the_index_names_every_list(self):
        index = self.get("index")
        self.assertEqual(index["openapi"], ORIGIN + "/api/v1/openapi.json")
        self.assertEqual(index["docs"], ORIGIN + "/api/v1/docs")
        for name, url in index["lists"].items():
            with self.subTest(name=name):
                self.assertEqual(self.client.get(url).status_code, 200)
