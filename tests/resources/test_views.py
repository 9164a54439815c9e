"""The tools list and tool pages: filters, facets, pagination, bad input and query counts."""

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from editorial.records import PublicationStatus
from resources.models import Tool, ToolPart
from tests.factories import (
    make_audience,
    make_category,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_passage,
    make_tool,
)
from tests.helpers import FixtureTestCase, facet_counts, indexed, listed, notices

DRAFT = PublicationStatus.DRAFT
LIST_URL = reverse("resources:tool_list")


class ToolData:
    """The paper's annex: UNODC's model laws, manual, MLA tool, directory and toolkit, the
    OHCHR commentary, the ASEAN handbook and guidelines, INTERPOL's model agreement, a draft."""

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.annex = make_passage(
                1,
                kind="annex",
                heading="UNODC Model Law against Trafficking in Persons",
                text="The Model Law against Trafficking in Persons "
                "has been developed to assist States.",
            )
            cls.fn10 = make_passage(
                10,
                kind="footnote",
                text="See www.unodc.org/documents/human-trafficking/TIP_module6_Ebook.pdf.",
            )
            judicial = make_category("judicial", name="Judicial cooperation")
            police = make_category("law-enforcement", name="Law enforcement cooperation")
            cls.extradition = make_mechanism("extradition", name="Extradition", category=judicial)
            cls.mla = make_mechanism(
                "mutual-legal-assistance", name="Mutual legal assistance", category=judicial
            )
            cls.police = make_mechanism(
                "police-cooperation", name="Police cooperation", category=police
            )
            cls.unodc = make_organization(
                "unodc", name="United Nations Office on Drugs and Crime", short_name="UNODC"
            )
            cls.ohchr = make_organization(
                "ohchr", name="Office of the High Commissioner for Human Rights", short_name="OHCHR"
            )
            cls.asean = make_organization(
                "asean",
                name="Association of Southeast Asian Nations",
                short_name="ASEAN",
                kind="regional-organization",
            )
            cls.interpol = make_organization(
                "interpol", name="INTERPOL", kind="international-organization"
            )
            cls.untoc = make_instrument(
                "untoc",
                title="UN Convention against Transnational Organized Crime",
                short_title="UNTOC",
            )
            cls.protocol = make_instrument(
                "trafficking-in-persons-protocol",
                kind="protocol",
                title="Trafficking in Persons Protocol",
            )
            cls.draft_instrument = make_instrument(
                "draft-instrument", title="Draft instrument", status=DRAFT
            )
            cls.prosecutors = make_audience("prosecutors", name="Prosecutors", position=1)
            cls.central = make_audience(
                "central-authorities", name="Central authorities", position=2
            )
            cls.police_officers = make_audience("police", name="Police", position=3)

            cls.model_law_tip = make_tool(
                "unodc-model-law-trafficking",
                title="UNODC Model Law against Trafficking in Persons",
                short_title="Model Law against Trafficking",
                kind="model-law",
                publisher=cls.unodc,
                year=2009,
                instruments=[cls.protocol, cls.draft_instrument],
                audiences=[cls.prosecutors],
                sources=[cls.annex],
            )
            cls.model_law_mla = make_tool(
                "unodc-model-law-mla",
                title="UNODC Model Law on Mutual Assistance in Criminal Matters",
                kind="model-law",
                publisher=cls.unodc,
                year=2007,
                mechanisms=[cls.mla],
                instruments=[cls.untoc],
                audiences=[cls.central],
            )
            cls.manual = make_tool(
                "unodc-manual",
                title="Anti-Human Trafficking Manual for Criminal Justice Practitioners",
                short_title="Manual",
                kind="manual",
                publisher=cls.unodc,
                mechanisms=[cls.extradition, cls.mla],
                instruments=[cls.protocol],
                audiences=[cls.prosecutors, cls.police_officers],
                url="http://www.unodc.org/documents/human-trafficking/TIP_module6_Ebook.pdf",
                current_url="https://www.unodc.org/unodc/en/human-trafficking/manual.html",
                sources=[cls.annex, cls.fn10],
            )
            make_part(
                cls.manual,
                "module-6",
                label="Module 6",
                kind=ToolPart.Kind.MODULE,
                title="International cooperation in trafficking in persons cases",
                mechanisms=[cls.extradition, cls.mla],
                sources=[cls.fn10],
                url="http://www.unodc.org/documents/human-trafficking/TIP_module6_Ebook.pdf",
            )
            cls.mla_tool = make_tool(
                "unodc-mla-tool",
                title="Mutual Legal Assistance Request Writer Tool",
                kind="online-tool",
                publisher=cls.unodc,
                mechanisms=[cls.mla],
                instruments=[cls.untoc],
                audiences=[cls.central],
            )
            cls.directory = make_tool(
                "unodc-cna-directory",
                title="Competent National Authorities Online Directory",
                kind="directory",
                publisher=cls.unodc,
                mechanisms=[cls.extradition, cls.mla],
                instruments=[cls.untoc],
                audiences=[cls.central],
            )
            cls.commentary = make_tool(
                "ohchr-commentary",
                title="Recommended Principles and Guidelines on Human Rights and Human "
                "Trafficking: Commentary",
                kind="commentary",
                publisher=cls.ohchr,
                mechanisms=[cls.extradition],
            )
            cls.handbook = make_tool(
                "asean-handbook",
                title="ASEAN Handbook on International Legal Cooperation in Trafficking in Persons "
                "Cases",
                kind="handbook",
                publisher=cls.asean,
                mechanisms=[cls.extradition, cls.mla],
                audiences=[cls.prosecutors, cls.central],
            )
            cls.interpol_model = make_tool(
                "interpol-model-agreement",
                title="Model [bilateral] police cooperation agreement",
                kind="model-agreement",
                publisher=cls.interpol,
                mechanisms=[cls.police],
                audiences=[cls.police_officers],
            )
            cls.draft = make_tool(
                "unodc-draft-model-law",
                title="Draft model law on hot pursuit",
                kind="model-law",
                status=DRAFT,
                publisher=cls.unodc,
                mechanisms=[cls.extradition, cls.mla, cls.police],
                instruments=[cls.untoc],
                audiences=[cls.prosecutors],
            )
            cls.published_slugs = {
                "unodc-model-law-trafficking",
                "unodc-model-law-mla",
                "unodc-manual",
                "unodc-mla-tool",
                "unodc-cna-directory",
                "ohchr-commentary",
                "asean-handbook",
                "interpol-model-agreement",
            }


class ToolListTests(ToolData, TestCase):
    def test_lists_published_tools_only(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(listed(response)), self.published_slugs)
        self.assertContains(response, "8 tools")
        self.assertNotContains(response, "Draft model law on hot pursuit")

    def test_publisher_and_kind(self):
        response = self.client.get(LIST_URL, {"publisher": "unodc", "kind": "model-law"})
        self.assertEqual(
            set(listed(response)), {"unodc-model-law-trafficking", "unodc-model-law-mla"}
        )
        self.assertEqual(response.context["page"].paginator.count, 2)

    def test_each_filter(self):
        cases = {
            "kind=handbook": {"asean-handbook"},
            "publisher=ohchr": {"ohchr-commentary"},
            "mechanism=police-cooperation": {"interpol-model-agreement"},
            "instrument=untoc": {"unodc-model-law-mla", "unodc-mla-tool", "unodc-cna-directory"},
            "instrument=trafficking-in-persons-protocol": {
                "unodc-model-law-trafficking",
                "unodc-manual",
            },
            "audience=police": {"unodc-manual", "interpol-model-agreement"},
            "audience=central-authorities": {
                "unodc-model-law-mla",
                "unodc-mla-tool",
                "unodc-cna-directory",
                "asean-handbook",
            },
            "q=asean": {"asean-handbook"},
            "q=MODEL": {
                "unodc-model-law-trafficking",
                "unodc-model-law-mla",
                "interpol-model-agreement",
            },
            "q=Manual": {"unodc-manual"},  # the short title
        }
        for query, expected in cases.items():
            with self.subTest(query):
                response = self.client.get(f"{LIST_URL}?{query}")
                self.assertEqual(set(listed(response)), expected)
                self.assertEqual(len(listed(response)), len(expected))

    def test_repeated_mechanism_needs_all_of_them(self):
        response = self.client.get(LIST_URL, {"mechanism": "extradition"})
        self.assertEqual(
            set(listed(response)),
            {"unodc-manual", "unodc-cna-directory", "ohchr-commentary", "asean-handbook"},
        )
        response = self.client.get(
            LIST_URL + "?mechanism=extradition&mechanism=mutual-legal-assistance"
        )
        self.assertEqual(
            set(listed(response)), {"unodc-manual", "unodc-cna-directory", "asean-handbook"}
        )
        response = self.client.get(LIST_URL + "?mechanism=extradition&mechanism=police-cooperation")
        self.assertEqual(listed(response), [])  # only the draft has both

    def test_a_tool_helps_with_the_mechanisms_of_its_parts(self):
        with indexed():
            make_part(self.handbook, "chapter-police", label="Chapter 9", mechanisms=[self.police])
            make_part(self.draft, "draft-part", label="Part 1", mechanisms=[self.police])
        response = self.client.get(LIST_URL, {"mechanism": "police-cooperation"})
        self.assertEqual(set(listed(response)), {"interpol-model-agreement", "asean-handbook"})
        self.assertEqual(facet_counts(response, "mechanism")["police-cooperation"], 2)
        response = self.client.get(LIST_URL + "?mechanism=police-cooperation&mechanism=extradition")
        self.assertEqual(listed(response), ["asean-handbook"])
        self.assertEqual(
            facet_counts(response, "mechanism"),
            {"extradition": 1, "mutual-legal-assistance": 1, "police-cooperation": 1},
        )

    def test_facets_count_the_current_results_without_drafts(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(
            facet_counts(response, "kind"),
            {
                "model-law": 2,
                "manual": 1,
                "online-tool": 1,
                "directory": 1,
                "commentary": 1,
                "handbook": 1,
                "model-agreement": 1,
            },
        )
        self.assertEqual(
            facet_counts(response, "publisher"), {"unodc": 5, "ohchr": 1, "asean": 1, "interpol": 1}
        )
        self.assertEqual(
            facet_counts(response, "mechanism"),
            {"extradition": 4, "mutual-legal-assistance": 5, "police-cooperation": 1},
        )
        # The draft instrument is no choice, though a published tool serves it.
        self.assertEqual(
            facet_counts(response, "instrument"), {"untoc": 3, "trafficking-in-persons-protocol": 2}
        )
        self.assertEqual(
            facet_counts(response, "audience"),
            {"prosecutors": 3, "central-authorities": 4, "police": 2},
        )
        response = self.client.get(LIST_URL, {"publisher": "unodc"})
        self.assertEqual(
            facet_counts(response, "audience"),
            {"prosecutors": 2, "central-authorities": 3, "police": 1},
        )
        self.assertEqual(facet_counts(response, "publisher"), {"unodc": 5})

    def test_facet_links_keep_filters_and_reset_page(self):
        response = self.client.get(LIST_URL, {"publisher": "unodc", "page": "1"})
        self.assertContains(response, 'href="/resources/?publisher=unodc&amp;kind=model-law"')
        self.assertRegex(
            response.text,
            r'<a href="/resources/" aria-current="true"><span class="facet__label">United '
            r"Nations Office on Drugs and Crime</span>",
        )

    def test_rows_show_publisher_kind_year_audiences(self):
        response = self.client.get(LIST_URL, {"kind": "model-law"})
        self.assertContains(
            response,
            '<a href="/resources/unodc-model-law-mla/">UNODC Model Law '
            "on Mutual Assistance in Criminal Matters</a>",
            html=True,
        )
        self.assertContains(response, "UNODC · 2007")
        self.assertContains(response, "For: Central authorities")

    def test_empty_state_helps_widen_the_search(self):
        response = self.client.get(LIST_URL, {"publisher": "interpol", "kind": "handbook"})
        self.assertEqual(listed(response), [])
        self.assertContains(response, "0 tools")
        self.assertContains(response, "No tool matches all of these filters.")
        self.assertContains(response, '<a href="/resources/">see all tools</a>', html=True)
        self.assertContains(response, "Remove a filter")
        # One filter chosen: the advice speaks of that one, and of a form of cooperation.
        response = self.client.get(LIST_URL, {"mechanism": "extradition", "kind": "online-tool"})
        self.assertEqual(listed(response), [])
        self.assertContains(response, "Remove a filter")
        self.assertContains(response, "together with the other filters")
        self.assertNotContains(response, "remove one of them")
        response = self.client.get(LIST_URL, {"kind": "directory", "publisher": "interpol"})
        self.assertNotContains(response, "every form of cooperation you choose")


class ToolListBadInputTests(ToolData, TestCase):
    def test_unknown_values_give_a_notice_and_unfiltered_results(self):
        for name in ("kind", "publisher", "mechanism", "instrument", "audience"):
            with self.subTest(name):
                response = self.client.get(LIST_URL, {name: "nope"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(notices(response)), 1)
                self.assertIn("“nope” is not a known choice", notices(response)[0])
                self.assertEqual(set(listed(response)), self.published_slugs)

    def test_a_draft_instrument_is_an_unknown_choice(self):
        response = self.client.get(LIST_URL, {"instrument": "draft-instrument"})
        self.assertEqual(len(notices(response)), 1)
        self.assertEqual(set(listed(response)), self.published_slugs)

    def test_script_in_a_value_is_escaped(self):
        response = self.client.get(LIST_URL, {"kind": "<script>alert(1)</script>"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", notices(response)[0])

    def test_too_long_values(self):
        long_value = "é" * (settings.MAX_QUERY_LENGTH + 1)
        for name in ("q", "publisher", "mechanism"):
            with self.subTest(name):
                response = self.client.get(LIST_URL, {name: long_value})
                self.assertEqual(response.status_code, 200)
                self.assertIn("longer than", notices(response)[0])
                self.assertEqual(set(listed(response)), self.published_slugs)

    def test_repeated_single_choice_keeps_the_first(self):
        response = self.client.get(LIST_URL + "?publisher=ohchr&publisher=asean")
        self.assertEqual(listed(response), ["ohchr-commentary"])
        self.assertEqual(len(notices(response)), 1)

    def test_only_get_and_head_are_allowed(self):
        self.assertEqual(self.client.post(LIST_URL).status_code, 405)
        self.assertEqual(self.client.head(LIST_URL).status_code, 200)
        self.assertEqual(self.client.head(self.manual.get_absolute_url()).status_code, 200)


class ToolDetailTests(ToolData, TestCase):
    def test_description_facts_and_addresses(self):
        response = self.client.get(self.manual.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "<h1>Anti-Human Trafficking Manual for Criminal Justice Practitioners</h1>",
            html=True,
        )
        self.assertContains(
            response,
            '<a href="/organizations/unodc/">United Nations Office on Drugs and Crime</a>',
            html=True,
        )
        self.assertContains(response, "<dt>Address given by the paper (2011)</dt>", html=True)
        text = response.text
        self.assertLess(
            text.index("<dt>Current address</dt>"),
            text.index("<dt>Address given by the paper (2011)</dt>"),
        )
        self.assertContains(response, '<a href="/resources/?audience=police">Police</a>', html=True)

    def test_parts_with_anchors_and_what_they_serve(self):
        response = self.client.get(self.manual.get_absolute_url())
        self.assertContains(response, 'id="part-module-6"')
        self.assertContains(
            response, "Module 6: International cooperation in trafficking in persons cases"
        )
        self.assertContains(
            response, '<a href="/cooperation/extradition/">Extradition</a>', html=True
        )
        self.assertContains(response, '<a href="/source/#fn-10">Footnote 10</a>', html=True)

    def test_instruments_it_serves_are_published_only(self):
        response = self.client.get(self.model_law_tip.get_absolute_url())
        self.assertContains(
            response,
            '<a href="/instruments/trafficking-in-persons-protocol/">'
            "Trafficking in Persons Protocol</a>",
            html=True,
        )
        self.assertNotContains(response, "Draft instrument")

    def test_sources_are_quoted(self):
        response = self.client.get(self.model_law_tip.get_absolute_url())
        self.assertContains(response, "has been developed to assist States")
        self.assertContains(response, 'href="/source/#annex-1"')

    def test_draft_and_unknown_tools_are_not_found(self):
        self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get("/resources/no-such-tool/").status_code, 404)


class ManyToolsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            passages = [make_passage(n) for n in range(1, 6)]
            mechanisms = [make_mechanism(f"mechanism-{n:02}") for n in range(8)]
            instruments = [make_instrument(f"instrument-{n}") for n in range(5)]
            publishers = [make_organization(f"publisher-{n}") for n in range(4)]
            audiences = [make_audience(f"audience-{n}") for n in range(4)]
            kinds = [kind for kind, _ in Tool.Kind.choices]
            cls.tools = []
            for n in range(45):
                tool = make_tool(
                    f"tool-{n:02}",
                    title=f"Tool {n:02}",
                    kind=kinds[n % len(kinds)],
                    publisher=publishers[n % 4],
                    year=2000 + n % 12,
                    mechanisms=mechanisms[n % 8 : n % 8 + 3],
                    instruments=instruments[n % 5 : n % 5 + 2],
                    audiences=audiences[: n % 4 + 1],
                    sources=passages[n % 3 : n % 3 + 2],
                )
                for m in range(3):
                    make_part(
                        tool,
                        f"part-{m}",
                        label=f"Part {m}",
                        mechanisms=mechanisms[m : m + 2],
                        sources=passages[:2],
                    )
                cls.tools.append(tool)
            make_tool("draft-tool", status=DRAFT, publisher=publishers[0])

    def test_twenty_per_page(self):
        response = self.client.get(LIST_URL)
        self.assertEqual(response.context["page"].paginator.count, 45)
        self.assertEqual(listed(response), [f"tool-{n:02}" for n in range(20)])
        response = self.client.get(LIST_URL, {"page": "3"})
        self.assertEqual(listed(response), [f"tool-{n:02}" for n in range(40, 45)])

    def test_page_numbers_as_typed(self):
        """page=abc, 0 or a negative number gives page 1; past the end gives the last page."""
        expected = {"abc": 1, "0": 1, "-2": 1, "": 1, "2": 2, "3": 3, "4": 3, "999999": 3}
        for raw, number in expected.items():
            with self.subTest(page=raw):
                response = self.client.get(LIST_URL, {"page": raw})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["page"].number, number)

    def test_page_links_keep_the_filters(self):
        response = self.client.get(LIST_URL, {"publisher": "publisher-1", "q": "tool"})
        self.assertEqual(response.context["page"].paginator.count, 11)
        self.assertNotContains(response, "page=2")  # one page only
        response = self.client.get(LIST_URL, {"audience": "audience-0", "page": "2"})
        self.assertContains(response, 'href="/resources/?audience=audience-0&amp;page=1"')
        self.assertContains(response, 'href="/resources/?audience=audience-0&amp;page=3"')
        self.assertContains(response, 'aria-current="page"')
        self.assertContains(response, 'rel="next"')
        self.assertContains(response, 'rel="prev"')

    def test_list_queries(self):
        # The validators (editorial/conditional.py), 4 facet choice lists, the counts kept
        # beside the index (the total and every facet's, in one), the page, audiences,
        # mechanisms.
        with self.assertNumQueries(1 + 8):
            response = self.client.get(LIST_URL)
        self.assertEqual(len(listed(response)), 20)
        # Searched by words: 4 choice lists, one statement for the page's ids, the count and
        # every facet's counts, the page's tools, audiences, mechanisms; and the validators.
        with self.assertNumQueries(1 + 8):
            response = self.client.get(
                LIST_URL + "?mechanism=mechanism-01&mechanism=mechanism-02"
                "&audience=audience-0&q=tool&page=2"
            )
        self.assertEqual(response.context["page"].number, 2)
        self.assertEqual(len(listed(response)), 20)

    def test_detail_queries(self):
        # tool with publisher; parts, their mechanisms and sources; mechanisms; instruments;
        # audiences; sources; and the validators (editorial/conditional.py).
        with self.assertNumQueries(1 + 8):
            response = self.client.get(self.tools[7].get_absolute_url())
        self.assertContains(response, 'id="part-part-2"')


class PaperDataTests(FixtureTestCase):
    """The tools list over the portal's own fixtures: the paper's annex."""

    def test_unodc_model_laws(self):
        response = self.client.get(LIST_URL, {"publisher": "unodc", "kind": "model-law"})
        self.assertEqual(
            set(listed(response)), {"unodc-model-law-tip", "model-law-mutual-assistance-2007"}
        )

    def test_every_published_tool_page_renders(self):
        for tool in Tool.objects.published():
            with self.subTest(tool.slug):
                self.assertEqual(self.client.get(tool.get_absolute_url()).status_code, 200)
