from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self):
        register_search()


def register_search():
    """Published tools are searchable with their parts, publisher, audiences and mechanisms; a
    part's words find its tool. See instruments/search/registry.py."""
    from django.db.models import Prefetch, Q

    from instruments import search
    from resources.models import Tool, ToolPart

    search.register(
        Tool,
        types=[search.SearchType("tool", "Tools", "tool", position=10)],
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
        related={
            "resources.ToolPart": lambda part: [part.tool_id],
            "resources.Audience": lambda audience: audience.tools.all(),
            "instruments.Organization": lambda organization: organization.tools.all(),
            "instruments.Mechanism": lambda mechanism: Tool.objects.filter(
                Q(mechanisms=mechanism) | Q(parts__mechanisms=mechanism)
            ).distinct(),
        },
    )


def tool_document(tool):
    from instruments.search import Document
    from instruments.search.text import joined, plain_text

    parts = list(tool.parts.all())
    mechanisms = {m.pk: m.name for m in tool.mechanisms.all()}
    for part in parts:
        mechanisms.update((m.pk, m.name) for m in part.mechanisms.all())
    publisher = tool.publisher

    return Document(
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
        mechanisms=tuple(mechanisms),
        publisher=tool.publisher_id,
        # As resources.filters.ToolFilterSet filters (its mechanisms, above, include its
        # parts': a part's mechanisms count for its tool).
        facets={
            "kind": [tool.kind],
            "publisher": [tool.publisher_id],
            "instrument": [i.pk for i in tool.instruments.all()],
            "audience": [a.pk for a in tool.audiences.all()],
        },
    )
