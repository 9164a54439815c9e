"""The countries pages and the party table on instrument pages: on the real data (what they
say of Nigeria, the Republic of Korea, Denmark and Germany, and that no page says "not a party"),
their filters, sorting and bad input, and the number of queries they need."""

import datetime
import re

from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import (
    BindingRule,
    Declaration,
    Group,
    Membership,
    Participant,
    ParticipationEvent,
    Region,
)
from instruments import panels
from tests.factories import make_category, make_instrument, make_mechanism
from tests.helpers import facet_counts, indexed, load_fixtures, load_participation, notices

LIST_URL = reverse("countries:participant_list")
QUOTE = "The Directive applies to all Member States except for Denmark."


def country_url(code):
    return reverse("countries:participant_detail", args=[code])


def instrument_url(slug):
    return reverse("instruments:instrument_detail", args=[slug])


def row_of(response, name):
    """The text of the table row headed by ``name`` (tags stripped, spaces collapsed)."""
    rows = re.findall(r"<tr>(.*?)</tr>", response.text, re.DOTALL)
    row = next(row for row in rows if re.search(rf">{re.escape(name)}</a>", row))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def party_rows(response):
    """The participants of an instrument page's party table, in the table's order."""
    table = response.text.split('id="parties"', 1)[1]
    return re.findall(r'<th scope="row"><a href="/countries/[a-z]+/">([^<]+)</a>', table)


class RealData(TestCase):
    """The paper's records and the shared participation data, as `make fixtures` loads them."""

    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()


class CountryList(RealData):
    def test_every_participant_is_listed_fifty_a_page(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(response.context["page"].paginator.count, 197)
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertContains(response, "197 countries")
        self.assertContains(response, f'href="{LIST_URL}?page=4"')

    def test_region_and_group_filters_with_their_counts(self):
        regions = facet_counts(self.client.get(LIST_URL), "region")
        self.assertEqual(regions["africa"], 54)
        self.assertEqual(sum(regions.values()), 197)
        response = self.client.get(LIST_URL, {"region": "africa"})
        self.assertEqual(response.context["page"].paginator.count, 54)
        self.assertTrue(all(p.region == "africa" for p, _ in response.context["rows"]))
        response = self.client.get(LIST_URL, {"group": "eu"})
        self.assertEqual(response.context["page"].paginator.count, 27)
        self.assertEqual(facet_counts(response, "group")["eu"], 27)
        self.assertEqual(facet_counts(response, "region"), {"europe": 26, "asia": 1})  # Cyprus
        response = self.client.get(LIST_URL, {"group": "eu", "region": "africa"})
        self.assertContains(response, "No country matches all of these filters.")

    def test_each_row_gives_the_standing_under_both_un_instruments(self):
        response = self.client.get(LIST_URL, {"page": "3"})  # Nigeria, Pakistan, Korea...
        self.assertEqual(row_of(response, "Nigeria"), "Nigeria Africa Party Party")
        self.assertEqual(row_of(response, "Pakistan"), "Pakistan Asia Party No record here")
        self.assertEqual(
            row_of(response, "Republic of Korea"),
            "Republic of Korea Asia Signatory only Signatory only",
        )
        self.assertContains(response, "about 10 to 12 States that became parties since 2014")

    def test_unknown_filter_values_and_bad_pages_show_a_notice_not_an_error(self):
        response = self.client.get(LIST_URL, {"region": "atlantis", "group": "nato"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(notices(response)), 2)
        self.assertIn("“atlantis” is not a known choice for “Region”", notices(response)[0])
        self.assertEqual(response.context["page"].paginator.count, 197)
        for page in ("abc", "-1", "0", "999999", "1e9", "2" * 40):
            with self.subTest(page=page):
                self.assertEqual(self.client.get(LIST_URL, {"page": page}).status_code, 200)
        self.assertEqual(self.client.get(LIST_URL, {"page": "999"}).context["page"].number, 4)


class CountryPage(RealData):
    def test_nigeria_is_a_party_to_both_un_instruments_with_dates_and_sources(self):
        response = self.client.get(country_url("nga"))
        self.assertContains(response, "<h1>Nigeria</h1>", html=True)
        self.assertContains(response, "Federal Republic of Nigeria")  # also known as
        self.assertContains(response, "Africa / Western Africa")
        for title in ("Organized Crime Convention", "Trafficking in Persons Protocol"):
            with self.subTest(title):
                row = row_of(response, title)
                self.assertTrue(row.startswith(f"{title} Party"), row)
                self.assertIn("28 June 2001 Ratification github.com", row)
                self.assertIn("derived from treaties.un.org 27 January 2014", row)
        self.assertContains(response, "https://github.com/zmjones/untreaties/blob/")
        self.assertContains(response, "180 other participants are recorded here as bound by it")
        self.assertContains(response, "169 other participants are recorded here as bound by it")
        self.assertContains(response, f"{reverse('portal:pathfinder')}?from=nga")

    def test_a_signatory_only_state(self):
        response = self.client.get(country_url("kor"))
        row = row_of(response, "Organized Crime Convention")
        self.assertIn("Signatory only 13 December 2000 Signature", row)
        self.assertContains(
            response, "No binding instrument held here is recorded as binding Republic of Korea"
        )

    def test_denmark_is_not_bound_by_the_directive_with_the_rules_words(self):
        response = self.client.get(country_url("dnk"))
        row = row_of(response, "Directive 2011/36/EU")
        self.assertIn(f"Not bound (excluded) Not bound: “{QUOTE}” Source: eur-lex.europa.eu", row)
        self.assertContains(response, "europa.eu/legal-content/EN/TXT/?uri=COM%3A2016%3A722")
        summary = response.text.split('id="available-heading"')[1]
        self.assertNotIn("Directive 2011/36/EU", summary.split('id="groups-heading"')[0])

    def test_germany_is_bound_as_a_member_of_the_eu(self):
        response = self.client.get(country_url("deu"))
        row = row_of(response, "Directive 2011/36/EU")
        self.assertIn("Bound as a member Bound as a member of the EU; source: eur-lex", row)
        self.assertIn("Joined 1 January 1958 Membership of the EU europa.eu", row)
        # Bound with 25 others: the members but Denmark, and no party by an act of its own.
        self.assertContains(response, "25 other participants are recorded here as bound by it")

    def test_guidance_is_never_in_the_binding_table(self):
        response = self.client.get(country_url("nga"))
        table = response.text.split("<tbody>")[1].split("</tbody>")[0]
        self.assertEqual(len(re.findall(r'<th scope="row">', table)), 7)
        for guidance in ("OHCHR Recommended", "Global Plan of Action", "OSCE Action Plan"):
            self.assertNotIn(guidance, table)
            self.assertContains(response, guidance)  # named apart, as guidance
        self.assertContains(response, "Guidance, not a legal basis:")

    def test_no_country_page_says_not_a_party(self):
        codes = list(Participant.objects.values_list("code", flat=True))
        self.assertEqual(len(codes), 197)
        for code in codes:
            with self.subTest(code=code):
                response = self.client.get(country_url(code))
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("not a party", response.text.lower())
                self.assertNotIn("non-party", response.text.lower())
        self.assertContains(response, "“No record here” is no finding.")

    def test_groups_and_declarations(self):
        response = self.client.get(country_url("dnk"))
        self.assertContains(response, "European Union (EU)")
        self.assertContains(response, "1 January 1973")
        self.assertContains(response, "None recorded here.")  # declarations
        Declaration.objects.create(
            participant=Participant.objects.get(code="dnk"),
            instrument_id=ParticipationEvent.objects.filter(participant__code="dnk")
            .values_list("instrument", flat=True)
            .first(),
            kind="declaration",
            article="art. 16(5)",
            text="Denmark takes the Convention as the legal basis for extradition.",
            source_url="https://example.org/depositary",
        )
        response = self.client.get(country_url("dnk"))
        self.assertContains(response, "takes the Convention as the legal basis")
        self.assertContains(response, "art. 16(5)")

    def test_upper_case_codes_redirect_unknown_codes_404_and_head_works(self):
        response = self.client.get("/countries/NGA/")
        self.assertRedirects(response, country_url("nga"), status_code=301)
        self.assertEqual(self.client.get("/countries/XYZ/").status_code, 301)
        self.assertEqual(self.client.get("/countries/xyz/").status_code, 404)
        self.assertEqual(self.client.get("/countries/nigeria/").status_code, 404)
        for url in (LIST_URL, country_url("nga"), country_url("eu")):
            with self.subTest(url=url):
                head = self.client.head(url)
                self.assertEqual(head.status_code, 200)
                self.assertEqual(head.content, b"")
        self.assertEqual(self.client.head("/countries/xyz/").status_code, 404)
        self.assertEqual(self.client.post(LIST_URL).status_code, 405)

    def test_the_sitemap_lists_every_participant(self):
        sitemap = self.client.get(reverse("site:sitemap")).content.decode()
        self.assertIn(f"{LIST_URL}</loc>", sitemap)
        self.assertIn(f"{country_url('nga')}</loc>", sitemap)
        # The list and 197 participants, each in six languages.
        self.assertEqual(sitemap.count("/countries/</loc>"), 6)
        self.assertEqual(len(re.findall(r"/countries/[a-z]{2,3}/</loc>", sitemap)), 197 * 6)


class PartyTable(RealData):
    def test_counts_with_their_date_and_sources_and_the_papers_figure_apart(self):
        response = self.client.get(instrument_url("untoc"))
        self.assertContains(response, "Parties and signatories recorded here")
        self.assertContains(response, "<strong>181 parties and 5 signatories</strong>", html=True)
        self.assertContains(response, "as at 20 February 2023 (source:")
        self.assertContains(response, "Key facts gives 163 parties as of the background paper")
        self.assertEqual(len(party_rows(response)), 186)
        self.assertEqual(party_rows(response)[:2], ["Afghanistan", "Albania"])
        self.assertContains(response, '<th scope="col" aria-sort="ascending">')
        response = self.client.get(instrument_url("tip-protocol"))
        self.assertContains(response, "<strong>170 parties and 6 signatories</strong>", html=True)
        self.assertContains(response, "170 of the 182 parties")

    def test_sorted_by_date_and_filtered_by_region(self):
        response = self.client.get(instrument_url("untoc"), {"sort": "date"})
        rows = party_rows(response)
        # The first signatures, at Palermo on 12 December 2000; undated acts last (Barbados).
        self.assertEqual(rows[-1], "Barbados")
        self.assertIn("sorted by date of the act", response.text)
        self.assertRegex(response.text, r'aria-sort="ascending"><a href="\?sort=date#parties">')
        response = self.client.get(instrument_url("untoc"), {"sort": "date", "region": "africa"})
        rows = party_rows(response)
        self.assertEqual(len(rows), 51)
        self.assertTrue(
            set(rows)
            <= set(Participant.objects.filter(region="africa").values_list("name", flat=True))
        )
        # Links keep the other option and lead back to the table.
        self.assertContains(response, 'href="?sort=name&amp;region=africa#parties"')
        self.assertContains(response, 'href="?sort=date&amp;region=europe#parties"')
        self.assertContains(response, 'href="?sort=date#parties"')  # all regions

    def test_unknown_sort_and_region_are_ignored_with_a_notice(self):
        for params in (
            {"sort": "size"},
            {"region": "atlantis"},
            {"sort": "", "region": "x" * 9000},
        ):
            with self.subTest(params=list(params)):
                response = self.client.get(instrument_url("untoc"), params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(party_rows(response)), 186)
                self.assertEqual(party_rows(response)[0], "Afghanistan")
        response = self.client.get(instrument_url("untoc"), {"sort": "size", "region": "mars"})
        self.assertEqual(
            notices(response),
            [
                "“size” is not a way to sort this table: sorted by name.",
                "“mars” is not a region: every region is shown.",
            ],
        )
        self.assertContains(response, 'href="?sort=date#parties"')  # the bad values are dropped

    def test_the_directive_lists_the_members_bound_and_denmark_excluded(self):
        response = self.client.get(instrument_url("eu-directive-2011-36"))
        self.assertContains(response, "Who is bound, as recorded here")
        self.assertContains(response, QUOTE)
        self.assertContains(response, "<strong>26 members bound</strong>", html=True)
        self.assertContains(
            response, "It binds the members of the European Union (EU), except Denmark"
        )
        rows = party_rows(response)
        self.assertEqual(len(rows), 27)
        self.assertIn("Not bound (excluded)", row_of(response, "Denmark"))
        self.assertIn("Bound as a member", row_of(response, "Germany"))
        # In French, the excluded State by CLDR's French name, in the translated sentence.
        french = self.client.get("/fr" + instrument_url("eu-directive-2011-36")).text
        self.assertRegex(french, r"à l’exception de\s: Danemark\.")  # a no-break space

    def test_instruments_with_no_record_say_so_and_guidance_says_nothing(self):
        response = self.client.get(instrument_url("drugs-convention-1988"))
        self.assertContains(response, "No participation is recorded here for this instrument.")
        response = self.client.get(instrument_url("ohchr-principles"))
        self.assertNotContains(response, 'id="parties"')


class SourcesThatDisagree(TestCase):
    """Two sources giving different dates for one ratification: both shown, flagged."""

    @classmethod
    def setUpTestData(cls):
        cls.untoc = make_instrument("untoc", short_title="Organized Crime Convention")
        cls.state = Participant.objects.create(code="bhu", name="Bhutan", region="asia")
        for day, source in ((20, "https://example.org/unodc"), (21, "https://example.org/mfa")):
            ParticipationEvent.objects.create(
                participant=cls.state,
                instrument=cls.untoc,
                kind="accession",
                date=datetime.date(2023, 2, day),
                date_precision="day",
                source_url=source,
                as_at=datetime.date(2023, 3, day),
                note=f"Source {day}.",
            )

    def test_the_country_page_and_the_party_table_flag_them_and_list_both(self):
        for url in (country_url("bhu"), instrument_url("untoc")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, '<span class="disagree-flag">Sources disagree</span>')
                self.assertContains(response, "Accession, 20 February 2023; source:")
                self.assertContains(response, "Accession, 21 February 2023; source:")
                self.assertContains(response, "as at 21 March 2023")


class QueryBudgets(TestCase):
    """The pages read a fixed number of queries, whether 5 participants are recorded or 60."""

    @classmethod
    def setUpTestData(cls):
        category = make_category("judicial", name="Judicial cooperation")
        extradition = make_mechanism("extradition", category=category, name="Extradition")
        mla = make_mechanism("mla", category=category, name="Mutual legal assistance")
        cls.untoc = make_instrument(
            "untoc", short_title="UNTOC", provides=[(extradition, "art. 16"), (mla, "art. 18")]
        )
        cls.protocol = make_instrument("tip-protocol", short_title="Protocol", provides=[mla])
        cls.directive = make_instrument(
            "directive", short_title="Directive", scope="regional", region="Europe"
        )
        make_instrument("plan", short_title="Plan", legally_binding=False)
        cls.group = Group.objects.create(
            slug="eu",
            name="European Union",
            short_name="EU",
            kind="organization",
            source_label="EU",
        )
        cls.rule = BindingRule.objects.create(
            instrument=cls.directive,
            group=cls.group,
            source_url="https://example.org/rule",
            source_quote="All but the first.",
        )
        cls.add_participants(0, 5)
        cls.rule.excluded.add(Participant.objects.get(code="p00"))

    @classmethod
    def add_participants(cls, start, stop):
        # Indexed as a commit would (the list counts its records from the index).
        with indexed():
            source = {"source_url": "https://example.org/list", "as_at": datetime.date(2014, 1, 27)}
            regions = Region.values
            for n in range(start, stop):
                state = Participant.objects.create(
                    code=f"p{n:02}", iso3=f"P{n:02}", name=f"State {n:02}", region=regions[n % 5]
                )
                for instrument, kind in (
                    (cls.untoc, "signature"),
                    (cls.untoc, "ratification"),
                    (cls.protocol, "signature"),
                ):
                    ParticipationEvent.objects.create(
                        participant=state,
                        instrument=instrument,
                        kind=kind,
                        date=datetime.date(2001, 1, 1 + n % 28),
                        date_precision="day",
                        **source,
                    )
                Membership.objects.create(group=cls.group, participant=state, **source)
                Declaration.objects.create(
                    participant=state,
                    instrument=cls.untoc,
                    kind="declaration",
                    text="Text.",
                    **source,
                )

    def setUp(self):
        # The party table's rendered HTML is kept for each state of the content: these tests
        # share one state (setUpTestData) and count the queries of rendering it.
        caches["default"].clear()

    def queries(self, url):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def test_the_pages_need_as_many_queries_for_60_participants_as_for_5(self):
        urls = [
            LIST_URL,
            LIST_URL + "?region=africa&group=eu",
            country_url("p01"),
            country_url("p00"),
            instrument_url("untoc"),
            instrument_url("untoc") + "?sort=date&region=asia",
            instrument_url("directive"),
        ]
        before = [self.queries(url) for url in urls]
        self.add_participants(5, 60)
        self.assertEqual([self.queries(url) for url in urls], before)
        self.assertEqual(len(self.client.get(LIST_URL).context["rows"]), 50)

    def test_the_country_list_queries(self):
        # The group facet's choices, the counts kept beside the index (the total and both
        # facets'), the page, the two instruments, their events and binding rules.
        with self.assertNumQueries(6):
            self.client.get(LIST_URL)

    def test_the_country_page_queries(self):
        # The participant, its memberships, its declarations; the published instruments and
        # their provisions; its events, the binding rules, their exclusions, its memberships;
        # who else is bound: acts of consent, the members of the groups a rule binds.
        with self.assertNumQueries(11):
            response = self.client.get(country_url("p01"))
        self.assertContains(response, "4 other participants are recorded here as bound by it")
        self.assertContains(response, "Bound as a member of the EU")

    def test_the_party_table_queries(self):
        # What the panel adds to the instrument page (whose own queries are its app's to
        # count): who is recorded for it, their events, its binding rule; for the directive,
        # also the members it excludes and the memberships of its group; for an instrument
        # with nothing recorded, only the first. Asked again, nothing changed: none (its HTML
        # is kept under the state of the content the page's validators read).
        for slug, expected in (("untoc", 3), ("directive", 5), ("plan", 1)):
            with self.subTest(slug):
                added = self.queries(instrument_url(slug)) - self.without_panel(slug)
                self.assertEqual(added, expected)
                again = self.queries(instrument_url(slug)) - self.without_panel(slug)
                self.assertEqual(again, 0)
        response = self.client.get(instrument_url("untoc"))
        self.assertContains(response, "<strong>5 parties and 0 signatories</strong>", html=True)
        response = self.client.get(instrument_url("directive"))
        self.assertContains(response, "<strong>4 members bound</strong>", html=True)
        self.assertNotContains(self.client.get(instrument_url("plan")), 'id="parties"')

    def test_the_party_table_is_rendered_again_once_anything_changes(self):
        def rows(response):
            table = response.text.split('id="parties"', 1)[1]
            return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)

        url = instrument_url("untoc")
        response = self.client.get(url)
        self.assertContains(response, "<strong>5 parties and 0 signatories</strong>", html=True)
        self.add_participants(5, 6)  # a new State, its signature and ratification
        response = self.client.get(url)
        self.assertContains(response, "<strong>6 parties and 0 signatories</strong>", html=True)
        self.assertIn("State 05", rows(response))
        events = ParticipationEvent.objects.filter(participant__code="p05", kind="ratification")
        events.get().delete()
        response = self.client.get(url)
        self.assertContains(response, "<strong>5 parties and 1 signatory</strong>", html=True)
        # Each address has its own table: sorted by date, one region, in French.
        self.assertNotIn("sorted by date of the act", self.client.get(url).text)
        self.assertIn("sorted by date of the act", self.client.get(url + "?sort=date").text)
        self.assertEqual(len(rows(self.client.get(url))), 6)
        self.assertEqual(len(rows(self.client.get(url + "?region=asia"))), 1)
        self.assertIn('href="/fr/countries/p01/"', self.client.get("/fr" + url).text)

    def without_panel(self, slug):
        """The queries of ``slug``'s page without the party table."""
        saved = list(panels.registered["instrument"])
        panels.registered["instrument"][:] = [
            panel for panel in saved if panel.template != "countries/party_table.html"
        ]
        try:
            return self.queries(instrument_url(slug))
        finally:
            panels.registered["instrument"][:] = saved
