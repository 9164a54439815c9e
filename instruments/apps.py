from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "instruments"

    def ready(self):
        register_search()


def register_search():
    """Instruments (with their provisions), forms of cooperation and organizations are
    searchable; see instruments/search/registry.py."""
    from django.db.models import Prefetch

    from instruments import search
    from instruments.models import Instrument, Mechanism, Organization, Provision

    search.register(
        Instrument,
        types=[search.SearchType("instrument", "Instruments", "instrument", position=20)],
        queryset=lambda: (
            Instrument.objects.published()
            .select_related("adopted_by")
            .prefetch_related(
                Prefetch("provisions", queryset=Provision.objects.select_related("mechanism"))
            )
        ),
        document=instrument_document,
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
        types=[search.SearchType("mechanism", "Cooperation types", "cooperation type", 30)],
        queryset=lambda: Mechanism.objects.select_related("category"),
        document=mechanism_document,
        related={"instruments.MechanismCategory": lambda category: category.mechanisms.all()},
    )
    search.register(
        Organization,
        types=[search.SearchType("organization", "Organizations", "organization", position=90)],
        document=organization_document,
    )


def instrument_document(instrument):
    from instruments.search import Document
    from instruments.search.text import joined, plain_text

    provisions = list(instrument.provisions.all())
    organization = instrument.adopted_by
    return Document(
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
        mechanisms=tuple(p.mechanism_id for p in provisions),
        publisher=instrument.adopted_by_id,
        # As instruments.filters.InstrumentFilterSet filters.
        facets={
            "category": [p.mechanism.category_id for p in provisions],
            "scope": [instrument.scope],
            "region": [instrument.region] if instrument.region else [],
            "kind": [instrument.kind],
            "binding": ["yes" if instrument.legally_binding else "no"],
            "organization": [instrument.adopted_by_id] if instrument.adopted_by_id else [],
        },
    )


def mechanism_document(mechanism):
    from instruments.search import Document
    from instruments.search.text import plain_text

    return Document(
        title=mechanism.name,
        url=mechanism.get_absolute_url(),
        body=plain_text(mechanism.summary),
        extra=mechanism.category.name,
        context=mechanism.category.name,
        position=mechanism.category.position * 1000 + mechanism.position,
        mechanisms=(mechanism.pk,),
    )


def organization_document(organization):
    from instruments.search import Document
    from instruments.search.text import plain_text

    return Document(
        title=organization.name,
        url=organization.get_absolute_url(),
        keywords=organization.short_name,
        body=plain_text(organization.description),
        context=organization.get_kind_display(),
        publisher=organization.pk,
    )
