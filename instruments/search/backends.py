"""The backend for the current database: SQLite (FTS5) or PostgreSQL (tsvector).

Each backend answers the same few questions, always from a parsed ``Query`` (never from text a
user typed):

- ``match_sql(query)``: SQL selecting ``id``, ``score`` (higher is better), ``kind``,
  ``publisher_id``, ``position``, ``object_id`` and ``facet_ids`` of the matching entries, for
  the engine to rank and count;
- ``facet_ids_of(table, where)`` and ``has_id(ids, id_sql)``: SQL reading the ``facet_ids``
  lists (every id of the rows of ``table`` that meet ``where``, one row each, as ``value``;
  whether a list holds an id);
- ``snippets(query, ids)``: the title and snippets of those entries, matched words between the
  ``MARK_START``/``MARK_END`` sentinels;
- ``object_ids(query, label)`` and ``score(query, label)``: a subquery and an annotation that
  let ``Tool.objects.matching(q)`` filter and order a model's own QuerySet;
- ``similar_terms(word)``: vocabulary words spelled like ``word``, for "did you mean";
- ``sync``/``delete``/``clear``/``optimize``: keeping what it stores beside the entries in step.
"""

from django.db import connection


def get_backend():
    if connection.vendor == "postgresql":
        from instruments.search.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from instruments.search.sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}.")


def trigrams(word):
    """The trigrams of a word as pg_trgm counts them (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0
