from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from instruments.models import Instrument, Mechanism, MechanismCategory, Organization


@require_GET
def instrument_list(request):
    instruments = Instrument.objects.for_list()
    return render(request, "instruments/instrument_list.html", {"instruments": instruments})


@require_GET
def instrument_detail(request, slug):
    instrument = get_object_or_404(Instrument.objects.published().for_detail(), slug=slug)
    return render(request, "instruments/instrument_detail.html", {"instrument": instrument})


@require_GET
def mechanism_list(request):
    categories = MechanismCategory.objects.prefetch_related("mechanisms")
    return render(request, "instruments/mechanism_list.html", {"categories": categories})


@require_GET
def mechanism_detail(request, slug):
    mechanism = get_object_or_404(Mechanism.objects.select_related("category"), slug=slug)
    provisions = mechanism.provisions.filter(instrument__status="published").select_related(
        "instrument"
    )
    return render(
        request,
        "instruments/mechanism_detail.html",
        {"mechanism": mechanism, "provisions": provisions},
    )


@require_GET
def organization_detail(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    return render(request, "instruments/organization_detail.html", {"organization": organization})
