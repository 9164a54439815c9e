"""Small helpers that build records for tests, with sensible defaults and unique slugs.

Each ``make_*`` takes the fields that matter to the test as keyword arguments; many-to-many
relations are passed as lists (``sources=[...]``, ``mechanisms=[...]``).
"""

import itertools

from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from portal.models import Guidance, Passage, SourceDocument
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
