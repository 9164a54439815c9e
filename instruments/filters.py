"""Filters for the instrument list, and the faceting and paging every list page shares.

A ``FacetFilterSet`` reads the query string forgivingly: it drops what it cannot use (an unknown
slug, an over-long value, a second value for a single-choice filter) and keeps a plain-language
notice for each, so bad input shows a message and the results without that filter, never an
error. Its choice filters double as facets, counted on the current results.
"""

from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import QueryDict

from instruments.models import Instrument, Mechanism, MechanismCategory, Organization

SHOWN_CHARS = 60  # how much of an ignored value a notice repeats


def get_page(queryset, number, per_page=20):
    """Page ``number`` of ``queryset``, for a ``?page=`` value as typed.

    Anything that is not a positive whole number (``abc``, ``0``, ``-3``) gives page 1; a number
    past the end gives the last page. ``page.links`` lists the page numbers to link to.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(max(number, 1))
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


def shorten(value):
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    query: QueryDict  # the query string that toggles this option


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list
    clear: QueryDict | None  # the query string without this facet, if it is in use

    @property
    def in_use(self):
        return self.clear is not None


class FacetFilterSet(django_filters.FilterSet):
    """Base for the list pages' FilterSets.

    Subclasses declare ``ChoiceFilter``/``MultipleChoiceFilter`` facets (listed in ``facets``),
    give choices that come from the database in ``database_choices()``, and may map counted
    values to choice values in ``facet_values`` (e.g. ``{True: "yes"}``).
    """

    facets = ()
    facet_values = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name, choices in self.database_choices().items():
            self.filters[name].extra["choices"] = choices
        self.notices = []
        self.data = self.usable(self.data)

    def database_choices(self):
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
        mapping = self.facet_values.get(name, {})
        counts = count_by(self.qs, self.filters[name].field_name)
        return {str(mapping.get(value, value)): count for value, count in counts.items()}

    def facet_list(self):
        return [self.facet(name) for name in self.facets]

    def toggled(self, name, value):
        """The current query with ``value`` of ``name`` switched on or off (page dropped)."""
        query = self.data.copy()
        chosen = query.getlist(name)
        if value in chosen:
            chosen.remove(value)
        elif self.is_multiple(name):
            chosen.append(value)
        else:
            chosen = [value]
        if chosen:
            query.setlist(name, chosen)
        else:
            del query[name]
        return query

    def without(self, name):
        query = self.data.copy()
        query.pop(name, None)
        return query

    @property
    def is_filtered(self):
        return bool(self.data)


class InstrumentFilterSet(FacetFilterSet):
    q = django_filters.CharFilter(label="Words", method="filter_matching")
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
            "mechanism": list(Mechanism.objects.values_list("slug", "name")),
            "category": list(MechanismCategory.objects.values_list("slug", "name")),
            "region": [(region, region) for region in regions],
            "organization": list(Organization.objects.values_list("slug", "name")),
        }

    def filter_matching(self, queryset, name, value):
        return queryset.matching(value)

    def filter_all(self, queryset, name, values):
        return having_all(queryset, values, name)

    def filter_binding(self, queryset, name, value):
        return queryset.filter(legally_binding=value == "yes")
