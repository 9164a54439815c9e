"""The portal's search engine: one interface, two backends (SQLite FTS5, PostgreSQL tsvector).

Apps register what is searchable from ``AppConfig.ready()`` (``register``, ``SearchType``,
``Document``); pages ask through ``search_or_correct`` (the /search/ page, with
``read_params``), ``listing`` (a list page searched by words: its records and facet counts in
one statement) or ``matching`` (a model's QuerySet narrowed, e.g. ``Tool.objects.matching(q)``).
``rebuild`` reindexes everything. See docs/search.md.

This package is part of ``instruments``, the base app: it imports nothing from the others.
Its submodules are imported lazily here, because ``instruments.models`` imports its models.
"""

from instruments.search.registry import Document, SearchType, register

__all__ = [
    "Document",
    "SearchType",
    "listing",
    "matching",
    "parse",
    "read_params",
    "rebuild",
    "register",
    "search_or_correct",
    "suggest",
]


def parse(text):
    from instruments.search.query import parse

    return parse(text)


def read_params(data):
    from instruments.search.params import read_params

    return read_params(data)


def search_or_correct(query, filters=None, **kwargs):
    from instruments.search.engine import Filters, search_or_correct

    return search_or_correct(query, filters or Filters(), **kwargs)


def suggest(query):
    """``query`` (parsed) with each word the index does not know replaced by the closest one it
    does, or None."""
    from instruments.search.engine import suggest

    return suggest(query)


def listing(model, query, required=(), **kwargs):
    from instruments.search.engine import listing

    return listing(model, query, required, **kwargs)


def matching(queryset, q):
    """``queryset`` narrowed to the records matching ``q`` (user text or a parsed Query), best
    first (annotated ``search_rank``; ties keep the queryset's order). Blank ``q``: unchanged.
    Only ``-excluded`` words: the records without them. Records must be registered."""
    from instruments.search.backends import get_backend
    from instruments.search.query import Query
    from instruments.search.query import parse as parse_query

    query = q if isinstance(q, Query) else parse_query(q or "")
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


def rebuild(log=None):
    from instruments.search.index import rebuild

    return rebuild(log)
