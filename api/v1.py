"""Version 1 of the API: a list and a detail of each kind of published record.

Each list is its portal page's QuerySet and FilterSet (the tools: ``ToolFilterSet`` over
``Tool.objects`` published), paged by api/lists.py; the page's records are then made into plain
values by api/records.py, each relation read once for the whole page, so that a page costs a
fixed number of queries whatever its number of records (tests/api/test_queries.py). A record's
detail is the page of that one record. Drafts are never read: every QuerySet here, and every
relation read for a page, is published records only.
"""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from api import links, records, schemas
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
from countries.models import Declaration, Participant, ParticipationEvent
from countries.status import State, standings
from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization
from paper.models import CitedDocument, Passage
from resources.filters import ToolFilterSet
from resources.models import Tool
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


# ---- Pages and details ---------------------------------------------------------------------


def page_of(request, page, notices, build):
    """The answer for ``page``: its records made into values by ``build`` (api/records.py)."""
    return answer(request, page, notices, build(request, page.object_list))


def detail(response, values):
    """A record's values as its answer, with its ``Last-Modified`` when it is known."""
    if values["last_modified"] is not None:
        response["Last-Modified"] = http_date(values["last_modified"].timestamp())
    return values


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
    return (
        Instrument.objects.published()
        .with_tool_count()
        .select_related("adopted_by", "supplements", "replaces")
    )


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
    return page_of(request, page, notices, records.instruments)


@detail_operation("/instruments/{slug:slug}", schemas.InstrumentDetail, ["Instruments"])
def get_instrument(request, response: HttpResponse, slug: str):
    """A published instrument with its provisions, and who is recorded as bound by it."""
    known_only(request.GET, ())
    instrument = found(instruments(), "published instrument", slug=slug)
    [values] = records.instruments(request, [instrument])
    values["parties"] = records.parties(request, parties(instrument))
    return detail(response, values)


MechanismFilterSet = words_filterset(Mechanism)


@list_operation("/mechanisms", schemas.Mechanism, ["Cooperation"], MechanismFilterSet)
def list_mechanisms(request):
    """The forms of cooperation, by category, as /cooperation/ lists them."""
    page, notices = filtered(request, MechanismFilterSet, Mechanism.objects.for_detail())
    return page_of(request, page, notices, records.mechanisms)


@detail_operation("/mechanisms/{slug:slug}", schemas.Mechanism, ["Cooperation"])
def get_mechanism(request, response: HttpResponse, slug: str):
    """A form of cooperation with the instruments that provide for it, legal bases first."""
    known_only(request.GET, ())
    mechanism = found(Mechanism.objects.for_detail(), "cooperation type", slug=slug)
    return detail(response, records.mechanisms(request, [mechanism])[0])


@list_operation("/categories", schemas.Category, ["Cooperation"])
def list_categories(request):
    """The categories of forms of cooperation, in the order of /cooperation/."""
    page, notices = plain(request, MechanismCategory.objects.all(), 20)
    return page_of(request, page, notices, records.categories)


@detail_operation("/categories/{slug:slug}", schemas.Category, ["Cooperation"])
def get_category(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    category = found(MechanismCategory.objects.all(), "category", slug=slug)
    return detail(response, records.categories(request, [category])[0])


def organizations():
    return Organization.objects.with_tool_count()


OrganizationFilterSet = words_filterset(Organization)


@list_operation("/organizations", schemas.Organization, ["Organizations"], OrganizationFilterSet)
def list_organizations(request):
    """The organizations that adopt instruments or publish tools, by name."""
    page, notices = filtered(request, OrganizationFilterSet, organizations())
    return page_of(request, page, notices, records.organizations)


@detail_operation("/organizations/{slug:slug}", schemas.Organization, ["Organizations"])
def get_organization(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    organization = found(organizations(), "organization", slug=slug)
    return detail(response, records.organizations(request, [organization])[0])


# ---- Tools ----------------------------------------------------------------------------------


def tools():
    return Tool.objects.published().select_related("publisher")


@list_operation("/tools", schemas.Tool, ["Tools"], ToolFilterSet)
def list_tools(request):
    """The published tools, filtered as /resources/ is, in its order."""
    page, notices = filtered(request, ToolFilterSet, tools())
    return page_of(request, page, notices, records.tools)


@detail_operation("/tools/{slug:slug}", schemas.Tool, ["Tools"])
def get_tool(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    tool = found(tools(), "published tool", slug=slug)
    return detail(response, records.tools(request, [tool])[0])


# ---- Guidance and the paper ----------------------------------------------------------------

GuidanceFilterSet = words_filterset(Guidance)


@list_operation("/guidance", schemas.Guidance, ["Guidance"], GuidanceFilterSet)
def list_guidance(request):
    """What the paper advises and observes, by kind."""
    page, notices = filtered(request, GuidanceFilterSet, Guidance.objects.all())
    return page_of(request, page, notices, records.guidance)


@detail_operation("/guidance/{slug:slug}", schemas.Guidance, ["Guidance"])
def get_guidance(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    guidance = found(Guidance.objects.all(), "guidance", slug=slug)
    return detail(response, records.guidance(request, [guidance])[0])


DocumentFilterSet = words_filterset(CitedDocument)


@list_operation("/documents", schemas.Document, ["The paper"], DocumentFilterSet)
def list_documents(request):
    """The documents the paper cites, by title."""
    page, notices = filtered(request, DocumentFilterSet, CitedDocument.objects.all())
    return page_of(request, page, notices, records.documents)


@detail_operation("/documents/{slug:slug}", schemas.Document, ["The paper"])
def get_document(request, response: HttpResponse, slug: str):
    known_only(request.GET, ())
    document = found(CitedDocument.objects.all(), "cited document", slug=slug)
    return detail(response, records.documents(request, [document])[0])


def passages():
    return Passage.objects.select_related("section", "cited_in")


PassageFilterSet = words_filterset(Passage)


@list_operation("/passages", schemas.Passage, ["The paper"], PassageFilterSet)
def list_passages(request):
    """The paper's paragraphs, annex entries and footnotes, in its order."""
    page, notices = filtered(request, PassageFilterSet, passages())
    return page_of(request, page, notices, records.passages)


@detail_operation("/passages/{slug:slug}", schemas.Passage, ["The paper"])
def get_passage(request, response: HttpResponse, slug: str):
    """A passage by its slug (para-7, annex-3, fn-12), also its anchor on /source/."""
    known_only(request.GET, ())
    passage = found(passages(), "passage", slug=slug)
    return detail(response, records.passages(request, [passage])[0])


# ---- Countries ------------------------------------------------------------------------------


def participants():
    return Participant.objects.select_related("organization")


@list_operation("/participants", schemas.Participant, ["Countries"], ParticipantFilterSet)
def list_participants(request):
    """The States (and the EU), filtered as /countries/ is, in its order."""
    page, notices = filtered(request, ParticipantFilterSet, participants())
    return page_of(request, page, notices, records.participants)


@detail_operation("/participants/{slug:code}", schemas.ParticipantDetail, ["Countries"])
def get_participant(request, response: HttpResponse, code: str):
    """A participant by its code (nga, ita, eu), with every observation recorded of it."""
    known_only(request.GET, ())
    participant = found(participants(), "participant", code=code.lower())
    [values] = records.participants(request, [participant])
    values["events"] = records.events(request, events().filter(participant=participant))
    values["declarations"] = records.declarations(
        request,
        Declaration.objects.filter(
            participant=participant, instrument__status=PublicationStatus.PUBLISHED
        ).select_related("instrument"),
    )
    return detail(response, values)


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
    return page_of(request, page, notices, records.events)
