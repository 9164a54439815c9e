"""Lists with facets: one FilterSet base for every page that filters records by words and facets
(the tools and instruments lists, the search page), one facet filter, one kind of facet shown.

A ``FacetFilter`` is declared once on a list's FilterSet and serves three ways:

- it filters the list's QuerySet (by slug for a related record, by value for a choice);
- it counts its choices among the current results (each choice with how many results have it);
- it tells the search index what to store of each record (``FacetFilterSet.index_facets()``,
  given to ``search.register``), so a list searched by words is filtered and counted from the
  index in the same statement that finds the records.

A ``FacetFilterSet`` reads the query string forgivingly: it drops what it cannot use (an unknown
choice, an over-long value, a second value for a single-choice filter, a value given twice, more
than MAX_FACET_VALUES values) and keeps a plain-language notice for each, so bad input shows a
message and the results without that filter, never an error. Searched by words (``q``), a list
is answered by the search index (``engine.find``); without words, the ORM answers; with only
``-excluded`` words, nothing is searched (a notice asks for a word).

Paging stops at MAX_RESULTS_PAGED results (page 50 of 20): a deeper ``?page=`` reads as the last
page that can be reached, so no statement skips more rows than that (an OFFSET of 2,000,000 made
the database sort every match to skip them), and a notice asks for words or filters.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property, partial
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from search import counts, engine
from search.query import parse
from search.registry import Facet as IndexFacet
from search.registry import registration_for

SHOWN_CHARS = 60  # how much of an ignored value a notice repeats
PER_PAGE = 20
# Bounds on what one request may ask of the database (docs/search.md, "Limits").
MAX_RESULTS_PAGED = 1_000  # results beyond this cannot be paged to: words or filters narrow them
MAX_FACET_VALUES = 3  # values of one facet used at once (each must be had: more find ~nothing)
DENSE = 1_000  # records found past which a filtered page is read in order (FacetFilterSet.dense)


def shorten(value):
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def last_page(per_page=PER_PAGE):
    """The deepest page that can be asked for: the one holding result MAX_RESULTS_PAGED."""
    return max(1, MAX_RESULTS_PAGED // per_page)


def page_number(page, per_page=PER_PAGE):
    """``?page=`` as typed: anything but a positive whole number is 1; a number deeper than
    ``last_page()`` (``999999``, ``10**30``) is that page."""
    try:
        return min(max(int(page), 1), last_page(per_page))
    except (TypeError, ValueError):
        return 1


class BoundedPaginator(Paginator):
    """A Paginator whose pages stop at ``last_page()``: its ``count`` is every result, but past
    MAX_RESULTS_PAGED there are no pages (nor page links) to read them on."""

    @cached_property
    def num_pages(self):
        return min(super().num_pages, last_page(self.per_page))

    @property
    def is_bounded(self):
        """Whether there are results that no page shows."""
        return self.count > self.num_pages * self.per_page


def get_page(sequence, number, per_page=PER_PAGE):
    """Page ``number`` (a ``?page=`` value as typed) of a QuerySet or any sequence: anything that
    is not a positive whole number gives page 1, a number past the end (or past ``last_page()``)
    the last page. ``page.links`` lists the page numbers to link to ("1 2 3 … 9"), and
    ``page.notice`` says so when the last page that can be reached leaves results unshown."""
    paginator = BoundedPaginator(sequence, per_page)
    page = paginator.get_page(page_number(number, per_page))
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.notice = ""
    if page.number == paginator.num_pages and paginator.is_bounded:
        page.notice = gettext(
            "Only the first %(count)s results can be paged through; add words or filters to "
            "narrow them."
        ) % {"count": f"{paginator.num_pages * per_page:,}"}
    return page


class IndexedResults:
    """What the search index found, as a sequence a Paginator can page: its length is the number
    found; a slice is those results, best first. ``find(offset, limit)`` asks the index (the
    FilterSet keeps its answers, so the page asked for first costs no second statement) and
    ``convert(hits)`` turns its hits into what the page shows (records, or snippets)."""

    def __init__(self, find, convert, offset, per_page):
        self.find, self.convert = find, convert
        self.offset, self.per_page = offset, per_page

    def __len__(self):
        return self.find(self.offset, self.per_page).total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("IndexedResults only slices")
        start = index.start or 0
        stop = len(self) if index.stop is None else index.stop
        if start == self.offset and stop - start <= self.per_page:
            hits = self.find(self.offset, self.per_page).hits[: stop - start]
        else:
            hits = self.find(start, stop - start).hits
        return self.convert(hits)


class Counted:
    """A QuerySet whose length is known (counted by the index): a Paginator pages it without
    asking the database to count it."""

    def __init__(self, queryset, total):
        self.queryset, self.total = queryset, total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]


def count_by(queryset, lookup):
    """``{value: number of records}`` of ``queryset`` for each value of ``lookup``, in one query.

    Counts over a ``pk__in`` subquery so that joins made by the filters (a repeated mechanism
    filter, say) do not narrow what is counted across a to-many relation.
    """
    rows = (
        queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        .order_by()
        .values_list(lookup)
        .annotate(count=Count("pk", distinct=True))
    )
    return {value: count for value, count in rows if value not in (None, "")}


def count_pairs(queryset, lookups):
    """Like ``count_by`` over several lookups at once: a record counts once per value, whichever
    lookups lead to it (a tool's own mechanisms and its parts')."""
    records = queryset.model._default_manager.filter(pk__in=queryset.values("pk")).order_by()
    pairs = records.values_list("pk", lookups[0])
    for lookup in lookups[1:]:
        pairs = pairs.union(records.values_list("pk", lookup))  # UNION drops repeats
    return Counter(value for _, value in pairs if value not in (None, ""))


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    query: str  # the query string ("?..." or "") that toggles this option


@dataclass(frozen=True)
class Facet:
    """A facet as a page shows it: its choices with their counts, the query string that clears
    it, and for a single-choice facet that offers one, an "all" option (``everything``)."""

    name: str
    label: str
    options: list
    clear: str | None  # the query string without this facet, if it is in use
    everything: FacetOption | None = None
    help: str = ""  # how to read it, shown under its heading

    @property
    def in_use(self):
        return self.clear is not None


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A filter that is also a facet, declared once.

    ``paths`` lead from the list's model to the facet's value: a related record (its slug in the
    address, its primary key in the index; ``queryset`` and ``label_field`` give its choices) or
    a field with ``choices`` (``values`` maps a field value to its choice, e.g. ``{True:
    "yes"}``). A record has a value if any path leads to it. ``key`` names the value in the
    index, where one key means one kind of value on every model (default: the filter's name).
    ``multiple``: several values may be chosen, and a result must have them all.
    ``disjunctive``: counted as if its own choice were not made (the other choices stay
    visible). ``everything``: the label of an option that clears the choice ("All types").
    ``by_count``: options ordered by count rather than by the choices' order. ``help``: how to
    read the facet, shown under its heading.
    """

    def __init__(
        self,
        *paths,
        label,
        key=None,
        multiple=False,
        choices=(),
        queryset=None,
        label_field="name",
        values=None,
        disjunctive=False,
        everything=None,
        by_count=False,
        help="",
    ):
        super().__init__(label=label, choices=choices)
        self.declared_choices = choices
        self.paths, self.key, self.multiple = paths, key, multiple
        self.choice_queryset, self.label_field = queryset, label_field
        self.values = values or {}
        self.disjunctive, self.everything, self.by_count = disjunctive, everything, by_count
        self.help = help

    def related_model(self):
        """The model of the records this facet's values are (None: a field's choices)."""
        if self.choice_queryset is not None:
            return self.choice_queryset.model
        if not self.paths:
            return None
        model = self.model
        for name in self.paths[0].split("__"):
            field = model._meta.get_field(name)
            if not field.is_relation:
                return None
            model = field.related_model
        return model

    def database_choices(self):
        """[(slug, label, primary key)] of the related records, or None for a field's choices.
        A label editors translate (the model's ``translated_fields``, with ``translations``:
        editorial/translations.py) is in the reader's language where they gave it."""
        model = self.related_model()
        if model is None:
            return None
        queryset = self.choice_queryset if self.choice_queryset is not None else model.objects
        if self.label_field not in getattr(model, "translated_fields", ()):
            return list(queryset.values_list("slug", self.label_field, "pk"))
        language = get_language()
        return [
            (slug, ((translations or {}).get(language) or {}).get(self.label_field) or label, pk)
            for slug, label, pk, translations in queryset.values_list(
                "slug", self.label_field, "pk", "translations"
            )
        ]

    @property
    def index_key(self):
        return self.key or self.field_name  # django-filter names it after its attribute

    def index_facet(self):
        return IndexFacet(self.index_key, self.paths, self.values)

    def lookups(self):
        suffix = "__slug" if self.related_model() is not None else ""
        return [path + suffix for path in self.paths]

    def stored(self, value):
        """A choice as the model stores it ("yes" -> True), for the ORM."""
        return {str(choice): stored for stored, choice in self.values.items()}.get(value, value)

    def filter(self, queryset, values):
        for value in values:
            queryset = queryset.filter(self.having(queryset.model, value))
        return queryset

    def having(self, model, value, dense=None):
        """A ``Q``: the records of ``model`` (the list's) that have ``value``, as the list
        filters them: a choice (a related record's slug), or a related record itself (read by
        its key: no join to its table). ``dense``: whether many do (default:
        ``FacetFilterSet.dense``, read only if it matters). The API reads a record's first
        tools with it (api/records.py): the first page of the tools list filtered by it."""
        if isinstance(value, models.Model):
            lookups, stored = list(self.paths), value
        else:
            lookups, stored = self.lookups(), self.stored(value)
        if len(lookups) == 1 and "__" not in self.paths[0]:
            return Q(**{lookups[0]: stored})
        # A subquery per value and path: no joins pile up, no duplicates, and each reads its
        # own links by index (one subquery OR-ing the paths over LEFT JOINs read every tool:
        # 190 ms for ?mechanism= at 100,000 tools). Few records found: find them (pk IN), then
        # sort them. Many: read the list in its order, checking each (EXISTS), until the page
        # is full, rather than sort thousands for 20.
        if dense is None:
            dense = getattr(self.parent, "dense", False)
        either = Q()
        for lookup in lookups:
            having = model._default_manager.filter(**{lookup: stored})
            if dense:
                either |= Q(Exists(having.filter(pk=OuterRef("pk"))))
            else:
                either |= Q(pk__in=having.values("pk"))
        return either

    def count(self, queryset):
        """{choice: number of records of ``queryset`` that have it}, by the ORM."""
        lookups = self.lookups()
        if len(lookups) == 1:
            counts = count_by(queryset, lookups[0])
        else:
            counts = count_pairs(queryset, lookups)
        return {str(self.values.get(value, value)): n for value, n in counts.items()}


class FacetFilterSet(django_filters.FilterSet):
    """Base for the FilterSets of pages with facets. Subclasses declare ``FacetFilter``s; the
    words filter ``q`` is common to all. The model's search registration lists the same facets
    (``facets=TheFilterSet``)."""

    q = django_filters.CharFilter(label=_("Words"), method="filter_matching")

    per_page = PER_PAGE
    count_types = False  # a list shows its total; the search page counts each type
    # Its list holds exactly the public records its model's index entries stand for, so that,
    # unsearched, the index's counts are its own (``counted``).
    counted_in_index = False

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self._choices = {}  # {facet: [(value, label)]}, read when first needed
        self.indexed = {}  # {facet: {slug: primary key}} of related records (indexed_values)
        for name in self.facets:
            self.filters[name].extra["choices"] = partial(self.choices, name)
        self.notices = []
        self.data = self.usable(self.data)
        self.notices += self.parsed.notices
        self.answers = {}  # (offset, limit, options) -> engine.find's answer

    @classmethod
    def facet_filters(cls):
        return {
            name: filter_
            for name, filter_ in cls.base_filters.items()
            if isinstance(filter_, FacetFilter)
        }

    @classmethod
    def index_facets(cls):
        """What the search index stores of each record, for these facets."""
        return [f.index_facet() for f in cls.facet_filters().values() if f.paths]

    @property
    def facets(self):
        return list(self.facet_filters())

    def choices(self, name):
        """The facet's choices, [(value, label)], read from the database once if they are
        related records (a page that shows no facet and chose none reads none)."""
        if name not in self._choices:
            filter_ = self.filters[name]
            rows = filter_.database_choices()
            if rows is None:
                declared = filter_.declared_choices
                self._choices[name] = list(declared() if callable(declared) else declared)
            else:
                self.indexed[name] = {str(slug): str(pk) for slug, _, pk in rows}
                self._choices[name] = [(slug, label) for slug, label, _ in rows]
        return self._choices[name]

    def indexed_values(self, name):
        """{choice value: the value the search index holds} of a related records' facet."""
        self.choices(name)
        return self.indexed.get(name, {})

    def is_multiple(self, name):
        return getattr(self.filters[name], "multiple", False)

    def usable(self, data):
        """The part of ``data`` the filters can use, as a new QueryDict; notices for the rest."""
        usable = QueryDict(mutable=True)
        limit = settings.MAX_QUERY_LENGTH
        for name, filter_ in self.filters.items():
            label = filter_.label or name
            given = data.getlist(name)
            labels = {}
            if given and name in self.facets:
                labels = {str(value): str(text) for value, text in self.choices(name)}
            kept = []
            for raw in given:
                value = raw.replace("\x00", "").strip()
                if not value or value in kept:
                    continue
                if len(value) > limit:
                    self.notices.append(
                        gettext(
                            # Translators: label: the name of a filter, such as "Kind of tool".
                            "The value given for “%(label)s” is longer than %(limit)s "
                            "characters, so that filter was ignored."
                        )
                        % {"label": label, "limit": limit}
                    )
                elif name in self.facets and value not in labels:
                    self.notices.append(
                        gettext(
                            # Translators: value: what the address gave; label: the filter's name.
                            "“%(value)s” is not a known choice for “%(label)s”, so that filter "
                            "was ignored."
                        )
                        % {"value": shorten(value), "label": label}
                    )
                else:
                    kept.append(value)
            if len(kept) > 1 and not self.is_multiple(name):
                shown = labels.get(kept[0], kept[0])
                self.notices.append(
                    # Translators: label: a filter's name; choice: the one choice kept.
                    gettext("“%(label)s” takes one choice at a time: showing “%(choice)s” only.")
                    % {"label": label, "choice": shorten(shown)}
                )
                kept = kept[:1]
            elif len(kept) > MAX_FACET_VALUES:
                # Each value is one more condition (and, without words, one more subquery in
                # every facet's count); a result must have them all, so more rarely find any.
                self.notices.append(
                    ngettext(
                        "“%(label)s” takes at most %(limit)s choice at a time: showing results "
                        "with the first %(limit)s only.",
                        "“%(label)s” takes at most %(limit)s choices at a time: showing results "
                        "with the first %(limit)s only.",
                        MAX_FACET_VALUES,
                    )
                    % {"label": label, "limit": MAX_FACET_VALUES}
                )
                kept = kept[:MAX_FACET_VALUES]
            if kept:
                usable.setlist(name, kept)
        usable._mutable = False
        return usable

    # ---- Searching by words: the index answers ---------------------------------------------

    @cached_property
    def parsed(self):
        """The words filter parsed (a Query, perhaps with nothing to find)."""
        return parse(self.data.get("q", ""))

    @cached_property
    def searched(self):
        """The words filter parsed, when it has words to find (not only ``-excluded`` ones,
        which the ORM answers through ``matching``); else None."""
        return self.parsed or None

    def types(self):
        return [search_type.kind for search_type in registration_for(self._meta.model).types]

    def required(self):
        """{index key: [values]} of the chosen facets, as the search index holds them."""
        required = {}
        for name in self.facets:
            if chosen := self.data.getlist(name):
                mapping = self.indexed_values(name)
                required[self.filters[name].index_key] = [mapping.get(v, v) for v in chosen]
        return required

    def disjunctive(self):
        return [self.filters[n].index_key for n in self.facets if self.filters[n].disjunctive]

    def find(self, offset=None, limit=PER_PAGE, query=None, **options):
        """The search index's answer for these filters (``engine.find``): ``limit`` results from
        ``offset``, or with no offset, whichever answer is at hand (every one has all the
        counts). Answers for the words searched are kept; ``query`` asks for other words."""
        if query is not None:
            return engine.find(
                query, self.types(), required=self.required(), limit=limit, count_types=False
            )
        if offset is None:
            if self.answers:
                return next(iter(self.answers.values()))
            offset = 0
        key = (offset, limit, *sorted(options.items()))
        if key not in self.answers:
            self.answers[key] = engine.find(
                self.searched,
                self.types(),
                required=self.required(),
                disjunctive=self.disjunctive(),
                offset=offset,
                limit=limit,
                count_types=self.count_types,
                **options,
            )
        return self.answers[key]

    @cached_property
    def spelling(self):
        """When the words found nothing, what the index's vocabulary says of them."""
        if not self.searched or self.find().total:
            return engine.Spelling()
        return engine.spelling(self.searched)

    @cached_property
    def correction(self):
        """When the words found nothing: ``(words, query string)`` of the same search spelled
        as the index knows it, when the words are likely typos ("extradtion" → "extradition")
        and that finds something with these filters; else None."""
        corrected = self.spelling.corrected
        if corrected is None or corrected == self.searched:
            return None
        if not self.find(query=corrected, limit=0).total:
            return None
        return str(corrected), self.query_string("q", [str(corrected)])

    @property
    def alternatives(self):
        """When the words found nothing and are no likely typo: ``[(words, query string)]`` of
        searches with words of the index spelled like them, to offer as links."""
        if self.correction:
            return []
        return [(str(q), self.query_string("q", [str(q)])) for q in self.spelling.alternatives]

    def records(self, hits):
        """The records of ``hits``, in their order, read with the list's QuerySet."""
        found = self.queryset.in_bulk([hit.object_id for hit in hits])
        return [found[hit.object_id] for hit in hits if hit.object_id in found]

    # ---- The page ---------------------------------------------------------------------------

    # ---- Without words: the counts kept beside the index ------------------------------------

    @cached_property
    def counted(self):
        """Whether this list, unsearched, takes its total and its facets' counts from the index
        (search/counts.py) rather than by counting its records: when its FilterSet says that its
        records are those its model's entries stand for (``counted_in_index``), and only facets
        the index holds are in use."""
        facets = self.facet_filters()
        return self.counted_in_index and all(
            name in facets and facets[name].paths for name in self.data
        )

    def tally(self, skip=None):
        """The index's answer (total, facet counts) for these filters without words, the key
        ``skip`` left out: from the counts kept beside it when at most one value is chosen,
        else by counting the entries that have them (``engine.find``)."""
        chosen = [
            (key, value)
            for key, values in self.required().items()
            if key != skip
            for value in values
        ]
        if len(chosen) > 1:
            return self.find(0, 0)  # one statement: the total, every facet as the list counts it
        key = ("tally", *chosen)
        if key not in self.answers:
            total, found = counts.tally(self.types(), chosen[0] if chosen else None)
            by_key = {}
            for (name, value), n in found.items():
                by_key.setdefault(name, {})[value] = n
            self.answers[key] = engine.Found(total, [], by_key)
        return self.answers[key]

    @property
    def dense(self):
        """Whether the chosen values leave so many records (known from the index's counts) that
        a page is read faster in the list's order, checking each record, than by finding them
        all and sorting them (``FacetFilter.filter``). Past DENSE records, reading in order
        checks at most 20 x (all records / DENSE) of them for a page of 20."""
        return not self.searched and self.counted and self.tally().total >= DENSE

    def page(self, number, per_page=None):
        """Page ``number`` (as typed) of the results: best first when searched by words."""
        per_page = per_page or self.per_page
        if not self.searched and self.counted:
            # The records of the page from the list's QuerySet (its indexes serve the order),
            # their number from the index.
            return self.paged(Counted(self.qs, self.tally().total), number, per_page)
        if not self.searched:
            return self.paged(self.qs, number, per_page)
        offset = (page_number(number, per_page) - 1) * per_page
        results = IndexedResults(self.find, self.records, offset, per_page)
        return self.paged(results, number, per_page)

    def paged(self, sequence, number, per_page):
        """``get_page``, its notice (if the results run deeper than paging goes) with the others."""
        page = get_page(sequence, number, per_page)
        if page.notice:
            self.notices.append(page.notice)
        return page

    def page_context(self, number):
        """A list template's context for page ``number`` (as typed). The page comes first:
        searched by words, its one statement also brings every facet's counts."""
        page = self.page(number)
        return {"filterset": self, "page": page, "facets": self.facet_list()}

    def filter_matching(self, queryset, name, value):
        # The ORM path of ``q``: no words to find. Only -excluded ones find nothing (the
        # parser's notice asks for a word): answered, they would read every record but theirs,
        # uncached, for every such query string.
        if self.parsed.excluded and not self.parsed:
            return queryset.none()
        return queryset.matching(value)

    # ---- Facets -----------------------------------------------------------------------------

    def facet_counts(self, name):
        """``{choice value: number of current results}`` for the facet ``name``."""
        filter_ = self.filters[name]
        if self.searched or self.counted:
            if self.searched:
                answer = self.find()
            else:
                answer = self.tally(filter_.index_key if filter_.disjunctive else None)
            counts = answer.counts.get(filter_.index_key, {})
            choice_of = {key: value for value, key in self.indexed_values(name).items()}
            return {choice_of.get(value, value): count for value, count in counts.items()}
        return filter_.count(self.qs)

    def facet(self, name):
        """The facet ``name``: each choice with its count in the current results, and the
        query strings that toggle it. Choices with no results are left out unless chosen."""
        filter_ = self.filters[name]
        counts = self.facet_counts(name)
        chosen = self.data.getlist(name)
        options = []
        for value, label in self.choices(name):
            value = str(value)
            active = value in chosen
            if active or counts.get(value):
                query = self.toggled(name, value)
                options.append(FacetOption(value, label, counts.get(value, 0), active, query))
        if filter_.by_count:
            options.sort(key=lambda option: (-option.count, option.label.lower()))
        clear = self.without(name) if chosen else None
        everything = None
        if filter_.everything and options:
            total = sum(option.count for option in options)
            everything = FacetOption("", filter_.everything, total, not chosen, self.without(name))
        return Facet(name, filter_.label, options, clear, everything, filter_.help)

    def facet_list(self):
        return [self.facet(name) for name in self.facets]

    def toggled(self, name, value):
        """The query string with ``value`` of ``name`` switched on or off (on page 1)."""
        chosen = self.data.getlist(name)
        if value in chosen:
            chosen = [other for other in chosen if other != value]
        elif self.is_multiple(name):
            chosen = [*chosen, value]
        else:
            chosen = [value]
        return self.query_string(name, chosen)

    def without(self, name):
        """The query string without ``name`` (on page 1)."""
        return self.query_string(name, [])

    def query_string(self, name, values):
        """``?...`` for the current filters with ``name`` set to ``values`` (left out if none),
        or "" for no filter at all. A list page builds one per facet option: plain pairs and
        one ``urlencode``, no QueryDict copies."""
        pairs, seen = [], False
        for key, current in self.data.lists():
            if key == name:
                current, seen = values, True
            pairs += [(key, value) for value in current]
        if not seen:
            pairs += [(name, value) for value in values]
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def is_filtered(self):
        return bool(self.data)

    @property
    def chosen(self):
        """{facet: [the choices made]}, for the page's words (e.g. its empty-state advice)."""
        return {name: self.data.getlist(name) for name in self.facets if name in self.data}
