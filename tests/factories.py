"""Small helpers that build records for tests, with sensible defaults and unique slugs.

Each ``make_*`` takes the fields that matter to the test as keyword arguments; many-to-many
relations are passed as lists (``sources=[...]``, ``mechanisms=[...]``).
"""

import datetime
import itertools

from countries.models import (
    BindingRule,
    Declaration,
    ImportRun,
    Membership,
    Participant,
    ParticipationEvent,
)
from countries.models import Group as CountryGroup
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage, Section, SourceDocument
from resources.models import Audience, Tool, ToolPart

_numbers = itertools.count(1)


def _next():
    return next(_numbers)


def _set_m2m(record, **relations):
    for name, values in relations.items():
        if values:
            getattr(record, name).set(values)
    return record


def make_document(**fields):
    fields.setdefault("slug", f"paper-{_next()}")
    fields.setdefault("title", "International cooperation in combating trafficking in persons")
    fields.setdefault("issuing_body", "Conference of the Parties to UNTOC")
    return SourceDocument.objects.create(**fields)


def make_passage(number=None, kind=Passage.Kind.PARAGRAPH, document=None, **fields):
    number = number if number is not None else _next()
    document = document or SourceDocument.objects.first() or make_document()
    prefix = {"paragraph": "para", "annex": "annex", "footnote": "fn"}[kind]
    fields.setdefault("slug", f"{prefix}-{number}")
    fields.setdefault("text", f"Text of {prefix} {number} of the background paper.")
    fields.setdefault("position", number)
    return Passage.objects.create(document=document, kind=kind, number=number, **fields)


def make_organization(slug=None, sources=(), **fields):
    slug = slug or f"org-{_next()}"
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("kind", Organization.Kind.UN_ENTITY)
    return _set_m2m(Organization.objects.create(slug=slug, **fields), sources=sources)


def make_category(slug=None, **fields):
    slug = slug or f"category-{_next()}"
    fields.setdefault("name", slug.replace("-", " ").capitalize())
    return MechanismCategory.objects.create(slug=slug, **fields)


def make_mechanism(slug=None, category=None, sources=(), **fields):
    slug = slug or f"mechanism-{_next()}"
    fields.setdefault("name", slug.replace("-", " ").capitalize())
    fields.setdefault("summary", f"What {fields['name'].lower()} is.")
    category = category or MechanismCategory.objects.first() or make_category()
    record = Mechanism.objects.create(slug=slug, category=category, **fields)
    return _set_m2m(record, sources=sources)


def make_instrument(slug=None, provides=(), sources=(), **fields):
    """An instrument; ``provides`` is a list of mechanisms or (mechanism, article) pairs."""
    slug = slug or f"instrument-{_next()}"
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("short_title", fields["title"])
    fields.setdefault("kind", Instrument.Kind.CONVENTION)
    fields.setdefault("legally_binding", True)
    fields.setdefault("scope", Instrument.Scope.GLOBAL)
    fields.setdefault("summary", f"What the {fields['title']} does.")
    record = _set_m2m(Instrument.objects.create(slug=slug, **fields), sources=sources)
    for item in provides:
        mechanism, article = item if isinstance(item, tuple) else (item, "")
        make_provision(record, mechanism, article=article)
    return record


def make_provision(instrument, mechanism, sources=(), **fields):
    record = Provision.objects.create(instrument=instrument, mechanism=mechanism, **fields)
    return _set_m2m(record, sources=sources)


def make_audience(slug=None, **fields):
    slug = slug or f"audience-{_next()}"
    fields.setdefault("name", slug.replace("-", " ").capitalize())
    return Audience.objects.create(slug=slug, **fields)


def make_tool(
    slug=None,
    publisher=None,
    mechanisms=(),
    instruments=(),
    audiences=(),
    sources=(),
    **fields,
):
    slug = slug or f"tool-{_next()}"
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("kind", Tool.Kind.MANUAL)
    fields.setdefault("description", f"What the {fields['title']} offers.")
    publisher = publisher or make_organization()
    record = Tool.objects.create(slug=slug, publisher=publisher, **fields)
    return _set_m2m(
        record, mechanisms=mechanisms, instruments=instruments, audiences=audiences, sources=sources
    )


def make_part(tool, slug=None, mechanisms=(), sources=(), **fields):
    slug = slug or f"part-{_next()}"
    fields.setdefault("kind", ToolPart.Kind.CHAPTER)
    fields.setdefault("label", slug.replace("-", " ").capitalize())
    record = ToolPart.objects.create(tool=tool, slug=slug, **fields)
    return _set_m2m(record, mechanisms=mechanisms, sources=sources)


def make_guidance(slug=None, mechanisms=(), sources=(), **fields):
    slug = slug or f"guidance-{_next()}"
    fields.setdefault("kind", Guidance.Kind.CHALLENGE)
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("text", f"What the paper says about {fields['title'].lower()}.")
    record = Guidance.objects.create(slug=slug, **fields)
    return _set_m2m(record, mechanisms=mechanisms, sources=sources)


def build_records():
    """One record of every model, linked as the real data is; returns them by name."""
    document = SourceDocument.objects.create(
        slug="background-paper",
        title="International cooperation in trafficking in persons cases",
        issuing_body="Conference of the Parties to the UNTOC",
    )
    section = Section.objects.create(
        document=document, slug="ii-instruments", number="II", title="Instruments", position=2
    )
    paragraph = Passage.objects.create(
        document=document,
        slug="para-7",
        kind=Passage.Kind.PARAGRAPH,
        number=7,
        section=section,
        text="The Organized Crime Convention provides for extradition.",
        position=7,
    )
    footnote = Passage.objects.create(
        document=document,
        slug="fn-6",
        kind=Passage.Kind.FOOTNOTE,
        number=6,
        text="Available at eur-lex.",
        cited_in=paragraph,
        position=8,
    )
    annex = Passage.objects.create(
        document=document,
        slug="annex-1",
        kind=Passage.Kind.ANNEX,
        number=1,
        heading="UNODC Model Law against Trafficking in Persons",
        text="The Model Law has been developed to assist States.",
        position=9,
    )
    unodc = Organization.objects.create(
        slug="unodc",
        name="United Nations Office on Drugs and Crime",
        short_name="UNODC",
        kind=Organization.Kind.UN_ENTITY,
    )
    unodc.sources.add(paragraph)
    category = MechanismCategory.objects.create(
        slug="judicial", name="Judicial cooperation", position=1
    )
    extradition = Mechanism.objects.create(
        slug="extradition", name="Extradition", category=category, summary="Surrender of persons."
    )
    extradition.sources.add(paragraph, footnote)
    untoc = Instrument.objects.create(
        slug="untoc",
        title="United Nations Convention against Transnational Organized Crime",
        short_title="UNTOC",
        kind=Instrument.Kind.CONVENTION,
        legally_binding=True,
        scope=Instrument.Scope.GLOBAL,
        adopted_by=unodc,
        summary="The Convention.",
    )
    untoc.sources.add(paragraph)
    draft = Instrument.objects.create(
        slug="draft-plan",
        title="A plan still being written",
        short_title="Draft plan",
        kind=Instrument.Kind.PLAN_OF_ACTION,
        legally_binding=False,
        scope=Instrument.Scope.REGIONAL,
        region="South Asia",
        summary="Not yet public.",
        status="draft",
    )
    provision = Provision.objects.create(instrument=untoc, mechanism=extradition, article="art. 16")
    provision.sources.add(paragraph)
    cited = CitedDocument.objects.create(
        slug="a-res-64-293",
        title="United Nations Global Plan of Action",
        symbol="A/RES/64/293",
        kind=CitedDocument.Kind.GA_RESOLUTION,
    )
    cited.sources.add(footnote)
    untoc.documents.add(cited)
    guidance = Guidance.objects.create(
        slug="designate-central-authorities",
        kind=Guidance.Kind.CONSIDERATION,
        title="Designate central authorities",
        text="States may wish to designate central authorities.",
    )
    guidance.mechanisms.add(extradition)
    guidance.sources.add(paragraph)
    audience = Audience.objects.create(slug="prosecutors", name="Prosecutors")
    tool = Tool.objects.create(
        slug="model-law",
        title="Model Law against Trafficking in Persons",
        short_title="Model Law",
        kind=Tool.Kind.MODEL_LAW,
        publisher=unodc,
        year=2009,
        description="Helps States implement the Protocol.",
    )
    tool.audiences.add(audience)
    tool.mechanisms.add(extradition)
    tool.instruments.add(untoc)
    tool.sources.add(annex)
    draft_tool = Tool.objects.create(
        slug="unfinished-manual",
        title="An unfinished manual",
        kind=Tool.Kind.MANUAL,
        publisher=unodc,
        description="Not yet public.",
        status="draft",
    )
    part = ToolPart.objects.create(
        tool=tool, slug="chapter-6", kind=ToolPart.Kind.CHAPTER, label="Chapter 6", position=6
    )
    part.mechanisms.add(extradition)
    part.sources.add(annex)
    status = {"source_url": "https://example.org/untoc-status", "as_at": datetime.date(2014, 1, 27)}
    nigeria = Participant.objects.create(code="nga", iso3="NGA", name="Nigeria", region="africa")
    event = ParticipationEvent.objects.create(
        participant=nigeria, instrument=untoc, kind="ratification",
        date=datetime.date(2001, 6, 28), date_precision="day", **status,
    )  # fmt: skip
    group = CountryGroup.objects.create(
        slug="ecowas", name="Economic Community of West African States", short_name="ECOWAS",
        kind="organization", source_label="ECOWAS",
    )  # fmt: skip
    membership = Membership.objects.create(group=group, participant=nigeria, **status)
    rule = BindingRule.objects.create(
        instrument=draft, group=group, source_url="https://example.org/rule", source_quote="All."
    )
    declaration = Declaration.objects.create(
        participant=nigeria, instrument=untoc, kind="declaration", article="art. 16(5)",
        text="It takes the Convention as the legal basis for extradition.", **status,
    )  # fmt: skip
    return {
        "participant": nigeria,
        "event": event,
        "group": group,
        "membership": membership,
        "binding_rule": rule,
        "declaration": declaration,
        "document": document,
        "section": section,
        "paragraph": paragraph,
        "footnote": footnote,
        "annex": annex,
        "organization": unodc,
        "category": category,
        "mechanism": extradition,
        "instrument": untoc,
        "draft_instrument": draft,
        "provision": provision,
        "cited_document": cited,
        "guidance": guidance,
        "audience": audience,
        "tool": tool,
        "draft_tool": draft_tool,
        "part": part,
    }


def make_sample_content():
    """One record of every content model, with links of every kind: FKs, self-links, M2M."""
    doc = SourceDocument.objects.create(
        slug="bk-paper", title="Background paper — «coopération»", issuing_body="Secretariat"
    )
    intro = Section.objects.create(document=doc, slug="bk-intro", title="Introduction", position=1)
    sub = Section.objects.create(
        document=doc, slug="bk-intro-a", title="Sub", number="I.A", parent=intro, position=2
    )
    para = Passage.objects.create(
        document=doc, slug="bk-para-1", kind="paragraph", number=1, section=intro, position=1,
        text="Extradition & mutual legal assistance: <b>not</b> markup, ünïcödé ✓",
    )  # fmt: skip
    annex = Passage.objects.create(
        document=doc, slug="bk-annex-1", kind="annex", number=1, section=sub, position=2,
        heading="Key tools", text="An annex entry.",
    )  # fmt: skip
    Passage.objects.create(
        document=doc, slug="bk-fn-1", kind="footnote", number=1, cited_in=para, position=3,
        text="A footnote.",
    )  # fmt: skip
    unodc = Organization.objects.create(slug="bk-unodc", name="UNODC", kind="un-entity")
    unodc.sources.add(para, annex)
    category = MechanismCategory.objects.create(slug="bk-judicial", name="Judicial", position=1)
    extradition = Mechanism.objects.create(
        slug="bk-extradition", name="Extradition", category=category, summary="**Surrender**."
    )
    mla = Mechanism.objects.create(
        slug="bk-mla", name="Mutual legal assistance", category=category, summary="Evidence."
    )
    extradition.sources.add(para)
    untoc = Instrument.objects.create(
        slug="bk-untoc", title="Convention", short_title="UNTOC", kind="convention",
        legally_binding=True, scope="global", adopted_by=unodc, summary="The convention.",
        adopted_on=datetime.date(2000, 11, 15),
    )  # fmt: skip
    protocol = Instrument.objects.create(
        slug="bk-protocol", title="Protocol", short_title="TIP Protocol", kind="protocol",
        legally_binding=True, scope="global", supplements=untoc, summary="Supplements it.",
        status="draft",
    )  # fmt: skip
    protocol.sources.add(para)
    Provision.objects.create(instrument=untoc, mechanism=extradition, article="art. 16")
    Provision.objects.create(instrument=untoc, mechanism=mla, article="art. 18").sources.add(para)
    cited = CitedDocument.objects.create(
        slug="bk-res", title="Resolution", kind="ga-resolution", year=2010
    )
    cited.sources.add(annex)
    untoc.documents.add(cited)
    guidance = Guidance.objects.create(
        slug="bk-consider", kind="consideration", title="Consider", text="Do *this*."
    )
    guidance.mechanisms.add(mla, extradition)
    guidance.sources.add(para)
    prosecutors = Audience.objects.create(slug="bk-prosecutors", name="Prosecutors")
    practitioners = Audience.objects.create(
        slug="bk-practitioners", name="Criminal justice practitioners"
    )
    practitioners.narrower.add(prosecutors)
    police = Audience.objects.create(slug="bk-police", name="Police", position=2)
    tool = Tool.objects.create(
        slug="bk-manual", title="Manual", kind="manual", publisher=unodc, description="A manual."
    )
    tool.audiences.add(police, prosecutors)
    tool.mechanisms.add(extradition)
    tool.instruments.add(untoc, protocol)
    tool.sources.add(annex)
    part = ToolPart.objects.create(tool=tool, slug="module-1", kind="module", label="Module 1")
    part.mechanisms.add(mla)
    part.sources.add(annex)
    source = {"source_url": "https://example.org/status", "as_at": datetime.date(2014, 1, 27)}
    nigeria = Participant.objects.create(code="nga", iso3="NGA", name="Nigeria", region="africa")
    union = Participant.objects.create(
        code="eu", kind="organization", name="European Union", organization=unodc
    )
    ParticipationEvent.objects.create(
        participant=nigeria, instrument=untoc, kind="ratification",
        date=datetime.date(2001, 6, 28), date_precision="day", **source,
    )  # fmt: skip
    ParticipationEvent.objects.create(
        participant=union, instrument=untoc, kind="signature", date=datetime.date(2000, 12, 1),
        date_precision="month", derived_from="https://example.org/copied", **source,
    )  # fmt: skip
    group = CountryGroup.objects.create(
        slug="bk-group", name="A group", short_name="AG", kind="organization",
        source_label="AG (a group)", organization=unodc, instrument=protocol,
    )  # fmt: skip
    Membership.objects.create(group=group, participant=nigeria, joined=datetime.date(1975, 1, 1),
                              joined_precision="year", **source)  # fmt: skip
    BindingRule.objects.create(
        instrument=protocol, group=group, source_url="https://example.org/rule", source_quote="All."
    ).excluded.add(union)
    Declaration.objects.create(
        participant=nigeria, instrument=untoc, kind="declaration", article="art. 16(5)",
        text="It takes the Convention as the legal basis for extradition.", **source,
    )  # fmt: skip
    ImportRun.objects.create(file="untoc.csv", rows=2, created=2, report="untoc.csv: 2 rows read")


def make_paper(paragraphs=3, annex_entries=1):
    """The background paper with its front matter: two sections (one a subsection) holding
    ``paragraphs`` paragraphs, an annex section of ``annex_entries`` entries, and a footnote cited
    in paragraph 1. Returns {"document", "paras", "annex", "footnote"}."""
    document = make_document(
        slug="background-paper",
        title="International cooperation in combating trafficking in persons",
        issuing_body="Conference of the Parties to the United Nations Convention against "
        "Transnational Organized Crime",
        working_group="Working Group on Trafficking in Persons",
        meeting="Vienna, 10-12 October 2011",
        agenda_item="Item 5 of the provisional agenda",
        agenda_symbol="CTOC/COP/WG.4/2011/1",
        distributed_on=datetime.date(2011, 8, 2),
        distribution="General",
        original_language="English",
        prepared_by="Background paper prepared by the Secretariat",
    )
    top = Section.objects.create(
        document=document, slug="iii-overview", number="III", title="Overview", position=1
    )
    sub = Section.objects.create(
        document=document,
        slug="iii-a-supply",
        number="III.A",
        title="Supply and demand",
        parent=top,
        position=2,
    )
    annex = Section.objects.create(
        document=document, slug="annex", number="Annex", title="Key tools", position=3
    )
    position = 0
    paras = []
    for number in range(1, paragraphs + 1):
        position += 1
        paras.append(
            make_passage(
                number,
                document=document,
                slug=f"para-{number}",
                section=top if number == 1 else sub,
                text=f"Paragraph text number {number}.\n\nSecond block of paragraph {number}.",
                position=position,
            )
        )
    entries = []
    for number in range(1, annex_entries + 1):
        position += 1
        entries.append(
            make_passage(
                number,
                kind=Passage.Kind.ANNEX,
                document=document,
                slug=f"annex-{number}",
                section=annex,
                heading=f"Annex tool {number}",
                text=f"Annex entry text {number}.",
                position=position,
            )
        )
    footnote = make_passage(
        1,
        kind=Passage.Kind.FOOTNOTE,
        document=document,
        slug="fn-1",
        text="CTOC/COP/WG.4/2010/3.",
        cited_in=paras[0],
        position=position + 1,
    )
    return {"document": document, "paras": paras, "annex": entries, "footnote": footnote}


def build_many(n, paper):
    """n published and n draft records of every kind, each citing passages of ``paper`` (from
    make_paper): for pages whose number of queries must not grow with the records."""
    org = make_organization("many-org", name="Organization many-org", short_name="MANY-ORG")
    categories = [make_category(f"cat-{i}", name=f"Category {i}", position=i) for i in range(5)]
    mechanisms = [
        make_mechanism(f"mech-{i}", category=categories[i % 5], name=f"Mechanism {i}")
        for i in range(n)
    ]
    passages = paper["paras"] + paper["annex"]
    for i in range(n):
        cite = passages[i % len(passages)]
        for status in ("published", "draft"):
            instrument = make_instrument(
                f"inst-{status}-{i}",
                status=status,
                adopted_by=org,
                sources=[cite, paper["footnote"]],
            )
            for mechanism in mechanisms[i : i + 3]:
                make_provision(instrument, mechanism, sources=[cite], article=f"art. {i}")
            tool = make_tool(
                f"tool-{status}-{i}",
                publisher=org,
                status=status,
                featured=i % 2 == 0,
                sources=[cite],
                mechanisms=mechanisms[i : i + 2],
            )
            make_part(tool, slug="part-1", kind="module", label="Module 1", sources=[cite])
        mechanisms[i].sources.add(cite)
        make_guidance(
            f"guidance-{i}",
            kind="measure",
            title=f"Guidance {i}",
            text="Do this.",
            mechanisms=[mechanisms[i]],
            sources=[cite],
        )
        cited = CitedDocument.objects.create(slug=f"doc-{i}", title=f"Document {i}", kind="report")
        cited.sources.add(cite)
    org.sources.add(*passages)
