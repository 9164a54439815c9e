"""The Atom feed of the instruments list: the instruments the list's filters keep, the most
recently changed first (``/instruments/feed/?mechanism=extradition``)."""

from django.utils.translation import gettext_lazy as _

from editorial.feeds import ListFeed
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument


class InstrumentFeed(ListFeed):
    filterset_class = InstrumentFilterSet
    name = _("Instruments")
    list_url_name = "instruments:instrument_list"
    feed_url_name = "instruments:instrument_feed"
    summary_field = "summary"

    def queryset(self):
        return Instrument.objects.published()

    def item_title(self, instrument):
        return instrument.title

    def item_categories(self, instrument):
        return [instrument.get_kind_display(), str(Instrument.Force(instrument.force).label)]
