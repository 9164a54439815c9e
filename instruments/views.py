from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from editorial.conditional import conditional_page
from editorial.records import can_preview
from instruments import exports, panels
from instruments.feeds import InstrumentFeed
from instruments.filters import InstrumentFilterSet
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization
from search.exports import export


@require_safe
@conditional_page
def instrument_list(request):
    filterset = InstrumentFilterSet(request.GET, queryset=Instrument.objects.for_list())
    context = filterset.page_context(request.GET.get("page"))
    return render(request, "instruments/instrument_list.html", context)


@require_safe
@conditional_page
def instrument_export(request, fmt):
    """The instruments list as CSV or JSON, with the list's filters (search/exports.py)."""
    filterset = InstrumentFilterSet(request.GET, queryset=exports.queryset())
    list_path = reverse("instruments:instrument_list")
    return export(request, filterset, exports.COLUMNS, "instruments", fmt, list_path)


instrument_feed = require_safe(conditional_page(InstrumentFeed()))


@require_safe
@conditional_page(daily=True)  # "Cite this" gives the date of access
def instrument_detail(request, slug):
    instruments = Instrument.objects.for_detail()
    if not can_preview(request.user, Instrument):  # Editors preview drafts; the public: 404.
        instruments = instruments.published()
    instrument = get_object_or_404(instruments, slug=slug)
    context = {
        "instrument": instrument,
        "panels": panels.render_panels("instrument", request, instrument),
    }
    response = render(request, "instruments/instrument_detail.html", context)
    if not instrument.is_published:
        add_never_cache_headers(response)
    return response


@require_safe
@conditional_page
def mechanism_list(request):
    categories = MechanismCategory.objects.with_mechanisms()
    return render(request, "instruments/mechanism_list.html", {"categories": categories})


@require_safe
@conditional_page(daily=True)
def mechanism_detail(request, slug):
    mechanism = get_object_or_404(Mechanism.objects.for_detail(), slug=slug)
    context = {
        "mechanism": mechanism,
        "panels": panels.render_panels("mechanism", request, mechanism),
    }
    return render(request, "instruments/mechanism_detail.html", context)


@require_safe
@conditional_page(daily=True)
def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.for_detail(), slug=slug)
    return render(request, "instruments/organization_detail.html", {"organization": organization})
