"""The hand-written fixtures: they load, reload without change, and cover the whole paper."""

import json
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from portal.content import CONTENT_APPS
from resources.models import Tool, ToolPart

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
        self.assertEqual(on_disk, sorted(FIXTURES))

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
            {"untoc", "drugs-convention-1988", "tip-protocol"},
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
