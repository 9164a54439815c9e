from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from instruments.admin import SourcedAdmin
from instruments.admin_links import LinkStatusAdminMixin, LinkStatusFilter
from instruments.editorial import EditorialAdmin
from portal.models import CitedDocument, Feedback, Guidance, Passage, Section, SourceDocument

admin.site.site_header = "TIP Cooperation Portal administration"
admin.site.site_title = "TIP Cooperation Portal administration"
admin.site.index_title = "Records of the portal"


@admin.register(SourceDocument)
class SourceDocumentAdmin(EditorialAdmin):
    ordering = SourceDocument._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["title", "agenda_symbol", "issuing_body", "distributed_on", "passage_count"]
    search_fields = ["title", "agenda_symbol", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(passage_count=Count("passages"))

    @admin.display(description="passages", ordering="passage_count")
    def passage_count(self, obj):
        return obj.passage_count


@admin.register(Section)
class SectionAdmin(EditorialAdmin):
    list_display = ["__str__", "slug", "parent", "position", "document"]
    list_filter = ["document"]
    list_select_related = ["document", "parent"]
    search_fields = ["number", "title", "slug"]
    autocomplete_fields = ["document", "parent"]
    prepopulated_fields = {"slug": ["number", "title"]}


@admin.register(Passage)
class PassageAdmin(EditorialAdmin):
    markdown_fields = ()  # The paper's own text, kept as it is.
    list_display = ["slug", "kind", "number", "section", "excerpt"]
    list_filter = ["kind", "section"]
    list_select_related = ["section"]
    search_fields = ["slug", "heading", "text"]
    autocomplete_fields = ["document", "section", "cited_in"]

    @admin.display(description="text")
    def excerpt(self, obj):
        return Truncator(obj.heading or obj.text).chars(90)


@admin.register(CitedDocument)
class CitedDocumentAdmin(LinkStatusAdminMixin, SourcedAdmin):
    list_display = ["__str__", "kind", "issuer", "year", "instrument", "cited", "link_status"]
    list_filter = ["kind", LinkStatusFilter]
    list_select_related = ["instrument"]
    search_fields = ["title", "symbol", "slug", "issuer"]
    autocomplete_fields = ["instrument", "sources"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Guidance)
class GuidanceAdmin(SourcedAdmin):
    list_display = ["title", "kind", "position", "cited"]
    list_filter = ["kind", "mechanisms"]
    search_fields = ["title", "slug", "text"]
    autocomplete_fields = ["mechanisms", "sources"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Visitors' problem reports: read, follow the links to the entry, fix it, mark resolved."""

    list_display = ["created_at", "entry", "page", "excerpt", "contact", "resolved"]
    list_filter = ["resolved", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["message", "contact", "record_label", "client_address"]
    fields = ["entry", "page", "message", "contact", "client_address", "created_at", "resolved"]
    readonly_fields = ["entry", "page", "message", "contact", "client_address", "created_at"]
    actions = ["mark_resolved", "mark_unresolved"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin()

    def has_add_permission(self, request):
        return False  # Reports come from visitors only.

    @admin.display(description="entry", ordering="record_label")
    def entry(self, obj):
        """The record's label, linked to its change page while it exists."""
        if obj.content_type is None or obj.record is None:
            return obj.record_label
        app_label, model = obj.content_type.app_label, obj.content_type.model
        url = reverse(f"admin:{app_label}_{model}_change", args=[obj.object_id])
        return format_html('<a href="{}">{}</a>', url, obj.record_label)

    @admin.display(description="page")
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.display(description="what is wrong")
    def excerpt(self, obj):
        return Truncator(obj.message).chars(90)

    @admin.action(description="Mark the selected reports resolved")
    def mark_resolved(self, request, queryset):
        self.message_user(request, f"{queryset.update(resolved=True)} marked resolved.")

    @admin.action(description="Mark the selected reports not resolved")
    def mark_unresolved(self, request, queryset):
        self.message_user(request, f"{queryset.update(resolved=False)} marked not resolved.")
