"""What the search index holds of tools: a tool with its parts, publisher, audiences and forms
of cooperation (a part's words find its tool), filtered and counted as the tools list is."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

import search
from resources.filters import ToolFilterSet
from resources.models import Tool, ToolPart
from search.text import joined, plain_text


def tool_document(tool):
    parts = list(tool.parts.all())
    mechanisms = {m.pk: m.name for m in tool.mechanisms.all()}
    for part in parts:
        mechanisms.update((m.pk, m.name) for m in part.mechanisms.all())
    publisher = tool.publisher

    return search.Document(
        title=tool.title,
        url=tool.get_absolute_url(),
        keywords=joined(tool.short_title),
        body=plain_text(tool.description),
        extra=joined(
            *(joined(p.label, p.title, plain_text(p.description)) for p in parts),
            publisher.name,
            publisher.short_name,
            *(a.name for a in tool.audiences.all()),
            *mechanisms.values(),
            sep=". ",
        ),
        context=joined(tool.get_kind_display(), publisher, tool.year, sep=" · "),
    )


search.register(
    Tool,
    types=[search.SearchType("tool", _("Tools"), _("tool"), position=10)],
    queryset=lambda: (
        Tool.objects.published()
        .select_related("publisher")
        .prefetch_related(
            "mechanisms",
            "audiences",
            "instruments",
            Prefetch("parts", queryset=ToolPart.objects.prefetch_related("mechanisms")),
        )
    ),
    document=tool_document,
    facets=ToolFilterSet,
    related={
        "resources.ToolPart": lambda part: [part.tool_id],
        "resources.Audience": lambda audience: audience.tools.all(),
        "instruments.Organization": lambda organization: organization.tools.all(),
        "instruments.Mechanism": lambda mechanism: Tool.objects.filter(
            Q(mechanisms=mechanism) | Q(parts__mechanisms=mechanism)
        ).distinct(),
    },
)
