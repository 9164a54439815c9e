"""The participants list's filters: words, region and group, counted as every list's facets
are (search/facets.py), and stored in the search index by the same declarations
(countries/search.py)."""

import search
from countries.models import Group, Participant, Region
from search.facets import FacetFilter, FacetFilterSet


class ParticipantFilterSet(FacetFilterSet):
    # Keys of their own in the index: the instruments' "region" holds other values ("South
    # Asia"), and one key means one kind of value on every model.
    region = FacetFilter("region", label="Region", key="country_region", choices=Region.choices)
    group = FacetFilter(
        "memberships__group",
        label="Group",
        key="country_group",
        queryset=Group.objects.all(),
        label_field="short_name",
        help="Members as the sources recorded here list them. Belonging to a group binds a "
        "State to nothing by itself: see each country's instruments.",
    )

    per_page = 50

    class Meta:
        model = Participant
        fields = []

    def filter_matching(self, queryset, name, value):
        # As the base class, through search.matching: participants have no QuerySet.matching.
        if self.parsed.excluded and not self.parsed:
            return queryset.none()
        return search.matching(queryset, value)
