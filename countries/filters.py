"""The participants list's filters: words, region and group, counted as every list's facets
are (search/facets.py), and stored in the search index by the same declarations
(countries/search.py)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

import search
from countries.models import Group, Participant, Region
from search.facets import FacetFilter, FacetFilterSet
from search.text import fold


class ParticipantFilterSet(FacetFilterSet):
    # Keys of their own in the index: the instruments' "region" holds other values ("South
    # Asia"), and one key means one kind of value on every model.
    region = FacetFilter("region", label=_("Region"), key="country_region", choices=Region.choices)
    group = FacetFilter(
        "memberships__group",
        label=_("Group"),
        key="country_group",
        queryset=Group.objects.all(),
        label_field="short_name",
        help=_(
            "Members as the sources recorded here list them. Belonging to a group binds a "
            "State to nothing by itself: see each country's instruments."
        ),
    )

    per_page = 50
    counted_in_index = True  # every participant has its entry (countries/search.py)

    class Meta:
        model = Participant
        fields = []

    def page(self, number, per_page=None):
        """As every list's page, but in another language than English, unsearched, in the
        order of the names the reader sees (CLDR's, countries/names.py): fewer than 300
        records, sorted here."""
        if self.searched or translation.get_language() in (None, settings.LANGUAGE_CODE):
            return super().page(number, per_page)
        ordered = sorted(self.qs, key=lambda participant: fold(participant.local_name))
        return self.paged(ordered, number, per_page or self.per_page)

    def filter_matching(self, queryset, name, value):
        # As the base class, through search.matching: participants have no QuerySet.matching.
        if self.parsed.excluded and not self.parsed:
            return queryset.none()
        return search.matching(queryset, value)
