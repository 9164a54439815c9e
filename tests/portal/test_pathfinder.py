"""The pathfinder: for two States and a form of cooperation, the legal bases recorded here (both
States recorded as bound), the binding instruments that do not bind both, guidance apart; an
overview of every form; refusals with a message; a query count that does not grow.

Most tests read the real data (the fixtures and the shared participation files, loaded as
`make fixtures` loads them), and first check the fact of the data they rest on, so that a
change in the data fails them loudly instead of making them pass for the wrong reason.
"""

import datetime
import re
from itertools import product
from unittest import mock

from django.db import connection
from django.db.models import Q
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import BindingRule, Declaration, Membership, Participant, ParticipationEvent
from countries.models import Group as CountryGroup
from countries.status import State, standings
from editorial.records import PublicationStatus
from instruments.models import Instrument, Mechanism, MechanismCategory, Provision
from portal.pathfinder import answers, home_form
from resources.models import Tool
from tests.factories import (
    make_category,
    make_instrument,
    make_mechanism,
    make_part,
    make_passage,
    make_provision,
    make_tool,
)
from tests.helpers import load_fixtures, load_participation

URL = reverse("portal:pathfinder")
UNTOC_STATUS = "https://github.com/zmjones/untreaties/blob/"  # the 2014 copy of UNTC's table


def section(html, key):
    """The HTML of one section of a focused answer (legal-bases, unconfirmed, other-offences,
    guidance), or "" if the page has none."""
    found = re.search(
        rf'<section class="basis-section basis-section--{key}".*?</section>', html, re.S
    )
    return found.group(0) if found else ""


def basis(html, key, slug):
    """The HTML of one instrument's entry in a section."""
    found = re.search(rf'<li class="basis" id="{key}-{slug}">.*?</dl>', section(html, key), re.S)
    return found.group(0) if found else ""


def without_limits(html):
    """The page without its "Limits of this answer" box (which says what "no record" is not)."""
    return re.sub(r'<aside class="pathfinder-limits".*?</aside>', "", html, flags=re.S)


def problems(html):
    """The messages of the form's problem summary."""
    summary = re.search(r'<div class="notice pathfinder-form__problems".*?</div>', html, re.S)
    return re.findall(r"<li><a [^>]*>(.*?)</a></li>", summary.group(0)) if summary else []


class RealData(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()
        cls.participants = {p.code: p for p in Participant.objects.all()}
        cls.instruments = {i.slug: i for i in Instrument.objects.all()}

    def ask(self, status=200, **params):
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, status, response.content.decode()[:3000])
        return response

    def state(self, code, slug):
        participant, instrument = self.participants[code], self.instruments[slug]
        return standings([participant], [instrument])[participant.pk, instrument.pk].state


class FocusedAnswer(RealData):
    def test_parties_to_the_convention_and_the_protocol_get_both_as_legal_bases(self):
        for code in ("nga", "ita"):
            for slug in ("untoc", "tip-protocol"):
                self.assertEqual(self.state(code, slug), State.PARTY, (code, slug))
        untoc = Provision.objects.get(instrument__slug="untoc", mechanism__slug="extradition")
        self.assertEqual(untoc.article, "art. 16")
        paragraph = untoc.sources.get()  # para. 7 of the paper

        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"})
        answer = response.context["answer"]
        self.assertEqual([b.instrument.slug for b in answer.legal_bases], ["untoc"])
        html = response.content.decode()
        entry = basis(html, "legal-bases", "untoc")
        self.assertIn("art. 16</a>", entry)
        self.assertIn(f'href="{paragraph.get_absolute_url()}"', entry)
        self.assertEqual(paragraph.get_absolute_url(), "/source/#para-7")
        self.assertIn("Both States are recorded as bound.", entry)
        self.assertIn("ratification of 28 June 2001", entry)  # Nigeria's act, with its date
        self.assertIn(UNTOC_STATUS, entry)  # its source
        self.assertIn("as at 27 January 2014", entry)

        # Information exchange: the Convention (art. 28) and the Protocol (art. 10).
        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "information-exchange"})
        found = [
            (b.instrument.slug, b.provision.article) for b in response.context["answer"].legal_bases
        ]
        self.assertEqual(found, [("untoc", "art. 28"), ("tip-protocol", "art. 10")])
        for slug in ("untoc", "tip-protocol"):
            self.assertIn(
                "Both States are recorded as bound.",
                basis(response.content.decode(), "legal-bases", slug),
            )

    def test_a_signatory_only_is_flagged_and_never_called_not_a_party(self):
        self.assertEqual(self.state("kor", "untoc"), State.SIGNATORY)
        self.assertEqual(self.state("kor", "tip-protocol"), State.SIGNATORY)
        response = self.ask(**{"from": "kor", "to": "ita", "mechanism": "information-exchange"})
        answer = response.context["answer"]
        self.assertEqual(answer.legal_bases, [])
        self.assertEqual([b.instrument.slug for b in answer.unconfirmed], ["untoc", "tip-protocol"])
        html = response.content.decode()
        self.assertIn("None recorded here.", section(html, "legal-bases"))
        entry = basis(html, "unconfirmed", "untoc")
        self.assertIn("<strong>Signatory only</strong> — signed, not bound", entry)
        self.assertIn("signature of 13 December 2000", entry)
        self.assertNotIn("Both States are recorded as bound", entry)
        self.assertNotIn("not a party", without_limits(html).lower())
        self.assertNotIn("non-party", without_limits(html).lower())
        self.assertIn(
            "No binding instrument recorded here whose offences include trafficking in persons",
            html,
        )

    def test_no_record_is_said_as_no_record(self):
        # Nobody's participation in the 1988 Drugs Convention is recorded here.
        self.assertFalse(
            ParticipationEvent.objects.filter(instrument__slug="drugs-convention-1988")
        )
        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"})
        self.assertEqual(
            [b.instrument.slug for b in response.context["answer"].other_binding],
            ["drugs-convention-1988"],
        )
        entry = basis(response.content.decode(), "other-offences", "drugs-convention-1988")
        self.assertIn(
            "<strong>No record here</strong> for Nigeria — the lists are incomplete, check the "
            "depositary.",
            entry,
        )
        self.assertIn("Offences it covers: Illicit traffic in narcotic drugs", entry)
        self.assertNotIn("not a party", without_limits(response.content.decode()).lower())

    def test_a_convention_for_other_offences_binding_both_is_named_but_apart(self):
        # Albania and Serbia are both on the PCC SEE Secretariat's list of parties.
        self.assertEqual(self.state("alb", "see-police-convention"), State.PARTY)
        self.assertEqual(self.state("srb", "see-police-convention"), State.PARTY)
        response = self.ask(**{"from": "alb", "to": "srb", "mechanism": "hot-pursuit"})
        answer = response.context["answer"]
        self.assertEqual(answer.legal_bases, [])
        self.assertEqual([b.instrument.slug for b in answer.other_bound], ["see-police-convention"])
        html = response.content.decode()
        self.assertIn("Both are recorded as bound by PCC SEE, binding for other offences", html)
        entry = basis(html, "other-offences", "see-police-convention")
        self.assertIn("Under <a", entry)
        self.assertIn("art. 13</a>", entry)
        self.assertIn("Offences it covers: Criminal offences in general", entry)
        self.assertIn(
            "<strong>Party</strong> — the source does not say by which act or when.", entry
        )
        self.assertIn("undated", entry)

    def give_the_directive_a_provision(self):
        # The fixtures record no article of Directive 2011/36/EU for any form of cooperation, so
        # the pathfinder never shows it on the real data. Test data only: an article for one
        # form, to see how an instrument that binds the members of a group is read for a pair.
        mechanism = Mechanism.objects.get(slug="victim-identification")
        directive = self.instruments["eu-directive-2011-36"]
        make_provision(directive, mechanism, article="art. 11(4)")
        self.assertEqual(directive.binding_rule.group.slug, "eu")
        return mechanism.slug

    def test_two_eu_member_states_get_the_directive_as_a_legal_basis(self):
        mechanism = self.give_the_directive_a_provision()
        response = self.ask(**{"from": "deu", "to": "fra", "mechanism": mechanism})
        legal = [b.instrument.slug for b in response.context["answer"].legal_bases]
        self.assertIn("eu-directive-2011-36", legal)
        entry = basis(response.content.decode(), "legal-bases", "eu-directive-2011-36")
        self.assertEqual(entry.count("<strong>Bound as a member</strong> of the EU"), 2)
        self.assertIn("Both States are recorded as bound.", entry)

    def test_denmark_is_not_bound_by_the_directive_as_its_source_says(self):
        mechanism = self.give_the_directive_a_provision()
        rule = self.instruments["eu-directive-2011-36"].binding_rule
        response = self.ask(**{"from": "dnk", "to": "deu", "mechanism": mechanism})
        answer = response.context["answer"]
        self.assertNotIn("eu-directive-2011-36", [b.instrument.slug for b in answer.legal_bases])
        self.assertIn("eu-directive-2011-36", [b.instrument.slug for b in answer.unconfirmed])
        entry = basis(response.content.decode(), "unconfirmed", "eu-directive-2011-36")
        self.assertIn(
            "<strong>Not bound</strong>: “The Directive applies to all Member States except for "
            "Denmark.”",
            entry,
        )
        self.assertIn(f'<a href="{rule.source_url.replace("&", "&amp;")}">source</a>', entry)
        self.assertIn("<strong>Bound as a member</strong> of the EU", entry)  # Germany

    def test_a_member_state_and_a_non_member_do_not_get_the_directive_as_a_legal_basis(self):
        mechanism = self.give_the_directive_a_provision()
        response = self.ask(**{"from": "deu", "to": "nga", "mechanism": mechanism})
        answer = response.context["answer"]
        self.assertNotIn("eu-directive-2011-36", [b.instrument.slug for b in answer.legal_bases])
        self.assertIn("eu-directive-2011-36", [b.instrument.slug for b in answer.unconfirmed])
        html = response.content.decode()
        self.assertNotIn("Directive 2011/36/EU", section(html, "legal-bases"))
        entry = basis(html, "unconfirmed", "eu-directive-2011-36")
        self.assertIn("<strong>No record here</strong> of Nigeria as a member of the EU", entry)

    def test_non_binding_instruments_never_appear_as_legal_bases(self):
        guidance = Instrument.objects.published().filter(legally_binding=False)
        self.assertEqual(
            set(guidance.values_list("slug", flat=True)),
            {"ohchr-principles", "global-plan-of-action", "osce-action-plan"},
        )
        # Even were both States recorded as taking part in them.
        for code in ("nga", "ita"):
            for instrument in guidance:
                ParticipationEvent.objects.create(
                    participant=self.participants[code], instrument=instrument, kind="consent",
                    source_url="https://example.org/test-only",
                )  # fmt: skip
        shown_as_guidance = set()
        for mechanism in Mechanism.objects.all():
            with self.subTest(mechanism=mechanism.slug):
                response = self.ask(**{"from": "nga", "to": "ita", "mechanism": mechanism.slug})
                answer = response.context["answer"]
                self.assertTrue(all(b.instrument.legally_binding for b in answer.legal_bases))
                self.assertTrue(all(b.instrument.legally_binding for b in answer.unconfirmed))
                legal = section(response.content.decode(), "legal-bases")
                for instrument in guidance:
                    self.assertNotIn(instrument.short_title, legal)
                for item in answer.guidance:
                    self.assertIn(
                        item.instrument.short_title, section(response.content.decode(), "guidance")
                    )
                    shown_as_guidance.add(item.instrument.slug)
        self.assertEqual(shown_as_guidance, set(guidance.values_list("slug", flat=True)))

    def test_tools_for_the_form_of_cooperation_directly_or_through_their_parts(self):
        extradition = Mechanism.objects.get(slug="extradition")
        via_part = make_tool(title="A manual with a chapter on extradition")
        make_part(via_part, label="Chapter 3", mechanisms=[extradition])
        draft = make_tool(title="A draft extradition guide", status=PublicationStatus.DRAFT)
        draft.mechanisms.add(extradition)
        expected = set(
            Tool.objects.published()
            .filter(Q(mechanisms=extradition) | Q(parts__mechanisms=extradition))
            .values_list("title", flat=True)
        )
        self.assertGreater(len(expected), 2)
        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"})
        self.assertEqual({tool.title for tool, _ in response.context["tools"]}, expected)
        self.assertContains(response, "A manual with a chapter on extradition</a>")
        self.assertContains(response, "A manual with a chapter on extradition, Chapter 3</a>")
        self.assertNotContains(response, "A draft extradition guide")
        self.assertNotContains(response, "see them all in the tools list")  # every one shown

    def test_many_tools_show_the_first_and_lead_to_the_rest(self):
        total = Tool.objects.published().filter(
            pk__in=Tool.objects.filter(
                Q(mechanisms__slug="extradition") | Q(parts__mechanisms__slug="extradition")
            ).values("pk")
        )
        first = sorted(total.values_list("title", flat=True))[:2]
        with mock.patch("instruments.models.TOOLS_SHOWN", 2):
            for url in [
                URL + "?from=nga&to=ita&mechanism=extradition",
                reverse("instruments:mechanism_detail", args=["extradition"]),
            ]:
                with self.subTest(url):
                    html = self.client.get(url).content.decode()
                    tools = re.search(r'id="tools-heading".*?</section>', html, re.S).group(0)
                    titles = re.findall(r'<li>\s*<a href="/resources/[^"]+/">([^<]+)</a>', tools)
                    self.assertEqual(titles, first)
                    link = (
                        f'<a href="/resources/?mechanism=extradition">The first 2 of '
                        f"{total.count()}, by title: see them all in the tools list.</a>"
                    )
                    self.assertInHTML(link, html)

    def test_declarations_of_either_state_are_shown_beside_the_instrument(self):
        Declaration.objects.create(
            participant=self.participants["ita"], instrument=self.instruments["untoc"],
            kind="notification", article="art. 16(5)",
            text="Italy takes the Convention as the legal basis for extradition (test only).",
            source_url="https://example.org/test-declaration", as_at=datetime.date(2024, 1, 1),
            as_at_precision="day",
        )  # fmt: skip
        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"})
        html = response.content.decode()
        entry = section(html, "legal-bases")  # the Convention's entry: the only one there
        self.assertIn("<strong>Italy</strong>, notification (art. 16(5))", entry)
        self.assertIn("legal basis for extradition (test only)", entry)
        self.assertIn("as at 1 January 2024", entry)

    def test_disagreeing_sources_are_flagged_and_each_listed(self):
        entry = basis(
            self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"}).content.decode(),
            "legal-bases",
            "untoc",
        )
        self.assertNotIn("Sources disagree", entry)
        ParticipationEvent.objects.create(
            participant=self.participants["ita"], instrument=self.instruments["untoc"],
            kind="ratification", date=datetime.date(2006, 8, 3), date_precision="day",
            source_url="https://example.org/another-list", as_at=datetime.date(2015, 1, 1),
        )  # fmt: skip
        response = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"})
        entry = basis(response.content.decode(), "legal-bases", "untoc")
        self.assertIn("<strong>Sources disagree</strong>", entry)
        self.assertIn("https://example.org/another-list", entry)
        self.assertIn(
            "Every observation recorded here (3)", entry
        )  # signature and two ratifications

    def test_the_limits_of_the_answer_are_stated(self):
        html = self.ask(**{"from": "nga", "to": "ita", "mechanism": "extradition"}).content.decode()
        limits = re.search(r'<aside class="pathfinder-limits".*?</aside>', html, re.S).group(0)
        for words in (
            "Bilateral treaties, other regional arrangements and domestic law are not covered",
            "as at 27 January 2014",
            "about 10 to 12 later parties are missing",
            "170 of the 182 parties",
            "20 April 2024",
            "“No record here” is not “not a party”",
            "A legal basis is not a guarantee that a request will be granted",
        ):
            self.assertIn(words, limits)


class Overview(RealData):
    def test_every_form_of_cooperation_for_the_pair_with_links_to_each_answer(self):
        response = self.ask(**{"from": "nga", "to": "ita"})
        overview = response.context["overview"]
        categories = [category.slug for category, _, _ in overview]
        self.assertEqual(len(categories), len(set(categories)))
        listed = [item.mechanism.slug for _, covered, _ in overview for item in covered]
        uncovered = [mechanism.slug for _, _, named in overview for mechanism in named]
        self.assertEqual(
            sorted(listed + uncovered), sorted(Mechanism.objects.values_list("slug", flat=True))
        )
        self.assertIn("risk-assessment", uncovered)  # no instrument provides for it
        html = response.content.decode()
        link = '<a href="?from=nga&amp;to=ita&amp;mechanism=extradition">Extradition</a>'
        pattern = rf'<li class="overview-item">\s*<h4[^>]*>{re.escape(link)}.*?</li>'
        item = re.search(pattern, html, re.S).group(0)
        self.assertIn("Organized Crime Convention, art. 16</a>", item)
        self.assertIn('href="/source/#para-7"', item)
        self.assertIn(
            "Binding for other offences: 1988 Drugs Convention (not recorded as binding both).",
            item,
        )
        self.assertIn(
            "Guidance, not a legal basis: OHCHR Recommended Principles and Guidelines.", item
        )
        self.assertIn("No instrument recorded here for: Risk assessment", html)

    def test_an_organization_is_said_not_to_be_a_state(self):
        self.assertEqual(self.participants["eu"].kind, "organization")
        for params in (
            {"from": "eu", "to": "nga"},
            {"from": "eu", "to": "nga", "mechanism": "extradition"},
        ):
            with self.subTest(params=params):
                self.assertContains(
                    self.ask(**params),
                    "European Union is an international organization, not a State",
                )
        self.assertNotContains(self.ask(**{"from": "ita", "to": "nga"}), "not a State")

    def test_the_overview_flags_what_does_not_bind_both(self):
        response = self.ask(**{"from": "kor", "to": "ita"})
        html = response.content.decode()
        self.assertIn(
            "Not recorded as binding both: Organized Crime Convention (Republic of Korea: "
            "signatory only)",
            html,
        )
        legal = {
            b.instrument.slug
            for _, covered, _ in response.context["overview"]
            for item in covered
            for b in item.legal_bases
        }
        self.assertEqual(legal, set())  # neither the Convention nor the Protocol binds Korea
        self.assertNotIn("not a party", without_limits(html).lower())


class Refusals(RealData):
    def test_no_parameter_gives_the_empty_form_and_what_it_does(self):
        response = self.ask()
        self.assertContains(response, "Choose the State that asks for cooperation")
        self.assertNotContains(response, 'id="answer-heading"')
        self.assertEqual(problems(response.content.decode()), [])
        for name in ("from", "to", "mechanism"):
            self.assertContains(response, f'name="{name}"')
        self.assertContains(response, '<option value="nga">Nigeria</option>', html=True)
        self.assertContains(response, '<optgroup label="Judicial cooperation">')
        self.assertContains(
            response, '<option value="" selected>Every form of cooperation</option>', html=True
        )

    def test_codes_are_read_in_either_case(self):
        response = self.ask(**{"from": "NGA", "to": " Ita ", "mechanism": "EXTRADITION"})
        self.assertEqual(response.context["requesting"].code, "nga")
        self.assertEqual(
            [b.instrument.slug for b in response.context["answer"].legal_bases], ["untoc"]
        )
        self.assertContains(response, '<option value="nga" selected>Nigeria</option>', html=True)

    def test_bad_input_is_refused_with_a_message_naming_the_problem(self):
        long = "x" * 300
        cases = [
            ({"from": "<script>", "to": "ita"}, "“&lt;script&gt;” is not a country code"),
            ({"from": long, "to": "ita"}, f"“{'x' * 39}…” is not a country code"),
            (
                {"from": "zzz", "to": "ita"},
                "No State or organization with the code “zzz” is recorded here",
            ),
            (
                {"from": "nga", "to": "ita", "mechanism": "nope"},
                "No form of cooperation “nope” is recorded here",
            ),
            (
                {"from": "nga", "to": "NGA"},
                "Nigeria is both the requesting and the requested State",
            ),
            ({"from": "nga"}, "Choose the requested State too."),
            ({"to": "ita", "mechanism": "extradition"}, "Choose the requesting State too."),
            ({"from": "", "to": "", "mechanism": ""}, "Choose the requesting State."),
            ({"from": "\x00\x01", "to": "ita"}, "“(unprintable characters)” is not a country"),
        ]
        for params, message in cases:
            with self.subTest(params=params):
                response = self.ask(status=400, **params)
                html = response.content.decode()
                self.assertTrue(
                    any(message in problem for problem in problems(html)), problems(html)
                )
                self.assertNotIn('id="answer-heading"', html)
                self.assertNotIn('id="overview-heading"', html)
                self.assertNotIn("<script>", html.split('<main id="main"')[1])
                self.assertIn('aria-invalid="true"', html)

    def test_head_works_and_other_methods_are_refused(self):
        self.assertEqual(self.client.head(URL, {"from": "nga", "to": "ita"}).status_code, 200)
        self.assertEqual(self.client.post(URL, {"from": "nga", "to": "ita"}).status_code, 405)


class OnOtherPages(RealData):
    def test_a_form_of_cooperation_page_has_the_form_with_it_chosen(self):
        response = self.client.get(reverse("instruments:mechanism_detail", args=["extradition"]))
        html = response.content.decode()
        panel = re.search(r'<section class="pathfinder-panel".*?</section>', html, re.S).group(0)
        self.assertIn(f'action="{URL}" method="get"', panel)
        self.assertInHTML('<option value="extradition" selected>Extradition</option>', panel)
        self.assertInHTML('<option value="ita">Italy</option>', panel)

    def test_the_home_pages_form_reads_only_the_participants(self):
        categories = MechanismCategory.objects.with_mechanisms()
        self.assertTrue(list(categories))  # as the home page reads them for its own list
        with self.assertNumQueries(1):
            html = home_form(categories).as_div()
        self.assertInHTML('<option value="nga">Nigeria</option>', html)
        self.assertIn('<optgroup label="Judicial cooperation">', html)
        self.assertInHTML('<option value="extradition">Extradition</option>', html)

    def test_the_home_page_has_the_form(self):
        response = self.client.get(reverse("portal:home"))
        if "pathfinder_form" not in response.context:
            self.skipTest("the home view does not give the template the pathfinder's form yet")
        self.assertContains(response, f'action="{URL}" method="get"')
        self.assertInHTML('<option value="nga">Nigeria</option>', response.content.decode())


class QueryCount(TestCase):
    """The answer reads the pair's standings for every instrument at once: as many queries for
    30 instruments, 60 participants and their observations as for 3."""

    codes = ("".join(letters) for letters in product("cdefghijklmnopqrstuvwxyz", repeat=3))

    @classmethod
    def setUpTestData(cls):
        cls.mechanism = make_mechanism("extradition-x", category=make_category("judicial-x"))
        cls.other = make_mechanism("mla-x", category=cls.mechanism.category)
        cls.passage = make_passage(7)
        cls.requesting = Participant.objects.create(code="aaa", name="Aland")
        cls.requested = Participant.objects.create(code="bbb", name="Borduria")
        cls.group = CountryGroup.objects.create(
            slug="union-x", name="A union", short_name="AU", kind="organization", source_label="AU"
        )
        Membership.objects.create(
            group=cls.group, participant=cls.requesting, source_url="https://example.org/m"
        )

    def add(self, instruments, participants):
        """More instruments providing for the mechanism (binding, guidance, others), each with
        events of the pair and of other participants, declarations and tools."""
        others = [
            Participant.objects.create(code=code, name=f"State {code}")
            for code in [next(self.codes) for _ in range(participants)]
        ]
        for n in range(instruments):
            instrument = make_instrument(
                legally_binding=n % 3 != 2,
                offences=["trafficking", "other", ""][n % 3],
                provides=[(self.mechanism, f"art. {n}"), (self.other, f"art. {n + 1}")],
            )
            for provision in instrument.provisions.all():
                provision.sources.add(self.passage)
            for participant in [self.requesting, self.requested, *others]:
                ParticipationEvent.objects.create(
                    participant=participant, instrument=instrument, kind="signature",
                    source_url="https://example.org/s", date=datetime.date(2000, 1, 1),
                    date_precision="day",
                )  # fmt: skip
                ParticipationEvent.objects.create(
                    participant=participant, instrument=instrument, kind="ratification",
                    source_url="https://example.org/r", date=datetime.date(2001, 1, 1),
                    date_precision="day",
                )  # fmt: skip
            Declaration.objects.create(
                participant=self.requesting, instrument=instrument, kind="declaration",
                text="A declaration.", source_url="https://example.org/d",
            )  # fmt: skip
            tool = make_tool(mechanisms=[self.mechanism] if n % 2 else [])
            make_part(tool, mechanisms=[self.mechanism])
            if n % 3 == 0:  # binds the members of a group, save one of the others
                rule = BindingRule.objects.create(
                    instrument=instrument, group=self.group, source_url="https://example.org/b",
                    source_quote="All members but one.",
                )  # fmt: skip
                rule.excluded.add(*others[:1])
                Membership.objects.create(
                    group=self.group, participant=others[0] if others else self.requested,
                    source_url=f"https://example.org/m{n}",
                )  # fmt: skip

    def empty_form(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertNotIn("answer", self.client.get(URL).context)
        return len(queries)

    def count(self, **params):
        params = {"from": "aaa", "to": "bbb", **params}
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_the_focused_answer_does_not_grow_with_instruments_participants_or_events(self):
        self.add(instruments=3, participants=2)
        few, response = self.count(mechanism="extradition-x")
        self.assertEqual(len(response.context["answer"].bases), 3)
        self.add(instruments=27, participants=58)
        many, response = self.count(mechanism="extradition-x")
        self.assertEqual(len(response.context["answer"].bases), 30)
        self.assertEqual(len(response.context["answer"].legal_bases), 10)
        self.assertEqual(many, few)
        # Beyond the empty form's (its two lists, and whatever every page costs): provisions,
        # their passages, events, binding rules, their exclusions, memberships, declarations,
        # the first tools, their parts, how many tools there are (counted beside the index).
        self.assertEqual(many - self.empty_form(), 10)

    def test_the_overview_does_not_grow_either(self):
        self.add(instruments=3, participants=2)
        few, _ = self.count()
        self.add(instruments=27, participants=58)
        many, response = self.count()
        self.assertEqual(many, few)
        ((_, covered, _),) = response.context["overview"]
        self.assertEqual([len(item.bases) for item in covered], [30, 30])
        # Beyond the empty form's: provisions, their passages, events, binding rules, their
        # exclusions, memberships.
        self.assertEqual(many - self.empty_form(), 6)

    def test_answers_reads_standings_once_for_every_form_of_cooperation(self):
        self.add(instruments=5, participants=1)
        # provisions, passages, events, binding rules, their exclusions, memberships
        with self.assertNumQueries(6):
            found = answers(
                self.requesting,
                self.requested,
                [self.mechanism, self.other],
                with_declarations=False,
            )
        self.assertEqual([len(answer.bases) for answer in found.values()], [5, 5])
