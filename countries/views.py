"""The countries pages: every participant, filtered by region and group or searched by words,
with its standing under the two UN instruments; one participant, with where it stands with each
binding instrument and what that makes available; and, on an instrument's page, the parties and
signatories recorded here (a panel, registered in apps.py).

Standings are read by ``countries.status.standings``: a fixed number of queries for a page,
however many participants, instruments and observations there are."""

from collections import Counter, defaultdict
from functools import partial

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from countries import exports
from countries.filters import ParticipantFilterSet
from countries.models import CONSENT_KINDS, Declaration, Membership, Participant, Region
from countries.models import ParticipationEvent as Event
from countries.names import local_names
from countries.status import State, standings
from editorial.conditional import conditional_page
from instruments.models import Instrument, Provision
from search.exports import export
from search.facets import shorten
from search.text import fold

# What the lists held here lack (fixtures/participation/PROVENANCE.md), said wherever they are
# shown, so that "no record here" is never read as "not bound".
GAPS = {
    # Translators: the limits of the list of the parties to the UN Convention against
    # Transnational Organized Crime held here.
    "untoc": _(
        "Its list is the UN Treaty Collection's table as copied on 27 January 2014, with "
        "a few later observations from secondary sources: about 10 to 12 States that became "
        "parties since 2014 are missing."
    ),
    # Translators: the limits of the list of the parties to the Trafficking in Persons
    # Protocol held here.
    "tip-protocol": _(
        "Its list is the UN Treaty Collection's table as copied on 27 January "
        "2014, with later observations from secondary sources: 170 of the 182 parties the UN "
        "Treaty Collection counted on 20 April 2024 are recorded here."
    ),
}

SORTS = {
    # Translators: the party table's order, ending its caption: "..., sorted by name".
    "name": _("name"),
    # Translators: the party table's order, ending its caption: "..., sorted by date of the act".
    "date": _("date of the act"),
}


def instrument_order(instrument):
    """Legal bases first, global before regional, then oldest first."""
    adopted = instrument.adopted_on.isoformat() if instrument.adopted_on else "9999"
    return (instrument.force, instrument.scope != "global", adopted, instrument.short_title)


@require_safe
def participant_list(request):
    filterset = ParticipantFilterSet(request.GET, queryset=Participant.objects.all())
    context = filterset.page_context(request.GET.get("page"))
    columns = exports.listed()
    participants = list(context["page"].object_list)
    found = standings(participants, columns)
    context["columns"] = columns
    # "UNTOC and TIP Protocol", for the table's caption.
    context["columns_text"] = get_text_list([i.short_title for i in columns], gettext("and"))
    context["gaps"] = [(i, GAPS[i.slug]) for i in columns]
    context["rows"] = [(p, [found[p.pk, i.pk] for i in columns]) for p in participants]
    return render(request, "countries/participant_list.html", context)


@require_safe
def participant_detail(request, code):
    if code != code.lower():  # NGA, as ISO writes it: the address is lower case
        return redirect("countries:participant_detail", code.lower(), permanent=True)
    participant = get_object_or_404(
        Participant.objects.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("group")),
            Prefetch("declarations", queryset=Declaration.objects.select_related("instrument")),
        ),
        code=code,
    )
    instruments = sorted(
        Instrument.objects.published().prefetch_related(
            Prefetch("provisions", queryset=Provision.objects.select_related("mechanism"))
        ),
        key=instrument_order,
    )
    binding = [i for i in instruments if i.legally_binding]
    found = standings([participant], binding)
    rows = [found[participant.pk, i.pk] for i in binding]
    bound = [standing for standing in rows if standing.bound]
    others = others_bound(participant, bound)
    context = {
        "participant": participant,
        "rows": rows,
        "bound": [(standing, others[standing.instrument.pk]) for standing in bound],
        "guidance": [i for i in instruments if not i.legally_binding],
        "gaps": [(i, GAPS[i.slug]) for i in binding if i.slug in GAPS],
    }
    return render(request, "countries/participant_detail.html", context)


def others_bound(participant, bound):
    """{instrument pk: how many other participants are recorded as bound by it} for the
    standings ``bound``, read as ``standings`` reads them (an act of consent, or membership of
    the group a rule binds, unless excluded), in two queries at most."""
    ids = defaultdict(set)
    consents = Event.objects.filter(
        instrument__in=[s.instrument for s in bound], kind__in=CONSENT_KINDS
    )
    for instrument_id, participant_id in consents.values_list("instrument", "participant"):
        ids[instrument_id].add(participant_id)
    rules = {s.instrument.pk: s.rule for s in bound if s.rule is not None}
    if rules:
        members = defaultdict(set)
        groups = {rule.group_id for rule in rules.values()}
        for group_id, participant_id in Membership.objects.filter(group__in=groups).values_list(
            "group", "participant"
        ):
            members[group_id].add(participant_id)
        for instrument_id, rule in rules.items():
            excluded = {p.pk for p in rule.excluded.all()}
            ids[instrument_id] |= members[rule.group_id] - excluded
    return {s.instrument.pk: len(ids[s.instrument.pk] - {participant.pk}) for s in bound}


# ---- The instrument page's panel --------------------------------------------------------------


def party_table(request, instrument):
    """The context of countries/party_table.html on ``instrument``'s page: who is recorded as
    bound by it or as having signed it, sorted and filtered by ``?sort=`` and ``?region=``
    (ignored, with a notice, when unknown); None for guidance with nothing recorded."""
    found = recorded(instrument)
    if not found:
        return {"instrument": instrument, "found": []} if instrument.legally_binding else None
    sort, region, notices = table_options(request)
    rows = [s for s in found if not region or s.participant.region == region]
    rows.sort(key=lambda s: fold(s.participant.name))
    if sort == "date":
        rows.sort(key=lambda s: (act_date(s) is None, act_date(s) or 0))
    regions = Counter(s.participant.region for s in found)
    link = partial(table_query, request.GET, {"sort": sort, "region": region})
    return {
        **summary(found),
        "instrument": instrument,
        "rows": rows,
        "gap": GAPS.get(instrument.slug, ""),
        "notices": notices,
        "sort": sort,
        "sort_label": SORTS[sort],
        "region": Region(region).label if region else "",
        "sort_links": {key: link(sort=key) for key in SORTS},
        "region_links": [
            (label, regions[value], link(region=value), value == region)
            for value, label in Region.choices
            if regions[value]
        ],
        "all_regions": link(region=""),
    }


def recorded(instrument):
    """The standings of every participant recorded for ``instrument`` (by an observation of
    its own, or as a member of the group a rule binds), in five queries; one if there are
    none (most instruments)."""
    participants = list(
        Participant.objects.filter(
            Q(events__instrument=instrument)
            | Q(memberships__group__binding_rules__instrument=instrument)
        ).distinct()
    )
    if not participants:
        return []
    found = standings(participants, [instrument]).values()
    return [standing for standing in found if standing.state != State.NONE]


def summary(found):
    """What the table's heading paragraphs say of the standings ``found``: the counts, the
    binding rule, the newest date a source speaks for and the source most rows rest on."""
    states = Counter(s.state for s in found)
    sources = Counter(s.shown.source_url for s in found)
    main_url, main_rows = sources.most_common(1)[0]
    dated = [s.shown for s in found if s.shown.as_at]
    return {
        "found": found,
        "rule": found[0].rule,
        "counts": {state: states[state] for state in (State.PARTY, State.SIGNATORY)},
        "members": states[State.MEMBER],
        "excluded": [s for s in found if s.state == State.EXCLUDED],
        "excluded_names": local_names(s.participant for s in found if s.state == State.EXCLUDED),
        "newest": max(dated, key=lambda observation: observation.as_at, default=None),
        "main_source": next(s.shown for s in found if s.shown.source_url == main_url),
        "main_rows": main_rows,
        "other_sources": len(sources) - 1,
    }


def table_options(request):
    """(sort, region, notices) of the party table, from the query string."""
    notices = []
    sort = (request.GET.get("sort") or "name").replace("\x00", "")
    if sort not in SORTS:
        # Translators: %(value)s is what was given in the address as ?sort=.
        notice = gettext("“%(value)s” is not a way to sort this table: sorted by name.")
        notices.append(notice % {"value": shorten(sort)})
        sort = "name"
    region = request.GET.get("region", "").replace("\x00", "")
    if region and region not in Region.values:
        # Translators: %(value)s is what was given in the address as ?region=.
        notice = gettext("“%(value)s” is not a region: every region is shown.")
        notices.append(notice % {"value": shorten(region)})
        region = ""
    return sort, region, notices


def table_query(query, options, **changes):
    """``?...#parties``: the page's ``query`` with the table's usable ``options`` (sort and
    region: unknown values dropped) and ``changes`` made; an empty value leaves one out."""
    params = query.copy()
    for key, value in {**options, **changes}.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return ("?" + params.urlencode() if params else "") + "#parties"


def act_date(standing):
    """The date of the act a standing rests on (a membership: the day it joined), or None."""
    shown = standing.shown
    return getattr(shown, "date", None) or getattr(shown, "joined", None)


@require_safe
@conditional_page
def participant_export(request, fmt):
    """The countries list as CSV or JSON, with the list's filters (countries/exports.py)."""
    filterset = ParticipantFilterSet(request.GET, queryset=exports.queryset())
    instruments = exports.listed()
    columns, list_path = exports.columns(instruments), reverse("countries:participant_list")
    results = partial(exports.results, filterset, instruments)
    return export(request, filterset, columns, "countries", fmt, list_path, results)
