"""Participants in the search index: found by their UN name, their codes and the names they go
by, accents and apostrophes as typed or not, on the search page and in the countries list."""

import datetime

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from countries.models import Group, Membership, Participant
from tests.helpers import facet_counts, indexed, search_page

LIST_URL = reverse("countries:participant_list")


def country_url(code):
    return reverse("countries:participant_detail", args=[code])


class ParticipantSearch(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            call_command("load_participants", verbosity=0)  # the 193 UN Member States, the EU

    def found(self, q):
        return search_page(q).urls("country")

    def test_found_by_name_and_by_code_in_any_case(self):
        for q in ("Nigeria", "nigeria", "nga", "NGA", "Federal Republic of Nigeria"):
            with self.subTest(q=q):
                self.assertEqual(self.found(q)[0], country_url("nga"))

    def test_found_with_or_without_accents_and_either_apostrophe(self):
        for q in ("Côte d’Ivoire", "Côte d'Ivoire", "Cote d'Ivoire", "cote d ivoire", "CIV"):
            with self.subTest(q=q):
                self.assertEqual(self.found(q)[0], country_url("civ"))

    def test_found_by_the_names_it_went_by(self):
        self.assertEqual(self.found("Swaziland")[0], country_url("swz"))
        self.assertEqual(self.found("South Korea")[0], country_url("kor"))

    def test_the_search_page_groups_them_as_countries(self):
        answer = search_page("Nigeria")
        group = next(g for g in answer.context["groups"] if g.type.kind == "country")
        self.assertEqual(group.type.label, "Countries")
        self.assertEqual(group.hits[0].title, "<mark>Nigeria</mark>")
        self.assertIn("Africa · Western Africa", group.hits[0].context)
        self.assertEqual(search_page("Nigeria", type="country").total, 1)

    def test_the_countries_list_searches_the_same_index_with_its_facets(self):
        response = self.client.get(LIST_URL, {"q": "Côte d'Ivoire"})
        self.assertEqual([p.code for p, _ in response.context["rows"]], ["civ"])
        response = self.client.get(LIST_URL, {"q": "republic"})
        regions = facet_counts(response, "region")
        self.assertEqual(sum(regions.values()), response.context["page"].paginator.count)
        response = self.client.get(LIST_URL, {"q": "republic", "region": "africa"})
        self.assertEqual(response.context["page"].paginator.count, regions["africa"])
        self.assertTrue(all(p.region == "africa" for p, _ in response.context["rows"]))
        response = self.client.get(LIST_URL, {"q": "-republic"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get(LIST_URL, {"q": "!!!"}).status_code, 200)

    def test_a_new_membership_reaches_the_group_facet(self):
        group = Group.objects.create(
            slug="ecowas", name="ECOWAS", short_name="ECOWAS", kind="organization", source_label="E"
        )
        with indexed():
            Membership.objects.create(
                group=group,
                participant=Participant.objects.get(code="nga"),
                source_url="https://example.org/ecowas",
                as_at=datetime.date(2024, 1, 1),
            )
        response = self.client.get(LIST_URL, {"q": "nigeria", "group": "ecowas"})
        self.assertEqual([p.code for p, _ in response.context["rows"]], ["nga"])
        self.assertEqual(facet_counts(response, "group"), {"ecowas": 1})
