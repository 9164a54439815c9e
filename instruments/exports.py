"""The instruments list as CSV and JSON (search/exports.py): one row per instrument, with its
legal force, who adopted it and when, the forms of cooperation it provides for with their
articles, and the passages of the paper it comes from."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

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
    Column("slug", _("Slug"), lambda i, _: i.slug),
    Column("short_title", _("Short title"), lambda i, _: i.short_title),
    Column("title", _("Title"), lambda i, _: i.title),
    Column("kind", _("Kind"), lambda i, _: i.get_kind_display()),
    Column("legally_binding", _("Legally binding"), lambda i, _: i.legally_binding),
    Column("legal_force", _("Legal force"), lambda i, _: str(Instrument.Force(i.force).label)),
    Column("offences", _("Offences it covers"), lambda i, _: i.get_offences_display()),
    Column("scope", _("Scope"), lambda i, _: i.get_scope_display()),
    Column("region", _("Region"), lambda i, _: i.region),
    Column(
        "adopted_by",
        _("Adopted by"),
        lambda i, a: related(i.adopted_by, a, i.adopted_by.name) if i.adopted_by else None,
    ),
    Column("adopted_on", _("Adopted on"), lambda i, _: i.adopted_on),
    Column("adopted_at", _("Adopted at"), lambda i, _: i.adopted_at),
    Column("entry_into_force", _("In force since"), lambda i, _: i.entry_into_force),
    Column("official_reference", _("Official reference"), lambda i, _: i.official_reference),
    Column("provides_for", _("Forms of cooperation it provides for (article)"), provisions),
    Column("official_text", _("Official text"), lambda i, _: i.official_text),
    Column("address", _("Web address"), lambda i, _: i.best_url),
    Column("page", _("Page on the portal"), lambda i, a: a(i.get_absolute_url())),
    Column(
        "sources",
        _("From the paper"),
        lambda i, a: [related(p, a, p.citation) for p in i.export_sources],
    ),
    Column("last_updated", _("Last updated"), lambda i, _: i.updated_on),
]
