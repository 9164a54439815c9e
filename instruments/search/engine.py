"""Answering a search: counts per type and per facet, the best hits of each type (or a page of
one type), snippets, and a corrected search when a misspelling finds nothing; and for a list
page searched by words (``listing``), its records and facet counts in one statement.

Two queries whatever the number of results: one statement for the facet counts and the ids of
the hits to show (a UNION over one materialised match), then the snippets of those hits. The
SQL around the backend's match is plain SQL both backends run; ``backend.join`` keeps SQLite's
join order.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection

from instruments.search.backends import get_backend
from instruments.search.models import SearchEntry, SearchFacet, SearchTerm
from instruments.search.registry import MECHANISM, ordered_types, registration_for
from instruments.search.text import MARK_START, highlighted


@cache
def tables():
    """Table names, read once the app registry has resolved the models."""
    meta = SearchEntry._meta
    return {
        "entry": meta.db_table,
        "mechanism": apps.get_model("instruments", "Mechanism")._meta.db_table,
        "organization": meta.get_field("publisher").related_model._meta.db_table,
        "facet": SearchFacet._meta.db_table,
    }


def mechanism_value(alias):
    """SQL: the facet value (text) of the Mechanism aliased ``alias``, its primary key."""
    return f"CAST({alias}.id AS VARCHAR(20))"


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    mechanism: str | None = None  # a Mechanism's slug
    publisher: str | None = None  # an Organization's slug

    def sql(self, backend, alias, skip=()):
        """``AND ...`` conditions on the entries aliased ``alias``, leaving out ``skip``."""
        t = tables()
        sql, params = [], []
        if self.kind and "kind" not in skip:
            sql.append(f"AND {alias}.kind = %s")
            params.append(self.kind)
        if self.mechanism and "mechanism" not in skip:
            facet_id = (
                f"(SELECT f.id FROM {t['facet']} f, {t['mechanism']} me "
                f"WHERE me.slug = %s AND f.name = %s AND f.value = {mechanism_value('me')})"
            )
            sql.append(f"AND {backend.has_id(f'{alias}.facet_ids', facet_id)}")
            params += [self.mechanism, MECHANISM]
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


PER_PAGE = 20


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def run(backend, query, filters, *, per_kind=None, offset=0, limit=None):
    """One statement: the facet counts and the ids of the hits to show.

    Hits are the best ``per_kind`` of each type or, for the chosen type, ``limit`` from
    ``offset``: best first, ties by position. Each type's hits are their own ``ORDER BY ...
    LIMIT`` over the materialised match (SQLite keeps only the top rows; a window function over
    every match cost twenty times more). Each facet is counted with the other facets' filters
    applied, so its own choices stay visible, grouped by id before the names are joined.
    Returns ({"kind"|"mechanism"|"publisher": [(value, label, count)]}, [ids]).
    """
    match, params = backend.match_sql(query)
    j, t = backend.join, tables()
    hit_sql, hit_params = filters.sql(backend, "m", skip=("kind",))
    kind_sql, kind_params = filters.sql(backend, "m", skip=("kind",))
    mech_sql, mech_params = filters.sql(backend, "m", skip=("mechanism",))
    pub_sql, pub_params = filters.sql(backend, "m", skip=("publisher",))
    if filters.kind:
        kinds, bounds = [filters.kind], [limit, offset]
    else:
        kinds, bounds = [t.kind for t in ordered_types()], [per_kind, 0]
    branches, branch_params = [], []
    for index, kind in enumerate(kinds):
        branches.append(
            f"SELECT * FROM (SELECT 'hit', CAST(m.id AS TEXT), m.kind, m.position, m.score "
            f"FROM m WHERE m.kind = %s {hit_sql} "
            f"ORDER BY m.score DESC, m.position, m.id LIMIT %s OFFSET %s) hits{index}"
        )
        branch_params += [kind, *hit_params, *bounds]
    hit_branches = "\nUNION ALL\n".join(branches)
    sql = f"""
        WITH m AS MATERIALIZED ({match})
        {hit_branches}
        UNION ALL
        SELECT 'kind', m.kind, m.kind, COUNT(*), CAST(NULL AS REAL)
        FROM m WHERE 1 = 1 {kind_sql} GROUP BY m.kind
        UNION ALL
        SELECT 'mechanism', me.slug, me.name, c.n, CAST(NULL AS REAL)
        FROM (
            SELECT ids.value AS facet_id, COUNT(*) AS n
            FROM ({backend.facet_ids_of("m", f"1 = 1 {mech_sql}")}) ids GROUP BY ids.value
        ) c {j} {t["facet"]} f ON f.id = c.facet_id AND f.name = %s
        {j} {t["mechanism"]} me ON {mechanism_value("me")} = f.value
        UNION ALL
        SELECT 'publisher', o.slug,
               CASE WHEN o.short_name <> '' THEN o.short_name ELSE o.name END, c.n,
               CAST(NULL AS REAL)
        FROM (
            SELECT m.publisher_id AS publisher_id, COUNT(*) AS n
            FROM m WHERE m.publisher_id IS NOT NULL {pub_sql} GROUP BY m.publisher_id
        ) c {j} {t["organization"]} o ON o.id = c.publisher_id
    """
    sql_params = [*params, *branch_params, *kind_params, *mech_params, MECHANISM, *pub_params]
    counts = {"kind": [], "mechanism": [], "publisher": []}
    ranked = []
    for facet, value, label, number, score in fetch(sql, sql_params):
        if facet == "hit":
            ranked.append((kinds.index(label), -score, number, int(value)))
        else:
            counts[facet].append((value, label, int(number)))
    return counts, [entry_id for *_, entry_id in sorted(ranked)]


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
    known; a slice gives that page's hits (the page asked for was fetched with the counts, any
    other runs the search again for its ids)."""

    def __init__(self, backend, query, filters, count, fetched):
        self.backend, self.query, self.filters, self.count_ = backend, query, filters, count
        self.fetched = fetched  # {start: ids from start, as many as a page holds}

    def __len__(self):
        return self.count_

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("TypePage only slices")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count_
        ids = self.fetched.get(start)
        if ids is None or len(ids) < min(stop, self.count_) - start:
            _, ids = run(self.backend, self.query, self.filters, offset=start, limit=stop - start)
        ids = ids[: stop - start]
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


MAX_PAGE = 1_000_000  # a larger ?page= is read as this: past the end of any list


def page_number(page):
    """``?page=`` as typed: anything but a positive whole number is 1; a number too large for
    an SQL offset (``10**30``) is ``MAX_PAGE``, which any paging reads as past the end."""
    try:
        return min(max(int(page), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search(query, filters=Filters(), *, per_kind=5, page=1, per_page=PER_PAGE):
    """Run ``query`` (a parsed Query) with ``filters``: the best ``per_kind`` hits of each type,
    or with a type chosen, page ``page`` of it. A Query with no positive term gives empty
    Results without touching the database."""
    results = Results(query=query, filters=filters)
    if not query:
        return results
    backend = get_backend()
    if filters.kind:
        offset = (page_number(page) - 1) * per_page
        counts, ids = run(backend, query, filters, offset=offset, limit=per_page)
    else:
        counts, ids = run(backend, query, filters, per_kind=per_kind)
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
        fetched = {offset: ids} if ids else {}
        results.type_page = TypePage(backend, query, filters, group.count, fetched)
        return results
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


@dataclass(frozen=True)
class Listing:
    total: int  # records found
    ids: list  # primary keys of the records asked for, best first
    counts: dict  # {facet name: {value: records found that have it}}


def listing(model, query, required=(), *, offset=0, limit=PER_PAGE):
    """A list page of ``model``'s records searched by ``query`` (a parsed Query with words), in
    one statement over one materialised match: how many match and have every ``(name, value)``
    facet value of ``required``; the primary keys of ``limit`` of them from ``offset``, best
    first (ties by position, then key); and how many of them have each facet value (the
    ``facets`` of their ``Document``). Counts are of the records found, every filter applied."""
    backend = get_backend()
    match, params = backend.match_sql(query)
    t = tables()
    kinds = [search_type.kind for search_type in registration_for(model).types]
    wanted = [f"AND m.kind IN ({', '.join(['%s'] * len(kinds))})"]
    wanted_params = list(kinds)
    for name, value in required:
        facet_id = f"(SELECT id FROM {t['facet']} WHERE name = %s AND value = %s)"
        wanted.append(f"AND {backend.has_id('m.facet_ids', facet_id)}")
        wanted_params += [name, str(value)]
    sql = f"""
        WITH k AS MATERIALIZED (
            SELECT m.object_id, m.score, m.position, m.facet_ids FROM ({match}) m
            WHERE 1 = 1 {" ".join(wanted)}
        )
        SELECT * FROM (
            SELECT 'hit', CAST(k.object_id AS TEXT), '', k.position, k.score FROM k
            ORDER BY k.score DESC, k.position, k.object_id LIMIT %s OFFSET %s
        ) hits
        UNION ALL
        SELECT 'total', '', '', COUNT(*), CAST(NULL AS REAL) FROM k
        UNION ALL
        SELECT 'facet', f.name, f.value, c.n, CAST(NULL AS REAL)
        FROM (
            SELECT ids.value AS facet_id, COUNT(*) AS n
            FROM ({backend.facet_ids_of("k", "1 = 1")}) ids GROUP BY ids.value
        ) c {backend.join} {t["facet"]} f ON f.id = c.facet_id
    """
    total, ranked, counts = 0, [], {}
    for row, name, value, number, score in fetch(sql, [*params, *wanted_params, limit, offset]):
        if row == "hit":
            ranked.append((-score, number, int(name)))
        elif row == "total":
            total = int(number)
        else:
            counts.setdefault(name, {})[value] = int(number)
    return Listing(total, [pk for *_, pk in sorted(ranked)], counts)
