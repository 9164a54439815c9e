"""What the search index holds of instruments (with their provisions), forms of cooperation and
organizations; and, for each passage of the paper, the forms of cooperation of the published
records that cite it (its "mechanism" facet on the search page)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

import search
from editorial.records import PublicationStatus
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument, Mechanism, Organization, Provision
from paper.models import Passage
from search.text import joined, plain_text


def instrument_document(instrument):
    provisions = list(instrument.provisions.all())
    organization = instrument.adopted_by
    return search.Document(
        title=instrument.title,
        url=instrument.get_absolute_url(),
        keywords=joined(instrument.short_title, instrument.official_reference, sep=" "),
        body=plain_text(instrument.summary),
        extra=joined(
            *(joined(p.article, p.mechanism.name, plain_text(p.note), sep=" ") for p in provisions),
            organization and organization.name,
            organization and organization.short_name,
            instrument.region,
            instrument.adopted_at,
            sep=". ",
        ),
        context=joined(
            instrument.get_kind_display(),
            instrument.region or instrument.get_scope_display(),
            organization,
            instrument.adopted_on and instrument.adopted_on.year,
            sep=" · ",
        ),
    )


def mechanism_document(mechanism):
    return search.Document(
        title=mechanism.name,
        url=mechanism.get_absolute_url(),
        body=plain_text(mechanism.summary),
        extra=mechanism.category.name,
        context=mechanism.category.name,
        position=mechanism.category.position * 1000 + mechanism.position,
    )


def organization_document(organization):
    return search.Document(
        title=organization.name,
        url=organization.get_absolute_url(),
        keywords=organization.short_name,
        body=plain_text(organization.description),
        context=organization.get_kind_display(),
    )


search.register(
    Instrument,
    types=[search.SearchType("instrument", _("Instruments"), _("instrument"), position=20)],
    queryset=lambda: (
        Instrument.objects.published()
        .select_related("adopted_by")
        .prefetch_related(
            Prefetch("provisions", queryset=Provision.objects.select_related("mechanism"))
        )
    ),
    document=instrument_document,
    facets=InstrumentFilterSet,
    related={
        "instruments.Provision": lambda provision: [provision.instrument_id],
        "instruments.Organization": lambda organization: organization.instruments.all(),
        "instruments.Mechanism": lambda mechanism: Instrument.objects.filter(
            provisions__mechanism=mechanism
        ),
    },
)
search.register(
    Mechanism,
    types=[search.SearchType("mechanism", _("Cooperation types"), _("cooperation type"), 30)],
    queryset=lambda: Mechanism.objects.select_related("category"),
    document=mechanism_document,
    facets=[search.Facet("mechanism", ("pk",))],
    related={"instruments.MechanismCategory": lambda category: category.mechanisms.all()},
)
search.register(
    Organization,
    types=[search.SearchType("organization", _("Organizations"), _("organization"), position=90)],
    document=organization_document,
    facets=[search.Facet("publisher", ("pk",))],
)

# A passage's forms of cooperation are those of the records that cite it: the mechanisms
# themselves, and the provisions of published instruments (a draft's are not public).
search.extend(
    Passage,
    facets=[search.Facet("mechanism", ("mechanism_records", "provision_records__mechanism"))],
    prefetch=[
        Prefetch(
            "provision_records",
            queryset=Provision.objects.filter(instrument__status=PublicationStatus.PUBLISHED),
        )
    ],
    related={
        "instruments.Provision": lambda provision: provision.sources.all(),
        "instruments.Instrument": lambda instrument: Passage.objects.filter(
            provision_records__instrument=instrument
        ),
    },
    watch_m2m=["instruments.Mechanism.sources", "instruments.Provision.sources"],
)
