from django.utils.translation import gettext_lazy as _

from instruments.models import Instrument
from search.facets import FacetFilter, FacetFilterSet


def instrument_regions():
    """The regions of the published instruments, as choices."""
    regions = (
        Instrument.objects.published()
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    return [(region, region) for region in regions]


class InstrumentFilterSet(FacetFilterSet):
    mechanism = FacetFilter("provisions__mechanism", label=_("Cooperation type"), multiple=True)
    category = FacetFilter("provisions__mechanism__category", label=_("Area of cooperation"))
    scope = FacetFilter("scope", label=_("Scope"), choices=Instrument.Scope.choices)
    region = FacetFilter("region", label=_("Region"), choices=instrument_regions)
    kind = FacetFilter("kind", label=_("Kind"), choices=Instrument.Kind.choices)
    binding = FacetFilter(
        "legally_binding",
        label=_("Legal force"),
        choices=[("yes", _("Legally binding")), ("no", _("Not legally binding"))],
        values={True: "yes", False: "no"},
    )
    # Stored as "publisher", as the tools' publisher: the search page counts them together.
    organization = FacetFilter("adopted_by", label=_("Adopted by"), key="publisher")

    # Its list is the published records, which are what the index holds: unsearched, the
    # index's counts are its own (search/facets.py).
    counted_in_index = True

    class Meta:
        model = Instrument
        fields = []
