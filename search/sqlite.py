"""SQLite backend: an FTS5 table (``search_searchentry_fts``, made by the first migration) whose
rowid is the entry's id, ranked by bm25 with column weights (title 10, keywords 8, body 3,
extra 1), with ``highlight()`` and ``snippet()`` for the hits.

The FTS5 rows are written here, next to the entries, rather than by triggers: a later migration
that rebuilds the entries table on SQLite would silently drop triggers.
"""

from django.db import connection
from django.db.models import F, FloatField, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

from search.models import SearchEntry, SearchTerm
from search.text import ELLIPSIS, MARK_END, MARK_START, similarity

ENTRY = SearchEntry._meta.db_table
FTS = f"{ENTRY}_fts"
COVER = "searchentry_cover_idx"
SNIPPET_TOKENS = 28
SPELLING_THRESHOLD = 0.4


def fts_term(term):
    """A term in FTS5 syntax: every token double-quoted (tokens are letters and digits only)."""
    text = '"' + " ".join(term.tokens) + '"'
    return text + "*" if term.prefix else text


def fts_query(query):
    clauses = ["(" + " OR ".join(fts_term(t) for t in clause) + ")" for clause in query.clauses]
    expression = " AND ".join(clauses)
    if query.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(map(fts_term, query.excluded)) + ")"
    return expression


class ScoreOf(Func):
    """The best score of the record's entry: one FTS5 pass, materialised once per query, then
    looked up by the row's primary key (a correlated FTS5 call per row would be far slower)."""

    output_field = FloatField()

    def __init__(self, sql, params):
        super().__init__(F("pk"))
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        return self.sql.replace("{pk}", pk_sql), [*self.params, *pk_params]


class SqliteBackend:
    vendor = "sqlite"
    join = "CROSS JOIN"  # keeps SQLite from starting anywhere but the FTS5 match

    def facet_ids_of(self, table, where):
        return (
            f"SELECT ids.value AS value FROM {table} CROSS JOIN json_each({table}.facet_ids) ids "
            f"WHERE {where}"
        )

    def has_id(self, ids, id_sql):
        return f"EXISTS (SELECT 1 FROM json_each({ids}) WHERE value = {id_sql})"

    def match_sql(self, query):
        # The entries' columns come from their covering index: far fewer pages than the rows.
        sql = (
            f"SELECT {FTS}.rowid AS id, -{FTS}.rank AS score, e.kind AS kind, "
            f"e.position AS position, e.object_id AS object_id, e.facet_ids AS facet_ids "
            f"FROM {FTS} CROSS JOIN {ENTRY} e INDEXED BY {COVER} ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s"
        )
        return sql, [fts_query(query)]

    def every_sql(self):
        # From the covering index, as a match: every column needed, not the wide rows.
        sql = (
            f"SELECT e.id AS id, 0.0 AS score, e.kind AS kind, e.position AS position, "
            f"e.object_id AS object_id, e.facet_ids AS facet_ids FROM {ENTRY} e INDEXED BY {COVER}"
        )
        return sql, []

    def snippets(self, query, ids):
        if not ids:
            return []
        # One pass over the match, keeping the rows of ``ids`` (``+rowid``: not a constraint
        # FTS5 is given). Given ``rowid IN (...)``, FTS5 ran the whole match once per id, each
        # prefix expanded again every time: 45 hits of 12 ORed prefixes took 2 s at 100,000
        # tools, 60 ms in one pass; a plain word 90 ms, 8 ms.
        marks = [MARK_START, MARK_END]
        snippet_args = [*marks, ELLIPSIS, SNIPPET_TOKENS]
        placeholders = ", ".join(["%s"] * len(ids))
        sql = f"""
            SELECT e.id, e.kind, e.title, e.url, e.context,
                   highlight({FTS}, 0, %s, %s),
                   snippet({FTS}, 2, %s, %s, %s, %s),
                   snippet({FTS}, 3, %s, %s, %s, %s),
                   snippet({FTS}, 1, %s, %s, %s, %s)
            FROM {FTS} CROSS JOIN {ENTRY} e ON e.id = {FTS}.rowid
            WHERE {FTS} MATCH %s AND +{FTS}.rowid IN ({placeholders})
        """
        params = [*marks, *snippet_args, *snippet_args, *snippet_args, fts_query(query), *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def object_ids(self, query, label):
        sql = (
            f"SELECT e.object_id FROM {FTS} CROSS JOIN {ENTRY} e ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND e.model = %s"
        )
        return RawSQL(sql, [fts_query(query), label])

    def score(self, query, label):
        sql = (
            f"(WITH r AS MATERIALIZED (SELECT e.object_id AS oid, -{FTS}.rank AS score "
            f"FROM {FTS} CROSS JOIN {ENTRY} e ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND e.model = %s) SELECT r.score FROM r WHERE r.oid = {{pk}})"
        )
        return ScoreOf(sql, [fts_query(query), label])

    def similar_terms(self, word, limit=3):
        """Vocabulary words spelled like ``word``, by trigram similarity (computed here as
        pg_trgm would), among those within two letters of its length that share its first
        letter or its second and third (a typo rarely hits both): a few hundred candidates
        even with a large vocabulary."""
        candidates = (
            SearchTerm.objects.annotate(length=Length("term"), middle=Substr("term", 2, 2))
            .filter(length__gte=len(word) - 2, length__lte=len(word) + 2)
            .filter(Q(term__startswith=word[0]) | Q(middle=word[1:3]))
            .values_list("term", flat=True)
        )
        scored = sorted(((similarity(word, term), term) for term in candidates), reverse=True)
        return [term for score, term in scored[:limit] if score >= SPELLING_THRESHOLD]

    def sync(self, entries, *, replace=True):
        rows = [(e.pk, e.title, e.keywords, e.body, e.extra) for e in entries]
        with connection.cursor() as cursor:
            if replace:
                self._delete(cursor, [e.pk for e in entries])
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, keywords, body, extra) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )

    def delete(self, ids):
        with connection.cursor() as cursor:
            self._delete(cursor, ids)

    def _delete(self, cursor, ids):
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({placeholders})", batch)

    def clear(self, tables):
        with connection.cursor() as cursor:
            for table in [FTS, *tables]:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")

    def optimize(self, tables):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
            # Statistics for the planner, of every table (SQLite has no autovacuum to gather
            # them). Without them it guesses that an equality on any index is selective: a list
            # page's 20 tools by primary key were read through the status index instead, all
            # 100,000 published tools for 20 (16 ms instead of 1).
            cursor.execute("ANALYZE")
