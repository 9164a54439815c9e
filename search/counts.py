"""Counts kept beside the index: how many entries of each type have each facet value, and each
pair of values (``SearchCount``), changed in the same transaction as the entries they count.

A list without words filtered by at most one value (the whole tools list, ``?kind=manual``,
``?mechanism=extradition``) reads its total and every facet's counts here, from a few dozen
rows, instead of counting its records: at 100,000 tools that was a second or more per request.
With two values or more chosen, the engine counts over the entries that have them
(``engine.find`` without words).
"""

from collections import Counter
from itertools import combinations

from django.db import connection
from django.db.models import CharField, OuterRef, Subquery, Sum
from django.db.models.functions import Cast, Coalesce

from search.models import SearchCount, SearchEntry, SearchFacet

NONE = 0  # a key's place for "no value"
BATCH = 500  # rows per statement


def keys(kind, facet_ids):
    """The counts an entry of ``kind`` with ``facet_ids`` is one of."""
    ids = sorted(set(facet_ids))
    yield kind, NONE, NONE
    for facet_id in ids:
        yield kind, NONE, facet_id
    for first, second in combinations(ids, 2):
        yield kind, first, second


def adjust(removed=(), added=()):
    """Count the entries ``added`` and stop counting those ``removed``, each ``(kind,
    facet_ids)``: one upsert per BATCH rows changed, then the rows left at zero go."""
    change = Counter()
    for sign, entries in ((-1, removed), (1, added)):
        for kind, facet_ids in entries:
            for key in keys(kind, facet_ids):
                change[key] += sign
    rows = sorted((key, n) for key, n in change.items() if n)  # one order: no deadlock
    if not rows:
        return
    table = connection.ops.quote_name(SearchCount._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (kind, first, second, entries) VALUES {values} "
                f"ON CONFLICT (kind, first, second) "
                f"DO UPDATE SET entries = {table}.entries + excluded.entries",
                [value for (kind, first, second), n in batch for value in (kind, first, second, n)],
            )
        if any(n < 0 for _, n in rows):
            cursor.execute(f"DELETE FROM {table} WHERE entries <= 0")


def entries_of(ids):
    """``(kind, facet_ids)`` of the index's entries ``ids``, as they are before a change."""
    return list(SearchEntry.objects.filter(id__in=list(ids)).values_list("kind", "facet_ids"))


def recount(entry_model=SearchEntry):
    """Count every entry afresh (to repair the counts, or when they first came: the migration
    passes its own ``entry_model``)."""
    SearchCount.objects.all().delete()
    entries = entry_model.objects.order_by("id").values_list("kind", "facet_ids")
    batch = []
    for entry in entries.iterator(chunk_size=2000):
        batch.append(entry)
        if len(batch) == 2000:
            adjust(added=batch)
            batch = []
    adjust(added=batch)


def tally(kinds, given=None):
    """``(total, {(name, value): entries})`` of the entries of ``kinds`` (SearchType kinds) that
    have the facet value ``given`` (a ``(name, value)`` pair, or None for every entry): how many
    there are, and how many of them have each facet value. One statement."""
    table = SearchCount._meta.db_table
    facets = SearchFacet._meta.db_table
    kind_sql = ", ".join(["%s"] * len(kinds))
    if given is None:
        given_sql, params = "%s", [NONE]
    else:
        given_sql = f"(SELECT id FROM {facets} WHERE name = %s AND value = %s)"
        params = list(given)
    sql = (
        f"WITH g AS (SELECT {given_sql} AS id) "
        f"SELECT fv.name, fv.value, c.entries FROM {table} c CROSS JOIN g "
        f"LEFT JOIN {facets} fv ON fv.id = CASE WHEN c.first = g.id THEN c.second "
        f"ELSE c.first END "
        f"WHERE c.kind IN ({kind_sql}) AND (c.first = g.id OR c.second = g.id)"
    )
    total, counts = 0, Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *kinds])
        for name, value, n in cursor.fetchall():
            if name is None:
                total += n
            else:
                counts[name, value] += n
    if given is not None and total:
        counts[given] = total
    return total, dict(counts)


def entries_having(model, key, field):
    """An expression: how many public records of ``model`` have the value of the outer query's
    ``field`` (e.g. ``"pk"``) under the facet ``key``, read from the counts (0 if none), e.g.
    the tools that help with each form of cooperation on the cooperation page."""
    from search.registry import registration_for

    kinds = [search_type.kind for search_type in registration_for(model).types]
    value = Cast(OuterRef(OuterRef(field)), CharField())  # the facet is a subquery's subquery
    facet = SearchFacet.objects.filter(name=key, value=value).values("id")
    rows = (
        SearchCount.objects.filter(kind__in=kinds, first=NONE, second=Subquery(facet))
        .order_by()
        .values("first")  # one group: every row has it
        .annotate(total=Sum("entries"))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0)
