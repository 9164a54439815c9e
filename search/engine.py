"""Answering a search in one statement: the records found (the best of each type, or a page of
them), and how many of them have each type and each facet value. Then the snippets of the hits
to show, when a page shows snippets. The same statement serves the search page (every type, each
facet counted as if its own choice were not made, so its other values stay visible) and a list
page searched by words (one model's types, every facet counted with every filter applied).

The SQL around the backend's match is plain SQL both backends run; ``backend.join`` keeps
SQLite's join order. Facet values are the ids of ``SearchFacet`` rows: what they stand for
(a mechanism, a publisher) is for the page to say.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import connection

from search.backends import get_backend
from search.models import SearchFacet, SearchTerm
from search.registry import search_types
from search.text import MARK_START, edit_distance, highlighted

TYPE = "type"  # the key of an entry's own type (its SearchType's kind) among the facets


@dataclass(frozen=True)
class Hit:
    entry_id: int
    object_id: int
    kind: str


@dataclass(frozen=True)
class Snippet:
    kind: str
    title: str  # safe HTML: escaped, matched words in <mark>
    snippet: str  # safe HTML, likewise
    url: str
    context: str


@dataclass(frozen=True)
class Found:
    total: int  # records found with every filter applied
    hits: list  # [Hit], best first (by type first when the best of each type were asked for)
    counts: dict = field(default_factory=dict)  # {key: {value: records found that have it}}


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def conditions(backend, alias, required, skip=None):
    """``AND ...`` SQL keeping the entries aliased ``alias`` that have every ``required``
    value ({key: [values]}; for the type, any one of them), leaving out the key ``skip``."""
    sql, params = [], []
    facet_table = SearchFacet._meta.db_table
    for key, values in required.items():
        if key == skip or not values:
            continue
        if key == TYPE:
            sql.append(f"AND {alias}.kind IN ({', '.join(['%s'] * len(values))})")
            params += list(values)
            continue
        for value in values:
            facet_id = f"(SELECT id FROM {facet_table} WHERE name = %s AND value = %s)"
            sql.append(f"AND {backend.has_id(f'{alias}.facet_ids', facet_id)}")
            params += [key, str(value)]
    return " ".join(sql), params


def find(
    query,
    types,
    *,
    required=None,
    disjunctive=(),
    per_type=None,
    offset=0,
    limit=20,
    count_types=True,
):
    """The entries of ``types`` (SearchType kinds) matching ``query`` (a parsed Query with
    words, or None: every entry, for a list filtered without words) and every ``required``
    value ({key: [values]}, the key ``TYPE`` for the entries' types), in one statement over one
    materialised match:

    - ``hits``: with ``per_type``, the best ``per_type`` of each type; else ``limit`` of them
      from ``offset``. Best first: score, then position, then the record's key;
    - ``counts``: how many have each type (unless ``count_types`` is false: a list needs only
      its total) and each facet value. A key in ``disjunctive`` is counted without its own
      filter (the search page's single-choice facets);
    - ``total``: how many have every value required.
    """
    backend = get_backend()
    required = {key: list(values) for key, values in (required or {}).items() if values}
    match, params = backend.match_sql(query) if query is not None else backend.every_sql()
    wanted = required.get(TYPE, types)
    skips = [key for key in disjunctive if key in required]
    where, where_params = "1 = 1", []
    if set(types) != set(search_types):
        # Only when it keeps fewer than every type: SQLite takes a fifth longer with it.
        where, where_params = f"m.kind IN ({', '.join(['%s'] * len(types))})", list(types)
    if not skips:
        # Every row below sees the same records: keep only those, once.
        more, more_params = conditions(backend, "m", required)
        where, where_params, required = f"{where} {more}", where_params + more_params, {}
    sql = (
        f"WITH f AS MATERIALIZED (SELECT m.id, m.score, m.kind, m.position, m.object_id, "
        f"m.facet_ids FROM ({match}) m WHERE {where})\n"
    )
    sql_params = [*params, *where_params]

    branches, branch_params = [], []
    filtered, filtered_params = conditions(backend, "f", required)
    order = "ORDER BY f.score DESC, f.position, f.object_id"
    hit = "'hit', CAST(f.id AS TEXT), CAST(f.object_id AS TEXT), f.kind, f.position, f.score"
    if per_type:
        for index, kind in enumerate(t for t in types if t in wanted):
            branches.append(
                f"SELECT * FROM (SELECT {hit} FROM f WHERE f.kind = %s {filtered} "
                f"{order} LIMIT %s) hits{index}"
            )
            branch_params += [kind, *filtered_params, per_type]
    else:
        branches.append(
            f"SELECT * FROM (SELECT {hit} FROM f WHERE 1 = 1 {filtered} "
            f"{order} LIMIT %s OFFSET %s) hits"
        )
        branch_params += [*filtered_params, limit, offset]

    facet_table = SearchFacet._meta.db_table
    for skip in [None, *skips]:
        # Counted with every filter (skip None), then each disjunctive key without its own.
        where, where_params = conditions(backend, "f", required, skip=skip)
        if skip == TYPE or (skip is None and TYPE not in skips):
            # Each type's count, or (a list) only the total: grouping costs SQLite a sort.
            kind, group = ("f.kind", "GROUP BY f.kind") if count_types else ("''", "")
            branches.append(
                f"SELECT 'count', %s, {kind}, '', COUNT(*), CAST(NULL AS REAL) FROM f "
                f"WHERE 1 = 1 {where} {group}"
            )
            branch_params += [TYPE, *where_params]
        if skip == TYPE:
            continue
        names = [skip] if skip else [key for key in skips if key != TYPE]
        name_sql = ""
        if names:
            placeholders = ", ".join(["%s"] * len(names))
            name_sql = f"AND fv.name {'NOT ' if skip is None else ''}IN ({placeholders})"
        ids = backend.facet_ids_of("f", f"1 = 1 {where}")
        branches.append(
            f"SELECT 'count', fv.name, fv.value, '', c.n, CAST(NULL AS REAL) FROM ("
            f"SELECT ids.value AS facet_id, COUNT(*) AS n FROM ({ids}) ids GROUP BY ids.value"
            f") c {backend.join} {facet_table} fv ON fv.id = c.facet_id {name_sql}"
        )
        branch_params += [*where_params, *names]
    sql += "\nUNION ALL\n".join(branches)

    ranked, counts = [], {}
    for row, first, second, kind, number, score in fetch(sql, sql_params + branch_params):
        if row == "hit":
            hit = Hit(int(first), int(second), kind)
            group = types.index(kind) if per_type else 0
            ranked.append(((group, -score, number, hit.object_id), hit))
        else:
            counts.setdefault(first, {})[second] = int(number)
    hits = [hit for _, hit in sorted(ranked, key=lambda item: item[0])]
    type_counts = counts.get(TYPE, {})
    total = sum(n for kind, n in type_counts.items() if kind in wanted or not count_types)
    return Found(total, hits, counts)


def snippets(query, hits):
    """The title and best snippet of each of ``hits``, matched words highlighted, in order."""
    rows = get_backend().snippets(query, [hit.entry_id for hit in hits])
    by_id = {row[0]: row for row in rows}
    found = []
    for hit in hits:
        if hit.entry_id not in by_id:
            continue
        _, kind, title, url, context, marked_title, *texts = by_id[hit.entry_id]
        snippet = next((text for text in texts if text and MARK_START in text), texts[0])
        found.append(
            Snippet(
                kind=kind,
                title=highlighted(marked_title or title),
                snippet=highlighted(snippet or ""),
                url=url,
                context=context,
            )
        )
    return found


ALTERNATIVES = 3  # words offered for a word the index does not know
CANDIDATES = 12  # words spelled like it among which a likely typo is looked for


@dataclass(frozen=True)
class Spelling:
    """What the index's vocabulary says of a query's unknown words: the query ``corrected`` when
    each of them is a likely typo of a word it knows ("extradtion"), else None; and up to three
    ``alternatives``, queries with one of its words replaced by a word spelled like it, to offer
    as links ("referral": "refers" is spelled like it, but is another word)."""

    corrected: object = None
    alternatives: tuple = ()


def spelling(query):
    """The ``Spelling`` of ``query`` (a parsed Query): what to search instead, if anything."""
    words = query.spellable_words()
    if not words:
        return Spelling()
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    backend = get_backend()
    typos, alternatives = {}, []
    unknown = sorted(words - known)
    for word in unknown:
        # Trigram likeness ranks a swap ("trafficknig") below words sharing more letter runs
        # ("trafficked"): look for the typo among more candidates than are offered.
        similar = backend.similar_terms(word, limit=CANDIDATES)
        close = sorted(
            (t for t in similar if likely_typo(word, t)), key=partial(edit_distance, word)
        )
        if close:
            typos[word] = close[0]  # the fewest slips away (ties: the most alike)
        alternatives += [query.corrected({word: term}) for term in similar[:ALTERNATIVES]]
    corrected = query.corrected(typos) if unknown and len(typos) == len(unknown) else None
    offered = tuple(q for q in dict.fromkeys(alternatives) if q != corrected)
    return Spelling(corrected, offered[:ALTERNATIVES])


def likely_typo(word, term):
    """Whether ``term`` is close enough to ``word`` to be what was meant: one slip (a letter
    missing, extra, wrong or swapped) in a short word, two in a longer one."""
    return edit_distance(word, term) <= (1 if len(word) <= 5 else 2)


def suggest(query):
    """``query`` with each unknown word replaced by the word it is a likely typo of, or None."""
    return spelling(query).corrected
