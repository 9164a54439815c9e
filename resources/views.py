from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from instruments.filters import get_page
from resources.filters import ToolFilterSet
from resources.models import Tool


@require_safe
def tool_list(request):
    filterset = ToolFilterSet(request.GET, queryset=Tool.objects.for_list())
    context = {
        "filterset": filterset,
        "facets": filterset.facet_list(),
        "page": get_page(filterset.qs, request.GET.get("page")),
    }
    return render(request, "resources/tool_list.html", context)


@require_safe
def tool_detail(request, slug):
    tool = get_object_or_404(Tool.objects.published().for_detail(), slug=slug)
    return render(request, "resources/tool_detail.html", {"tool": tool})
