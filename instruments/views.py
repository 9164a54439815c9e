from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from instruments.filters import InstrumentFilterSet, get_page
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization


@require_safe
def instrument_list(request):
    filterset = InstrumentFilterSet(request.GET, queryset=Instrument.objects.for_list())
    context = {
        "filterset": filterset,
        "facets": filterset.facet_list(),
        "page": get_page(filterset.qs, request.GET.get("page")),
    }
    return render(request, "instruments/instrument_list.html", context)


@require_safe
def instrument_detail(request, slug):
    instrument = get_object_or_404(Instrument.objects.published().for_detail(), slug=slug)
    return render(request, "instruments/instrument_detail.html", {"instrument": instrument})


@require_safe
def mechanism_list(request):
    categories = MechanismCategory.objects.with_mechanisms()
    return render(request, "instruments/mechanism_list.html", {"categories": categories})


@require_safe
def mechanism_detail(request, slug):
    mechanism = get_object_or_404(Mechanism.objects.for_detail(), slug=slug)
    return render(request, "instruments/mechanism_detail.html", {"mechanism": mechanism})


@require_safe
def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.for_detail(), slug=slug)
    return render(request, "instruments/organization_detail.html", {"organization": organization})
