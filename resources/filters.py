import django_filters

from instruments.filters import FacetFilterSet
from instruments.models import Instrument, Mechanism, Organization
from resources.models import Audience, Tool


class ToolFilterSet(FacetFilterSet):
    q = django_filters.CharFilter(label="Words", method="filter_matching")
    kind = django_filters.ChoiceFilter(label="Kind of tool", choices=Tool.Kind.choices)
    publisher = django_filters.ChoiceFilter(label="Publisher", field_name="publisher__slug")
    mechanism = django_filters.MultipleChoiceFilter(
        label="Cooperation type", field_name="mechanisms__slug", conjoined=True
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
            "publisher": list(Organization.objects.values_list("slug", "name")),
            "mechanism": list(Mechanism.objects.values_list("slug", "name")),
            # Drafts are not choices: their slugs are "unknown", so they never show or count.
            "instrument": list(Instrument.objects.published().values_list("slug", "short_title")),
            "audience": list(Audience.objects.values_list("slug", "name")),
        }

    def filter_matching(self, queryset, name, value):
        return queryset.matching(value)
