"""The backend for the current database: SQLite (FTS5) or PostgreSQL (tsvector).

Each backend answers the same few questions, always from a parsed ``Query`` (never from text a
user typed):

- ``match_sql(query)``: SQL selecting ``id``, ``score`` (higher is better), ``kind``,
  ``position``, ``object_id`` and ``facet_ids`` of the matching entries, for the engine to rank
  and count; ``every_sql()`` the same of every entry (score 0), for a list without words;
- ``facet_ids_of(table, where)`` and ``has_id(ids, id_sql)``: SQL reading the ``facet_ids``
  lists (every id of the rows of ``table`` that meet ``where``, one row each, as ``value``;
  whether a list holds an id);
- ``snippets(query, ids)``: rows of those entries, in any order: id, kind, title, URL, context,
  the title highlighted, then the body's, extra's and keywords' snippets, matched words between
  the ``MARK_START``/``MARK_END`` sentinels;
- ``object_ids(query, label)`` and ``score(query, label)``: a subquery and an annotation that
  let ``Tool.objects.matching(q)`` filter and order a model's own QuerySet;
- ``similar_terms(word)``: vocabulary words spelled like ``word``, for "did you mean";
- ``sync``/``delete``/``clear``/``optimize``: keeping what it stores beside the entries in step.
"""

from django.db import connection


def get_backend():
    if connection.vendor == "postgresql":
        from search.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from search.sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}.")
