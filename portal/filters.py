"""The search page's filters: the words, then the type of record, the form of cooperation and the
publisher or adopting body, read and counted as every list's facets are (search/facets.py)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from instruments.models import Mechanism, Organization
from search import engine
from search.facets import FacetFilter, FacetFilterSet, IndexedResults, page_number
from search.models import SearchEntry
from search.registry import ordered_types, search_types
from search.text import clean

PER_TYPE = 5  # hits of each type shown when no type is chosen


def type_choices():
    return [(search_type.kind, search_type.label) for search_type in ordered_types()]


@dataclass
class Group:
    type: object  # SearchType
    count: int
    hits: list = field(default_factory=list)


class SearchFilterSet(FacetFilterSet):
    """Every type of record at once. Each facet is counted as if its own choice were not made,
    so the other types, forms of cooperation and publishers stay in view with their counts."""

    type = FacetFilter(
        label=_("Type"),
        key=engine.TYPE,
        choices=type_choices,
        disjunctive=True,
        everything=_("All types"),
    )
    mechanism = FacetFilter(
        label=_("Cooperation type"),
        queryset=Mechanism.objects.all(),
        disjunctive=True,
        by_count=True,
    )
    publisher = FacetFilter(
        label=_("Publisher or adopting body"),
        queryset=Organization.objects.all(),
        label_field=Coalesce(NullIf("short_name", Value("")), "name"),
        disjunctive=True,
        by_count=True,
    )

    count_types = True
    # Set by page_context: the search page tries the likely correction itself, in place.
    alternatives = ()

    class Meta:
        model = SearchEntry
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # An over-long search is refused with a message (the view answers 400): cut short, it
        # would silently search for something else.
        text = clean((data or {}).get("q", ""))
        self.too_long = len(text) > settings.MAX_QUERY_LENGTH
        super().__init__(data, *args, queryset=SearchEntry.objects.none(), **kwargs)
        if self.too_long:
            self.notices = [
                gettext(
                    "That search is %(length)s characters long; searches can be at most "
                    "%(limit)s. Please shorten it."
                )
                % {"length": f"{len(text):,}", "limit": f"{settings.MAX_QUERY_LENGTH:,}"}
            ]
        self.typed = text if not self.too_long else ""  # for the search box
        self.corrected_from = None
        self.alternatives = []  # [(words, query string)] spelled like words the index lacks

    @property
    def text(self):
        """The query searched for, in the search syntax (for links and headings)."""
        return str(self.searched) if self.searched else ""

    def types(self):
        return [kind for kind, _ in self.choices("type")]

    def chosen_type(self):
        return search_types.get(self.data.get("type", ""))

    def page_context(self, number):
        """The best hits of each type or, with a type chosen, page ``number`` of it; when the
        words find nothing, the same search spelled as the index knows it, if that finds
        something. The hits come first: their statement brings every count."""
        page, groups = None, []
        if self.searched:
            page, groups = self.results(number)
            if not groups:
                spelling = engine.spelling(self.searched)
                corrected = spelling.corrected
                if corrected is not None and corrected != self.searched:
                    typed, self.searched, self.answers = self.searched, corrected, {}
                    page, groups = self.results(number)
                    if groups:
                        self.corrected_from = typed
                    else:
                        self.searched, self.answers = typed, {}
                        page, groups = self.results(number)
                if not groups:
                    self.alternatives = [
                        (str(q), self.query_string("q", [str(q)])) for q in spelling.alternatives
                    ]
        total = self.find().total if self.searched else 0
        return {
            "filterset": self,
            "groups": groups,
            "total": total,
            "page": page,
            "facets": self.facet_list() if total else [],
        }

    def results(self, number):
        """(page or None, [Group]) for these filters."""
        chosen = self.chosen_type()
        if chosen is not None:
            offset = (page_number(number, self.per_page) - 1) * self.per_page
            convert = lambda hits: engine.snippets(self.searched, hits)  # noqa: E731
            results = IndexedResults(self.find, convert, offset, self.per_page)
            page = self.paged(results, number, self.per_page)
            total = self.find(offset, self.per_page).total
            return page, [Group(chosen, total, page.object_list)] if total else []
        found = self.find(per_type=PER_TYPE)
        by_type = {}
        for hit in engine.snippets(self.searched, found.hits):
            by_type.setdefault(hit.kind, []).append(hit)
        counts = found.counts.get(engine.TYPE, {})
        groups = [
            Group(search_types[kind], counts[kind], by_type.get(kind, []))
            for kind in self.types()
            if counts.get(kind)
        ]
        return None, groups
