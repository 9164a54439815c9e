from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from editorial.conditional import conditional_page
from editorial.records import can_preview
from resources import exports
from resources.feeds import ToolFeed
from resources.filters import ToolFilterSet
from resources.models import Tool
from search.exports import export


@require_safe
@conditional_page
def tool_list(request):
    filterset = ToolFilterSet(request.GET, queryset=Tool.objects.for_list())
    context = filterset.page_context(request.GET.get("page"))
    return render(request, "resources/tool_list.html", context)


@require_safe
@conditional_page
def tool_export(request, fmt):
    """The tools list as CSV or JSON, with the list's filters (search/exports.py)."""
    filterset = ToolFilterSet(request.GET, queryset=exports.queryset())
    list_path = reverse("resources:tool_list")
    return export(request, filterset, exports.COLUMNS, "tools", fmt, list_path)


tool_feed = require_safe(conditional_page(ToolFeed()))


@require_safe
@conditional_page(daily=True)  # "Cite this" gives the date of access
def tool_detail(request, slug):
    tools = Tool.objects.for_detail()
    if not can_preview(request.user, Tool):  # Editors preview drafts; the public gets a 404.
        tools = tools.published()
    tool = get_object_or_404(tools, slug=slug)
    response = render(request, "resources/tool_detail.html", {"tool": tool})
    if not tool.is_published:
        add_never_cache_headers(response)
    return response
