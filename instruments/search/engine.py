"""Answering a search: counts per type and per facet, the best hits of each type (or a page of
one type), snippets, and a corrected search when a misspelling finds nothing.

Three queries whatever the number of results: the facet counts (one statement, a UNION over one
match), the ranked ids, and the snippets of the hits shown. The SQL around the backend's match
is plain SQL both backends run; ``backend.join`` makes SQLite start from the FTS5 match.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from instruments.search.backends import get_backend
from instruments.search.models import SearchEntry, SearchTerm
from instruments.search.registry import ordered_types
from instruments.search.text import MARK_START, highlighted


@cache
def tables():
    """Table names, read once the app registry has resolved the models."""
    meta = SearchEntry._meta
    return {
        "entry": meta.db_table,
        "through": SearchEntry.mechanisms.through._meta.db_table,
        "mechanism": meta.get_field("mechanisms").related_model._meta.db_table,
        "organization": meta.get_field("publisher").related_model._meta.db_table,
    }


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    mechanism: str | None = None  # a Mechanism's slug
    publisher: str | None = None  # an Organization's slug

    def sql(self, alias, skip=()):
        """``AND ...`` conditions on the entries aliased ``alias``, leaving out ``skip``."""
        t = tables()
        sql, params = [], []
        if self.kind and "kind" not in skip:
            sql.append(f"AND {alias}.kind = %s")
            params.append(self.kind)
        if self.mechanism and "mechanism" not in skip:
            sql.append(
                f"AND EXISTS (SELECT 1 FROM {t['through']} t2 "
                f"WHERE t2.searchentry_id = {alias}.id AND t2.mechanism_id = "
                f"(SELECT id FROM {t['mechanism']} WHERE slug = %s))"
            )
            params.append(self.mechanism)
        if self.publisher and "publisher" not in skip:
            sql.append(
                f"AND {alias}.publisher_id = (SELECT id FROM {t['organization']} WHERE slug = %s)"
            )
            params.append(self.publisher)
        return " ".join(sql), params


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str  # safe HTML: escaped, matched words in <mark>
    snippet: str  # safe HTML, likewise
    url: str
    context: str


@dataclass
class Group:
    type: object  # SearchType
    count: int
    hits: list = field(default_factory=list)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool = False


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def facet_counts(backend, query, filters):
    """{"kind": [(value, label, count)], "mechanism": [...], "publisher": [...]}, each facet
    counted with the other facets' filters applied (so its own choices stay visible)."""
    match, params = backend.match_sql(query, scored=False)
    j = backend.join
    t = tables()
    kind_sql, kind_params = filters.sql("f", skip=("kind",))
    mech_sql, mech_params = filters.sql("f", skip=("mechanism",))
    pub_sql, pub_params = filters.sql("f", skip=("publisher",))
    sql = f"""
        WITH m AS ({match}),
        f AS (SELECT e.id, e.kind, e.publisher_id FROM m {j} {t["entry"]} e ON e.id = m.id)
        SELECT 'kind', f.kind, f.kind, COUNT(*) FROM f WHERE 1 = 1 {kind_sql} GROUP BY f.kind
        UNION ALL
        SELECT 'mechanism', me.slug, me.name, COUNT(*)
        FROM f {j} {t["through"]} l ON l.searchentry_id = f.id
        {j} {t["mechanism"]} me ON me.id = l.mechanism_id
        WHERE 1 = 1 {mech_sql} GROUP BY me.slug, me.name
        UNION ALL
        SELECT 'publisher', o.slug,
               CASE WHEN o.short_name <> '' THEN o.short_name ELSE o.name END, COUNT(*)
        FROM f {j} {t["organization"]} o ON o.id = f.publisher_id
        WHERE 1 = 1 {pub_sql} GROUP BY o.slug, o.short_name, o.name
    """
    counts = {"kind": [], "mechanism": [], "publisher": []}
    for facet, value, label, count in fetch(
        sql, [*params, *kind_params, *mech_params, *pub_params]
    ):
        counts[facet].append((value, label, count))
    return counts


def ranked_ids(backend, query, filters, *, per_kind=None, offset=0, limit=None):
    """Ids of the best entries: the first ``per_kind`` of each type, or ``limit`` from
    ``offset`` of the (one-type) filtered results. Best first; ties by position."""
    match, params = backend.match_sql(query, scored=True)
    where, where_params = filters.sql("e")
    order = "m.score DESC, e.position, e.id"
    base = f"WITH m AS ({match}) "
    entry = tables()["entry"]
    if per_kind:
        sql = (
            base + f"SELECT id FROM (SELECT e.id, ROW_NUMBER() OVER "
            f"(PARTITION BY e.kind ORDER BY {order}) AS rn "
            f"FROM m {backend.join} {entry} e ON e.id = m.id WHERE 1 = 1 {where}) ranked "
            f"WHERE rn <= %s ORDER BY rn"
        )
        extra = [per_kind]
    else:
        sql = (
            base + f"SELECT e.id FROM m {backend.join} {entry} e ON e.id = m.id "
            f"WHERE 1 = 1 {where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        extra = [limit, offset]
    return [row[0] for row in fetch(sql, [*params, *where_params, *extra])]


def hits(backend, query, ids):
    """The hits for entry ``ids``, in that order."""
    rows = backend.snippets(query, ids)
    found = []
    for entry_id in ids:
        row = rows.get(entry_id)
        if row is None:
            continue
        snippet = next((s for s in row["snippets"] if s and MARK_START in s), row["snippets"][0])
        found.append(
            Hit(
                kind=row["kind"],
                title=highlighted(row["title"] or row["plain_title"]),
                snippet=highlighted(snippet or ""),
                url=row["url"],
                context=row["context"],
            )
        )
    return found


class TypePage:
    """One type's results as a sequence a Paginator can page: its length is the count already
    known from the facets; a slice runs the ranked query and the snippets for that page only."""

    def __init__(self, backend, query, filters, count):
        self.backend, self.query, self.filters, self.count_ = backend, query, filters, count

    def __len__(self):
        return self.count_

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("TypePage only slices")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count_
        ids = ranked_ids(self.backend, self.query, self.filters, offset=start, limit=stop - start)
        return hits(self.backend, self.query, ids)


@dataclass
class Results:
    query: object
    filters: Filters
    total: int = 0
    groups: list = field(default_factory=list)
    types: list = field(default_factory=list)
    mechanisms: list = field(default_factory=list)
    publishers: list = field(default_factory=list)
    type_page: TypePage | None = None  # when one type is chosen: page it
    corrected_from: object = None  # the query as typed, when these are a correction's results

    @property
    def text(self):
        """The query searched for, in the search syntax (for links and headings)."""
        return str(self.query)

    @property
    def all_types_count(self):
        return sum(option.count for option in self.types)


def search(query, filters=Filters(), *, per_kind=5):
    """Run ``query`` (a parsed Query) with ``filters``. A Query with no positive term gives
    empty Results without touching the database."""
    results = Results(query=query, filters=filters)
    if not query:
        return results
    backend = get_backend()
    counts = facet_counts(backend, query, filters)
    types = {t.kind: t for t in ordered_types()}
    kind_counts = {value: count for value, _, count in counts["kind"] if value in types}
    results.types = [
        FacetOption(kind, t.label, kind_counts[kind], kind == filters.kind)
        for kind, t in types.items()
        if kind in kind_counts
    ]
    results.mechanisms = facet_options(counts["mechanism"], filters.mechanism)
    results.publishers = facet_options(counts["publisher"], filters.publisher)
    shown = {filters.kind: kind_counts.get(filters.kind, 0)} if filters.kind else kind_counts
    results.total = sum(shown.values())
    if not results.total:
        return results
    if filters.kind:
        group = Group(types[filters.kind], shown[filters.kind])
        results.groups = [group]
        results.type_page = TypePage(backend, query, filters, group.count)
        return results
    ids = ranked_ids(backend, query, filters, per_kind=per_kind)
    by_kind = {}
    for hit in hits(backend, query, ids):
        by_kind.setdefault(hit.kind, []).append(hit)
    results.groups = [
        Group(t, kind_counts[kind], by_kind.get(kind, []))
        for kind, t in types.items()
        if kind in kind_counts
    ]
    return results


def facet_options(rows, active):
    return sorted(
        (FacetOption(value, label, count, value == active) for value, label, count in rows),
        key=lambda option: (-option.count, option.label.lower()),
    )


def suggest(query):
    """The query with each unknown word replaced by the closest word of the index, or None."""
    words = query.spellable_words()
    if not words:
        return None
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    backend = get_backend()
    replacements = {}
    for word in sorted(words - known):
        similar = backend.similar_terms(word, limit=1)
        if similar:
            replacements[word] = similar[0]
    return query.corrected(replacements) if replacements else None


def search_or_correct(query, filters=Filters(), **kwargs):
    """``search``; and when it finds nothing, the search for the corrected spelling if that
    finds something (``corrected_from`` then holds the query as typed)."""
    results = search(query, filters, **kwargs)
    if results.total or not query:
        return results
    corrected = suggest(query)
    if corrected is None or corrected == query:
        return results
    second = search(corrected, filters, **kwargs)
    if not second.total:
        return results
    second.corrected_from = query
    return second
