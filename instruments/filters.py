"""Filters for the instrument list, and the faceting and paging every list page shares.

A ``FacetFilterSet`` reads the query string forgivingly: it drops what it cannot use (an unknown
slug, an over-long value, a second value for a single-choice filter) and keeps a plain-language
notice for each, so bad input shows a message and the results without that filter, never an
error. Its choice filters double as facets, counted on the current results.

Searched by words (``q``), a list is answered by the search index: the records found, ranked,
and every facet's counts come from one statement over one match (``search.listing``), since
counting with the ORM would run the match again for each facet. Without words, the ORM answers.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import QueryDict

from instruments import search
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization
from instruments.search.engine import page_number

SHOWN_CHARS = 60  # how much of an ignored value a notice repeats


def get_page(queryset, number, per_page=20):
    """Page ``number`` of ``queryset`` (or of any sequence), for a ``?page=`` value as typed.

    Anything that is not a positive whole number gives page 1; a number past the end gives the
    last page. ``page.links`` lists the page numbers to link to.
    """
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(page_number(number))
    # For includes/pagination.html: "1 2 3 … 9" rather than every page.
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


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


def having_all(queryset, values, *lookups):
    """Records of ``queryset`` that have every one of ``values``, each through any of
    ``lookups`` (e.g. a tool's own mechanisms or its parts' mechanisms).

    One ``pk__in`` subquery per value: no joins pile up in the outer query, no duplicates.
    """
    manager = queryset.model._default_manager
    for value in values:
        either = Q()
        for lookup in lookups:
            either |= Q(**{lookup: value})
        queryset = queryset.filter(pk__in=manager.filter(either).values("pk"))
    return queryset


class SearchedRecords:
    """A list's records found by words, as a sequence a Paginator can page: its length is the
    number found; a slice is those records, best first. The page asked for (``number``) is
    answered with the facet counts; another (past the end, say) is one more statement."""

    def __init__(self, filterset, number, per_page):
        self.filterset, self.per_page = filterset, per_page
        self.offset = (number - 1) * per_page

    def __len__(self):
        return self.filterset.listing(self.offset, self.per_page).total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("SearchedRecords only slices")
        start = index.start or 0
        stop = len(self) if index.stop is None else index.stop
        if start == self.offset and stop - start <= self.per_page:
            ids = self.filterset.listing(self.offset, self.per_page).ids[: stop - start]
        else:
            ids = self.filterset.listing(start, stop - start).ids
        records = self.filterset.queryset.in_bulk(ids)
        return [records[pk] for pk in ids if pk in records]


def shorten(value):
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    query: str  # the query string ("?..." or "") that toggles this option


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list
    clear: str | None  # the query string without this facet, if it is in use

    @property
    def in_use(self):
        return self.clear is not None


class FacetFilterSet(django_filters.FilterSet):
    """Base for the list pages' FilterSets.

    Subclasses declare ``ChoiceFilter``/``MultipleChoiceFilter`` facets (listed in ``facets``),
    give choices that come from the database in ``database_choices()``, and may map counted
    values to choice values in ``facet_values`` (e.g. ``{True: "yes"}``). Every list has the
    words filter ``q``; its model's search ``Document`` gives the same facets, by the same names.
    """

    q = django_filters.CharFilter(label="Words", method="filter_matching")

    facets = ()
    facet_values = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # {facet: {choice value: the value the search index holds for it}}, for choices given
        # as (value, label, indexed value): a slug in the address, a primary key in the index.
        self.indexed = {}
        for name, choices in self.database_choices().items():
            choices = list(choices)
            if choices and len(choices[0]) == 3:
                self.indexed[name] = {str(value): str(key) for value, _, key in choices}
                choices = [(value, label) for value, label, _ in choices]
            self.filters[name].extra["choices"] = choices
        self.notices = []
        self.data = self.usable(self.data)
        self.listings = {}  # (offset, limit) -> search.listing's answer

    def database_choices(self):
        """{facet: [(value, label)] or [(value, label, indexed value)]} read from the database."""
        return {}

    def choices(self, name):
        return self.filters[name].extra.get("choices", ())

    def is_multiple(self, name):
        return isinstance(self.filters[name], django_filters.MultipleChoiceFilter)

    def usable(self, data):
        """The part of ``data`` the filters can use, as a new QueryDict; notices for the rest."""
        usable = QueryDict(mutable=True)
        limit = settings.MAX_QUERY_LENGTH
        for name, filter_ in self.filters.items():
            label = filter_.label or name
            labels = {str(value): str(text) for value, text in self.choices(name)}
            kept = []
            for raw in data.getlist(name):
                value = raw.replace("\x00", "").strip()
                if not value or value in kept:
                    continue
                if len(value) > limit:
                    self.notices.append(
                        f"The value given for “{label}” is longer than {limit} characters, "
                        "so that filter was ignored."
                    )
                elif labels and value not in labels:
                    self.notices.append(
                        f"“{shorten(value)}” is not a known choice for “{label}”, "
                        "so that filter was ignored."
                    )
                else:
                    kept.append(value)
            if len(kept) > 1 and not self.is_multiple(name):
                shown = labels.get(kept[0], kept[0])
                self.notices.append(
                    f"“{label}” takes one choice at a time: showing “{shorten(shown)}” only."
                )
                kept = kept[:1]
            if kept:
                usable.setlist(name, kept)
        usable._mutable = False
        return usable

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
                options.append(
                    FacetOption(
                        value, label, counts.get(value, 0), active, self.toggled(name, value)
                    )
                )
        clear = self.without(name) if chosen else None
        return Facet(name, filter_.label, options, clear)

    def facet_counts(self, name):
        """``{choice value: number of current results}`` for the facet ``name``."""
        if self.searched:
            choice_of = {key: value for value, key in self.indexed.get(name, {}).items()}
            counts = self.listing().counts.get(name, {})
            return {choice_of.get(value, value): count for value, count in counts.items()}
        mapping = self.facet_values.get(name, {})
        counts = count_by(self.qs, self.filters[name].field_name)
        return {str(mapping.get(value, value)): count for value, count in counts.items()}

    @cached_property
    def searched(self):
        """The words filter parsed, when it has words to find (not only ``-excluded`` ones,
        which the ORM answers through ``matching``); else None."""
        query = search.parse(self.data.get("q", ""))
        return query or None

    @cached_property
    def correction(self):
        """When the words found nothing: ``(words, query string)`` of the same search spelled
        as the index knows it ("extradtion" → "extradition"), if that finds something with
        these filters; else None."""
        if not self.searched or self.listing().total:
            return None
        corrected = search.suggest(self.searched)
        if corrected is None or corrected == self.searched:
            return None
        if not search.listing(self._meta.model, corrected, self.required(), limit=0).total:
            return None
        return str(corrected), self.query_string("q", [str(corrected)])

    def required(self):
        """The chosen facet values, as the search index holds them."""
        return [
            (name, self.indexed.get(name, {}).get(value, value))
            for name in self.facets
            for value in self.data.getlist(name)
        ]

    def listing(self, offset=None, limit=20):
        """The search index's answer for these filters: ``limit`` records from ``offset``, or
        with no offset, whichever answer is at hand (every one has all the counts)."""
        if offset is None:
            if self.listings:
                return next(iter(self.listings.values()))
            offset = 0
        if (offset, limit) not in self.listings:
            self.listings[offset, limit] = search.listing(
                self._meta.model, self.searched, self.required(), offset=offset, limit=limit
            )
        return self.listings[offset, limit]

    def page(self, number, per_page=20):
        """Page ``number`` (as typed) of the results: best first when searched by words."""
        if not self.searched:
            return get_page(self.qs, number, per_page)
        return get_page(SearchedRecords(self, page_number(number), per_page), number, per_page)

    def page_context(self, number):
        """A list template's context for page ``number`` (as typed). The page comes first:
        searched by words, its one statement also brings every facet's counts."""
        page = self.page(number)
        return {"filterset": self, "page": page, "facets": self.facet_list()}

    def filter_matching(self, queryset, name, value):
        # The ORM path of ``q`` (no words to find, only -excluded ones), and ``self.qs``.
        return queryset.matching(value)

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


class InstrumentFilterSet(FacetFilterSet):
    mechanism = django_filters.MultipleChoiceFilter(
        label="Cooperation type", field_name="provisions__mechanism__slug", method="filter_all"
    )
    category = django_filters.ChoiceFilter(
        label="Area of cooperation",
        field_name="provisions__mechanism__category__slug",
        distinct=True,
    )
    scope = django_filters.ChoiceFilter(label="Scope", choices=Instrument.Scope.choices)
    region = django_filters.ChoiceFilter(label="Region")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Instrument.Kind.choices)
    binding = django_filters.ChoiceFilter(
        label="Legal force",
        field_name="legally_binding",
        choices=[("yes", "Legally binding"), ("no", "Not legally binding")],
        method="filter_binding",
    )
    organization = django_filters.ChoiceFilter(label="Adopted by", field_name="adopted_by__slug")

    facets = ("mechanism", "category", "scope", "region", "kind", "binding", "organization")
    facet_values = {"binding": {True: "yes", False: "no"}}

    class Meta:
        model = Instrument
        fields = []

    def database_choices(self):
        regions = (
            Instrument.objects.published()
            .exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        )
        return {
            "mechanism": Mechanism.objects.values_list("slug", "name", "pk"),
            "category": MechanismCategory.objects.values_list("slug", "name", "pk"),
            "region": [(region, region) for region in regions],
            "organization": Organization.objects.values_list("slug", "name", "pk"),
        }

    def filter_all(self, queryset, name, values):
        return having_all(queryset, values, name)

    def filter_binding(self, queryset, name, value):
        return queryset.filter(legally_binding=value == "yes")
