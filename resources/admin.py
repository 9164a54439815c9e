from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial.admin import EditorialAdmin, EditorialInlineMixin, PublishableAdmin
from editorial.admin_links import LinkStatusAdminMixin, LinkStatusFilter
from editorial.records import PublicationStatus
from paper.admin import SourcedAdmin
from resources.models import Audience, Tool, ToolPart


@admin.register(Audience)
class AudienceAdmin(EditorialAdmin):
    ordering = Audience._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["name", "position", "tool_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["narrower"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tool_count=Count("tools"))

    @admin.display(description=_("tools"), ordering="tool_count")
    def tool_count(self, obj):
        return obj.tool_count


class ToolPartInline(EditorialInlineMixin, admin.StackedInline):
    model = ToolPart
    fields = [
        ("kind", "label", "slug", "position"), "title", "description", "url", "mechanisms",
        "sources",
    ]  # fmt: skip
    autocomplete_fields = ["mechanisms", "sources"]
    prepopulated_fields = {"slug": ["label"]}
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tool")


@admin.register(Tool)
class ToolAdmin(LinkStatusAdminMixin, PublishableAdmin, SourcedAdmin):
    ordering = Tool._meta.ordering  # an annotated count drops Meta.ordering
    list_display = [
        "__str__", "kind", "publisher", "year", "status", "featured", "part_count", "cited",
        "link_status",
    ]  # fmt: skip
    list_filter = [
        "status", "kind", "featured", "publisher", "audiences", "mechanisms", LinkStatusFilter,
    ]  # fmt: skip
    list_select_related = ["publisher"]
    search_fields = ["title", "short_title", "slug", "description"]
    autocomplete_fields = ["publisher", "audiences", "mechanisms", "instruments", "sources"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ToolPartInline]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "status", "featured", "kind"]}),
        (_("What it is"), {"fields": ["publisher", "year", "description", "url", "current_url"]}),
        (_("Who and what it helps"), {"fields": ["audiences", "mechanisms", "instruments"]}),
        (_("Where it comes from"), {"fields": ["sources", "external_source"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(part_count=Count("parts", distinct=True))

    @admin.display(description=_("parts"), ordering="part_count")
    def part_count(self, obj):
        return obj.part_count


@admin.register(ToolPart)
class ToolPartAdmin(SourcedAdmin):
    list_display = ["__str__", "kind", "title", "position", "cited"]
    list_filter = ["kind", "tool"]
    list_select_related = ["tool"]
    search_fields = ["label", "title", "slug", "tool__title", "tool__short_title"]
    autocomplete_fields = ["tool", "mechanisms", "sources"]
    prepopulated_fields = {"slug": ["label"]}

    def view_on_site(self, obj):
        published = obj.tool.status == PublicationStatus.PUBLISHED
        return obj.get_absolute_url() if published else None

    def preview_url(self, obj):
        draft = obj.tool.status == PublicationStatus.DRAFT
        return obj.get_absolute_url() if draft else None
