"""Atom feeds of published records (Django's syndication framework): what every feed of the
portal shares, and when each record last changed, read from its history.

A list's feed (``/resources/feed/?kind=manual``) gives the records of the filtered list, the
most recently changed first; each entry's ``updated`` is its record's latest version, so a feed
reader shows a record again as soon as it changes. Knows no content app: a feed names the
Markdown field to summarise each record with.
"""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from simple_history.utils import get_history_model_for_model

from editorial.markdown import render_markdown

SITE_NAME = "TIP Cooperation Portal"
FEED_ITEMS = 50  # the entries of a feed: the most recently changed records
# A record with no version nor "last updated" date (made before histories were kept).
UNKNOWN_DATE = datetime.datetime(2011, 10, 10, tzinfo=datetime.UTC)
# What XML 1.0 cannot hold: control characters (typed into a filter, pasted into a text).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value):
    """``value`` (text, or a list of texts) without the characters XML cannot hold."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return [xml_text(item) for item in value]
    return value


class Atom(Atom1Feed):
    """Atom 1.0 whose texts are always XML: a bad character is left out, never a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **{name: xml_text(v) for name, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **{name: xml_text(v) for name, v in kwargs.items()})


def with_last_change(queryset):
    """``queryset`` with each record's latest version date as ``last_changed`` (None if it
    has no version), the most recently changed first."""
    versions = get_history_model_for_model(queryset.model).objects.filter(id=OuterRef("pk"))
    latest = versions.order_by("-history_date").values("history_date")[:1]
    return queryset.annotate(last_changed=Subquery(latest)).order_by(
        F("last_changed").desc(nulls_last=True), "pk"
    )


def name_of(record):
    """A record's full name: its title, else its name."""
    return getattr(record, "title", "") or getattr(record, "name", "") or str(record)


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


class RecordFeed(Feed):
    """An Atom feed of records annotated by ``with_last_change``; ``summary_field`` names the
    Markdown text each entry gives as its summary."""

    feed_type = Atom
    author_name = SITE_NAME
    summary_field = ""

    def item_title(self, item):
        return name_of(item)

    def item_description(self, item):
        return render_markdown(getattr(item, self.summary_field, "") or "")

    def item_updateddate(self, item):
        if getattr(item, "last_changed", None):
            return item.last_changed
        if getattr(item, "updated_on", None):
            return midnight(item.updated_on)
        return UNKNOWN_DATE


def described(filterset):
    """What a list's filters keep, in words: "Kind of tool: Manual; Words: extradition"
    (``filterset`` is a list's FacetFilterSet, search/facets.py)."""
    parts = []
    for name, values in filterset.data.lists():
        filter_ = filterset.filters[name]
        if name in filterset.facets:
            labels = {str(value): str(label) for value, label in filterset.choices(name)}
            values = [labels.get(value, value) for value in values]
        parts.append(f"{filter_.label or name}: {', '.join(values)}")
    return "; ".join(parts)


class ListFeed(RecordFeed):
    """The feed of a filtered list: the records its FacetFilterSet keeps for the query string
    (the same filters and notices as the page), the most recently changed first. Subclasses
    give ``filterset_class``, ``queryset()`` (the list's public records), ``name`` (the
    list's title), ``list_url_name`` and ``feed_url_name``."""

    filterset_class = None
    name = ""
    list_url_name = ""
    feed_url_name = ""

    def queryset(self):
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        return self.filterset_class(request.GET, queryset=self.queryset())

    def items(self, filterset):
        return with_last_change(filterset.qs)[:FEED_ITEMS]

    def title(self, filterset):
        return f"{self.name} · {SITE_NAME}"

    def subtitle(self, filterset):
        filters = described(filterset)
        if filters:
            # Translators: a feed's subtitle; %(filters)s is "Kind of tool: Manual; Words: ...".
            return gettext("Filtered by %(filters)s; the most recently changed first.") % {
                "filters": filters
            }
        # Translators: the subtitle of a list's feed without filters.
        return gettext("All of them; the most recently changed first.")

    def link(self, filterset):
        return reverse(self.list_url_name) + filterset.query_string("page", [])

    def feed_url(self, filterset):
        return reverse(self.feed_url_name) + filterset.query_string("page", [])
