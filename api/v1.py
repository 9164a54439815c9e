"""Version 1 of the API: a list and a detail of each kind of published record.

Each list is its portal page's QuerySet and FilterSet (the tools: ``ToolFilterSet`` over
``Tool.objects`` published), paged by api/lists.py; each record is read with the QuerySet of
its page (``for_detail()``), so a page of records costs a fixed number of queries whatever
their number (tests/api/test_queries.py). Drafts are never read: every QuerySet here, and every
relation it prefetches, is published records only.
"""

from django.db.models import Max, Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from simple_history.utils import get_history_model_for_model

from api import links, schemas
from api.lists import (
    SLUG,
    Refused,
    answer,
    filtered,
    given,
    known_only,
    parameters,
    plain,
    refuse,
    words_filterset,
)
from countries.filters import ParticipantFilterSet
from countries.models import Declaration, Membership, Participant, ParticipationEvent
from countries.status import State, standings
from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.models import CitedDocument, Passage
from resources.filters import ToolFilterSet
from resources.models import Tool, ToolPart
from search.facets import shorten
from search.text import fold

DESCRIPTION = """\
The published records of the TIP Cooperation Portal, read-only: which international instruments
give States a legal basis for each form of cooperation against trafficking in persons, what they
say, which tools help, the paper they come from, and which States are recorded as parties.

Lists take the filters of the portal's own lists and `q` (words, as its search box takes them),
and are paged (`count`, `next`, `previous`, `results`; `page`, `page_size` up to 100). Every record
gives its page on the portal (`html_url`), its address here (`url`), the passages of the paper it
comes from and when it last changed. Errors are JSON with a `detail` in words: 400 names the
parameters refused, 404 an unknown slug. GET and HEAD only; any origin may read it (CORS).
"""


class API(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        return operation.view_func.__name__  # list_tools, get_tool: as the URL names


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # “quotes” and names as they are written


class Docs(Swagger):
    """Swagger UI from ninja's own static files, in a page that runs under the portal's CSP."""

    template = "api/docs.html"


api = API(
    title="TIP Cooperation Portal API",
    version="1",
    description=DESCRIPTION,
    urls_namespace=links.NAMESPACE,
    docs=Docs(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    renderer=Renderer(),
)


@api.exception_handler(Refused)
def refused(request, error):
    detail = {"detail": error.detail, "parameters": error.parameters}
    return api.create_response(request, detail, status=error.status)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": str(error), "parameters": []}, status=404)


def found(queryset, what, **lookup):
    """The one record of ``queryset`` matching ``lookup``, or a 404 that says what was sought."""
    record = queryset.filter(**lookup).first()
    if record is None:
        key = shorten(next(iter(lookup.values())))
        raise Http404(f"There is no {what} “{key}” in the API (drafts are not shown).")
    return record


# ---- When records changed -----------------------------------------------------------------


def with_versions(records, parts=None):
    """Give each of ``records`` (one model's) ``newest_version``: when its newest version in the
    history was recorded; with ``parts`` = (model, field to the record), ``newest_part_version``
    too (a tool's parts, an instrument's provisions). Two queries at most, for any number."""
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    keys = [record.pk for record in records]
    newest = dict(
        get_history_model_for_model(model)
        .objects.filter(id__in=keys)
        .values_list("id")
        .annotate(Max("history_date"))
        .order_by()
    )
    for record in records:
        record.newest_version = newest.get(record.pk)
    if parts is not None:
        part_model, field = parts
        newest = dict(
            get_history_model_for_model(part_model)
            .objects.filter(**{f"{field}_id__in": keys})
            .values_list(f"{field}_id")
            .annotate(Max("history_date"))
            .order_by()
        )
        for record in records:
            record.newest_part_version = newest.get(record.pk)
    return records


def last_modified_header(response, record):
    moment = schemas.last_modified(record)
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())


def page_of(request, page, notices=(), parts=None):
    with_versions(page.object_list, parts)
    return answer(request, page, notices)


def detail(response, record, parts=None):
    with_versions([record], parts)
    last_modified_header(response, record)
    return record


def list_operation(path, schema, tags, filterset_class=None, per_page=20, extra=()):
    """``api.get`` for a list: its page schema, and its parameters from its FilterSet."""
    return api.get(
        path,
        response={200: schemas.page_of(schema), 400: schemas.Error},
        tags=tags,
        openapi_extra={"parameters": parameters(filterset_class, per_page, extra)},
    )


def detail_operation(path, schema, tags):
    return api.get(path, response={200: schema, 400: schemas.Error, 404: schemas.Error}, tags=tags)


# ---- The API's index ----------------------------------------------------------------------


LISTS = [
    "instruments",
    "mechanisms",
    "categories",
    "organizations",
    "tools",
    "guidance",
    "documents",
    "passages",
    "participants",
    "participation",
]


@api.get("/", response=schemas.Index, tags=["Index"])
def index(request):
    """Where everything is: the docs, the schema and each list."""
    known_only(request.GET, ())
    return {
        "title": api.title,
        "docs": links.absolute(request, links.api_path("openapi-view")),
        "openapi": links.absolute(request, links.api_path("openapi-json")),
        "lists": {name: links.absolute(request, links.api_path(f"list_{name}")) for name in LISTS},
    }


# ---- Instruments, forms of cooperation, organizations ------------------------------------


def instruments():
    return Instrument.objects.for_detail().published().prefetch_related("documents")


def parties(instrument):
    """The standings of the participants recorded as bound by ``instrument`` or as having
    signed it (its page's party table, countries/views.py), by name."""
    participants = Participant.objects.filter(
        Q(events__instrument=instrument)
        | Q(memberships__group__binding_rules__instrument=instrument)
    ).distinct()
    found = standings(participants, [instrument]).values()
    return sorted(
        (standing for standing in found if standing.state != State.NONE),
        key=lambda standing: fold(standing.participant.name),
    )


@list_operation("/instruments", schemas.Instrument, ["Instruments"], InstrumentFilterSet)
def list_instruments(request):
    """The published instruments, filtered as /instruments/ is, in its order."""
    page, notices = filtered(request, InstrumentFilterSet, instruments())
    return page_of(request, page, notices, parts=(Provision, "instrument"))


@detail_operation("/instruments/{slug:slug}", schemas.InstrumentDetail, ["Instruments"])
def get_instrument(request, response: HttpResponse, slug: str):
    """A published instrument with its provisions, and who is recorded as bound by it."""
    known_only(request.GET, ())
    instrument = found(instruments(), "published instrument", slug=slug)
    instrument.parties = parties(instrument)
    return detail(response, instrument, parts=(Provision, "instrument"))


MechanismFilterSet = words_filterset(Mechanism)


@list_operation("/mechanisms", schemas.Mechanism, ["Cooperation"], MechanismFilterSet)
def list_mechanisms(request):
    """The forms of cooperation, by category, as /cooperation/ lists them."""
    page, notices = filtered(request, MechanismFilterSet, Mechanism.objects.for_detail())
    return page_of(request, page, notices)


@detail_operation("/mechanisms/{slug:slug}", schemas.Mechanism, ["Cooperation"])
def get_mechanism(request, response: HttpResponse, slug: str):
    """A form of cooperation with the instruments that provide for it, legal bases first."""
    known_only(request.GET, ())
    mechanism = found(Mechanism.objects.for_detail(), "cooperation type", slug=slug)
    return detail(response, mechanism)


def categories():
    return MechanismCategory.objects.prefetch_related("mechanisms")


@list_operation("/categories", schemas.Category, ["Cooperation"])
def list_categories(request):
    """The categories of forms of cooperation, in the order of /cooperation/."""
    page, notices = plain(request, categories(), 20)
    return page_of(request, page, notices)


@detail_operation("/categories/{slug:slug}", schemas.Category, ["Cooperation"])
def get_category(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    return detail(response, found(categories(), "category", slug=slug))


OrganizationFilterSet = words_filterset(Organization)


@list_operation("/organizations", schemas.Organization, ["Organizations"], OrganizationFilterSet)
def list_organizations(request):
    """The organizations that adopt instruments or publish tools, by name."""
    page, notices = filtered(request, OrganizationFilterSet, Organization.objects.for_detail())
    return page_of(request, page, notices)


@detail_operation("/organizations/{slug:slug}", schemas.Organization, ["Organizations"])
def get_organization(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    organization = found(Organization.objects.for_detail(), "organization", slug=slug)
    return detail(response, organization)


# ---- Tools ----------------------------------------------------------------------------------


def tools():
    return Tool.objects.for_detail().published()


@list_operation("/tools", schemas.Tool, ["Tools"], ToolFilterSet)
def list_tools(request):
    """The published tools, filtered as /resources/ is, in its order."""
    page, notices = filtered(request, ToolFilterSet, tools())
    return page_of(request, page, notices, parts=(ToolPart, "tool"))


@detail_operation("/tools/{slug:slug}", schemas.Tool, ["Tools"])
def get_tool(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    tool = found(tools(), "published tool", slug=slug)
    return detail(response, tool, parts=(ToolPart, "tool"))


# ---- Guidance and the paper ----------------------------------------------------------------

GuidanceFilterSet = words_filterset(Guidance)


@list_operation("/guidance", schemas.Guidance, ["Guidance"], GuidanceFilterSet)
def list_guidance(request):
    """What the paper advises and observes, by kind."""
    page, notices = filtered(request, GuidanceFilterSet, Guidance.objects.for_list())
    return page_of(request, page, notices)


@detail_operation("/guidance/{slug:slug}", schemas.Guidance, ["Guidance"])
def get_guidance(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    return detail(response, found(Guidance.objects.for_list(), "guidance", slug=slug))


def documents():
    published = Instrument.objects.published()
    return CitedDocument.objects.prefetch_related(
        "sources", Prefetch("instruments", queryset=published)
    )


DocumentFilterSet = words_filterset(CitedDocument)


@list_operation("/documents", schemas.Document, ["The paper"], DocumentFilterSet)
def list_documents(request):
    """The documents the paper cites, by title."""
    page, notices = filtered(request, DocumentFilterSet, documents())
    return page_of(request, page, notices)


@detail_operation("/documents/{slug:slug}", schemas.Document, ["The paper"])
def get_document(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    return detail(response, found(documents(), "cited document", slug=slug))


def passages():
    footnotes = Prefetch("footnotes", queryset=Passage.objects.order_by("position"))
    return Passage.objects.select_related("section", "cited_in").prefetch_related(footnotes)


PassageFilterSet = words_filterset(Passage)


@list_operation("/passages", schemas.Passage, ["The paper"], PassageFilterSet)
def list_passages(request):
    """The paper's paragraphs, annex entries and footnotes, in its order."""
    page, notices = filtered(request, PassageFilterSet, passages())
    return page_of(request, page, notices)


@detail_operation("/passages/{slug:slug}", schemas.Passage, ["The paper"])
def get_passage(request, response: HttpResponse, slug: str):
    """A passage by its slug (para-7, annex-3, fn-12), also its anchor on /source/."""
    known_only(request.GET, ())
    return detail(response, found(passages(), "passage", slug=slug))


# ---- Countries ------------------------------------------------------------------------------


def participants():
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("group"))
    return Participant.objects.select_related("organization").prefetch_related(memberships)


def with_standings(records):
    """Give each participant ``standings``: where it stands with each published instrument a
    source here records it in, in the instruments' order (five queries for any number)."""
    records = list(records)
    published = list(Instrument.objects.published())
    found = standings(records, published)
    for participant in records:
        participant.standings = [
            standing
            for instrument in published
            if (standing := found[participant.pk, instrument.pk]).state != State.NONE
        ]
    return records


@list_operation("/participants", schemas.Participant, ["Countries"], ParticipantFilterSet)
def list_participants(request):
    """The States (and the EU), filtered as /countries/ is, in its order."""
    page, notices = filtered(request, ParticipantFilterSet, participants())
    with_standings(page.object_list)
    return page_of(request, page, notices, parts=(ParticipationEvent, "participant"))


@detail_operation("/participants/{slug:code}", schemas.ParticipantDetail, ["Countries"])
def get_participant(request, response: HttpResponse, code: str):
    """A participant by its code (nga, ita, eu), with every observation recorded of it."""
    known_only(request.GET, ())
    published = PublicationStatus.PUBLISHED
    queryset = participants().prefetch_related(
        Prefetch(
            "events",
            queryset=ParticipationEvent.objects.filter(instrument__status=published)
            .select_related("instrument")
            .order_by("instrument__short_title", "date", "pk"),
        ),
        Prefetch(
            "declarations",
            queryset=Declaration.objects.filter(instrument__status=published).select_related(
                "instrument"
            ),
        ),
    )
    participant = found(queryset, "participant", code=code.lower())
    with_standings([participant])
    with_versions(participant.events.all())
    return detail(response, participant, parts=(ParticipationEvent, "participant"))


def events():
    return (
        ParticipationEvent.objects.filter(instrument__status=PublicationStatus.PUBLISHED)
        .select_related("participant", "instrument")
        .order_by("participant__sort_name", "instrument__short_title", "date", "pk")
    )


def published_instrument(slug):
    if SLUG.fullmatch(slug):
        return Instrument.objects.published().filter(slug=slug).first()
    return None


def participant_of(code):
    return Participant.objects.filter(code=code.lower()).first() if SLUG.fullmatch(code) else None


EVENT_PARAMETERS = [
    {
        "name": "instrument",
        "in": "query",
        "required": False,
        "description": "A published instrument's slug (list_instruments).",
        "schema": {"type": "string"},
    },
    {
        "name": "participant",
        "in": "query",
        "required": False,
        "description": "A participant's code (list_participants).",
        "schema": {"type": "string"},
    },
]


@list_operation("/participation", schemas.Event, ["Countries"], per_page=50, extra=EVENT_PARAMETERS)
def list_participation(request):
    """Every observation of a participant's act in a published instrument (a signature, a
    ratification...), with its source, by participant and instrument."""
    queryset, problems = events(), []
    if (slug := given(request.GET, "instrument")) is not None:
        instrument = published_instrument(slug)
        if instrument is None:
            problems.append(("instrument", f"“{shorten(slug)}” is not a published instrument."))
        queryset = queryset.filter(instrument=instrument)
    if (code := given(request.GET, "participant")) is not None:
        participant = participant_of(code)
        if participant is None:
            problems.append(("participant", f"“{shorten(code)}” is not a participant's code."))
        queryset = queryset.filter(participant=participant)
    refuse(problems)
    page, notices = plain(request, queryset, 50, ("instrument", "participant"))
    return page_of(request, page, notices)
