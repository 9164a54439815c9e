"""What is searchable: each content app declares its records in its own ``search.py``, which
the search app imports at start-up as Django's admin imports ``admin.py``.

    search.register(
        Tool,
        types=[search.SearchType("tool", "Tools", "tool", position=10)],
        queryset=lambda: Tool.objects.published().select_related("publisher"),
        document=tool_document,                 # record -> Document (or None: not indexed)
        facets=ToolFilterSet,                   # its list's facets, or a list of Facet
        related={"resources.ToolPart": lambda part: [part.tool_id]},
        watch_m2m=(),                           # others' M2M fields this index depends on
    )

``queryset`` says which records are public and fetches what ``document`` reads; a record it does
not return (a draft, say) has no entry. A record's facet values are read from the record by
each ``Facet``'s paths, so a list's facets are declared once, by its FilterSet. An app above
another may add to the other's records with ``extend`` (instruments give each passage of the
paper the forms of cooperation of the records that cite it). The engine keeps entries in step
through signals (``signals.py``); this module only holds the declarations.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist


@dataclass(frozen=True)
class SearchType:
    """A group of results: ``kind`` is its value in ``?type=``, ``label`` its heading."""

    kind: str
    label: str
    singular: str
    position: int = 100


@dataclass
class Document:
    """What the index stores of one record's text. Text is plain (Markdown already stripped)."""

    title: str
    url: str
    kind: str = ""  # one of the registration's types; defaults to its first
    keywords: str = ""  # weighted like the title: short titles, acronyms, labels
    body: str = ""  # the main text
    extra: str = ""  # weighted lowest: parts, provisions, publisher, mechanisms
    context: str = ""  # one line shown under the hit, e.g. "Manual · UNODC · 2009"
    position: int = 0


@dataclass(frozen=True)
class Facet:
    """A facet of the index: the values a record has under ``key``, read by following each of
    ``paths`` from the record (``"publisher"``: its organization's primary key;
    ``"parts__mechanisms"``: every mechanism of every part; ``"kind"``: a choice; ``"pk"``: the
    record itself), each mapped through ``values`` (e.g. ``{True: "yes"}``). Blank values are
    left out. One key means one kind of value across every model ("mechanism" is always a
    Mechanism's primary key), so the search page can count it over every type at once."""

    key: str
    paths: tuple
    values: dict = field(default_factory=dict)

    def of(self, record):
        """The facet's values for ``record``, as text, read from what is already fetched."""
        found = set()
        for path in self.paths:
            for value in values_at(record, path):
                value = self.values.get(value, value)
                if value is not None and value != "":
                    found.add(str(value))
        return found


def values_at(record, path):
    """The values at the end of ``path`` (a lookup such as ``parts__mechanisms``) from
    ``record``: a related record's primary key, or a field's value. To-many relations are read
    with ``.all()``, so prefetched records are used (see ``prefetch_lookup``)."""
    objects = [record]
    names = path.split("__")
    for position, name in enumerate(names):
        last = position == len(names) - 1
        found = []
        for obj in objects:
            if name == "pk":
                found.append(obj.pk)
                continue
            model_field = obj._meta.get_field(name)
            if not model_field.is_relation:
                found.append(getattr(obj, model_field.attname))
            elif model_field.concrete and not model_field.many_to_many:  # a foreign key
                if last:
                    found.append(getattr(obj, model_field.attname))
                elif (related := getattr(obj, name)) is not None:
                    found.append(related)
            else:  # many-to-many, either side, or the reverse of a foreign key
                accessor = name if model_field.concrete else model_field.get_accessor_name()
                related = getattr(obj, accessor).all()
                found.extend(item.pk if last else item for item in related)
        objects = found
    return objects


def prefetch_lookup(model, path):
    """The ``prefetch_related`` lookup that ``values_at(record, path)`` reads, or None: the path
    without its last step when that is a field or a foreign key (read from the row itself)."""
    names = path.split("__")
    for position, name in enumerate(names):
        if name == "pk":
            return None
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"{model.__name__} has no {name!r} (facet path {path!r}).") from None
        last = position == len(names) - 1
        if not model_field.is_relation or (last and model_field.many_to_one):
            return "__".join(names[:position]) or None
        model = model_field.related_model
    return path


@dataclass
class Registration:
    model: type
    types: list
    document: object
    queryset: object
    facets: list = field(default_factory=list)
    related: dict = field(default_factory=dict)
    watch_m2m: tuple = ()
    prefetch: list = field(default_factory=list)  # added by extensions

    @property
    def label(self):
        return self.model._meta.label_lower

    def public(self):
        """The public records, with what their documents and facets read."""
        queryset = self.queryset() if self.queryset else self.model._default_manager.all()
        lookups = {prefetch_lookup(self.model, p) for facet in self.facets for p in facet.paths}
        # The registration's own prefetches first: a plain lookup after a Prefetch of the same
        # relation reuses it, while the other order is refused.
        return queryset.prefetch_related(*self.prefetch, *sorted(filter(None, lookups)))

    def facet_values(self, record):
        """{(key, value)} of ``record`` for every facet."""
        return {(facet.key, value) for facet in self.facets for value in facet.of(record)}


registrations = {}  # model label ("resources.tool") -> Registration
search_types = {}  # kind -> SearchType


def model_label(model):
    return (apps.get_model(model) if isinstance(model, str) else model)._meta.label_lower


def labelled(related):
    return {model_label(label): fn for label, fn in (related or {}).items()}


def facet_list(facets):
    """``facets`` as a list of Facet: a FilterSet class gives its list's facets."""
    if hasattr(facets, "index_facets"):
        return list(facets.index_facets())
    return list(facets)


def register(model, *, types, document, queryset=None, facets=(), related=None, watch_m2m=()):
    if isinstance(model, str):
        model = apps.get_model(model)
    registration = Registration(
        model=model,
        types=list(types),
        document=document,
        queryset=queryset,
        facets=facet_list(facets),
        related=labelled(related),
        watch_m2m=tuple(label.lower() for label in watch_m2m),
    )
    registrations[registration.label] = registration
    for search_type in registration.types:
        search_types[search_type.kind] = search_type
    return registration


def extend(model, *, facets=(), prefetch=(), related=None, watch_m2m=()):
    """Add facets to another app's registered records (and what they need: prefetches, the
    records whose changes should reindex them, watched M2M fields)."""
    registration = registrations[model_label(model)]
    registration.facets += facet_list(facets)
    registration.prefetch += list(prefetch)
    registration.related.update(labelled(related))
    registration.watch_m2m += tuple(label.lower() for label in watch_m2m)
    return registration


def ordered_types():
    return sorted(search_types.values(), key=lambda t: (t.position, t.label))


def registration_for(model):
    return registrations.get(model._meta.label_lower)
