"""Writing the index: one ``SearchEntry`` per public record, plus what the backend keeps beside
it (FTS5 rows on SQLite; PostgreSQL computes its search vector by itself) and the vocabulary.

Changes are noted (``reindex``) and written when the transaction commits (``flush``), each
record once."""

import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from search.backends import get_backend
from search.counts import adjust, entries_of
from search.models import SearchCount, SearchEntry, SearchFacet, SearchTerm
from search.registry import registrations
from search.text import clean, tokens

BATCH_SIZE = 500
FIELDS = [
    "kind",
    "title",
    "keywords",
    "body",
    "extra",
    "context",
    "url",
    "position",
    "facet_ids",
]
MIN_TERM, MAX_TERM = 3, 60

# This thread's .pending ({label: set of pks} to index) and .scheduled (a flush is on commit).
_local = threading.local()


def pending():
    if getattr(_local, "pending", None) is None:
        _local.pending = {}
    return _local.pending


def reindex(label, pks):
    """Note ``label``'s records ``pks`` for indexing when the transaction commits."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    pending().setdefault(label, set()).update(pks)
    # One callback per transaction; registered again if a rolled-back savepoint discarded it.
    callbacks = connections[DEFAULT_DB_ALIAS].run_on_commit
    if not (getattr(_local, "scheduled", False) and any(c is flush for _, c, _ in callbacks)):
        _local.scheduled = True
        transaction.on_commit(flush)


def flush():
    """Index every noted record once (the commit's callback)."""
    _local.scheduled = False
    noted, _local.pending = pending(), {}
    for label, pks in noted.items():
        index_objects(label, sorted(pks))


def discard_pending():
    """Forget what was noted: a rebuild in this transaction indexes everything anyway."""
    _local.pending = {}


def index_objects(label, pks):
    """Bring the entries of ``label``'s records ``pks`` in line with the database: indexed if
    public, removed if not (a draft, or deleted)."""
    registration = registrations[label]
    pks = list(dict.fromkeys(pks))
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        documents = documents_for(registration, registration.public().filter(pk__in=batch))
        with transaction.atomic():
            remove_objects(label, set(batch) - documents.keys())
            write(registration, documents)


def remove_objects(label, pks):
    if not pks:
        return
    ids = list(
        SearchEntry.objects.filter(model=label, object_id__in=list(pks)).values_list(
            "id", flat=True
        )
    )
    if ids:
        adjust(removed=entries_of(ids))
        get_backend().delete(ids)
        SearchEntry.objects.filter(id__in=ids).delete()


def documents_for(registration, records):
    """{pk: (Document, its facet values)} of the records that have a document. Written in the
    records' language, English, whatever the language of the page that saved them (an editor
    in /fr/admin/): the labels a document holds ("Footnote to para. 7") are found by English
    words, as the records' own texts are."""
    documents = {}
    with translation.override(settings.LANGUAGE_CODE):
        for record in records:
            document = registration.document(record)
            if document is not None:
                documents[record.pk] = (document, registration.facet_values(record))
    return documents


def write(registration, documents, *, fresh=False, terms=None):
    """Create or update the entries of ``documents`` ({pk: (Document, facet values)}).
    ``fresh``: the index is known to hold none of them (a rebuild). ``terms``: a set to collect
    the vocabulary in, instead of writing it now."""
    if not documents:
        return
    label = registration.label
    existing = {}
    if not fresh:
        existing = dict(
            SearchEntry.objects.filter(model=label, object_id__in=list(documents)).values_list(
                "object_id", "id"
            )
        )
    ids = facets_for(set().union(*(values for _, values in documents.values())))
    entries = [
        entry(registration, pk, doc, existing.get(pk), sorted(ids[value] for value in values))
        for pk, (doc, values) in documents.items()
    ]
    adjust(
        removed=entries_of(existing.values()),
        added=[(e.kind, e.facet_ids) for e in entries],
    )
    SearchEntry.objects.bulk_update([e for e in entries if e.pk], FIELDS)
    SearchEntry.objects.bulk_create([e for e in entries if not e.pk])
    get_backend().sync(entries, replace=not fresh)
    found = vocabulary(entries)
    if terms is None:
        add_terms(found)
    else:
        terms.update(found)


def facets_for(wanted):
    """{(name, value): SearchFacet id} for the ``wanted`` (name, value) pairs, made if new."""
    if not wanted:
        return {}
    names = {name for name, _ in wanted}

    def known():
        rows = SearchFacet.objects.filter(name__in=names).values_list("name", "value", "id")
        return {(name, value): pk for name, value, pk in rows}

    ids = known()
    if missing := wanted - ids.keys():
        SearchFacet.objects.bulk_create(
            [SearchFacet(name=name, value=value) for name, value in sorted(missing)],
            ignore_conflicts=True,  # another request may have made it meanwhile
        )
        ids = known()
    return ids


def entry(registration, pk, doc, entry_id, facet_ids):
    """The entry of ``doc``; ``facet_ids``: the SearchFacet ids of its values, in order."""
    return SearchEntry(
        id=entry_id,
        model=registration.label,
        object_id=pk,
        kind=doc.kind or registration.types[0].kind,
        title=clean(doc.title)[:500],
        keywords=clean(doc.keywords),
        body=clean(doc.body),
        extra=clean(doc.extra),
        context=clean(doc.context)[:300],
        url=doc.url[:500],
        position=doc.position,
        facet_ids=facet_ids,
    )


def vocabulary(entries):
    words = set()
    for e in entries:
        for text in (e.title, e.keywords, e.body, e.extra):
            words.update(tokens(text))
    return {w for w in words if MIN_TERM <= len(w) <= MAX_TERM and not w.isdigit()}


def add_terms(words):
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


def rebuild(log=None):
    """Empty the index and index every public record again. Returns {label: entries}."""
    counts = {}
    terms = set()
    with transaction.atomic():
        discard_pending()  # everything is indexed below
        clear()
        for label, registration in registrations.items():
            counts[label] = 0
            records = registration.public().order_by("pk").iterator(chunk_size=BATCH_SIZE)
            batch = []
            for record in records:
                batch.append(record)
                if len(batch) == BATCH_SIZE:
                    counts[label] += index_batch(registration, batch, terms)
                    batch = []
            counts[label] += index_batch(registration, batch, terms)
            if log:
                log(f"{label}: {counts[label]} entries")
        add_terms(terms)
    get_backend().optimize(index_tables())
    return counts


def index_batch(registration, records, terms):
    documents = documents_for(registration, records)
    write(registration, documents, fresh=True, terms=terms)
    return len(documents)


def index_tables():
    """Every table of the index, those that refer to others first."""
    return [
        SearchEntry._meta.db_table,
        SearchFacet._meta.db_table,
        SearchTerm._meta.db_table,
        SearchCount._meta.db_table,
    ]


def clear():
    """Empty the index: the backend's structures, the entries, their links and facet values,
    the vocabulary, the counts."""
    get_backend().clear(index_tables())
