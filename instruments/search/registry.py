"""What is searchable: each app registers its models from ``AppConfig.ready()``.

    search.register(
        Tool,
        types=[search.SearchType("tool", "Tools", "tool", position=10)],
        queryset=lambda: Tool.objects.published().select_related("publisher"),
        document=tool_document,                 # record -> Document (or None: not indexed)
        related={"resources.ToolPart": lambda part: [part.tool]},
        watch_m2m=(),                           # others' M2M fields this index depends on
    )

``queryset`` says which records are public and fetches what ``document`` reads; a record it does
not return (a draft, say) has no entry. The engine keeps entries in step through signals
(``signals.py``); this module only holds the declarations.
"""

from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class SearchType:
    """A group of results: ``kind`` is its value in ``?type=``, ``label`` its heading."""

    kind: str
    label: str
    singular: str
    position: int = 100


MECHANISM = "mechanism"  # the facet name of a Document's ``mechanisms``


@dataclass
class Document:
    """What the index stores for one record. Text is plain (Markdown already stripped)."""

    title: str
    url: str
    kind: str = ""  # one of the registration's types; defaults to its first
    keywords: str = ""  # weighted like the title: short titles, acronyms, labels
    body: str = ""  # the main text
    extra: str = ""  # weighted lowest: parts, provisions, publisher, mechanisms
    context: str = ""  # one line shown under the hit, e.g. "Manual · UNODC · 2009"
    position: int = 0
    # Mechanism ids: the search page's and the lists' "mechanism" facet (stored with the
    # ``facets``, under that name).
    mechanisms: tuple = ()
    publisher: int | None = None  # Organization id, for the facet
    # What else the record's list page filters and counts by: {filter name: values}, each value
    # a related record's primary key or a choice, e.g. {"publisher": [3], "kind": ["manual"]}.
    facets: dict = field(default_factory=dict)

    def facet_values(self):
        """The (name, value) pairs of ``facets`` and ``mechanisms``, values as text, without
        repeats."""
        values = {(name, str(value)) for name, values in self.facets.items() for value in values}
        return values | {(MECHANISM, str(pk)) for pk in self.mechanisms}


@dataclass
class Registration:
    model: type
    types: list
    document: object
    queryset: object
    related: dict = field(default_factory=dict)
    watch_m2m: tuple = ()

    @property
    def label(self):
        return self.model._meta.label_lower

    def public(self):
        return self.queryset() if self.queryset else self.model._default_manager.all()


registrations = {}  # model label ("resources.tool") -> Registration
search_types = {}  # kind -> SearchType


def register(model, *, types, document, queryset=None, related=None, watch_m2m=()):
    if isinstance(model, str):
        model = apps.get_model(model)
    registration = Registration(
        model=model,
        types=list(types),
        document=document,
        queryset=queryset,
        related={
            apps.get_model(label)._meta.label_lower: fn for label, fn in (related or {}).items()
        },
        watch_m2m=tuple(label.lower() for label in watch_m2m),
    )
    registrations[registration.label] = registration
    for search_type in registration.types:
        search_types[search_type.kind] = search_type
    from instruments.search.signals import connect

    connect()
    return registration


def ordered_types():
    return sorted(search_types.values(), key=lambda t: (t.position, t.label))


def registration_for(model):
    return registrations.get(model._meta.label_lower)
