"""The tools list as CSV and JSON (search/exports.py): one row per tool, with its publisher,
audiences, forms of cooperation, instruments and the passages of the paper it comes from."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from instruments.models import Instrument
from resources.models import Tool
from search.exports import Column, related


def queryset():
    """The list's tools (``for_list``: same filters, same order) with what a row names
    besides: published instruments only, and the passages."""
    return Tool.objects.for_list().prefetch_related(
        Prefetch(
            "instruments", queryset=Instrument.objects.published(), to_attr="export_instruments"
        ),
        Prefetch("sources", to_attr="export_sources"),
    )


COLUMNS = [
    Column("slug", _("Slug"), lambda tool, _: tool.slug),
    Column("title", _("Title"), lambda tool, _: tool.title),
    Column("short_title", _("Short title"), lambda tool, _: tool.short_title),
    Column("kind", _("Kind"), lambda tool, _: tool.get_kind_display()),
    Column(
        "publisher", _("Publisher"), lambda tool, a: related(tool.publisher, a, tool.publisher.name)
    ),
    Column("year", _("Year"), lambda tool, _: tool.year),
    Column(
        "audiences",
        _("Written for"),
        lambda tool, a: [related(x, a, x.name) for x in tool.audience_list],
    ),
    Column(
        "mechanisms",
        _("Forms of cooperation it helps with"),
        lambda tool, a: [related(m, a, m.name) for m in tool.mechanism_list],
    ),
    Column(
        "instruments",
        _("Instruments it helps implement"),
        lambda tool, a: [related(i, a, i.short_title) for i in tool.export_instruments],
    ),
    Column("address", _("Web address"), lambda tool, _: tool.best_url),
    Column("page", _("Page on the portal"), lambda tool, a: a(tool.get_absolute_url())),
    Column(
        "sources",
        _("From the paper"),
        lambda tool, a: [related(p, a, p.citation) for p in tool.export_sources],
    ),
    Column("last_updated", _("Last updated"), lambda tool, _: tool.updated_on),
]
