"""The portal's search engine: one interface, two backends (SQLite FTS5, PostgreSQL tsvector).

It knows no content model. Each content app declares its records in its own ``search.py``
(``register``, ``extend``, ``SearchType``, ``Document``, ``Facet``), found at start-up as
``admin.py`` is. Pages ask through a ``FacetFilterSet`` (search/facets.py: the lists and the
search page, their records and facet counts in one statement) or ``matching`` (a model's
QuerySet narrowed, e.g. ``Tool.objects.matching(q)``). ``rebuild`` reindexes everything. See
docs/search.md.

The submodules are imported when first used: content apps' models import this package, and
some submodules need the models loaded.
"""

from search.registry import Document, Facet, SearchType, extend, register

__all__ = [
    "Document",
    "Facet",
    "SearchType",
    "counted",
    "extend",
    "matching",
    "rebuild",
    "register",
]


def matching(queryset, q):
    """``queryset`` narrowed to the records matching ``q`` (user text or a parsed Query), best
    first (annotated ``search_rank``; ties keep the queryset's order). Blank ``q``: unchanged.
    Only ``-excluded`` words: the records without them. Records must be registered."""
    from search.backends import get_backend
    from search.query import Query, parse

    query = q if isinstance(q, Query) else parse(q or "")
    label = queryset.model._meta.label_lower
    backend = get_backend()
    if not query:
        if query.excluded:
            unwanted = Query(clauses=(query.excluded,))
            return queryset.exclude(pk__in=backend.object_ids(unwanted, label))
        return queryset
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    return (
        queryset.filter(pk__in=backend.object_ids(query, label))
        .annotate(search_rank=backend.score(query, label))
        .order_by("-search_rank", *ordering)
    )


def counted(model, key, field):
    """An expression: how many public records of ``model`` have the value of the outer query's
    ``field`` (e.g. ``"pk"``) under the facet ``key``, from the counts kept beside the index."""
    from search.counts import entries_having

    return entries_having(model, key, field)


def rebuild(log=None):
    """Empty the index and index every public record again. Returns {label: entries}."""
    from search.index import rebuild

    return rebuild(log)
