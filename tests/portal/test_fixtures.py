"""The hand-written fixtures: they load, reload without change, and cover the whole paper."""

import datetime
import json
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.test import TestCase

from editorial import markdown
from editorial.admin import MARKDOWN_FIELDS
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from portal.content import CONTENT_APPS
from resources.models import Audience, Tool, ToolPart

# The order the Makefile loads them in (a test below keeps the two in step).
FIXTURES = [
    "source",
    "documents",
    "organizations",
    "mechanisms",
    "instruments",
    "guidance",
    "resources",
]
FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
FIXTURE_PATHS = [str(FIXTURE_DIR / f"{name}.json") for name in FIXTURES]

REQUIRED = {
    Instrument: [
        "untoc",
        "tip-protocol",
        "ohchr-principles",
        "eu-directive-2011-36",
        "eu-framework-decision-2002-629",
        "saarc-convention",
        "see-police-convention",
        "osce-action-plan",
        "global-plan-of-action",
        "drugs-convention-1988",
    ],
    Mechanism: [
        "extradition",
        "mutual-legal-assistance",
        "confiscation",
        "transfer-of-sentenced-persons",
        "transfer-of-criminal-proceedings",
        "joint-investigations",
        "special-investigative-techniques",
        "law-enforcement-cooperation",
        "information-exchange",
        "victim-identification",
        "border-cooperation",
        "document-verification",
        "repatriation",
        "risk-assessment",
        "victim-service-cooperation",
        "consular-cooperation",
        "witness-protection",
        "hot-pursuit",
        "liaison-officers",
        "cross-border-surveillance",
        "controlled-delivery",
        "undercover-investigations",
        "dna-exchange",
        "joint-threat-analysis",
        "mixed-patrols",
        "common-centres",
        "border-search-operations",
        "mixed-analysis-groups",
        "reducing-vulnerability",
        "discouraging-demand",
        "awareness-raising",
        "capacity-building",
        "research",
        "data-collection",
        "private-sector-cooperation",
        "media-cooperation",
        "central-authority",
        "harmonization-of-legislation",
        "ratification",
    ],
    Tool: [
        "unodc-model-law-tip",
        "criminal-justice-manual",
        "mla-request-writer",
        "model-law-mutual-assistance-2007",
        "cna-directory",
        "tip-toolkit-2008",
        "ohchr-commentary",
        "asean-handbook-legal-cooperation",
        "interpol-model-police-agreement",
        "asean-practitioner-guidelines",
    ],
    Organization: [
        "unodc",
        "ohchr",
        "un-general-assembly",
        "ecosoc",
        "cop-untoc",
        "eu",
        "saarc",
        "osce",
        "asean",
        "interpol",
        "ilo",
        "working-group-on-trafficking-in-persons",
    ],
    MechanismCategory: [
        "judicial-cooperation",
        "law-enforcement-cooperation",
        "victim-protection",
        "prevention",
        "capacity-and-institutions",
    ],
}

SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]")

# The records whose texts are either written from the passages they cite or are the editors'
# (Reviewable.editors_text), and the text fields of each.
REVIEWED = {
    Organization: ["description"],
    Mechanism: ["summary"],
    Instrument: ["summary"],
    CitedDocument: ["note"],
    Guidance: ["text"],
    Tool: ["description"],
}
# The date of audit 12, against which every reviewed record was checked and corrected.
AUDIT_DATE = datetime.date(2026, 12, 5)


def row_counts():
    """Rows in every table of the portal's apps, many-to-many link tables included."""
    counts = {}
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


class FixtureFileTests(TestCase):
    def test_makefile_loads_the_fixtures_in_this_order(self):
        makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
        line = re.search(r"^FIXTURES\s*:=\s*(.*)$", makefile, re.MULTILINE)
        self.assertIsNotNone(line)
        self.assertEqual(line.group(1).split(), FIXTURES)

    def test_every_fixture_file_is_in_the_load_order(self):
        on_disk = sorted(path.stem for path in FIXTURE_DIR.glob("*.json"))
        # countries.json names participants, so it is loaded after them (load_participants).
        self.assertEqual(on_disk, sorted([*FIXTURES, "countries"]))
        makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
        steps = re.search(r"^fixtures:.*?\n\n", makefile, re.MULTILINE | re.DOTALL).group(0)
        order = ["loaddata $(FIXTURES)", "load_participants", "loaddata countries"]
        order += ["import_participation $(PARTICIPATION)", "record_history"]
        self.assertEqual(sorted(order, key=steps.index), order)

    def test_records_use_natural_keys_not_numeric_ids(self):
        for path in FIXTURE_PATHS:
            for record in json.loads(Path(path).read_text(encoding="utf-8")):
                self.assertNotIn("pk", record, path)
                model = apps.get_model(record["model"])
                for field in model._meta.get_fields():
                    value = record["fields"].get(field.name)
                    if value is None or not field.is_relation:
                        continue
                    if field.many_to_many:
                        self.assertTrue(all(isinstance(v, list) for v in value), (path, field))
                    else:
                        self.assertIsInstance(value, list, (path, record, field.name))


class FixtureLoadTests(TestCase):
    def test_load_into_empty_database_then_reload_changes_nothing(self):
        self.assertEqual(sum(row_counts().values()), 0)
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)
        first = row_counts()
        self.assertEqual(first["paper_passage"], 51)
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)
        self.assertEqual(row_counts(), first)

    def test_loaddata_finds_the_fixtures_by_name_as_make_does(self):
        # `make fixtures` runs `loaddata source organizations ...`: the names must resolve,
        # which needs FIXTURE_DIRS to include the top-level fixtures/ directory.
        call_command("loaddata", *FIXTURES, verbosity=0)
        self.assertEqual(Passage.objects.count(), 51)

    def test_every_record_passes_its_models_validation(self):
        # loaddata skips validation, and SQLite does not enforce max_length: a 571-character
        # address in a 500-character field loaded here and failed only on PostgreSQL.
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)
        checked = 0
        for app in CONTENT_APPS:
            for model in apps.get_app_config(app).get_models():
                for record in model._default_manager.all():
                    with self.subTest(record=f"{model._meta.label} {record.pk}"):
                        record.full_clean(validate_unique=False, validate_constraints=False)
                        for name in MARKDOWN_FIELDS:  # the admin's cap on Markdown texts
                            text = getattr(record, name, None)
                            self.assertLessEqual(len(text or ""), markdown.MAX_LENGTH, name)
                    checked += 1
        in_files = sum(len(json.loads(Path(path).read_text())) for path in FIXTURE_PATHS)
        self.assertEqual(checked, in_files)


class FixtureContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)

    def test_required_slugs_exist(self):
        for model, slugs in REQUIRED.items():
            found = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            self.assertEqual(set(slugs) - found, set(), model.__name__)

    def test_every_record_cites_a_passage(self):
        for model in (Instrument, Mechanism, Tool, Organization, Guidance, CitedDocument):
            uncited = model.objects.filter(sources__isnull=True).values_list("slug", flat=True)
            self.assertEqual(list(uncited), [], model.__name__)
            self.assertTrue(model.objects.exists(), model.__name__)

    def test_every_provision_cites_a_passage_or_an_external_source(self):
        unsourced = Provision.objects.filter(sources__isnull=True, external_source="")
        self.assertEqual([str(p) for p in unsourced], [])
        self.assertGreater(Provision.objects.count(), 30)

    def test_the_source_document_and_its_sections(self):
        document = SourceDocument.objects.get(slug="background-paper")
        self.assertEqual(document.agenda_symbol, "CTOC/COP/WG.4/2011/1")
        self.assertEqual(str(document.distributed_on), "2011-08-02")
        self.assertEqual(
            list(Section.objects.values_list("number", flat=True)),
            ["I", "II", "III", "III.A", "III.B", "IV", "Annex"],
        )
        self.assertEqual(Section.objects.get(number="III.B").parent.number, "III")

    def test_all_twenty_four_paragraphs_have_text(self):
        paragraphs = Passage.objects.paragraphs()
        self.assertEqual(list(paragraphs.values_list("number", flat=True)), list(range(1, 25)))
        self.assertFalse(paragraphs.filter(text="").exists())
        self.assertEqual(Passage.objects.get(slug="para-7").section.slug, "overview-of-issues")
        self.assertEqual(Passage.objects.get(slug="para-15").section.number, "III.B")

    def test_paragraph_text_is_the_papers(self):
        text = dict(Passage.objects.values_list("slug", "text"))
        self.assertIn("liaison officers, hot pursuit, witness protection", text["para-23"])
        self.assertTrue(text["para-1"].startswith("In its decision 4/4, the Conference"))
        # Footnote calls are stripped; the sentence around them is intact.
        self.assertIn("discouraging demand. Trafficking in persons can be", text["para-9"])
        self.assertIn("consumer or primary demand and derived demand", text["para-12"])
        # Text split by a page of footnotes is rejoined.
        self.assertIn("States are able to cooperate to ensure that the evidence", text["para-20"])
        self.assertIn(
            "Global Reports on Trafficking in persons as mandated by the United Nations "
            "Global Plan of Action (A/RES/64/293)",
            text["para-5"],
        )
        self.assertIn("adjustments to the text to more accurately", text["annex-4"])
        # Paragraph 5's points are a list.
        self.assertEqual(text["para-5"].count("\n- "), 4)

    def test_no_passage_keeps_a_footnote_call(self):
        for slug, text in Passage.objects.values_list("slug", "text"):
            self.assertIsNone(SUPERSCRIPTS.search(text), slug)

    def test_ten_annex_entries_with_headings(self):
        annex = Passage.objects.filter(kind=Passage.Kind.ANNEX)
        self.assertEqual(list(annex.values_list("number", flat=True)), list(range(1, 11)))
        self.assertFalse(annex.filter(heading="").exists())
        self.assertFalse(annex.filter(text="").exists())
        toolkit = annex.get(heading="UNODC Toolkit to Combat Trafficking in Persons, 2008")
        self.assertIn("Tool 9.12 on Definition of the Concept of Demand", toolkit.text)

    def test_seventeen_footnotes_each_cited_in_a_paragraph_or_annex_entry(self):
        footnotes = Passage.objects.filter(kind=Passage.Kind.FOOTNOTE).select_related("cited_in")
        self.assertEqual(list(footnotes.values_list("number", flat=True)), list(range(1, 18)))
        for footnote in footnotes:
            self.assertIsNotNone(footnote.cited_in, footnote.slug)
            self.assertIn(footnote.cited_in.kind, {"paragraph", "annex"})
            self.assertGreater(footnote.position, footnote.cited_in.position, footnote.slug)
        cited_in = {f.slug: f.cited_in.slug for f in footnotes}
        self.assertEqual(cited_in["fn-1"], "para-9")
        self.assertEqual(cited_in["fn-4"], "para-19")
        self.assertEqual(cited_in["fn-10"], "annex-2")
        self.assertEqual(cited_in["fn-13"], "annex-6")

    def test_positions_follow_the_document(self):
        positions = list(Passage.objects.values_list("position", flat=True))
        self.assertEqual(len(positions), len(set(positions)))
        paragraphs = Passage.objects.paragraphs().order_by("number")
        self.assertEqual(
            list(paragraphs.values_list("position", flat=True)),
            sorted(paragraphs.values_list("position", flat=True)),
        )
        last_paragraph = paragraphs.last().position
        self.assertFalse(
            Passage.objects.filter(kind=Passage.Kind.ANNEX, position__lt=last_paragraph).exists()
        )

    def test_instrument_relations(self):
        self.assertEqual(Instrument.objects.get(slug="tip-protocol").supplements.slug, "untoc")
        directive = Instrument.objects.get(slug="eu-directive-2011-36")
        self.assertEqual(directive.replaces.slug, "eu-framework-decision-2002-629")
        self.assertEqual(Instrument.objects.get(slug="untoc").parties_count, 163)

    def test_provisions(self):
        extradition = Provision.objects.get(instrument__slug="untoc", mechanism__slug="extradition")
        self.assertEqual(extradition.article, "art. 16")
        self.assertTrue(extradition.external_source)  # the paper gives no article numbers
        self.assertTrue(
            Provision.objects.filter(
                instrument__slug="see-police-convention", mechanism__slug="hot-pursuit"
            ).exists()
        )
        self.assertTrue(
            Provision.objects.filter(
                instrument__slug="tip-protocol", mechanism__slug="repatriation"
            ).exists()
        )
        demand = Provision.objects.get(
            instrument__slug="tip-protocol", mechanism__slug="discouraging-demand"
        )
        self.assertEqual(demand.article, "art. 9(5)")
        self.assertEqual(demand.sources.get().slug, "para-9")
        self.assertEqual(
            Provision.objects.filter(instrument__slug="see-police-convention").count(), 14
        )

    def test_every_mechanism_has_a_summary_and_every_instrument_is_published(self):
        self.assertFalse(Mechanism.objects.filter(summary="").exists())
        self.assertFalse(Instrument.objects.exclude(status="published").exists())
        self.assertFalse(Tool.objects.exclude(status="published").exists())

    def test_guidance_of_every_kind(self):
        kinds = {kind: Guidance.objects.filter(kind=kind).count() for kind in Guidance.Kind.values}
        self.assertEqual(kinds, {"consideration": 4, "concept": 5, "challenge": 10, "measure": 7})
        self.assertFalse(Guidance.objects.filter(mechanisms__isnull=True).exists())

    def test_tools(self):
        directory = Tool.objects.get(slug="cna-directory")
        self.assertEqual(directory.url, "http://www.unodc.org/compauth")
        self.assertEqual(
            set(directory.instruments.values_list("slug", flat=True)),
            {"untoc", "drugs-convention-1988"},
        )
        self.assertEqual(
            set(Tool.objects.values_list("publisher__slug", flat=True)),
            {"unodc", "ohchr", "asean", "interpol"},
        )
        self.assertIn(Tool.objects.filter(featured=True).count(), {3, 4})
        self.assertEqual(
            ToolPart.objects.get(tool__slug="tip-toolkit-2008", slug="tool-9-14").title,
            "Efforts to discourage demand",
        )
        self.assertEqual(
            ToolPart.objects.get(tool__slug="criminal-justice-manual", slug="module-6").label,
            "Module 6",
        )

    def test_cited_documents(self):
        plan = CitedDocument.objects.get(symbol="A/RES/64/293")
        self.assertEqual(
            list(plan.instruments.values_list("slug", flat=True)), ["global-plan-of-action"]
        )
        for symbol in ("CTOC/COP/WG.4/2010/3", "A/RES/58/137", "ECOSOC 2006/27"):
            self.assertTrue(CitedDocument.objects.filter(symbol=symbol).exists(), symbol)
        # Every web address a footnote gives is recorded with a scheme.
        for footnote in (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17):
            documents = CitedDocument.objects.filter(sources__slug=f"fn-{footnote}")
            self.assertTrue(documents.exclude(url="").exists(), footnote)
        self.assertFalse(CitedDocument.objects.exclude(url="").exclude(url__startswith="http"))


class AuditTwelveTests(TestCase):
    """Section A of the audit of the fixtures against the paper (notes/audit-12.md), one test per
    correction; A10 concerns a template, not the fixtures."""

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)

    def test_a1_document_verification_is_article_13_of_the_protocol(self):
        provision = Provision.objects.get(
            instrument__slug="tip-protocol", mechanism__slug="document-verification"
        )
        self.assertEqual(provision.article, "art. 13")
        self.assertIn(
            "article 13 'Legitimacy and validity of documents'", provision.external_source
        )
        self.assertIn("https://treaties.un.org/", provision.external_source)
        self.assertIn("Article 12 (security and control of documents)", provision.note)
        self.assertEqual(provision.sources.get().slug, "para-8")

    def test_a2_the_paper_does_not_call_information_exchange_formal_or_informal(self):
        exchange = Mechanism.objects.get(slug="information-exchange")
        self.assertEqual(exchange.formality, Mechanism.Formality.UNSPECIFIED)
        self.assertIn(
            'what the paper calls "informal cooperation and information exchange"',
            exchange.summary,
        )

    def test_a3_the_principles_do_not_provide_for_law_enforcement_cooperation(self):
        self.assertFalse(
            Provision.objects.filter(
                instrument__slug="ohchr-principles", mechanism__slug="law-enforcement-cooperation"
            ).exists()
        )
        # The Commentary, which the paper credits with it, still serves it.
        self.assertTrue(
            Tool.objects.filter(
                slug="ohchr-commentary", mechanisms__slug="law-enforcement-cooperation"
            ).exists()
        )

    def test_a4_extradition_credits_principle_14_and_the_commentary_each_with_its_own(self):
        extradition = Mechanism.objects.get(slug="extradition")
        self.assertIn(
            '"to end impunity for traffickers and secure justice for victims" '
            "(para. 20, footnote 5)",
            extradition.summary,
        )
        self.assertIn("the paper concludes that the international mobility", extradition.summary)
        self.assertNotIn("as tools to keep offenders from evading", extradition.summary)
        self.assertNotIn("main challenges", extradition.summary)
        self.assertIn("fn-5", extradition.sources.values_list("slug", flat=True))

    def test_a5_module_6_has_no_title_since_the_paper_gives_none(self):
        module = ToolPart.objects.get(tool__slug="criminal-justice-manual", slug="module-6")
        self.assertEqual(module.title, "")
        self.assertEqual(module.label, "Module 6")

    def test_a6_the_cna_directory_serves_the_conventions_not_the_protocol(self):
        directory = Tool.objects.get(slug="cna-directory")
        self.assertEqual(
            set(directory.instruments.values_list("slug", flat=True)),
            {"untoc", "drugs-convention-1988"},
        )

    def test_a7_the_model_law_warns_that_its_address_is_a_model_treaty(self):
        tool = Tool.objects.get(slug="model-law-mutual-assistance-2007")
        self.assertTrue(
            tool.description.startswith("The paper says of UNODC model laws in general that")
        )
        # The warning stands where the address is shown, and the description is the paper's.
        self.assertIn("model treaty on mutual assistance", tool.address_note)
        self.assertNotIn("description", tool.editors_text)
        page = self.client.get(tool.get_absolute_url()).content.decode()
        address = page.index(tool.url)
        self.assertIn(tool.address_note, page[address : address + 1000])
        document = CitedDocument.objects.get(slug="unodc-model-mutual-assistance-address")
        self.assertIn("model treaty", document.address_note)
        self.assertEqual(
            CitedDocument.objects.get(slug="unodc-model-mutual-assistance-address").title,
            "Model treaty on mutual assistance in criminal matters "
            "(file at the address footnote 12 gives)",
        )

    def test_a8_the_police_cooperation_convention_by_its_official_title(self):
        convention = Instrument.objects.get(slug="see-police-convention")
        self.assertEqual(convention.title, "Police Cooperation Convention for Southeast Europe")
        self.assertEqual(convention.short_title, "PCC SEE")
        self.assertEqual(convention.adopted_on, datetime.date(2006, 5, 5))
        self.assertEqual(convention.adopted_at, "Vienna")
        self.assertEqual(convention.entry_into_force, datetime.date(2007, 10, 10))
        self.assertIn("pccseesecretariat.si", convention.external_source)
        self.assertTrue(
            convention.summary.startswith(
                "The paper calls it the Convention on Police Cooperation in South East Europe"
            )
        )
        articles = dict(convention.provisions.values_list("mechanism__slug", "article"))
        self.assertEqual(articles.pop("hot-pursuit"), "art. 13")
        self.assertEqual(articles.pop("cross-border-surveillance"), "art. 14")
        self.assertEqual(articles.pop("controlled-delivery"), "art. 15")
        self.assertEqual(set(articles.values()), {""})  # not sourced: left blank
        for provision in convention.provisions.exclude(article=""):
            self.assertIn("https://pccseesecretariat.si/", provision.external_source)

    def test_a9_asean_is_named_as_asean_writes_it_and_the_paper_is_quoted_as_it_is(self):
        self.assertEqual(
            Organization.objects.get(slug="asean").name, "Association of Southeast Asian Nations"
        )
        self.assertIn(
            "The Association of South East Asian Nations (ASEAN)",
            Passage.objects.get(slug="annex-10").text,
        )

    def test_a11_the_three_missing_records(self):
        rules = CitedDocument.objects.get(slug="cop-rules-of-procedure")
        self.assertEqual(rules.kind, CitedDocument.Kind.LEGAL_TEXT)
        self.assertEqual(list(rules.sources.values_list("slug", flat=True)), ["para-1"])
        reports = CitedDocument.objects.get(slug="global-reports-on-trafficking-in-persons")
        self.assertEqual(reports.kind, CitedDocument.Kind.PUBLICATION)
        self.assertIsNone(reports.year)
        self.assertEqual(list(reports.sources.values_list("slug", flat=True)), ["para-5"])
        group = Organization.objects.get(slug="working-group-on-trafficking-in-persons")
        self.assertEqual(group.kind, Organization.Kind.TREATY_BODY)
        self.assertEqual(
            set(group.sources.values_list("slug", flat=True)),
            {"para-1", "para-2", "para-3", "para-4"},
        )

    def test_a12_annex_10_notes_its_unmatched_footnote_call(self):
        annex = Passage.objects.get(slug="annex-10")
        self.assertIn("international law and practice and through discussions", annex.text)
        self.assertIn("footnote call '1' that matches no footnote", annex.editorial_note)
        self.assertFalse(Passage.objects.exclude(slug="annex-10").exclude(editorial_note=""))


class ProvenanceTests(TestCase):
    """Every text is from the paper or the editors' with its source; every provision and every
    instrument says where what the paper does not give comes from."""

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", *FIXTURE_PATHS, verbosity=0)

    def test_every_text_is_backed_by_passages_or_is_the_editors_with_a_source(self):
        for model, fields in REVIEWED.items():
            for record in model.objects.prefetch_related("sources"):
                cited = record.sources.exists()
                texts = record.editors_text or {}
                for name, origin in texts.items():
                    with self.subTest(model=model.__name__, slug=record.slug, field=name):
                        self.assertIn(name, fields)
                        self.assertTrue(getattr(record, name))
                        self.assertTrue(origin.get("source", "").strip())
                        datetime.date.fromisoformat(origin.get("on", ""))
                for name in fields:
                    if getattr(record, name):
                        with self.subTest(model=model.__name__, slug=record.slug, field=name):
                            self.assertTrue(cited or name in texts)

    def test_general_definitions_are_the_editors_or_are_gone(self):
        # Audit C10: the paper only names these forms of cooperation.
        for slug in (
            "extradition",
            "transfer-of-sentenced-persons",
            "controlled-delivery",
            "liaison-officers",
            "border-search-operations",
            "mixed-patrols",
            "common-centres",
        ):
            mechanism = Mechanism.objects.get(slug=slug)
            with self.subTest(slug):
                self.assertTrue(
                    "summary" in mechanism.editors_text
                    or mechanism.summary.split(". ")[0].endswith(
                        "the paper does not say more about them"
                    ),
                    mechanism.summary,
                )

    def test_every_reviewed_record_was_checked_against_the_paper(self):
        for model in REVIEWED:
            unchecked = model.objects.exclude(
                checked_against_paper_on=AUDIT_DATE, updated_on=AUDIT_DATE
            )
            self.assertEqual(list(unchecked.values_list("slug", flat=True)), [], model.__name__)

    def test_every_provision_cites_a_passage_or_a_source_with_its_address(self):
        for provision in Provision.objects.filter(sources__isnull=True):
            self.assertIn("http", provision.external_source, str(provision))
        capacity = Provision.objects.get(
            instrument__slug="untoc", mechanism__slug="capacity-building"
        )
        self.assertIn("TOCebook-e.pdf", capacity.external_source)
        # Every article the paper does not give names where it comes from.
        for provision in Provision.objects.exclude(article="").exclude(external_source=""):
            self.assertIn("http", provision.external_source, str(provision))

    def test_every_instrument_records_its_offences_and_official_text(self):
        for instrument in Instrument.objects.all():
            with self.subTest(instrument.slug):
                self.assertIn(
                    instrument.offences,
                    set(Instrument.Offences.values) - {Instrument.Offences.UNKNOWN},
                )
                self.assertRegex(instrument.official_text, r"^https?://")
                # The page shows where the address comes from.
                self.assertIn(instrument.official_text, instrument.external_source)
        self.assertEqual(
            dict(Instrument.objects.values_list("slug", "offences")),
            {
                "untoc": "trafficking",
                "tip-protocol": "trafficking",
                "eu-framework-decision-2002-629": "trafficking",
                "eu-directive-2011-36": "trafficking",
                "saarc-convention": "trafficking",
                "see-police-convention": "general",
                "drugs-convention-1988": "other",
                "ohchr-principles": "none",
                "osce-action-plan": "none",
                "global-plan-of-action": "none",
            },
        )

    def test_binding_instruments_for_other_offences_say_what_they_cover(self):
        binding = Instrument.objects.filter(legally_binding=True, offences__in=["other", "general"])
        self.assertEqual(
            set(binding.values_list("slug", flat=True)),
            {"drugs-convention-1988", "see-police-convention"},
        )
        for instrument in binding:
            self.assertTrue(instrument.offences_note.strip(), instrument.slug)
        self.assertIn(
            "does not cover trafficking in persons",
            Instrument.objects.get(slug="drugs-convention-1988").offences_note,
        )

    def test_cited_document_years_name_their_source(self):
        for document in CitedDocument.objects.exclude(year=None):
            self.assertIn("Year: ", document.note, document.slug)
        self.assertIsNone(CitedDocument.objects.get(slug="a-res-58-137").year)

    def test_prosecutors_find_the_tools_for_criminal_justice_practitioners(self):
        practitioners = Audience.objects.get(slug="criminal-justice-practitioners")
        self.assertEqual(
            set(practitioners.narrower.values_list("slug", flat=True)),
            {"prosecutors", "judges", "law-enforcement", "central-authorities"},
        )
        for_prosecutors = Tool.objects.filter(
            Q(audiences__slug="prosecutors") | Q(audiences__narrower__slug="prosecutors")
        ).values_list("slug", flat=True)
        self.assertTrue({"mla-request-writer", "cna-directory"} <= set(for_prosecutors))
        self.assertEqual(
            set(Tool.objects.get(slug="cna-directory").audiences.values_list("slug", flat=True)),
            {"central-authorities", "criminal-justice-practitioners"},
        )
