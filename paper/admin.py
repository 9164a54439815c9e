"""The source paper in the admin (its own passages view-only for editors), the documents it cites,
and ``SourcedAdmin``, which every admin of a record that cites passages builds on."""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from editorial.admin import EditorialAdmin
from editorial.admin_links import LinkStatusAdminMixin, LinkStatusFilter
from paper.models import CitedDocument, Passage, Section, SourceDocument

VIEW_ONLY = ("view",)  # The paper's own text: editors read it, superusers correct it.


def citations(passages):
    """'para. 7, fn. 6, annex entry 3': how the passages a record cites are cited."""
    return ", ".join(passage.citation for passage in passages)


def sources_prefetch(lookup="sources"):
    """Prefetch of the cited passages with only what ``citations`` needs (not their text)."""
    return Prefetch(lookup, queryset=Passage.objects.only("kind", "number", "position"))


class SourcedAdmin(EditorialAdmin):
    """A record derived from the paper: pick its passages by autocomplete, list its citations."""

    autocomplete_fields = ["sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(sources_prefetch())

    @admin.display(description=_("sources"))
    def cited(self, obj):
        return citations(obj.sources.all())


@admin.register(SourceDocument)
class SourceDocumentAdmin(EditorialAdmin):
    editor_permissions = VIEW_ONLY
    ordering = SourceDocument._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["title", "agenda_symbol", "issuing_body", "distributed_on", "passage_count"]
    search_fields = ["title", "agenda_symbol", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description=_("passages"), ordering="passage_count")
    def passage_count(self, obj):
        return obj.passage_count


@admin.register(Section)
class SectionAdmin(EditorialAdmin):
    editor_permissions = VIEW_ONLY
    list_display = ["__str__", "slug", "parent", "position", "document"]
    list_filter = ["document"]
    list_select_related = ["document", "parent"]
    search_fields = ["number", "title", "slug"]
    autocomplete_fields = ["document", "parent"]
    prepopulated_fields = {"slug": ["number", "title"]}


@admin.register(Passage)
class PassageAdmin(EditorialAdmin):
    editor_permissions = VIEW_ONLY
    markdown_fields = ()  # The paper's own text, kept as it is.
    list_display = ["slug", "kind", "number", "section", "excerpt"]
    list_filter = ["kind", "section"]
    list_select_related = ["section"]
    search_fields = ["slug", "heading", "text"]
    autocomplete_fields = ["document", "section", "cited_in"]

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.heading or obj.text).chars(90)


@admin.register(CitedDocument)
class CitedDocumentAdmin(LinkStatusAdminMixin, SourcedAdmin):
    list_display = ["__str__", "kind", "issuer", "year", "cited", "link_status"]
    list_filter = ["kind", LinkStatusFilter]
    search_fields = ["title", "symbol", "slug", "issuer"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title", "slug", "symbol", "kind", "issuer", "year", "url", "current_url", "note",
        "sources",
    ]  # fmt: skip
