from functools import partial

from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from editorial import citations as citation_files
from editorial.conditional import conditional_page, rendered_while_unchanged
from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.models import (
    Instrument,
    Mechanism,
    MechanismCategory,
    Organization,
    Provision,
)
from paper.models import CitedDocument, Passage, SourceDocument
from portal import citations, pathfinder
from portal import exports as search_exports
from portal.feeds import RecentChangesFeed
from portal.filters import SearchFilterSet
from resources.models import Tool, ToolPart
from search.exports import export


@require_safe
def home(request):
    categories = MechanismCategory.objects.with_mechanisms()
    context = {
        "categories": categories,
        "featured_tools": Tool.objects.featured(),
        "pathfinder_form": pathfinder.home_form(categories),
    }
    return render(request, "portal/home.html", context)


# What the source page lists beside a passage, in this order: the kinds of record derived from
# it (as ``Passage.objects.for_reading`` names them) and their headings.
DERIVED = (
    ("instruments", _("Instruments")),
    ("provisions", _("Provisions")),
    ("mechanisms", _("Cooperation types")),
    ("tools", _("Tools")),
    ("tool_parts", _("Parts of tools")),
    ("guidance", _("Guidance")),
    ("cited_documents", _("Documents cited")),
    ("organizations", _("Organizations")),
)


def source_passages(document):
    """The paper's passages in reading order, each with its footnotes (``notes``), what the
    page calls it (``anchor_name``, ``derived_name``) and the public records derived from it
    (``derived``: for each kind that has any, its heading and the records' links as ``<dd>``
    items), in a fixed number of queries whatever the number of records. Only what a link
    shows is read (``__str__``, ``get_absolute_url``), and a record's link is made once however
    many passages it cites: the template repeats no work per passage (profiled: the page's
    time went to related managers, reversed addresses and template nodes per record)."""
    published = PublicationStatus.PUBLISHED
    passages = document.passages.for_reading(
        instruments=Instrument.objects.published().only("slug", "short_title"),
        provisions=Provision.objects.filter(instrument__status=published)
        .select_related("instrument", "mechanism")
        .only(
            "article",
            "instrument__slug",
            "instrument__short_title",
            "mechanism__slug",
            "mechanism__name",
        ),
        mechanisms=Mechanism.objects.only("slug", "name"),
        tools=Tool.objects.published().only("slug", "short_title", "title"),
        tool_parts=ToolPart.objects.filter(tool__status=published)
        .select_related("tool")
        .only("slug", "label", "tool__slug", "tool__short_title", "tool__title"),
        guidance=Guidance.objects.only("slug", "title"),
        cited_documents=CitedDocument.objects.only("slug", "symbol", "title"),
        organizations=Organization.objects.only("slug", "short_name", "name"),
    )
    headings = [(kind, str(heading)) for kind, heading in DERIVED]
    links = {}
    for passage in passages:
        # Beside a paragraph, its provisions in article order (art. 8 before art. 16).
        passage.provisions.sort(key=lambda provision: provision.article_order)
        passage.derived = []
        for kind, heading in headings:
            records = getattr(passage, kind)
            for record in records:
                if id(record) not in links:
                    url, name = record.get_absolute_url(), str(record)
                    links[id(record)] = format_html('<dd><a href="{}">{}</a></dd>', url, name)
            if records:
                # Each item was escaped by format_html.
                items = mark_safe("".join(links[id(record)] for record in records))
                passage.derived.append((heading, items))
        # What the page calls it: beside its anchor, and as the label of its derived records.
        name = {"passage": str(passage)}
        passage.anchor_name = gettext("(link to %(passage)s)") % name
        passage.derived_name = gettext("Records derived from %(passage)s") % name
    return passages


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
@conditional_page(daily=True)  # "Cite this" gives the date of access
def source(request):
    document = SourceDocument.objects.first()
    if document is None:
        raise Http404("The source paper has not been loaded.")
    text = rendered_while_unchanged(
        request, f"source-text-{document.pk}", partial(source_text, request, document)
    )
    # Rendered by source_text, where every value was escaped.
    context = {"document": document, "text": mark_safe(text)}
    return render(request, "portal/source.html", context)


def source_text(request, document):
    """The paper's text as its page shows it (contents, sections, passages, footnotes and the
    records derived from each): the costly part of the page, the same for every visitor."""
    passages = source_passages(document)
    footnotes = [passage for passage in passages if passage.kind == Passage.Kind.FOOTNOTE]
    in_text = [passage for passage in passages if passage.kind != Passage.Kind.FOOTNOTE]
    unsectioned, sections = outline(document.sections.order_by("position"), in_text)
    context = {"unsectioned": unsectioned, "sections": sections, "footnotes": footnotes}
    return render_to_string("portal/source_text.html", context, request)


@require_safe
@conditional_page(daily=True)
def document_detail(request, slug):
    documents = CitedDocument.objects.prefetch_related(
        "sources", Prefetch("instruments", queryset=Instrument.objects.published())
    )
    document = get_object_or_404(documents, slug=slug)
    return render(request, "portal/document_detail.html", {"document": document})


@require_safe
@conditional_page
def search(request):
    """One search over tools, instruments, cooperation types, guidance and the source paper:
    grouped by type, ranked, highlighted, with type, mechanism and publisher facets; a type
    chosen is paged. An over-long query is refused (400) with a message. See docs/search.md."""
    filterset = SearchFilterSet(request.GET)
    context = filterset.page_context(request.GET.get("page"))
    return render(request, "portal/search.html", context, status=400 if filterset.too_long else 200)


@require_safe
@conditional_page
def search_export(request, fmt):
    """The search page's results as CSV or JSON: every hit, in the page's order."""
    filterset = SearchFilterSet(request.GET)
    if filterset.too_long:
        return HttpResponseBadRequest(
            filterset.notices[0], content_type="text/plain; charset=utf-8"
        )
    columns, list_path = search_exports.COLUMNS, reverse("portal:search")
    results = partial(search_exports.hits, filterset)
    return export(request, filterset, columns, "search-results", fmt, list_path, results)


recent_changes = require_safe(conditional_page(RecentChangesFeed()))


@require_safe
@conditional_page(daily=True)  # a citation gives the date of access
def cite(request, kind, slug, extension, citable):
    """A record's page, or the source paper, as a BibTeX, RIS or CSL-JSON file."""
    if kind == citations.PAPER:
        record = get_object_or_404(SourceDocument, slug=slug)
    elif kind in citable:
        record = get_object_or_404(citable[kind](), slug=slug)
    else:
        raise Http404("Nothing of that kind can be cited.")
    return citation_files.download(citations.reference_for(request, kind, record), extension)


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("site:sitemap"))
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
