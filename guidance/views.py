from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from editorial.conditional import conditional_page
from guidance.models import Guidance


@require_safe
@conditional_page(daily=True)
def guidance_detail(request, slug):
    guidance = get_object_or_404(Guidance.objects.for_list(), slug=slug)
    return render(request, "guidance/guidance_detail.html", {"guidance": guidance})
