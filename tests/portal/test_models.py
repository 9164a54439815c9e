"""The data model: database constraints, natural keys, what pages get from each record."""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import resolve

from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from resources.models import Audience, Tool, ToolPart
from tests.factories import build_records, make_mechanism, make_paper

# Models in the order their natural keys need them (as the fixtures are loaded).
MODELS_IN_LOAD_ORDER = [
    SourceDocument, Section, Passage, CitedDocument, Organization, MechanismCategory, Mechanism,
    Instrument, Provision, Guidance, Audience, Tool, ToolPart,
]  # fmt: skip


class ChoicesAreEnforcedByTheDatabase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()

    def assert_rejected(self, obj, field, value="bogus"):
        with self.assertRaises(IntegrityError), transaction.atomic():
            type(obj).objects.filter(pk=obj.pk).update(**{field: value})

    def test_instrument_kind_scope_and_status_reject_unknown_values(self):
        for field in ["kind", "scope", "status"]:
            with self.subTest(field=field):
                self.assert_rejected(self.r["instrument"], field)

    def test_tool_kind_and_status_reject_unknown_values(self):
        for field in ["kind", "status"]:
            with self.subTest(field=field):
                self.assert_rejected(self.r["tool"], field)

    def test_tool_part_kind_rejects_unknown_values(self):
        self.assert_rejected(self.r["part"], "kind")

    def test_passage_kind_rejects_unknown_values(self):
        self.assert_rejected(self.r["paragraph"], "kind")

    def test_guidance_kind_rejects_unknown_values(self):
        self.assert_rejected(self.r["guidance"], "kind")

    def test_cited_document_kind_rejects_unknown_values(self):
        self.assert_rejected(self.r["cited_document"], "kind")

    def test_organization_kind_rejects_unknown_values(self):
        self.assert_rejected(self.r["organization"], "kind")

    def test_mechanism_formality_rejects_unknown_values_but_allows_blank(self):
        self.assert_rejected(self.r["mechanism"], "formality")
        for value in ["", "formal", "informal", "both"]:
            with self.subTest(value=value):
                Mechanism.objects.filter(pk=self.r["mechanism"].pk).update(formality=value)

    def test_bulk_create_with_an_unknown_kind_is_rejected(self):
        bogus = Tool(slug="bogus", title="Bogus", kind="pamphlet", publisher=self.r["organization"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            Tool.objects.bulk_create([bogus])
        self.assertFalse(Tool.objects.filter(slug="bogus").exists())

    def test_every_valid_choice_is_accepted(self):
        instrument = self.r["instrument"]
        for kind in Instrument.Kind.values:
            with self.subTest(kind=kind):
                Instrument.objects.filter(pk=instrument.pk).update(kind=kind)


class OtherInvariants(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()

    def test_a_global_instrument_cannot_have_a_region(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Instrument.objects.filter(pk=self.r["instrument"].pk).update(region="Europe")

    def test_a_regional_instrument_may_have_a_region(self):
        Instrument.objects.filter(pk=self.r["instrument"].pk).update(
            scope="regional", region="Europe"
        )
        self.assertEqual(Instrument.objects.get(slug="untoc").region, "Europe")

    def test_an_instrument_provides_for_a_mechanism_only_once(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Provision.objects.create(
                instrument=self.r["instrument"], mechanism=self.r["mechanism"], article="art. 17"
            )

    def test_the_same_mechanism_may_be_provided_by_another_instrument(self):
        Provision.objects.create(
            instrument=self.r["draft_instrument"], mechanism=self.r["mechanism"]
        )
        self.assertEqual(self.r["mechanism"].provisions.count(), 2)

    def test_only_footnotes_are_cited_in_a_passage(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Passage.objects.filter(pk=self.r["annex"].pk).update(cited_in=self.r["paragraph"])

    def test_a_passage_number_is_unique_per_kind(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Passage.objects.create(
                document=self.r["document"],
                slug="para-7-again",
                kind="paragraph",
                number=7,
                text="Duplicate.",
                position=99,
            )

    def test_a_tool_part_slug_is_unique_within_its_tool(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            ToolPart.objects.create(
                tool=self.r["tool"], slug="chapter-6", kind="chapter", label="Again"
            )
        ToolPart.objects.create(
            tool=self.r["draft_tool"], slug="chapter-6", kind="chapter", label="Chapter 6"
        )


class NaturalKeysRoundTrip(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_records()

    def snapshot(self):
        """What a fixture must preserve, expressed without numeric ids."""
        return {
            "passages": sorted(
                (p.slug, p.kind, p.section.slug if p.section else None, p.cited_in_id is not None)
                for p in Passage.objects.select_related("section")
            ),
            "provisions": sorted(
                (
                    p.instrument.slug,
                    p.mechanism.slug,
                    p.article,
                    tuple(s.slug for s in p.sources.all()),
                )
                for p in Provision.objects.select_related("instrument", "mechanism")
            ),
            "tools": sorted(
                (
                    t.slug,
                    t.publisher.slug,
                    t.status,
                    tuple(m.slug for m in t.mechanisms.all()),
                    tuple(i.slug for i in t.instruments.all()),
                    tuple(a.slug for a in t.audiences.all()),
                    tuple(s.slug for s in t.sources.all()),
                )
                for t in Tool.objects.select_related("publisher")
            ),
            "parts": sorted(
                (p.tool.slug, p.slug, tuple(s.slug for s in p.sources.all()))
                for p in ToolPart.objects.select_related("tool")
            ),
            "guidance": sorted(
                (g.slug, tuple(m.slug for m in g.mechanisms.all())) for g in Guidance.objects.all()
            ),
            "cited": sorted(
                (c.slug, tuple(i.slug for i in c.instruments.all()))
                for c in CitedDocument.objects.all()
            ),
            "counts": {model.__name__: model.objects.count() for model in MODELS_IN_LOAD_ORDER},
        }

    def dump(self):
        objects = [obj for model in MODELS_IN_LOAD_ORDER for obj in model.objects.all()]
        return serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )

    def test_the_dump_refers_to_records_by_slug_not_by_id(self):
        data = self.dump()
        self.assertNotIn('"pk"', data)
        self.assertIn('"publisher": ["unodc"]', data)
        self.assertIn('"instrument": ["untoc"]', data)

    def test_records_dumped_with_natural_keys_load_back_the_same(self):
        before = self.snapshot()
        data = self.dump()
        for model in reversed(MODELS_IN_LOAD_ORDER):
            model.objects.all().delete()
        self.assertEqual(Tool.objects.count() + Passage.objects.count(), 0)

        with tempfile.TemporaryDirectory() as directory:
            fixture = Path(directory) / "everything.json"
            fixture.write_text(data)
            call_command("loaddata", str(fixture), verbosity=0)
            self.assertEqual(self.snapshot(), before)
            # A second load updates the same rows instead of duplicating them.
            call_command("loaddata", str(fixture), verbosity=0)
        self.assertEqual(self.snapshot(), before)

    def test_get_by_natural_key_finds_each_record(self):
        for model in MODELS_IN_LOAD_ORDER:
            for obj in model.objects.all():
                with self.subTest(model=model.__name__, obj=str(obj)):
                    found = model.objects.get_by_natural_key(*obj.natural_key())
                    self.assertEqual(found.pk, obj.pk)


class WhatPagesGetFromEachRecord(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()

    def assert_url(self, obj, expected_url, expected_view):
        url = obj.get_absolute_url()
        self.assertEqual(url, expected_url)
        self.assertEqual(resolve(urlsplit(url).path).view_name, expected_view)

    def test_str_gives_the_name_a_page_shows(self):
        r = self.r
        expected = {
            "document": "International cooperation in trafficking in persons cases",
            "section": "II. Instruments",
            "paragraph": "Paragraph 7",
            "footnote": "Footnote 6",
            "annex": "Annex: UNODC Model Law against Trafficking in Persons",
            "organization": "UNODC",
            "category": "Judicial cooperation",
            "mechanism": "Extradition",
            "instrument": "UNTOC",
            "provision": "UNTOC, art. 16: Extradition",
            "cited_document": "A/RES/64/293",
            "guidance": "Designate central authorities",
            "audience": "Prosecutors",
            "tool": "Model Law",
            "draft_tool": "An unfinished manual",
            "part": "Model Law, Chapter 6",
        }
        for name, text in expected.items():
            with self.subTest(name=name):
                self.assertEqual(str(r[name]), text)

    def test_str_falls_back_when_optional_names_are_blank(self):
        section = Section(number="", title="Annex")
        provision = Provision(instrument=self.r["instrument"], mechanism=self.r["mechanism"])
        organization = Organization(name="Council of Europe")
        cited = CitedDocument(title="A report")
        annex = Passage(kind="annex", number=4)
        self.assertEqual(str(section), "Annex")
        self.assertEqual(str(provision), "UNTOC: Extradition")
        self.assertEqual(str(organization), "Council of Europe")
        self.assertEqual(str(cited), "A report")
        self.assertEqual(str(annex), "Annex entry 4")

    def test_passage_labels_are_the_short_citations(self):
        self.assertEqual(self.r["paragraph"].label, "para. 7")
        self.assertEqual(self.r["footnote"].label, "fn. 6")
        self.assertEqual(self.r["annex"].label, "annex")

    def test_passage_number_labels_are_as_the_paper_numbers_them(self):
        self.assertEqual(self.r["paragraph"].number_label, "7.")
        self.assertEqual(self.r["footnote"].number_label, "Footnote 6")
        self.assertEqual(self.r["annex"].number_label, "Annex entry 1")

    def test_each_record_links_to_its_page_or_anchor(self):
        r = self.r
        self.assert_url(r["document"], "/source/", "portal:source")
        self.assert_url(r["section"], "/source/#ii-instruments", "portal:source")
        self.assert_url(r["paragraph"], "/source/#para-7", "portal:source")
        self.assert_url(r["footnote"], "/source/#fn-6", "portal:source")
        self.assert_url(r["annex"], "/source/#annex-1", "portal:source")
        self.assert_url(
            r["cited_document"], "/source/documents/a-res-64-293/", "portal:document_detail"
        )
        self.assert_url(
            r["guidance"], "/guidance/designate-central-authorities/", "guidance:guidance_detail"
        )
        self.assert_url(
            r["organization"], "/organizations/unodc/", "instruments:organization_detail"
        )
        self.assert_url(r["category"], "/cooperation/#judicial", "instruments:mechanism_list")
        self.assert_url(r["mechanism"], "/cooperation/extradition/", "instruments:mechanism_detail")
        self.assert_url(r["instrument"], "/instruments/untoc/", "instruments:instrument_detail")
        self.assert_url(
            r["provision"],
            "/instruments/untoc/#provision-extradition",
            "instruments:instrument_detail",
        )
        self.assert_url(r["audience"], "/resources/?audience=prosecutors", "resources:tool_list")
        self.assert_url(r["tool"], "/resources/model-law/", "resources:tool_detail")
        self.assert_url(r["part"], "/resources/model-law/#part-chapter-6", "resources:tool_detail")

    def test_best_url_prefers_the_current_address(self):
        tool = self.r["tool"]
        tool.url = "http://www.unodc.org/old.pdf"
        self.assertEqual(tool.best_url, "http://www.unodc.org/old.pdf")
        tool.current_url = "https://www.unodc.org/new.pdf"
        self.assertEqual(tool.best_url, "https://www.unodc.org/new.pdf")


class PublishedExcludesDrafts(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_records()

    def test_published_instruments_exclude_drafts(self):
        self.assertEqual(list(Instrument.objects.published()), [self.r["instrument"]])
        self.assertIn(self.r["draft_instrument"], Instrument.objects.all())

    def test_published_tools_exclude_drafts(self):
        self.assertEqual(list(Tool.objects.published()), [self.r["tool"]])
        self.assertIn(self.r["draft_tool"], Tool.objects.all())

    def test_publishing_a_draft_makes_it_appear(self):
        Tool.objects.filter(pk=self.r["draft_tool"].pk).update(status="published")
        self.assertEqual(Tool.objects.published().count(), 2)

    def test_list_querysets_are_published_only(self):
        self.assertNotIn(self.r["draft_instrument"], Instrument.objects.for_list())
        self.assertNotIn(self.r["draft_tool"], Tool.objects.for_list())


class PassagesForReading(TestCase):
    def test_each_passage_gets_its_notes_and_the_records_citing_it_one_query_per_kind(self):
        paper = make_paper()
        para1, para2 = paper["paras"][:2]
        make_mechanism("extradition", sources=[para1, para2])
        make_mechanism("hot-pursuit", sources=[para2])
        with self.assertNumQueries(2):
            passages = Passage.objects.for_reading(mechanisms=Mechanism.objects.order_by("slug"))
        by_slug = {passage.slug: passage for passage in passages}
        with self.assertNumQueries(0):
            self.assertEqual(by_slug["para-1"].notes, [by_slug["fn-1"]])
            self.assertIs(by_slug["fn-1"].cited_in, by_slug["para-1"])
            self.assertEqual(by_slug["para-2"].notes, [])
            # in the queryset's order; a record citing two passages is one object
            extradition, hot_pursuit = by_slug["para-2"].mechanisms
            self.assertEqual([extradition.slug, hot_pursuit.slug], ["extradition", "hot-pursuit"])
            self.assertEqual(by_slug["para-1"].mechanisms, [extradition])
            self.assertIs(by_slug["para-1"].mechanisms[0], extradition)
            self.assertEqual(by_slug["para-3"].mechanisms, [])
