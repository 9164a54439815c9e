from django.utils.translation import gettext_lazy as _

from instruments.models import TOOL_PATHS, Instrument
from resources.models import Tool
from search.facets import FacetFilter, FacetFilterSet


class ToolFilterSet(FacetFilterSet):
    kind = FacetFilter("kind", label=_("Kind of tool"), choices=Tool.Kind.choices)
    publisher = FacetFilter("publisher", label=_("Publisher"))
    # A tool helps with a form of cooperation if it, or one of its parts, is linked to it.
    mechanism = FacetFilter(*TOOL_PATHS, label=_("Cooperation type"), multiple=True)
    # Drafts are not choices: their slugs are "unknown", so they never show or count.
    instrument = FacetFilter(
        "instruments",
        label=_("Instrument"),
        queryset=Instrument.objects.published(),
        label_field="short_title",
    )
    # A tool for a broader audience (criminal justice practitioners) is for the audiences it
    # includes (prosecutors) too.
    audience = FacetFilter(
        "audiences",
        "audiences__narrower",
        label=_("Written for"),
        help=_(
            "A tool written for a broader group counts for those it includes: one for "
            "criminal justice practitioners is listed for prosecutors, judges, law enforcement "
            "officers and central authorities too."
        ),
    )

    # Its list is the published records, which are what the index holds: unsearched, the
    # index's counts are its own (search/facets.py).
    counted_in_index = True

    class Meta:
        model = Tool
        fields = []
