"""The pathfinder: for a requesting and a requested State, which instruments recorded here give
them a legal basis for a form of cooperation, under which article, and whether both are bound.

It only reads what the other apps record: the provisions (instruments), what sources say of each
State's participation (``countries.status``), declarations, and the tools (resources). It never
concludes more than the records say: a State with no record is "no record here", never "not a
party", and a binding instrument counts as a legal basis for the pair only when its offences
include trafficking in persons and both States are recorded as bound (``Basis.both_bound``).
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_safe

import search
from countries.models import Declaration
from countries.status import standings
from editorial.records import PublicationStatus
from instruments.models import Instrument, Mechanism, Provision, force_of
from portal.forms import PARAMETERS, PathfinderForm
from resources.models import Tool

Force = Instrument.Force


@dataclass
class Basis:
    """One instrument's provision for a form of cooperation, read for the pair of States."""

    provision: Provision
    requesting: object  # countries.status.Standing
    requested: object
    declarations: list = field(default_factory=list)

    @property
    def instrument(self):
        return self.provision.instrument

    @property
    def force(self):
        return self.instrument.force

    @property
    def both_bound(self):
        return self.requesting.bound and self.requested.bound

    @property
    def standings(self):
        return [self.requesting, self.requested]

    @property
    def unbound(self):
        """The standings of the States not recorded as bound by it."""
        return [standing for standing in self.standings if not standing.bound]


@dataclass
class Section:
    key: str  # legal-bases, unconfirmed, other-offences, guidance: the template words each
    bases: list


@dataclass
class Answer:
    """What the instruments recorded here offer the pair for one form of cooperation, in the
    order of the cooperation pages (``Instrument.force``), then by instrument."""

    mechanism: object
    bases: list = field(default_factory=list)

    def _of(self, force, both_bound=None):
        return [
            basis
            for basis in self.bases
            if basis.force == force and both_bound in (None, basis.both_bound)
        ]

    @property
    def legal_bases(self):
        """Binding, their offences include trafficking, and both States recorded as bound."""
        return self._of(Force.LEGAL_BASIS, both_bound=True)

    @property
    def unconfirmed(self):
        """Would be legal bases, but one State or both are not recorded as bound."""
        return self._of(Force.LEGAL_BASIS, both_bound=False)

    @property
    def other_binding(self):
        """Binding, for other offences (a legal basis only for offences within their scope)."""
        return self._of(Force.OTHER_BINDING)

    @property
    def other_bound(self):
        """Binding for other offences, and both States recorded as bound."""
        return self._of(Force.OTHER_BINDING, both_bound=True)

    @property
    def other_bound_titles(self):
        """The short titles of ``other_bound``, for the one sentence that names them."""
        return ", ".join(basis.instrument.short_title for basis in self.other_bound)

    @property
    def guidance(self):
        return self._of(Force.GUIDANCE)

    @property
    def sections(self):
        """The answer's sections in the page's order; the legal bases even when empty (the page
        says there are none), the others only when they have an instrument."""
        sections = [
            Section("unconfirmed", self.unconfirmed),
            Section("other-offences", self.other_binding),
            Section("guidance", self.guidance),
        ]
        return [Section("legal-bases", self.legal_bases)] + [s for s in sections if s.bases]


def answers(requesting, requested, mechanisms, with_declarations=True):
    """``{mechanism pk: Answer}`` for the pair and each of ``mechanisms``, in a fixed number of
    queries whatever the number of instruments, provisions, participants and observations:
    the provisions, their passages, ``standings()`` (at most four) and the declarations."""
    provisions = list(
        Provision.objects.filter(
            instrument__status=PublicationStatus.PUBLISHED,
            mechanism__in=[mechanism.pk for mechanism in mechanisms],
        )
        .select_related("instrument", "mechanism")  # the provision's address names both
        .prefetch_related("sources")
        .order_by(force_of("instrument__"), "instrument__short_title", "instrument__pk")
    )
    instruments = list(
        {provision.instrument_id: provision.instrument for provision in provisions}.values()
    )
    pair = [requesting, requested]
    standing = standings(pair, instruments)
    declared = {}
    if with_declarations and instruments:
        declarations = Declaration.objects.filter(participant__in=pair, instrument__in=instruments)
        for declaration in declarations:
            declaration.participant = next(p for p in pair if p.pk == declaration.participant_id)
            declared.setdefault(declaration.instrument_id, []).append(declaration)
    found = {mechanism.pk: Answer(mechanism) for mechanism in mechanisms}
    for provision in provisions:
        instrument = provision.instrument
        found[provision.mechanism_id].bases.append(
            Basis(
                provision,
                standing[requesting.pk, instrument.pk],
                standing[requested.pk, instrument.pk],
                # The requesting State's first, as the page names the States.
                sorted(
                    declared.get(instrument.pk, []), key=lambda d: d.participant_id != requesting.pk
                ),
            )
        )
    return found


def tools_for(mechanism):
    """``(tools, total)``: the first published tools that help with ``mechanism`` (linked to
    it directly or through one of their parts), each with its parts that do
    (``Mechanism.first_tools``), and how many there are, counted beside the search index."""
    total = (
        Mechanism.objects.filter(pk=mechanism.pk)
        .annotate(tools_helping=search.counted(Tool, "mechanism", "pk"))
        .values_list("tools_helping", flat=True)
        .get()
    )
    return mechanism.first_tools(), total


def by_category(found):
    """``[(category, [answers with an instrument], [mechanisms with none])]``, in page order."""
    grouped = {}
    for answer in found.values():
        covered, uncovered = grouped.setdefault(answer.mechanism.category, ([], []))
        if answer.bases:
            covered.append(answer)
        else:
            uncovered.append(answer.mechanism)
    return [(category, covered, uncovered) for category, (covered, uncovered) in grouped.items()]


@require_safe
def pathfinder(request):
    """``?from=<code>&to=<code>&mechanism=<slug>``: the answer for the pair and the form of
    cooperation, or without ``mechanism`` an overview of every form; no parameter: the empty
    form; anything the form refuses: the form with its message, status 400."""
    asked = any(name in request.GET for name in PARAMETERS)
    form = PathfinderForm(request.GET if asked else None)
    context = {"form": form}
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "portal/pathfinder.html", context, status=status)
    requesting, requested = form.cleaned_data["from"], form.cleaned_data["to"]
    mechanism = form.cleaned_data["mechanism"]
    context.update(requesting=requesting, requested=requested, mechanism=mechanism)
    context["organizations"] = [p for p in (requesting, requested) if p.kind == p.Kind.ORGANIZATION]
    if mechanism:
        context["answer"] = answers(requesting, requested, [mechanism])[mechanism.pk]
        context["tools"], context["tool_count"] = tools_for(mechanism)
    else:
        found = answers(requesting, requested, form.mechanisms, with_declarations=False)
        context["overview"] = by_category(found)
    return render(request, "portal/pathfinder.html", context)


def home_form(categories):
    """The pathfinder's form for the home page, its forms of cooperation taken from the page's
    ``categories`` (``MechanismCategory.objects.with_mechanisms()``): one query, the
    participants'."""
    return PathfinderForm(
        mechanisms=[m for category in categories for m in category.mechanisms.all()]
    )


def panel_context(request, mechanism):
    """The pathfinder's form on a form of cooperation's page, that form of cooperation chosen."""
    return {
        "form": PathfinderForm(initial={"mechanism": mechanism.slug}),
        "mechanism": mechanism,
    }
