from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from instruments.filters import get_page
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization
from instruments.search import read_params, search_or_correct
from instruments.sourcing import PublicationStatus
from portal.client import client_address
from portal.forms import ReportProblemForm
from portal.markdown import render_markdown
from portal.models import CitedDocument, Feedback, Guidance, Passage, SourceDocument
from resources.models import Tool


@require_GET
def home(request):
    categories = MechanismCategory.objects.with_mechanisms()
    featured_tools = Tool.objects.featured()
    return render(
        request,
        "portal/home.html",
        {"categories": categories, "featured_tools": featured_tools},
    )


def outline(sections, passages):
    """The paper in reading order: each section (with its depth) and the passages under it."""
    by_section = {}
    for passage in passages:
        by_section.setdefault(passage.section_id, []).append(passage)
    depth = {}
    entries = []
    for section in sections:
        depth[section.pk] = depth.get(section.parent_id, -1) + 1
        entries.append(
            {
                "section": section,
                "depth": depth[section.pk],
                "passages": by_section.get(section.pk, []),
            }
        )
    return by_section.get(None, []), entries


@require_GET
def source(request):
    document = SourceDocument.objects.first()
    if document is None:
        raise Http404("The source paper has not been loaded.")
    passages = list(document.passages.for_source_page())
    footnotes = [passage for passage in passages if passage.kind == Passage.Kind.FOOTNOTE]
    in_text = [passage for passage in passages if passage.kind != Passage.Kind.FOOTNOTE]
    unsectioned, sections = outline(document.sections.order_by("position"), in_text)
    context = {
        "document": document,
        "unsectioned": unsectioned,
        "sections": sections,
        "footnotes": footnotes,
    }
    return render(request, "portal/source.html", context)


@require_GET
def document_detail(request, slug):
    documents = CitedDocument.objects.select_related("instrument").prefetch_related("sources")
    document = get_object_or_404(documents, slug=slug)
    instrument = document.instrument
    if instrument is not None and instrument.status != PublicationStatus.PUBLISHED:
        instrument = None
    return render(
        request, "portal/document_detail.html", {"document": document, "instrument": instrument}
    )


@require_GET
def guidance_detail(request, slug):
    guidance = get_object_or_404(Guidance.objects.for_list(), slug=slug)
    return render(request, "portal/guidance_detail.html", {"guidance": guidance})


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("portal:sitemap"))
    return render(
        request, "portal/robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain"
    )


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database answers; 503 otherwise. HEAD works too, for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


MAX_PREVIEW_LENGTH = 100_000


@never_cache
@require_POST
def markdown_preview(request):
    """The HTML a Markdown field will show on the site, for the admin's live preview.

    Staff only, CSRF-protected (a POST), rendered by the site's own sanitising pipeline, but not
    through its cache: every keystroke's text would fill it.
    """
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": "Only signed-in editors can preview."}, status=403)
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_LENGTH:
        error = f"Too long to preview (over {MAX_PREVIEW_LENGTH:,} characters)."
        return JsonResponse({"error": error}, status=400)
    return JsonResponse({"html": render_markdown.__wrapped__(text)})


# The public records a visitor can report a problem with, by the name in the report's address.
REPORTABLE = {
    "instrument": lambda: Instrument.objects.published(),
    "mechanism": lambda: Mechanism.objects.all(),
    "organization": lambda: Organization.objects.all(),
    "tool": lambda: Tool.objects.published(),
    "guidance": lambda: Guidance.objects.all(),
    "document": lambda: CitedDocument.objects.all(),
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_problem(request, kind, slug):
    """'Report a problem with this entry': a short form, stored for the editors, rate limited
    per client address; then back to the record with a thank-you message."""
    if kind not in REPORTABLE:
        raise Http404("No such kind of record.")
    record = get_object_or_404(REPORTABLE[kind](), slug=slug)
    form = ReportProblemForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "record": record, "kind": kind}
    if request.method != "POST":
        return render(request, "portal/report_problem.html", context)
    address = client_address(request)
    window = settings.FEEDBACK_RATE_WINDOW
    if Feedback.objects.recent_from(address, window).count() >= settings.FEEDBACK_RATE_LIMIT:
        response = render(
            request, "portal/report_problem.html", context | {"limited": True}, status=429
        )
        response["Retry-After"] = str(window)
        return response
    if not form.is_valid():
        return render(request, "portal/report_problem.html", context, status=400)
    form.save_for(record, address)
    messages.success(request, "Thank you: your report has been sent to the editors.")
    return redirect(record)


@require_safe
def search(request):
    """One search over tools, instruments, cooperation types, guidance and the source paper:
    grouped by type, ranked, highlighted, with type, mechanism and publisher facets; a type
    chosen is paged. An over-long query is refused (400) with a message. See docs/search.md."""
    params = read_params(request.GET)
    results = search_or_correct(params.query, params.filters, page=params.page)
    page = None
    if results.type_page is not None:
        page = get_page(results.type_page, params.page)
        results.groups[0].hits = page.object_list
    context = {"params": params, "results": results, "page": page}
    return render(request, "portal/search.html", context, status=400 if params.too_long else 200)


@require_safe
def favicon(request):
    """Browsers, and the admin's pages (which name no icon), ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
