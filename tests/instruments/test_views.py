"""The cooperation-type, instrument and organization pages: what they list, their filters and
facets, bad input, and the number of queries they need."""

import re
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.models import TOOLS_SHOWN, Instrument
from resources.models import ToolPart
from tests.factories import (
    make_audience,
    make_category,
    make_guidance,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_passage,
    make_provision,
    make_tool,
)
from tests.helpers import FixtureTestCase, facet_counts, facet_option, indexed, listed, notices

DRAFT = PublicationStatus.DRAFT
LIST_URL = reverse("instruments:instrument_list")


class CooperationData:
    """A small version of the paper's world: UNTOC and its Protocol, regional conventions,
    an EU directive replacing a framework decision, soft-law instruments, and a draft."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.para7 = make_passage(
                7,
                text="The following international cooperation issues are "
                "covered by the Convention: extradition; mutual legal assistance.",
            )
            cls.para23 = make_passage(
                23,
                text="Convention on Police Cooperation in South East Europe "
                "envisages hot pursuit and joint investigation teams.",
            )
            cls.judicial = make_category("judicial", name="Judicial cooperation", position=1)
            cls.police = make_category(
                "law-enforcement", name="Law enforcement cooperation", position=2
            )
            cls.victims = make_category(
                "victims", name="Protection and return of victims", position=3
            )
            cls.extradition = make_mechanism(
                "extradition",
                category=cls.judicial,
                name="Extradition",
                sources=[cls.para7],
                formality="formal",
            )
            cls.mla = make_mechanism(
                "mutual-legal-assistance",
                category=cls.judicial,
                name="Mutual legal assistance",
                position=2,
            )
            cls.hot_pursuit = make_mechanism(
                "hot-pursuit", category=cls.police, name="Hot pursuit", sources=[cls.para23]
            )
            cls.jit = make_mechanism(
                "joint-investigations", category=cls.police, name="Joint investigations", position=2
            )
            cls.repatriation = make_mechanism(
                "repatriation", category=cls.victims, name="Repatriation of victims"
            )
            cls.ga = make_organization(
                "un-general-assembly", name="United Nations General Assembly", kind="un-organ"
            )
            cls.saarc = make_organization(
                "saarc",
                name="South Asian Association for Regional Cooperation",
                short_name="SAARC",
                kind="regional-organization",
            )
            cls.eu = make_organization(
                "eu", name="European Union", short_name="EU", kind="regional-organization"
            )
            cls.unodc = make_organization(
                "unodc", name="United Nations Office on Drugs and Crime", short_name="UNODC"
            )

            cls.untoc = make_instrument(
                "untoc",
                title="United Nations Convention against Transnational Organized Crime",
                short_title="UNTOC",
                adopted_by=cls.ga,
                adopted_on=date(2000, 11, 15),
                adopted_at="New York",
                entry_into_force=date(2003, 9, 29),
                official_reference="A/RES/55/25",
                parties_count=163,
                parties_as_of="the paper (2011)",
                url="http://www.unodc.org/untoc-old.html",
                current_url="https://www.unodc.org/untoc/",
                sources=[cls.para7],
            )
            make_provision(
                cls.untoc,
                cls.extradition,
                article="art. 16",
                sources=[cls.para7],
                note="Offences covered by the Convention are extraditable.",
            )
            make_provision(cls.untoc, cls.mla, article="art. 18")
            make_provision(cls.untoc, cls.jit, article="art. 19")
            cls.protocol = make_instrument(
                "trafficking-in-persons-protocol",
                title="Protocol to Prevent, Suppress and Punish Trafficking in Persons",
                short_title="Trafficking in Persons Protocol",
                kind="protocol",
                supplements=cls.untoc,
                adopted_by=cls.ga,
                provides=[(cls.repatriation, "art. 8")],
            )
            cls.saarc_convention = make_instrument(
                "saarc-convention",
                title="SAARC Convention on Preventing and Combating Trafficking in Women and "
                "Children for Prostitution",
                short_title="SAARC Convention",
                scope="regional",
                region="South Asia",
                adopted_by=cls.saarc,
                provides=[(cls.mla, "art. VI"), (cls.repatriation, "art. IX")],
            )
            cls.pcc_see = make_instrument(
                "police-cooperation-convention-see",
                title="Police Cooperation Convention for Southeast Europe",
                short_title="PCC SEE",
                scope="regional",
                region="South East Europe",
                provides=[(cls.hot_pursuit, "art. 14"), (cls.jit, "art. 27")],
                sources=[cls.para23],
            )
            cls.framework_decision = make_instrument(
                "framework-decision-2002-629",
                title="Council Framework Decision 2002/629/JHA",
                short_title="Framework Decision 2002/629/JHA",
                kind="framework-decision",
                scope="regional",
                region="European Union",
                adopted_by=cls.eu,
            )
            cls.directive = make_instrument(
                "directive-2011-36",
                title="Directive 2011/36/EU on preventing and combating trafficking in human "
                "beings",
                short_title="Directive 2011/36/EU",
                kind="directive",
                scope="regional",
                region="European Union",
                adopted_by=cls.eu,
                replaces=cls.framework_decision,
                provides=[cls.jit],
            )
            cls.principles = make_instrument(
                "ohchr-principles",
                title="Recommended Principles and Guidelines on Human Rights and Human Trafficking",
                short_title="OHCHR Principles and Guidelines",
                kind="principles-and-guidelines",
                legally_binding=False,
                provides=[(cls.extradition, "Principle 14")],
            )
            cls.draft = make_instrument(
                "draft-hot-pursuit-treaty",
                title="Draft treaty on hot pursuit",
                short_title="Draft hot pursuit treaty",
                status=DRAFT,
                adopted_by=cls.saarc,
                scope="regional",
                region="Nowhere land",
                supplements=cls.untoc,
                provides=[(cls.hot_pursuit, "art. 1"), (cls.extradition, "art. 2")],
            )
            cls.published_slugs = {
                "untoc",
                "trafficking-in-persons-protocol",
                "saarc-convention",
                "police-cooperation-convention-see",
                "framework-decision-2002-629",
                "directive-2011-36",
                "ohchr-principles",
            }

            cls.toolkit = make_tool(
                "unodc-toolkit",
                title="Toolkit to Combat Trafficking in Persons",
                short_title="Toolkit",
                kind="toolkit",
                publisher=cls.unodc,
                mechanisms=[cls.extradition],
                instruments=[cls.untoc],
            )
            make_part(
                cls.toolkit,
                "tool-4-1",
                label="Tool 4.1",
                title="Extradition",
                mechanisms=[cls.extradition],
                kind=ToolPart.Kind.TOOL,
            )
            make_part(
                cls.toolkit,
                "tool-5-10",
                label="Tool 5.10",
                mechanisms=[cls.hot_pursuit],
                kind=ToolPart.Kind.TOOL,
            )
            cls.draft_tool = make_tool(
                "draft-tool",
                title="Unfinished extradition guide",
                publisher=cls.unodc,
                mechanisms=[cls.extradition],
                instruments=[cls.untoc],
                status=DRAFT,
            )
            make_guidance(
                "slow-judicial-cooperation",
                kind=Guidance.Kind.CHALLENGE,
                title="Slow processes in international judicial cooperation",
                mechanisms=[cls.extradition, cls.mla],
            )
            make_guidance(
                "central-authority",
                kind=Guidance.Kind.MEASURE,
                title="Nominate a central national authority",
                mechanisms=[cls.extradition],
            )


class InstrumentListTests(CooperationData, TestCase):
    def test_lists_every_published_instrument_and_never_a_draft(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(listed(response)), self.published_slugs)
        self.assertContains(response, "7 instruments")
        self.assertNotContains(response, "Draft hot pursuit treaty")
        self.assertNotContains(response, "Nowhere land")  # the draft's region is no facet

    def test_rows_show_kind_scope_force_and_mechanisms(self):
        response = self.client.get(LIST_URL, {"mechanism": "hot-pursuit"})
        self.assertContains(
            response,
            '<a href="/instruments/police-cooperation-convention-see/">PCC SEE</a>',
            html=True,
        )
        self.assertContains(response, "Regional (South East Europe)")
        self.assertContains(response, "Provides for: Hot pursuit; Joint investigations")

    def test_mechanism_filter_lists_the_instruments_that_provide_for_it(self):
        response = self.client.get(LIST_URL, {"mechanism": "hot-pursuit"})
        self.assertEqual(listed(response), ["police-cooperation-convention-see"])
        self.assertNotIn("saarc-convention", listed(response))
        self.assertNotIn("draft-hot-pursuit-treaty", listed(response))

    def test_repeated_mechanism_needs_all_of_them(self):
        response = self.client.get(LIST_URL + "?mechanism=joint-investigations")
        self.assertEqual(
            set(listed(response)),
            {"untoc", "police-cooperation-convention-see", "directive-2011-36"},
        )
        response = self.client.get(
            LIST_URL + "?mechanism=joint-investigations&mechanism=hot-pursuit"
        )
        self.assertEqual(listed(response), ["police-cooperation-convention-see"])
        response = self.client.get(
            LIST_URL + "?mechanism=extradition&mechanism=mutual-legal-assistance"
        )
        self.assertEqual(listed(response), ["untoc"])
        response = self.client.get(LIST_URL + "?mechanism=extradition&mechanism=hot-pursuit")
        self.assertEqual(listed(response), [])  # only the draft has both

    def test_category_filter(self):
        response = self.client.get(LIST_URL, {"category": "law-enforcement"})
        self.assertEqual(
            set(listed(response)),
            {"untoc", "police-cooperation-convention-see", "directive-2011-36"},
        )
        self.assertEqual(len(listed(response)), 3)  # no duplicates from the join

    def test_scope_region_kind_binding_and_organization_filters(self):
        cases = {
            "scope=global": {"untoc", "trafficking-in-persons-protocol", "ohchr-principles"},
            "scope=regional": {
                "saarc-convention",
                "police-cooperation-convention-see",
                "framework-decision-2002-629",
                "directive-2011-36",
            },
            "region=South+Asia": {"saarc-convention"},
            "kind=protocol": {"trafficking-in-persons-protocol"},
            "kind=directive": {"directive-2011-36"},
            "binding=no": {"ohchr-principles"},
            "binding=yes": self.published_slugs - {"ohchr-principles"},
            "organization=eu": {"framework-decision-2002-629", "directive-2011-36"},
            "organization=saarc": {"saarc-convention"},
        }
        for query, expected in cases.items():
            with self.subTest(query):
                self.assertEqual(set(listed(self.client.get(f"{LIST_URL}?{query}"))), expected)

    def test_words_match_title_short_title_and_summary_in_any_case(self):
        self.assertEqual(listed(self.client.get(LIST_URL, {"q": "saarc"})), ["saarc-convention"])
        self.assertEqual(
            listed(self.client.get(LIST_URL, {"q": "  PCC see "})),
            ["police-cooperation-convention-see"],
        )
        self.assertEqual(
            listed(self.client.get(LIST_URL, {"q": "what the directive 2011"})),
            ["directive-2011-36"],
        )  # in the summary
        self.assertEqual(listed(self.client.get(LIST_URL, {"q": "Draft treaty"})), [])

    def test_filters_combine(self):
        response = self.client.get(
            LIST_URL,
            {"scope": "regional", "binding": "yes", "mechanism": "mutual-legal-assistance"},
        )
        self.assertEqual(listed(response), ["saarc-convention"])
        response = self.client.get(
            LIST_URL, {"organization": "eu", "mechanism": "joint-investigations"}
        )
        self.assertEqual(listed(response), ["directive-2011-36"])

    def test_facets_count_the_current_results_without_drafts(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(
            facet_counts(response, "mechanism"),
            {
                "extradition": 2,
                "mutual-legal-assistance": 2,
                "hot-pursuit": 1,
                "joint-investigations": 3,
                "repatriation": 2,
            },
        )
        self.assertEqual(
            facet_counts(response, "category"), {"judicial": 3, "law-enforcement": 3, "victims": 2}
        )
        self.assertEqual(facet_counts(response, "scope"), {"global": 3, "regional": 4})
        self.assertEqual(
            facet_counts(response, "region"),
            {"European Union": 2, "South Asia": 1, "South East Europe": 1},
        )
        self.assertEqual(facet_counts(response, "binding"), {"yes": 6, "no": 1})
        self.assertEqual(
            facet_counts(response, "organization"), {"un-general-assembly": 2, "saarc": 1, "eu": 2}
        )
        self.assertEqual(
            facet_counts(response, "kind"),
            {
                "convention": 3,
                "protocol": 1,
                "directive": 1,
                "framework-decision": 1,
                "principles-and-guidelines": 1,
            },
        )

    def test_facets_follow_the_filters(self):
        response = self.client.get(LIST_URL, {"scope": "regional"})
        self.assertEqual(
            facet_counts(response, "mechanism"),
            {
                "mutual-legal-assistance": 1,
                "hot-pursuit": 1,
                "joint-investigations": 2,
                "repatriation": 1,
            },
        )
        # A chosen mechanism still counts every mechanism of the matching instruments.
        response = self.client.get(LIST_URL, {"mechanism": "joint-investigations"})
        self.assertEqual(
            facet_counts(response, "mechanism"),
            {
                "extradition": 1,
                "mutual-legal-assistance": 1,
                "hot-pursuit": 1,
                "joint-investigations": 3,
            },
        )

    def test_facet_links_keep_the_other_filters_and_reset_the_page(self):
        response = self.client.get(LIST_URL, {"scope": "regional", "page": "2", "q": "police"})
        option = facet_option(response, "mechanism", "hot-pursuit")
        self.assertFalse(option.active)
        self.assertContains(
            response, 'href="/instruments/?q=police&amp;scope=regional&amp;mechanism=hot-pursuit"'
        )
        self.assertNotContains(response, "page=2")

    def test_chosen_options_are_marked_and_link_to_their_removal(self):
        response = self.client.get(
            LIST_URL + "?mechanism=joint-investigations&mechanism=hot-pursuit&kind=convention"
        )
        option = facet_option(response, "mechanism", "hot-pursuit")
        self.assertTrue(option.active)
        self.assertEqual(option.count, 1)
        self.assertRegex(
            response.text,
            r'<a href="/instruments/\?mechanism=joint-investigations&amp;kind=convention" '
            r'aria-current="true"><span class="facet__label">Hot pursuit</span>',
        )
        # Removing the last value of a facet leaves a clean address, never an empty href.
        response = self.client.get(LIST_URL, {"kind": "convention"})
        self.assertRegex(
            response.text, r'<a href="/instruments/" aria-current="true"><span[^>]*>Convention'
        )
        self.assertNotContains(response, 'href=""')

    def test_a_single_choice_facet_shows_only_values_present(self):
        response = self.client.get(LIST_URL, {"kind": "protocol"})
        self.assertEqual(facet_counts(response, "kind"), {"protocol": 1})
        self.assertContains(response, "Remove this filter")

    def test_words_box_keeps_the_filters(self):
        response = self.client.get(LIST_URL, {"scope": "regional", "mechanism": "hot-pursuit"})
        self.assertContains(
            response, '<input type="hidden" name="scope" value="regional">', html=True
        )
        self.assertContains(
            response, '<input type="hidden" name="mechanism" value="hot-pursuit">', html=True
        )

    def test_empty_result_explains_how_to_widen_the_search(self):
        response = self.client.get(
            LIST_URL, {"mechanism": ["extradition", "hot-pursuit"], "q": "nothing here"}
        )
        self.assertEqual(listed(response), [])
        self.assertContains(response, "No instrument matches all of these filters.")
        self.assertContains(response, "must provide for every form of cooperation you choose")
        self.assertContains(response, "try fewer or other words than “nothing here”")
        self.assertContains(response, '<a href="/instruments/">see all instruments</a>', html=True)


class InstrumentListBadInputTests(CooperationData, TestCase):
    def test_unknown_mechanism_is_named_in_a_notice_and_ignored(self):
        response = self.client.get(LIST_URL, {"mechanism": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            notices(response),
            ["“nope” is not a known choice for “Cooperation type”, so that filter was ignored."],
        )
        self.assertEqual(set(listed(response)), self.published_slugs)

    def test_a_known_value_survives_beside_an_unknown_one(self):
        response = self.client.get(LIST_URL + "?mechanism=hot-pursuit&mechanism=nope")
        self.assertEqual(len(notices(response)), 1)
        self.assertEqual(listed(response), ["police-cooperation-convention-see"])
        # Links built from here no longer carry the unknown value.
        self.assertNotContains(response, "mechanism=nope")

    def test_html_in_a_value_is_escaped(self):
        response = self.client.get(
            LIST_URL, {"kind": "<script>alert(1)</script>", "q": '"><b>bold</b>'}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<b>bold</b>")
        self.assertEqual(len(notices(response)), 1)

    def test_unknown_values_of_every_filter(self):
        for name in ("category", "scope", "region", "kind", "binding", "organization"):
            with self.subTest(name):
                response = self.client.get(LIST_URL, {name: "unknown-value"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(notices(response)), 1)
                self.assertIn("“unknown-value”", notices(response)[0])
                self.assertEqual(set(listed(response)), self.published_slugs)

    def test_too_long_values_are_refused_with_a_notice(self):
        long_value = "x" * (settings.MAX_QUERY_LENGTH + 1)
        for name in ("q", "mechanism", "kind"):
            with self.subTest(name):
                response = self.client.get(LIST_URL, {name: long_value})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(notices(response)), 1)
                self.assertIn(
                    f"longer than {settings.MAX_QUERY_LENGTH} characters", notices(response)[0]
                )
                self.assertNotContains(response, long_value)
                self.assertEqual(set(listed(response)), self.published_slugs)

    def test_a_value_of_exactly_the_limit_is_used(self):
        response = self.client.get(LIST_URL, {"q": "x" * settings.MAX_QUERY_LENGTH})
        self.assertEqual(notices(response), [])
        self.assertEqual(listed(response), [])

    def test_empty_and_repeated_values(self):
        response = self.client.get(LIST_URL + "?kind=&mechanism=&q=&region=")
        self.assertEqual(notices(response), [])
        self.assertEqual(set(listed(response)), self.published_slugs)
        response = self.client.get(LIST_URL + "?mechanism=hot-pursuit&mechanism=hot-pursuit")
        self.assertEqual(notices(response), [])
        self.assertEqual(listed(response), ["police-cooperation-convention-see"])
        response = self.client.get(LIST_URL + "?kind=protocol&kind=directive")
        self.assertEqual(
            notices(response), ["“Kind” takes one choice at a time: showing “Protocol” only."]
        )
        self.assertEqual(listed(response), ["trafficking-in-persons-protocol"])

    def test_nul_characters_and_unknown_parameters_do_no_harm(self):
        response = self.client.get(
            LIST_URL, {"q": "saarc\x00", "mechanism": "\x00", "utm_source": "x"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(listed(response), ["saarc-convention"])

    def test_odd_page_numbers(self):
        for page in ("abc", "0", "-1", "1.5", "", "9" * 5000):
            with self.subTest(page=page[:10]):
                response = self.client.get(LIST_URL, {"page": page})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["page"].number, 1)

    def test_only_get_and_head_are_allowed(self):
        self.assertEqual(self.client.post(LIST_URL).status_code, 405)
        self.assertEqual(self.client.head(LIST_URL).status_code, 200)
        self.assertEqual(self.client.head(self.untoc.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.head("/cooperation/").status_code, 200)


class InstrumentDetailTests(CooperationData, TestCase):
    def test_summary_key_facts_and_addresses(self):
        response = self.client.get(self.untoc.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "<h1>United Nations Convention against Transnational Organized Crime</h1>",
            html=True,
        )
        self.assertContains(
            response, "<title>UNTOC · Instruments · TIP Cooperation Portal</title>", html=True
        )
        for fact in (
            "15 November 2000, at New York",
            "29 September 2003",
            "A/RES/55/25",
            "163 (as of the paper (2011))",
            "Legally binding",
            "Global",
        ):
            self.assertContains(response, fact)
        self.assertContains(
            response,
            '<a href="/organizations/un-general-assembly/">United Nations General Assembly</a>',
            html=True,
        )
        text = response.text
        self.assertLess(
            text.index("https://www.unodc.org/untoc/"),
            text.index("http://www.unodc.org/untoc-old.html"),
        )
        self.assertContains(response, "Address given by the paper (2011)")

    def test_breadcrumbs_lead_back_to_the_list(self):
        response = self.client.get(self.untoc.get_absolute_url())
        self.assertContains(response, '<a href="/instruments/">Instruments</a>', html=True)
        self.assertContains(response, '<span aria-current="page">UNTOC</span>', html=True)

    def test_provisions_are_grouped_by_category_with_article_note_and_source(self):
        response = self.client.get(self.untoc.get_absolute_url())
        text = response.text
        judicial, police = (
            text.index("<h3>Judicial cooperation</h3>"),
            text.index("<h3>Law enforcement cooperation</h3>"),
        )
        self.assertLess(judicial, text.index("Extradition</a>: art. 16"))
        self.assertLess(text.index("Mutual legal assistance</a>: art. 18"), police)
        self.assertLess(police, text.index("Joint investigations</a>: art. 19"))
        self.assertContains(response, 'id="provision-extradition"')
        self.assertContains(response, "Offences covered by the Convention are extraditable.")
        self.assertContains(response, '<a href="/source/#para-7">Paragraph 7</a>', html=True)

    def test_supplements_and_supplemented_by(self):
        response = self.client.get(self.protocol.get_absolute_url())
        self.assertContains(response, "<dt>Supplements</dt>", html=True)
        self.assertContains(
            response, f'<a href="/instruments/untoc/">{self.untoc.title}</a>', html=True
        )
        response = self.client.get(self.untoc.get_absolute_url())
        self.assertContains(response, "<dt>Supplemented by</dt>", html=True)
        self.assertContains(response, self.protocol.title)
        self.assertNotContains(response, "Draft treaty on hot pursuit")  # drafts never linked

    def test_replaces_and_replaced_by(self):
        response = self.client.get(self.directive.get_absolute_url())
        self.assertContains(response, "<dt>Replaces</dt>", html=True)
        self.assertContains(response, "Council Framework Decision 2002/629/JHA")
        response = self.client.get(self.framework_decision.get_absolute_url())
        self.assertContains(response, "<dt>Replaced by</dt>", html=True)
        self.assertContains(response, self.directive.title)

    def test_a_draft_neighbour_is_not_linked(self):
        Instrument.objects.filter(pk=self.untoc.pk).update(status=DRAFT)
        response = self.client.get(self.protocol.get_absolute_url())
        self.assertNotContains(response, "<dt>Supplements</dt>", html=True)
        self.assertNotContains(response, "/instruments/untoc/")

    def test_published_tools_only(self):
        response = self.client.get(self.untoc.get_absolute_url())
        self.assertContains(
            response,
            '<a href="/resources/unodc-toolkit/">Toolkit to Combat Trafficking in Persons</a>',
            html=True,
        )
        self.assertNotContains(response, "Unfinished extradition guide")

    def test_sources_are_quoted_with_their_link(self):
        response = self.client.get(self.pcc_see.get_absolute_url())
        self.assertContains(response, "envisages hot pursuit and joint investigation teams")
        self.assertContains(response, 'href="/source/#para-23"')

    def test_drafts_and_unknown_slugs_are_not_found(self):
        self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get("/instruments/no-such-instrument/").status_code, 404)


class MechanismPagesTests(CooperationData, TestCase):
    def test_list_groups_mechanisms_by_category_with_anchors_and_counts(self):
        response = self.client.get(reverse("instruments:mechanism_list"))
        self.assertEqual(response.status_code, 200)
        text = response.text
        for slug in ("judicial", "law-enforcement", "victims"):
            self.assertIn(f'id="{slug}"', text)
            self.assertIn(f'href="#{slug}"', text)
        self.assertLess(text.index('id="judicial"'), text.index("/cooperation/extradition/"))
        self.assertLess(text.index("/cooperation/extradition/"), text.index('id="law-enforcement"'))
        # Hot pursuit: PCC SEE only (the draft treaty does not count); the toolkit counts
        # through its part Tool 5.10, as on the hot pursuit page.
        hot_pursuit = re.search(r"/cooperation/hot-pursuit/.*?</li>", text, re.S).group(0)
        self.assertIn("1 binding instrument, 1 tool", hot_pursuit)
        repatriation = re.search(r"/cooperation/repatriation/.*?</li>", text, re.S).group(0)
        self.assertIn("2 binding instruments, 0 tools", repatriation)
        extradition = re.search(r"/cooperation/extradition/.*?</li>", text, re.S).group(0)
        # The Principles are not binding: counted apart. The draft tool does not count.
        self.assertIn("1 binding instrument, 1 not binding, 1 tool", extradition)

    def test_detail_lists_instruments_with_articles_but_no_drafts(self):
        response = self.client.get(self.hot_pursuit.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "PCC SEE, art. 14")
        self.assertNotContains(response, "Draft hot pursuit treaty")
        response = self.client.get(self.extradition.get_absolute_url())
        self.assertContains(response, "UNTOC, art. 16")
        self.assertContains(response, "OHCHR Principles and Guidelines, Principle 14")
        self.assertContains(response, "Formal cooperation")
        self.assertContains(response, 'href="/instruments/?mechanism=extradition"')

    def test_detail_lists_tools_with_their_relevant_parts(self):
        response = self.client.get(self.extradition.get_absolute_url())
        self.assertContains(
            response,
            '<a href="/resources/unodc-toolkit/#part-tool-4-1">Toolkit, Tool 4.1</a>',
            html=True,
        )
        self.assertNotContains(response, "Tool 5.10")
        self.assertNotContains(response, "Unfinished extradition guide")
        # A tool reached only through one of its parts is listed too.
        response = self.client.get(self.hot_pursuit.get_absolute_url())
        self.assertContains(
            response,
            '<a href="/resources/unodc-toolkit/">Toolkit to Combat Trafficking in Persons</a>',
            html=True,
        )
        self.assertContains(response, "Toolkit, Tool 5.10")

    def test_parts_of_draft_tools_are_not_listed(self):
        make_part(
            self.draft_tool, "secret-part", label="Secret part", mechanisms=[self.extradition]
        )
        response = self.client.get(self.extradition.get_absolute_url())
        self.assertNotContains(response, "Secret part")

    def test_detail_shows_guidance_by_kind_and_sources(self):
        response = self.client.get(self.extradition.get_absolute_url())
        self.assertContains(response, "<h3>Challenge</h3>", html=True)
        self.assertContains(response, "<h3>Measure</h3>", html=True)
        self.assertContains(
            response,
            '<a href="/guidance/slow-judicial-cooperation/">Slow '
            "processes in international judicial cooperation</a>",
            html=True,
        )
        self.assertContains(response, "covered by the Convention: extradition")
        self.assertContains(response, 'href="/source/#para-7"')

    def test_unknown_mechanism_is_not_found(self):
        self.assertEqual(self.client.get("/cooperation/nope/").status_code, 404)


class OrganizationPageTests(CooperationData, TestCase):
    def test_lists_published_instruments_and_tools(self):
        response = self.client.get(self.saarc.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "SAARC Convention on Preventing")
        self.assertNotContains(response, "Draft treaty on hot pursuit")
        response = self.client.get(self.unodc.get_absolute_url())
        self.assertContains(response, "Toolkit to Combat Trafficking in Persons")
        self.assertNotContains(response, "Unfinished extradition guide")
        self.assertContains(response, 'href="/resources/?publisher=unodc"')

    def test_unknown_organization_is_not_found(self):
        self.assertEqual(self.client.get("/organizations/nope/").status_code, 404)


class ManyRecordsTests(TestCase):
    """Pages need a fixed number of queries however many records there are."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            passages = [make_passage(n) for n in range(1, 8)]
            categories = [make_category(f"area-{n}", position=n) for n in range(3)]
            cls.mechanisms = [
                make_mechanism(
                    f"mechanism-{n:02}", category=categories[n % 3], sources=passages[:3]
                )
                for n in range(12)
            ]
            organizations = [make_organization(f"organization-{n}") for n in range(4)]
            audiences = [make_audience(f"audience-{n}") for n in range(3)]
            cls.instruments = []
            for n in range(30):
                instrument = make_instrument(
                    f"instrument-{n:02}",
                    adopted_by=organizations[n % 4],
                    scope="regional" if n % 2 else "global",
                    region=f"Region {n % 3}" if n % 2 else "",
                    kind=["convention", "protocol", "directive"][n % 3],
                    legally_binding=bool(n % 5),
                    sources=passages[n % 5 : n % 5 + 3],
                    supplements=cls.instruments[0] if n else None,
                    status=DRAFT if n % 10 == 9 else PublicationStatus.PUBLISHED,
                )
                for m in range(4):
                    make_provision(
                        instrument,
                        cls.mechanisms[(n + m) % 12],
                        article=f"art. {m}",
                        sources=passages[m : m + 2],
                        note="A *note*.",
                    )
                cls.instruments.append(instrument)
            for n in range(20):
                tool = make_tool(
                    f"tool-{n:02}",
                    publisher=organizations[n % 4],
                    mechanisms=cls.mechanisms[n % 12 : n % 12 + 3],
                    instruments=cls.instruments[:3],
                    audiences=audiences[: n % 3 + 1],
                    sources=passages[:2],
                )
                for m in range(3):
                    make_part(
                        tool,
                        f"part-{m}",
                        mechanisms=cls.mechanisms[m : m + 2],
                        sources=passages[:1],
                    )
            for n in range(10):
                make_guidance(f"guidance-{n}", mechanisms=cls.mechanisms[:6], sources=passages[:2])

    def test_instrument_list_queries(self):
        # The validators (editorial/conditional.py), 4 facet choice lists, the counts kept
        # beside the index (the total and every facet's, in one), the page, its provisions.
        with self.assertNumQueries(1 + 7):
            response = self.client.get(LIST_URL)
        self.assertEqual(len(listed(response)), 20)
        # Searched by words: 4 choice lists, one statement for the page's ids, the count and
        # every facet's counts, the page, its provisions; and the validators.
        with self.assertNumQueries(1 + 7):
            response = self.client.get(
                LIST_URL + "?mechanism=mechanism-01&mechanism=mechanism-02&scope=regional"
                "&binding=yes&q=instrument&page=1"
            )
        self.assertTrue(listed(response))

    def test_instrument_list_paginates_and_keeps_the_filters(self):
        response = self.client.get(LIST_URL, {"kind": "convention", "scope": "global"})
        self.assertEqual(response.context["page"].paginator.count, 5)
        response = self.client.get(LIST_URL)
        self.assertEqual(response.context["page"].paginator.count, 27)
        self.assertContains(response, 'href="/instruments/?page=2"')
        response = self.client.get(LIST_URL, {"binding": "yes", "page": "2"})
        self.assertEqual(response.context["page"].number, 2)
        self.assertContains(response, 'href="/instruments/?binding=yes&amp;page=1"')
        response = self.client.get(LIST_URL, {"page": "999999"})
        self.assertEqual(response.context["page"].number, 2)  # past the end: the last page

    def test_instrument_detail_queries(self):
        # instrument (with adopted by, supplements, replaces), provisions, their sources,
        # supplemented by, replaced by, tools, sources; the validators (whose state of the
        # content also keys the party table's kept HTML); the party table's "is anything
        # recorded?", unless it is kept. The tests of this class share one state of the
        # content: start with nothing kept.
        caches["default"].clear()
        with self.assertNumQueries(1 + 7 + 1):
            response = self.client.get(self.instruments[0].get_absolute_url())
        self.assertContains(response, "Supplemented by")
        with self.assertNumQueries(1 + 7 + 1):
            self.client.get(self.instruments[5].get_absolute_url())
        with self.assertNumQueries(1 + 7):  # the party table kept
            self.client.get(self.instruments[5].get_absolute_url())

    def test_mechanism_list_queries(self):
        with self.assertNumQueries(1 + 2):  # the validators, then the page's
            response = self.client.get(reverse("instruments:mechanism_list"))
        self.assertContains(response, "/cooperation/mechanism-11/")

    def test_mechanism_detail_queries(self):
        # mechanism, provisions, their sources, tools, tool parts, guidance, sources; the
        # validators; the pathfinder's form (participants, forms of cooperation).
        with self.assertNumQueries(1 + 7 + 2):
            response = self.client.get(self.mechanisms[1].get_absolute_url())
        self.assertContains(response, "Tools that help")

    def test_organization_detail_queries(self):
        with self.assertNumQueries(1 + 4):  # the validators, then the page's
            response = self.client.get(
                reverse("instruments:organization_detail", args=["organization-1"])
            )
        self.assertContains(response, "Tools it publishes")


class FirstToolsTests(TestCase):
    """An organization's and an instrument's pages list their first TOOLS_SHOWN published
    tools by title, as a form of cooperation's does, and link to the rest in the tools list;
    what they cost does not grow with the number of tools."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.unodc = make_organization("unodc", name="UNODC")
            cls.untoc = make_instrument("untoc", title="UNTOC")
            # Titles made out of order (every seventh of 25): the pages sort them.
            cls.titles = [f"Tool {(7 * n) % 25:02}" for n in range(TOOLS_SHOWN + 5)]
            for n, title in enumerate(cls.titles):
                make_tool(f"tool-{n}", title=title, publisher=cls.unodc, instruments=[cls.untoc])
            # A draft, first by title: neither listed nor counted.
            make_tool(
                "draft", title="A draft", publisher=cls.unodc, instruments=[cls.untoc], status=DRAFT
            )
            cls.few = make_organization("few", name="Few")
            cls.few_instrument = make_instrument("few-instrument")
            for n in range(2):
                make_tool(f"few-{n}", publisher=cls.few, instruments=[cls.few_instrument])

    def tools_shown(self, response):
        html = response.content.decode()
        section = re.search(r'id="tools-heading".*?</section>', html, re.S).group(0)
        return re.findall(r'<li>\s*<a href="/resources/[^"]+/">([^<]+)</a>', section), html

    def test_the_first_tools_by_title_and_a_link_to_all(self):
        first = sorted(self.titles)[:TOOLS_SHOWN]
        total = len(self.titles)
        for url, query in [
            (self.unodc.get_absolute_url(), "publisher=unodc"),
            (self.untoc.get_absolute_url(), "instrument=untoc"),
        ]:
            with self.subTest(url):
                titles, html = self.tools_shown(self.client.get(url))
                self.assertEqual(titles, first)
                self.assertNotIn("A draft", html)
                self.assertInHTML(
                    f'<a href="/resources/?{query}">The first {TOOLS_SHOWN} of {total}, by '
                    "title: see them all in the tools list.</a>",
                    html,
                )
                # The tools list it links to lists as many.
                listed_there = self.client.get(f"/resources/?{query}")
                self.assertEqual(listed_there.context["page"].paginator.count, total)
        self.assertNotContains(
            self.client.get(self.unodc.get_absolute_url()), "Filter the tools by this publisher"
        )

    def test_all_tools_when_they_are_few(self):
        for url in (self.few.get_absolute_url(), self.few_instrument.get_absolute_url()):
            with self.subTest(url):
                titles, html = self.tools_shown(self.client.get(url))
                self.assertEqual(len(titles), 2)
                self.assertNotIn("see them all in the tools list", html)
        self.assertContains(
            self.client.get(self.few.get_absolute_url()),
            'href="/resources/?publisher=few">Filter the tools by this publisher',
        )

    def test_the_same_queries_for_2_tools_as_for_25(self):
        # Each page rendered in full: the instrument pages' party tables are kept for each state
        # of the content, which the tests of this class share.
        caches["default"].clear()
        for many, few in [(self.unodc, self.few), (self.untoc, self.few_instrument)]:
            with self.subTest(many.slug):
                with CaptureQueriesContext(connection) as context:
                    self.client.get(few.get_absolute_url())
                with self.assertNumQueries(len(context.captured_queries)):
                    self.client.get(many.get_absolute_url())


class PaperDataTests(FixtureTestCase):
    """The pages over the portal's own fixtures: the paper's instruments and mechanisms."""

    def test_hot_pursuit_is_in_the_south_east_europe_police_convention_not_saarc(self):
        response = self.client.get(LIST_URL, {"mechanism": "hot-pursuit"})
        self.assertIn("see-police-convention", listed(response))
        self.assertNotIn("saarc-convention", listed(response))

    def test_every_published_page_renders(self):
        for instrument in Instrument.objects.published():
            with self.subTest(instrument.slug):
                self.assertEqual(self.client.get(instrument.get_absolute_url()).status_code, 200)
        for url in ("/cooperation/", "/cooperation/extradition/", "/organizations/unodc/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
