from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from instruments.models import MechanismCategory
from portal.models import CitedDocument, Guidance, Passage, SourceDocument


@require_GET
def home(request):
    categories = MechanismCategory.objects.prefetch_related("mechanisms")
    return render(request, "portal/home.html", {"categories": categories})


@require_GET
def source(request):
    document = SourceDocument.objects.first()
    passages = Passage.objects.select_related("section")
    return render(request, "portal/source.html", {"document": document, "passages": passages})


@require_GET
def document_detail(request, slug):
    document = get_object_or_404(CitedDocument, slug=slug)
    return render(request, "portal/document_detail.html", {"document": document})


@require_GET
def guidance_detail(request, slug):
    guidance = get_object_or_404(Guidance, slug=slug)
    return render(request, "portal/guidance_detail.html", {"guidance": guidance})
