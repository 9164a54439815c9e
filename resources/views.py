from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from editorial.records import can_preview
from resources.filters import ToolFilterSet
from resources.models import Tool


@require_safe
def tool_list(request):
    filterset = ToolFilterSet(request.GET, queryset=Tool.objects.for_list())
    context = filterset.page_context(request.GET.get("page"))
    return render(request, "resources/tool_list.html", context)


@require_safe
def tool_detail(request, slug):
    tools = Tool.objects.for_detail()
    if not can_preview(request.user, Tool):  # Editors preview drafts; the public gets a 404.
        tools = tools.published()
    tool = get_object_or_404(tools, slug=slug)
    response = render(request, "resources/tool_detail.html", {"tool": tool})
    if not tool.is_published:
        add_never_cache_headers(response)
    return response
