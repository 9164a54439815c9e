"""The API's records as plain values, a page at a time: what api/schemas.py describes.

Each function below takes the request and a page of records (one model's, in the list's order,
read by its list's plain QuerySet) and gives a dict per record. What the records link to is
read for the whole page at once, one query per relation, as rows of the few columns a link
reads (``Page.related``): none of the related manager, QuerySet and full model instance per
record and relation that ``prefetch_related`` makes (with their queries, over half of the time
of a page of tools, profiled), and a record linked from many (the same mechanisms, publishers
and passages again and again) is made into a link once per request. A record's detail is the
page of that one record, with what only its page gives (an instrument's parties, a
participant's observations).
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Max, Value
from django.http import QueryDict
from django.utils.functional import cached_property
from simple_history.utils import get_history_model_for_model

from api import links
from api.schemas import FORCE
from countries.models import Membership, ParticipationEvent
from countries.status import State, standings
from instruments.models import TOOLS_SHOWN, Instrument, Provision
from resources.filters import ToolFilterSet
from resources.models import Tool, ToolPart
from search.facets import DENSE

# What a link to a record of each model reads (its name, ``str()``, and its addresses) and no
# more: the other columns of a linked record are left deferred. Were ``str()`` to read one, each
# link would cost a query, which the query budgets (tests/api/test_queries.py) would show.
LINK_FIELDS = {
    "instruments.instrument": ("slug", "short_title"),
    "instruments.mechanism": ("slug", "name"),
    "resources.tool": ("slug", "title", "short_title"),
    "resources.audience": ("slug", "name"),
    "paper.citeddocument": ("slug", "symbol", "title"),
    "paper.passage": ("slug", "kind", "number"),  # a source: its citation and anchor
}


# A key no record has: it stands for each record's in a statement made once for all of them
# (``Page.first_tools``), and is the only parameter of that value in it.
STAND_IN = -1


def versions(model, keys, field="id"):
    """(key, when its newest version was recorded) for the records of ``model`` whose ``field``
    is one of ``keys`` (their own ids, or their parts' record)."""
    return (
        get_history_model_for_model(model)
        .objects.filter(**{f"{field}__in": keys})
        .values_list(field)
        .annotate(Max("history_date"))
        .order_by()
    )


class Page:
    """The records of a page, and what is read for all of them at once."""

    def __init__(self, request, records, parts=None):
        """``parts``: (model, field to the record) whose versions are the record's too (a
        tool's parts, an instrument's provisions, a participant's observations)."""
        self.request = request
        self.records = list(records)
        self.keys = [record.pk for record in self.records]
        self.parts = parts
        self.cache = links.known(request)

    @cached_property
    def newest(self):
        """``{record pk: when its newest version, or its parts', was recorded}``, in one query."""
        if not self.records:
            return {}
        found = versions(type(self.records[0]), self.keys)
        if self.parts is not None:
            part_model, field = self.parts
            found = found.union(versions(part_model, self.keys, f"{field}_id"), all=True)
        newest = {}
        for pk, moment in found:
            newest[pk] = max(moment, newest.get(pk, moment))
        return newest

    # ---- Relations ------------------------------------------------------------------------

    def related(self, relation, queryset=None, records=None):
        """``{record pk: [related record]}`` of ``relation`` (a many-to-many field or a
        reverse relation of the records' model) for ``records`` (the page's, or some of one
        model), in one query, in the related model's order; each related record made once,
        from the columns its link reads (LINK_FIELDS)."""
        records = self.records if records is None else records
        found = defaultdict(list)
        if not records:
            return found
        field = type(records[0])._meta.get_field(relation)
        model = field.related_model
        # The lookup from the related model back to the records.
        back = field.field.name if field.auto_created else field.related_query_name()
        wanted = {model._meta.pk.attname, *LINK_FIELDS[model._meta.label_lower]}
        # In the model's order of fields, which is how ``from_db`` reads the values it is given.
        names = [f.attname for f in model._meta.concrete_fields if f.attname in wanted]
        queryset = model._default_manager.all() if queryset is None else queryset
        rows = queryset.filter(**{f"{back}__in": [record.pk for record in records]})
        made = {}
        for owner, *values in rows.values_list(back, *names):
            pk = values[names.index(model._meta.pk.attname)]
            if pk not in made:
                made[pk] = model.from_db(rows.db, names, values)
            found[owner].append(made[pk])
        return found

    def linked(self, relation, queryset=None, records=None):
        """``{record pk: [link]}``: ``related`` as links (an empty list for any other key)."""
        found = defaultdict(list)
        for pk, related in self.related(relation, queryset, records).items():
            found[pk] = [self.link(record) for record in related]
        return found

    def link(self, record):
        """A related record: its slug, name and both addresses (made once per request)."""
        if record is None:
            return None
        key = ("link", record._meta.label_lower, record.pk)
        if key not in self.cache:
            self.cache[key] = {
                "slug": record.slug,
                "name": str(record),
                "url": links.api_url(self.request, record),
                "html_url": links.html_url(self.request, record),
            }
        return self.cache[key]

    def first_tools(self, name):
        """``{record pk: [link]}``: for each of the page's records (annotated ``tool_count``),
        the first TOOLS_SHOWN tools by title of the tools list filtered by it (``name``, a
        filter of ``ToolFilterSet``): the first page of that list, read as it reads it
        (``first_tools``).

        One query for the page: the union of each record's first tools, each a subquery that
        stops at TOOLS_SHOWN. (A window function numbering every tool of each record reads
        them all: at 100,000 tools, 464 ms for a page of 20 forms of cooperation on SQLite.)
        The subquery is the same for every record but for its key: made once (for each way of
        reading, ``dense`` or not) for a stand-in whose key is STAND_IN, then filled in, as
        links.py makes addresses (made by the ORM for each record, it took 45 ms of a page of
        20)."""
        found = defaultdict(list)
        counted = [record for record in self.records if record.tool_count]
        if not counted:
            return found  # none to list (counted beside the index, as the tools list counts)
        filter_ = ToolFilterSet(QueryDict()).filters[name]  # bound: it knows its model
        stand_in = type(counted[0])(pk=STAND_IN)
        wanted = {"id", *LINK_FIELDS["resources.tool"]}
        names = [f.attname for f in Tool._meta.concrete_fields if f.attname in wanted]
        made, sql, params = {}, [], []
        for record in counted:
            dense = record.tool_count >= DENSE
            if dense not in made:
                first = first_tools(filter_, stand_in, dense).values("pk")
                part = (
                    Tool.objects.filter(pk__in=first)
                    .order_by()  # the union's, not each part's
                    .annotate(owner=Value(STAND_IN))
                    .values_list("owner", *names)
                )
                made[dense] = part.query.sql_with_params()
            part_sql, part_params = made[dense]
            sql.append(part_sql)
            params += [record.pk if param == STAND_IN else param for param in part_params]
        order = ", ".join(connection.ops.quote_name(column) for column in ("title", "id"))
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql) + f" ORDER BY {order}", params)
            rows = cursor.fetchall()
        tools = {}
        for owner, *values in rows:
            pk = values[names.index("id")]
            if pk not in tools:
                tools[pk] = Tool.from_db(connection.alias, names, values)
            found[owner].append(self.link(tools[pk]))
        return found

    def tools(self, record, name, first):
        """What a record gives of its tools: the first (``first``, from ``first_tools``), how
        many there are and the address of the API's tools list filtered by it (``?name=``)."""
        return {
            "tools": first[record.pk],
            "tool_count": record.tool_count,
            "tools_url": links.api_list_url(self.request, Tool, name, record.slug),
        }

    def participant_link(self, participant):
        return {
            "code": participant.code,
            "name": participant.name,
            "url": links.api_url(self.request, participant),
            "html_url": links.html_url(self.request, participant),
        }

    def source(self, passage):
        """A passage a record comes from: its slug, citation and both addresses."""
        if passage is None:
            return None
        key = ("source", passage.pk)
        if key not in self.cache:
            self.cache[key] = {
                "slug": passage.slug,
                "citation": passage.citation,
                "url": links.api_url(self.request, passage),
                "html_url": links.html_url(self.request, passage),
            }
        return self.cache[key]

    def sources(self, records=None, relation="sources"):
        """``{record pk: [source]}`` for ``records`` (the page's by default)."""
        found = defaultdict(list)
        for pk, passages in self.related(relation, records=records).items():
            found[pk] = [self.source(passage) for passage in passages]
        return found

    @cached_property
    def page_sources(self):
        """The page's records' sources, read when first asked for."""
        return self.sources()

    # ---- What every record shares ----------------------------------------------------------

    def last_modified(self, record):
        """When the record last changed: its newest version in its history (or that of its
        parts), else the day an editor last updated it."""
        found = [self.newest.get(record.pk)]
        updated_on = getattr(record, "updated_on", None)
        if updated_on is not None:
            found.append(datetime.datetime.combine(updated_on, datetime.time(), datetime.UTC))
        return max((moment for moment in found if moment is not None), default=None)

    def record(self, record):
        return {
            "slug": record.slug,
            "url": links.api_url(self.request, record),
            "html_url": links.html_url(self.request, record),
            "last_modified": self.last_modified(record),
        }

    def sourced(self, record, sources=None):
        """What every record gives, and what one derived from the paper adds: its sources
        (read for the whole page, unless given) and how its editors keep it current."""
        return {
            **self.record(record),
            "sources": self.page_sources[record.pk] if sources is None else sources,
            "checked_against_paper_on": record.checked_against_paper_on,
            "last_verified_on": record.last_verified_on,
            "editors_texts": editors_texts(record),
        }


def first_tools(filter_, record, dense):
    """The first TOOLS_SHOWN published tools by title that the tools list gives filtered by
    ``filter_`` (a bound filter of ``ToolFilterSet``) for ``record``: its first page, read as
    it reads it (``FacetFilter.having``; ``dense``: the record has DENSE tools or more, read in
    title order, each checked, rather than found and sorted)."""
    having = filter_.having(Tool, record, dense)
    return Tool.objects.published().filter(having).order_by("title", "pk")[:TOOLS_SHOWN]


def fields(record, *names):
    """``{name: the record's value}`` for each of ``names``: what the API gives as it is."""
    return {name: getattr(record, name) for name in names}


def editors_texts(record):
    texts = record.editors_text if isinstance(record.editors_text, dict) else {}
    return [
        {"field": name, "source": str(text.get("source", "")), "on": str(text.get("on", ""))}
        for name, text in texts.items()
        if isinstance(text, dict)
    ]


def addressed(record):
    return {
        "address": record.url,
        "current_address": record.current_url,
        "address_note": record.address_note,
    }


def published_or_none(instrument):
    return instrument if instrument is not None and instrument.is_published else None


# ---- Instruments, forms of cooperation, organizations ------------------------------------


def instruments(request, records):
    """Instruments (read with their ``adopted_by``, ``supplements`` and ``replaces``, and
    ``InstrumentQuerySet.with_tool_count``)."""
    page = Page(request, records, parts=(Provision, "instrument"))
    published = Instrument.objects.published()
    supplemented_by = page.linked("supplemented_by", published)
    replaced_by = page.linked("replaced_by", published)
    documents = page.linked("documents")
    tools = page.first_tools("instrument")
    provisions = instrument_provisions(page)
    return [
        {
            **page.sourced(instrument),
            **addressed(instrument),
            **fields(instrument, "title", "short_title", "kind", "legally_binding"),
            "force": FORCE[instrument.force],
            **fields(instrument, "scope", "region", "offences", "offences_note"),
            "adopted_by": page.link(instrument.adopted_by),
            **fields(
                instrument,
                "adopted_on",
                "adopted_at",
                "entry_into_force",
                "official_reference",
                "official_text",
                "parties_count",
                "parties_as_of",
                "summary",
            ),
            "supplements": page.link(published_or_none(instrument.supplements)),
            "supplemented_by": supplemented_by[instrument.pk],
            "replaces": page.link(published_or_none(instrument.replaces)),
            "replaced_by": replaced_by[instrument.pk],
            "external_source": instrument.external_source,
            "provisions": provisions[instrument.pk],
            "documents": documents[instrument.pk],
            **page.tools(instrument, "instrument", tools),
        }
        for instrument in page.records
    ]


def instrument_provisions(page):
    """``{instrument pk: [provision]}``, in the order of the instrument's page: by category,
    then by form of cooperation, each in its model's order (``InstrumentQuerySet.for_detail``)."""
    by_instrument = {instrument.pk: instrument for instrument in page.records}
    mechanism = [f"mechanism__{name}" for name in LINK_FIELDS["instruments.mechanism"]]
    provisions = list(
        Provision.objects.filter(instrument__in=page.keys)
        .select_related("mechanism")
        .only("instrument", "article", "note", "external_source", *mechanism)
        .order_by("mechanism__category", "mechanism")
    )
    sources = page.sources(provisions)
    found = defaultdict(list)
    for provision in provisions:
        provision.instrument = by_instrument[provision.instrument_id]
        found[provision.instrument_id].append(
            {
                "mechanism": page.link(provision.mechanism),
                **fields(provision, "article", "note", "external_source"),
                "html_url": links.html_url(page.request, provision),
                "sources": sources[provision.pk],
            }
        )
    return found


def mechanisms(request, records):
    """Mechanisms, read by ``MechanismQuerySet.for_detail()``: what their pages show."""
    page = Page(request, records)
    tools = page.first_tools("mechanism")
    return [
        {
            **page.sourced(mechanism, [page.source(source) for source in mechanism.sources.all()]),
            "name": mechanism.name,
            "category": page.link(mechanism.category),
            **fields(mechanism, "summary", "formality"),
            "provisions": [
                {
                    "instrument": page.link(provision.instrument),
                    "force": FORCE[provision.instrument.force],
                    "article": provision.article,
                    "html_url": links.html_url(request, provision),
                }
                for provision in mechanism.provisions.all()
            ],
            **page.tools(mechanism, "mechanism", tools),
            "guidance": [page.link(guidance) for guidance in mechanism.guidance.all()],
        }
        for mechanism in page.records
    ]


def categories(request, records):
    page = Page(request, records)
    mechanisms = page.linked("mechanisms")
    return [
        {
            **page.record(category),
            **fields(category, "name", "description", "position"),
            "mechanisms": mechanisms[category.pk],
        }
        for category in page.records
    ]


def organizations(request, records):
    """Organizations (read by ``OrganizationQuerySet.with_tool_count``)."""
    page = Page(request, records)
    instruments = page.linked("instruments", Instrument.objects.published())
    tools = page.first_tools("publisher")
    return [
        {
            **page.sourced(organization),
            **fields(organization, "name", "short_name", "kind"),
            "website": organization.url,
            "description": organization.description,
            "instruments": instruments[organization.pk],
            **page.tools(organization, "publisher", tools),
        }
        for organization in page.records
    ]


# ---- Tools ----------------------------------------------------------------------------------


def tools(request, records):
    """Tools (read with their publisher)."""
    page = Page(request, records, parts=(ToolPart, "tool"))
    audiences = page.linked("audiences")
    mechanisms = page.linked("mechanisms")
    instruments = page.linked("instruments", Instrument.objects.published())
    parts = tool_parts(page)
    return [
        {
            **page.sourced(tool),
            **addressed(tool),
            **fields(tool, "title", "short_title", "kind"),
            "publisher": page.link(tool.publisher),
            **fields(tool, "year", "description"),
            "audiences": audiences[tool.pk],
            "mechanisms": mechanisms[tool.pk],
            "instruments": instruments[tool.pk],
            "parts": parts[tool.pk],
            "external_source": tool.external_source,
        }
        for tool in page.records
    ]


def tool_parts(page):
    """``{tool pk: [part]}``, in the order of the tool's page."""
    by_tool = {tool.pk: tool for tool in page.records}
    parts = list(ToolPart.objects.filter(tool__in=page.keys))
    mechanisms = page.linked("mechanisms", records=parts)
    sources = page.sources(parts)
    found = defaultdict(list)
    for part in parts:
        part.tool = by_tool[part.tool_id]
        found[part.tool_id].append(
            {
                **fields(part, "slug", "kind", "label", "title", "description"),
                "address": part.url,
                "html_url": links.html_url(page.request, part),
                "mechanisms": mechanisms[part.pk],
                "sources": sources[part.pk],
            }
        )
    return found


# ---- Guidance and the paper -----------------------------------------------------------------


def guidance(request, records):
    page = Page(request, records)
    mechanisms = page.linked("mechanisms")
    return [
        {
            **page.sourced(record),
            **fields(record, "kind", "title", "text"),
            "mechanisms": mechanisms[record.pk],
        }
        for record in page.records
    ]


def documents(request, records):
    page = Page(request, records)
    instruments = page.linked("instruments", Instrument.objects.published())
    return [
        {
            **page.sourced(document),
            **addressed(document),
            **fields(document, "title", "symbol", "kind", "issuer", "year", "note"),
            "instruments": instruments[document.pk],
        }
        for document in page.records
    ]


def passages(request, records):
    """Passages (read with their section and the passage that calls a footnote)."""
    page = Page(request, records)
    footnotes = page.sources(relation="footnotes")
    return [
        {
            **page.record(passage),
            **fields(passage, "kind", "number", "citation", "heading", "text", "editorial_note"),
            "section": section(passage.section),
            "cited_in": page.source(passage.cited_in),
            "footnotes": footnotes[passage.pk],
        }
        for passage in page.records
    ]


def section(section):
    return None if section is None else fields(section, "slug", "number", "title")


# ---- Countries ------------------------------------------------------------------------------


def participants(request, records):
    """Participants (read with their organization), each with its standings."""
    page = Page(request, records, parts=(ParticipationEvent, "participant"))
    standings = standings_shown(page.records)
    memberships = defaultdict(list)
    for membership in Membership.objects.filter(participant__in=page.keys).select_related("group"):
        memberships[membership.participant_id].append(
            {
                "group": fields(membership.group, "slug", "name", "short_name"),
                **fields(membership, "joined", "joined_precision", "source_url", "as_at"),
            }
        )
    return [
        {
            "code": participant.code,
            "url": links.api_url(request, participant),
            "html_url": links.html_url(request, participant),
            "last_modified": page.last_modified(participant),
            **fields(participant, "name", "iso3", "kind", "region", "sub_region"),
            "aliases": participant.alias_list(),
            "organization": page.link(participant.organization),
            "memberships": memberships[participant.pk],
            "standings": [
                {**standing_values(standing), "instrument": page.link(standing.instrument)}
                for standing in standings[participant.pk]
            ],
        }
        for participant in page.records
    ]


def standings_shown(participants):
    """``{participant pk: [Standing]}``: where each of ``participants`` stands with each
    published instrument a source here records it in, in the instruments' order (five queries
    for any number)."""
    published = list(Instrument.objects.published())
    found = standings(participants, published)
    return {
        participant.pk: [
            standing
            for instrument in published
            if (standing := found[participant.pk, instrument.pk]).state != State.NONE
        ]
        for participant in participants
    }


def standing_values(standing):
    """What a ``countries.status.Standing`` says, with the observation it rests on."""
    shown = standing.shown
    event = isinstance(shown, ParticipationEvent)
    by_group = standing.state in (State.MEMBER, State.EXCLUDED)
    return {
        "state": standing.state,
        "label": standing.label,
        "act": shown.kind if event else "membership",
        "date": shown.date if event else shown.joined,
        "date_precision": shown.date_precision if event else shown.joined_precision,
        "source_url": shown.source_url,
        "as_at": shown.as_at,
        "group": standing.rule.group.slug if by_group else None,
        "disagree": standing.disagree,
    }


def parties(request, standings):
    """An instrument's ``parties``: ``standings`` (of its participants) as the API gives them."""
    page = Page(request, [])
    return [
        {**standing_values(standing), "participant": page.participant_link(standing.participant)}
        for standing in standings
    ]


def events(request, records):
    """Observations (read with their participant and instrument)."""
    page = Page(request, records)
    return [
        {
            "slug": None,
            "url": None,
            "html_url": links.html_url(request, event.participant),
            "last_modified": page.last_modified(event),
            "participant": page.participant_link(event.participant),
            "instrument": page.link(event.instrument),
            **fields(event, "kind", "date", "date_precision", "entry_into_force"),
            **fields(event, "source_url", "derived_from"),
            "other_sources": [
                line.strip() for line in event.other_sources.splitlines() if line.strip()
            ],
            **fields(event, "as_at", "as_at_precision", "note", "origin"),
        }
        for event in page.records
    ]


def declarations(request, records):
    """Declarations (read with their instrument)."""
    page = Page(request, records)
    return [
        {
            "instrument": page.link(declaration.instrument),
            **fields(declaration, "kind", "article", "text", "source_url", "as_at"),
        }
        for declaration in page.records
    ]
