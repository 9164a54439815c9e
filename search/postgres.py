"""PostgreSQL backend: django.contrib.postgres.search over the stored generated column
``search_vector`` (weights A title and keywords, B body, C extra; GIN index
``searchentry_vector_gin``; both made by the first migration with the ``portal_search`` text search
configuration: English stemming after unaccent). Queries are built as ``SearchQuery`` objects
from the parsed terms; ranks are ``SearchRank``, snippets ``SearchHeadline``; "did you mean"
uses pg_trgm's trigram similarity on the vocabulary (GIN index ``searchterm_term_trgm``).
"""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, Func, OuterRef, Subquery, Value

from search.models import SearchEntry, SearchTerm
from search.text import MARK_END, MARK_START

CONFIG = "portal_search"
SPELLING_THRESHOLD = 0.4
HEADLINE = {
    "config": CONFIG,
    "start_sel": MARK_START,
    "stop_sel": MARK_END,
    "max_words": 30,
    "min_words": 12,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}


class SearchVectorColumn(Func):
    """The entries' ``search_vector`` column, which the backend-neutral model does not declare:
    compiled as that column of whatever alias the entries table has in the query."""

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("id"))

    def as_sql(self, compiler, connection, **extra_context):
        column = self.source_expressions[0]
        table = compiler.quote_name_unless_alias(column.alias)
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


def ts_term(term):
    if term.prefix:
        # The token is letters and digits only; quoted all the same.
        return SearchQuery(f"'{term.tokens[0]}':*", search_type="raw", config=CONFIG)
    if term.is_phrase:
        return SearchQuery(" ".join(term.tokens), search_type="phrase", config=CONFIG)
    return SearchQuery(term.tokens[0], search_type="plain", config=CONFIG)


def search_query(query):
    clauses = [reduce(or_, map(ts_term, clause)) for clause in query.clauses]
    result = reduce(and_, clauses)
    for term in query.excluded:
        result = result & ~ts_term(term)
    return result


def matching_entries(query):
    return SearchEntry.objects.alias(vector=SearchVectorColumn()).filter(vector=search_query(query))


def rank(query):
    return SearchRank(SearchVectorColumn(), search_query(query))


class PostgresBackend:
    vendor = "postgresql"
    join = "JOIN"

    def facet_ids_of(self, table, where):
        # unnest() in the select list: a lateral unnest(), a function scan per row, cost a
        # third more.
        return f"SELECT unnest({table}.facet_ids) AS value FROM {table} WHERE {where}"

    def has_id(self, ids, id_sql):
        return f"{ids} @> ARRAY[{id_sql}]"

    def match_sql(self, query):
        entries = (
            matching_entries(query)
            .annotate(score=rank(query))
            .values("id", "score", "kind", "position", "object_id", "facet_ids")
        )
        sql, params = entries.order_by().query.sql_with_params()
        return sql, list(params)

    def every_sql(self):
        entries = SearchEntry.objects.annotate(score=Value(0.0, output_field=FloatField()))
        entries = entries.values("id", "score", "kind", "position", "object_id", "facet_ids")
        sql, params = entries.order_by().query.sql_with_params()
        return sql, list(params)

    def snippets(self, query, ids):
        if not ids:
            return []
        sq = search_query(query)
        rows = (
            SearchEntry.objects.filter(id__in=ids)
            .annotate(
                title_hl=SearchHeadline(
                    "title",
                    sq,
                    config=CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    highlight_all=True,
                ),
                body_hl=SearchHeadline("body", sq, **HEADLINE),
                extra_hl=SearchHeadline("extra", sq, **HEADLINE),
                keywords_hl=SearchHeadline("keywords", sq, **HEADLINE),
            )
            .values_list(
                "id",
                "kind",
                "title",
                "url",
                "context",
                "title_hl",
                "body_hl",
                "extra_hl",
                "keywords_hl",
            )
        )
        return list(rows)

    def object_ids(self, query, label):
        return matching_entries(query).filter(model=label).values("object_id")

    def score(self, query, label):
        entry = SearchEntry.objects.filter(model=label, object_id=OuterRef("pk"))
        return Subquery(entry.annotate(score=rank(query)).values("score")[:1])

    def similar_terms(self, word, limit=3):
        terms = (
            SearchTerm.objects.annotate(similarity=TrigramSimilarity("term", word))
            .filter(term__trigram_similar=word, similarity__gte=SPELLING_THRESHOLD)
            .order_by("-similarity", "term")
            .values_list("term", flat=True)
        )
        return list(terms[:limit])

    # The search vector is a generated column: PostgreSQL keeps it in step by itself.
    def sync(self, entries, *, replace=True):
        pass

    def delete(self, ids):
        pass

    def clear(self, tables):
        # TRUNCATE rather than DELETE: a rebuild then writes a compact table, not one with a
        # dead copy of every row (which spreads the matches over twice the pages).
        # Foreign key checks still deferred in this transaction would refuse the TRUNCATE: run
        # them now, then defer again as Django's constraints expect.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(map(connection.ops.quote_name, tables)))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def optimize(self, tables):
        # Fresh statistics, so the planner knows the sizes (and does not JIT-compile a search).
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
