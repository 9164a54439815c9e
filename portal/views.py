from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from editorial.records import PublicationStatus
from instruments.models import Instrument, MechanismCategory, Provision
from paper.models import CitedDocument, Passage, SourceDocument
from portal.filters import SearchFilterSet
from resources.models import Tool, ToolPart


@require_safe
def home(request):
    categories = MechanismCategory.objects.with_mechanisms()
    featured_tools = Tool.objects.featured()
    return render(
        request,
        "portal/home.html",
        {"categories": categories, "featured_tools": featured_tools},
    )


def source_passages(document):
    """The paper's passages with every public record derived from each, in a fixed number of
    queries whatever the number of records."""
    published = PublicationStatus.PUBLISHED
    return document.passages.select_related("cited_in").prefetch_related(
        Prefetch("footnotes", queryset=Passage.objects.order_by("position")),
        Prefetch("instrument_records", queryset=Instrument.objects.published()),
        Prefetch(
            "provision_records",
            queryset=Provision.objects.filter(instrument__status=published).select_related(
                "instrument", "mechanism"
            ),
        ),
        "mechanism_records",
        "organization_records",
        Prefetch("tool_records", queryset=Tool.objects.published()),
        Prefetch(
            "toolpart_records",
            queryset=ToolPart.objects.filter(tool__status=published).select_related("tool"),
        ),
        "guidance_records",
        "citeddocument_records",
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


@require_safe
def source(request):
    document = SourceDocument.objects.first()
    if document is None:
        raise Http404("The source paper has not been loaded.")
    passages = list(source_passages(document))
    for passage in passages:
        # Beside a paragraph, its provisions in article order (art. 8 before art. 16).
        passage.provisions = sorted(passage.provision_records.all(), key=lambda p: p.article_order)
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


@require_safe
def document_detail(request, slug):
    documents = CitedDocument.objects.prefetch_related(
        "sources", Prefetch("instruments", queryset=Instrument.objects.published())
    )
    document = get_object_or_404(documents, slug=slug)
    return render(request, "portal/document_detail.html", {"document": document})


@require_safe
def search(request):
    """One search over tools, instruments, cooperation types, guidance and the source paper:
    grouped by type, ranked, highlighted, with type, mechanism and publisher facets; a type
    chosen is paged. An over-long query is refused (400) with a message. See docs/search.md."""
    filterset = SearchFilterSet(request.GET)
    context = filterset.page_context(request.GET.get("page"))
    return render(request, "portal/search.html", context, status=400 if filterset.too_long else 200)


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


@require_safe
def favicon(request):
    """Browsers, and the admin's pages (which name no icon), ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
