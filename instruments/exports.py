"""The instruments list as CSV and JSON (search/exports.py): one row per instrument, with its
legal force, who adopted it and when, the forms of cooperation it provides for with their
articles, and the passages of the paper it comes from."""

from django.db.models import Prefetch

from instruments.models import Instrument
from search.exports import Column, related


def queryset():
    """The list's instruments (``for_list``: same filters, same order, their provisions) with
    the passages they come from."""
    return Instrument.objects.for_list().prefetch_related(
        Prefetch("sources", to_attr="export_sources")
    )


def provisions(instrument, absolute):
    """ "Extradition (art. 16)": each form of cooperation with its article beside it."""
    return [
        related(p.mechanism, absolute, p.mechanism.name, p.article)
        for p in instrument.provisions.all()
    ]


COLUMNS = [
    Column("slug", "Slug", lambda i, _: i.slug),
    Column("short_title", "Short title", lambda i, _: i.short_title),
    Column("title", "Title", lambda i, _: i.title),
    Column("kind", "Kind", lambda i, _: i.get_kind_display()),
    Column("legally_binding", "Legally binding", lambda i, _: i.legally_binding),
    Column("legal_force", "Legal force", lambda i, _: Instrument.Force(i.force).label),
    Column("offences", "Offences it covers", lambda i, _: i.get_offences_display()),
    Column("scope", "Scope", lambda i, _: i.get_scope_display()),
    Column("region", "Region", lambda i, _: i.region),
    Column(
        "adopted_by",
        "Adopted by",
        lambda i, a: related(i.adopted_by, a, i.adopted_by.name) if i.adopted_by else None,
    ),
    Column("adopted_on", "Adopted on", lambda i, _: i.adopted_on),
    Column("adopted_at", "Adopted at", lambda i, _: i.adopted_at),
    Column("entry_into_force", "In force since", lambda i, _: i.entry_into_force),
    Column("official_reference", "Official reference", lambda i, _: i.official_reference),
    Column("provides_for", "Forms of cooperation it provides for (article)", provisions),
    Column("official_text", "Official text", lambda i, _: i.official_text),
    Column("address", "Web address", lambda i, _: i.best_url),
    Column("page", "Page on the portal", lambda i, a: a(i.get_absolute_url())),
    Column(
        "sources",
        "From the paper",
        lambda i, a: [related(p, a, p.citation) for p in i.export_sources],
    ),
    Column("last_updated", "Last updated", lambda i, _: i.updated_on),
]
