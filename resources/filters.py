from collections import Counter

import django_filters

from instruments.filters import FacetFilterSet, having_all
from instruments.models import Instrument, Mechanism, Organization
from resources.models import Audience, Tool

# A tool helps with a mechanism if it, or one of its parts, is linked to it.
MECHANISM_LOOKUPS = ("mechanisms__slug", "parts__mechanisms__slug")


class ToolFilterSet(FacetFilterSet):
    kind = django_filters.ChoiceFilter(label="Kind of tool", choices=Tool.Kind.choices)
    publisher = django_filters.ChoiceFilter(label="Publisher", field_name="publisher__slug")
    mechanism = django_filters.MultipleChoiceFilter(
        label="Cooperation type", method="filter_mechanisms"
    )
    instrument = django_filters.ChoiceFilter(
        label="Instrument", field_name="instruments__slug", distinct=True
    )
    audience = django_filters.ChoiceFilter(
        label="Written for", field_name="audiences__slug", distinct=True
    )

    facets = ("kind", "publisher", "mechanism", "instrument", "audience")

    class Meta:
        model = Tool
        fields = []

    def database_choices(self):
        return {
            "publisher": Organization.objects.values_list("slug", "name", "pk"),
            "mechanism": Mechanism.objects.values_list("slug", "name", "pk"),
            # Drafts are not choices: their slugs are "unknown", so they never show or count.
            "instrument": Instrument.objects.published().values_list("slug", "short_title", "pk"),
            "audience": Audience.objects.values_list("slug", "name", "pk"),
        }

    def filter_mechanisms(self, queryset, name, values):
        return having_all(queryset, values, *MECHANISM_LOOKUPS)

    def facet_counts(self, name):
        if name != "mechanism" or self.searched:
            return super().facet_counts(name)
        # (tool, mechanism) pairs through the tool or its parts; UNION drops the repeats.
        tools = Tool.objects.filter(pk__in=self.qs.values("pk")).order_by()
        pairs = tools.values_list("pk", MECHANISM_LOOKUPS[0]).union(
            tools.values_list("pk", MECHANISM_LOOKUPS[1])
        )
        return Counter(slug for _, slug in pairs if slug)
