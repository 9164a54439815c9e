from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from resources.models import Tool


@require_GET
def tool_list(request):
    return render(request, "resources/tool_list.html", {"tools": Tool.objects.for_list()})


@require_GET
def tool_detail(request, slug):
    tool = get_object_or_404(Tool.objects.published().for_detail(), slug=slug)
    return render(request, "resources/tool_detail.html", {"tool": tool})
