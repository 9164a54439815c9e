"""The tools and instruments lists searched by words: answered by the search index (records,
ranks and facet counts in one statement), they must show exactly what the ORM would.

Each case builds the page's FilterSet twice with the same query string: once as the view does
(searched through the index), once forced down the ORM path (``matching`` plus counts with the
ORM). Both backends run it (CI sets DATABASE_URL for PostgreSQL).
"""

from unittest import mock

from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse

from countries.filters import ParticipantFilterSet
from countries.models import Participant
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument, Mechanism, Organization
from resources.filters import ToolFilterSet
from resources.models import Tool
from tests.factories import (
    make_audience,
    make_instrument,
    make_organization,
    make_part,
    make_tool,
)
from tests.helpers import facet_counts, indexed, listed, load_fixtures, load_participation

TOOLS_URL = reverse("resources:tool_list")
INSTRUMENTS_URL = reverse("instruments:instrument_list")
EVERYTHING = 10_000  # a page size that holds every record


class OrmToolFilterSet(ToolFilterSet):
    searched = None  # never the index: the ORM path, for comparison
    counted_in_index = False  # and, without words, the ORM's counts


class OrmInstrumentFilterSet(InstrumentFilterSet):
    searched = None
    counted_in_index = False


class OrmParticipantFilterSet(ParticipantFilterSet):
    searched = None
    counted_in_index = False


def answers(filterset_class, queryset, query_string):
    """(filterset, ids in the order shown, {facet: {value: count shown}}) of a list for
    ``query_string``. Only the counts a page shows: an unknown value (a draft) never is."""
    filterset = filterset_class(QueryDict(query_string), queryset=queryset)
    page = filterset.page(1, per_page=EVERYTHING)
    ids = [record.pk for record in page.object_list]
    shown = {
        facet.name: {option.value: option.count for option in facet.options if option.count}
        for facet in filterset.facet_list()
    }
    return filterset, ids, shown


class SameAnswersAsTheOrm(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        # A tool that serves a mechanism only through one of its parts.
        with indexed():
            tool = make_tool(
                "parted-handbook",
                title="Trafficking cooperation handbook",
                publisher=Organization.objects.get(slug="unodc"),
                mechanisms=[Mechanism.objects.get(slug="extradition")],
            )
            hot_pursuit = Mechanism.objects.get(slug="hot-pursuit")
            make_part(tool, "pursuit-chapter", mechanisms=[hot_pursuit])

    def assert_same(self, index_class, orm_class, queryset, query_string):
        with self.subTest(query_string):
            searched, ids, shown = answers(index_class, queryset, query_string)
            self.assertIsNotNone(searched.searched, "the index path was not taken")
            orm, orm_ids, orm_shown = answers(orm_class, queryset, query_string)
            self.assertIsNone(orm.searched)
            self.assertEqual(sorted(ids), sorted(orm_ids))
            self.assertEqual(len(ids), len(set(ids)), "a record listed twice")
            self.assertEqual(shown, orm_shown)
            # Best first: the ORM's rank (search_rank) never rises along the index's order.
            ranks = dict(
                queryset.model.objects.matching(searched.data["q"]).values_list("pk", "search_rank")
            )
            along = [ranks[pk] for pk in ids]
            for better, worse in zip(along, along[1:], strict=False):
                self.assertGreaterEqual(better + 1e-6, worse)
            return ids

    def test_tools(self):
        cases = [
            "q=cooperation",
            "q=extradition",
            "q=model+law",
            "q=victim*",
            "q=police+OR+prosecutors",
            'q="mutual+legal+assistance"',
            "q=trafficking+-protocol",
            "q=trafficking&publisher=unodc",
            "q=trafficking&kind=model-law",
            "q=assistance&mechanism=mutual-legal-assistance",
            "q=assistance&mechanism=mutual-legal-assistance&mechanism=extradition",
            "q=trafficking&instrument=untoc",
            "q=trafficking&audience=prosecutors",
            "q=trafficking&publisher=unodc&kind=manual&audience=prosecutors",
            "q=handbook&mechanism=hot-pursuit",
            "q=cooperation&mechanism=hot-pursuit&mechanism=extradition",
        ]
        found_any = 0
        for query_string in cases:
            found_any += bool(
                self.assert_same(
                    ToolFilterSet, OrmToolFilterSet, Tool.objects.for_list(), query_string
                )
            )
        self.assertGreater(found_any, len(cases) // 2, "most cases should find tools")

    def test_instruments(self):
        cases = [
            "q=convention",
            "q=cooperation",
            "q=trafficking",
            "q=extradition",
            "q=trafficking&scope=regional",
            "q=trafficking&binding=yes",
            "q=trafficking&binding=no",
            "q=cooperation&mechanism=extradition",
            "q=cooperation&category=judicial-cooperation",
            "q=trafficking&kind=convention&organization=un-general-assembly",
        ]
        found_any = 0
        for query_string in cases:
            found_any += bool(
                self.assert_same(
                    InstrumentFilterSet,
                    OrmInstrumentFilterSet,
                    Instrument.objects.for_list(),
                    query_string,
                )
            )
        self.assertGreater(found_any, len(cases) // 2, "most cases should find instruments")

    def assert_same_counted(self, index_class, orm_class, queryset, query_string):
        """Without words: the page's records and their order are the ORM's either way; the total
        and every facet's counts, read beside the index, must be the ORM's counts."""
        with self.subTest(query_string):
            counted, ids, shown = answers(index_class, queryset, query_string)
            self.assertTrue(counted.counted, "the counts kept beside the index were not used")
            orm, orm_ids, orm_shown = answers(orm_class, queryset, query_string)
            self.assertFalse(orm.counted)
            self.assertEqual(ids, orm_ids)
            self.assertEqual(len(ids), orm.qs.count())
            self.assertEqual(counted.page(1).paginator.count, orm.qs.count())
            self.assertEqual(shown, orm_shown)
            return ids

    def test_tools_without_words(self):
        cases = [
            "",
            "kind=manual",
            "kind=model-law",
            "publisher=unodc",
            "mechanism=extradition",
            "mechanism=hot-pursuit",  # only through a part of a tool
            "instrument=untoc",
            "audience=prosecutors",  # narrower audiences count for the broader ones' tools
            "mechanism=extradition&mechanism=mutual-legal-assistance",  # two: the engine counts
            "publisher=unodc&kind=manual",
            "publisher=unodc&kind=manual&audience=prosecutors",
            "mechanism=hot-pursuit&mechanism=extradition&kind=handbook",
        ]
        found_any = 0
        for query_string in cases:
            found_any += bool(
                self.assert_same_counted(
                    ToolFilterSet, OrmToolFilterSet, Tool.objects.for_list(), query_string
                )
            )
            # Read in order, each record checked (EXISTS), as a list that finds many is.
            with mock.patch("search.facets.DENSE", 1):
                self.assert_same_counted(
                    ToolFilterSet, OrmToolFilterSet, Tool.objects.for_list(), query_string
                )
        self.assertGreater(found_any, len(cases) // 2, "most cases should find tools")

    def test_instruments_without_words(self):
        cases = [
            "",
            "scope=regional",
            "binding=no",
            "mechanism=extradition",
            "category=judicial-cooperation",
            "organization=un-general-assembly",
            "region=Europe",
            "mechanism=extradition&binding=yes",
            "kind=convention&scope=universal&mechanism=mutual-legal-assistance",
        ]
        found_any = 0
        for query_string in cases:
            found_any += bool(
                self.assert_same_counted(
                    InstrumentFilterSet,
                    OrmInstrumentFilterSet,
                    Instrument.objects.for_list(),
                    query_string,
                )
            )
        self.assertGreater(found_any, len(cases) // 2, "most cases should find instruments")

    def test_participants_without_words(self):
        load_participation()
        cases = ["", "region=africa", "group=eu", "region=europe&group=eu", "region=asia"]
        for query_string in cases:
            ids = self.assert_same_counted(
                ParticipantFilterSet,
                OrmParticipantFilterSet,
                Participant.objects.all(),
                query_string,
            )
            self.assertTrue(ids or "group" in query_string, query_string)

    def test_page_shows_the_index_counts(self):
        response = self.client.get(TOOLS_URL, {"q": "trafficking", "publisher": "unodc"})
        filterset = OrmToolFilterSet(
            QueryDict("q=trafficking&publisher=unodc"), queryset=Tool.objects.for_list()
        )
        self.assertEqual(response.context["page"].paginator.count, filterset.qs.count())
        self.assertEqual(facet_counts(response, "kind"), facet_counts_of(filterset, "kind"))


def facet_counts_of(filterset, name):
    facet = next(f for f in filterset.facet_list() if f.name == name)
    return {option.value: option.count for option in facet.options}


class IndexFollowsTheLinks(TestCase):
    """The facet values live in the index: they follow link changes, and survive renames."""

    def setUp(self):
        with indexed():
            self.unodc = make_organization("unodc-test", name="UNODC test")
            self.convention = make_instrument("convention-test", short_title="Convention test")
            self.ngos = make_audience("ngos-test", name="NGOs")
            self.tool = make_tool(
                "platypus-manual",
                title="Platypus manual",
                publisher=self.unodc,
                audiences=[self.ngos],
            )

    def slugs(self, **params):
        return listed(self.client.get(TOOLS_URL, {"q": "platypus", **params}))

    def test_links_added_and_removed(self):
        self.assertEqual(self.slugs(instrument="convention-test"), [])
        with indexed():
            self.tool.instruments.add(self.convention)
        self.assertEqual(self.slugs(instrument="convention-test"), ["platypus-manual"])
        response = self.client.get(TOOLS_URL, {"q": "platypus"})
        self.assertEqual(facet_counts(response, "instrument"), {"convention-test": 1})
        with indexed():
            self.convention.tools.remove(self.tool)  # from the other side
        self.assertEqual(self.slugs(instrument="convention-test"), [])
        with indexed():
            self.tool.audiences.clear()
        self.assertEqual(self.slugs(audience="ngos-test"), [])

    def test_a_renamed_slug_still_filters(self):
        Organization.objects.filter(pk=self.unodc.pk).update(slug="unodc-renamed")  # no signal
        self.assertEqual(self.slugs(publisher="unodc-renamed"), ["platypus-manual"])
        # The old slug is unknown now: the filter is dropped, with a notice.
        response = self.client.get(TOOLS_URL, {"q": "platypus", "publisher": "unodc-test"})
        self.assertContains(response, "is not a known choice")
        self.assertEqual(facet_counts(response, "publisher"), {"unodc-renamed": 1})

    def test_a_draft_instrument_is_never_a_facet(self):
        with indexed():
            self.tool.instruments.add(self.convention)
        Instrument.objects.filter(pk=self.convention.pk).update(status="draft")
        response = self.client.get(TOOLS_URL, {"q": "platypus"})
        self.assertEqual(listed(response), ["platypus-manual"])
        self.assertEqual(facet_counts(response, "instrument"), {})

    def test_kind_changed_in_the_admin_way(self):
        self.tool.kind = Tool.Kind.MODEL_LAW
        with indexed():
            self.tool.save()
        self.assertEqual(self.slugs(kind="model-law"), ["platypus-manual"])
        self.assertEqual(self.slugs(kind="manual"), [])


class ListCorrections(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()

    def test_a_misspelt_list_search_offers_the_corrected_one(self):
        response = self.client.get(TOOLS_URL, {"q": "extradtion", "publisher": "unodc"})
        self.assertEqual(listed(response), [])
        self.assertContains(
            response,
            'Did you mean <a href="/resources/?q=extradition&amp;publisher=unodc">extradition</a>?',
            html=False,
        )
        followed = self.client.get(TOOLS_URL, {"q": "extradition", "publisher": "unodc"})
        self.assertTrue(listed(followed))
        response = self.client.get(INSTRUMENTS_URL, {"q": "extradtion"})
        self.assertContains(response, 'href="/instruments/?q=extradition"')

    def test_no_correction_when_it_would_find_nothing_either(self):
        # "Interpool" is spelled like "Interpol": a correction for the tools...
        response = self.client.get(TOOLS_URL, {"q": "Interpool"})
        self.assertContains(response, "Did you mean")
        # ...but no directory matches "interpol": no link to an empty list.
        self.assertFalse(Tool.objects.matching("interpol").filter(kind="directory").exists())
        response = self.client.get(TOOLS_URL, {"q": "Interpool", "kind": "directory"})
        self.assertEqual(listed(response), [])
        self.assertNotContains(response, "Did you mean")
        self.assertContains(response, "Check the spelling")
        response = self.client.get(TOOLS_URL, {"q": "zzzzqqq"})
        self.assertNotContains(response, "Did you mean")


class HugePageNumbers(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()

    def test_a_page_past_any_offset_gives_the_last_page(self):
        huge = "1" + "0" * 30  # past what an SQL offset can hold
        cases = [
            (TOOLS_URL, {"q": "trafficking"}),
            (TOOLS_URL, {}),
            (INSTRUMENTS_URL, {"q": "convention"}),
            (reverse("portal:search"), {"q": "trafficking", "type": "paragraph"}),
        ]
        for url, params in cases:
            with self.subTest(url=url, params=params):
                response = self.client.get(url, {**params, "page": huge})
                self.assertEqual(response.status_code, 200)
                page = response.context["page"]
                self.assertEqual(page.number, page.paginator.num_pages)
                self.assertTrue(page.object_list)
