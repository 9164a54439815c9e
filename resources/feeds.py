"""The Atom feed of the tools list: the tools the list's filters keep, the most recently
changed first (``/resources/feed/?kind=manual``)."""

from django.utils.translation import gettext_lazy as _

from editorial.feeds import ListFeed
from resources.filters import ToolFilterSet
from resources.models import Tool


class ToolFeed(ListFeed):
    filterset_class = ToolFilterSet
    name = _("Tools and resources")
    list_url_name = "resources:tool_list"
    feed_url_name = "resources:tool_feed"
    summary_field = "description"

    def queryset(self):
        return Tool.objects.published()

    def item_categories(self, tool):
        return [tool.get_kind_display()]
