from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial.admin import EditorialAdmin, EditorialInlineMixin, PublishableAdmin
from editorial.admin_links import LinkStatusAdminMixin, LinkStatusFilter
from editorial.records import PublicationStatus
from editorial.translations import TranslationsAdminMixin
from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from paper.admin import SourcedAdmin


@admin.register(Organization)
class OrganizationAdmin(SourcedAdmin):
    ordering = Organization._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["name", "short_name", "kind", "instrument_count", "tool_count", "cited"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                instrument_count=Count("instruments", distinct=True),
                tool_count=Count("tools", distinct=True),
            )
        )

    @admin.display(description=_("instruments adopted"), ordering="instrument_count")
    def instrument_count(self, obj):
        return obj.instrument_count

    @admin.display(description=_("tools published"), ordering="tool_count")
    def tool_count(self, obj):
        return obj.tool_count


@admin.register(MechanismCategory)
class MechanismCategoryAdmin(TranslationsAdminMixin, EditorialAdmin):
    ordering = MechanismCategory._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["name", "position", "mechanism_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mechanism_count=Count("mechanisms"))

    @admin.display(description=_("forms of cooperation"), ordering="mechanism_count")
    def mechanism_count(self, obj):
        return obj.mechanism_count


@admin.register(Mechanism)
class MechanismAdmin(TranslationsAdminMixin, SourcedAdmin):
    ordering = Mechanism._meta.ordering  # an annotated count drops Meta.ordering
    list_display = [
        "name", "category", "formality", "position", "provision_count", "tool_count", "cited",
    ]  # fmt: skip
    list_filter = ["category", "formality"]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "summary"]
    autocomplete_fields = ["category", "sources"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                provision_count=Count("provisions", distinct=True),
                tool_count=Count("tools", distinct=True),
            )
        )

    @admin.display(description=_("provisions"), ordering="provision_count")
    def provision_count(self, obj):
        return obj.provision_count

    @admin.display(description=_("tools"), ordering="tool_count")
    def tool_count(self, obj):
        return obj.tool_count


class ProvisionInline(EditorialInlineMixin, admin.TabularInline):
    model = Provision
    fields = ["mechanism", "article", "sources", "note", "external_source"]
    autocomplete_fields = ["mechanism", "sources"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("instrument", "mechanism")


@admin.register(Instrument)
class InstrumentAdmin(TranslationsAdminMixin, LinkStatusAdminMixin, PublishableAdmin, SourcedAdmin):
    ordering = Instrument._meta.ordering  # an annotated count drops Meta.ordering
    list_display = [
        "short_title", "kind", "scope", "region", "legally_binding", "adopted_by", "status",
        "provision_count", "cited", "link_status",
    ]  # fmt: skip
    list_filter = ["status", "kind", "scope", "legally_binding", "adopted_by", LinkStatusFilter]
    list_select_related = ["adopted_by"]
    search_fields = ["short_title", "title", "slug", "official_reference", "region"]
    autocomplete_fields = ["adopted_by", "supplements", "replaces", "sources", "documents"]
    prepopulated_fields = {"slug": ["short_title"]}
    inlines = [ProvisionInline]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "status", "kind", "summary"]}),
        (
            _("Legal standing"),
            {
                "fields": [
                    "legally_binding",
                    "offences",
                    "offences_note",
                    "scope",
                    "region",
                    "adopted_by",
                    "adopted_on",
                    "adopted_at",
                    "entry_into_force",
                    "official_reference",
                    "parties_count",
                    "parties_as_of",
                    "supplements",
                    "replaces",
                ]  # fmt: skip
            },
        ),
        (
            _("Where it comes from"),
            {
                "fields": [
                    "sources",
                    "documents",
                    "official_text",
                    "url",
                    "current_url",
                    "external_source",
                ]  # fmt: skip
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(provision_count=Count("provisions", distinct=True))

    @admin.display(description=_("provisions"), ordering="provision_count")
    def provision_count(self, obj):
        return obj.provision_count


@admin.register(Provision)
class ProvisionAdmin(SourcedAdmin):
    list_display = ["instrument", "mechanism", "article", "cited"]
    list_filter = ["mechanism__category", "mechanism", "instrument__status"]
    list_select_related = ["instrument", "mechanism"]
    search_fields = [
        "instrument__short_title", "instrument__title", "mechanism__name", "article", "note",
    ]  # fmt: skip
    autocomplete_fields = ["instrument", "mechanism", "sources"]

    def view_on_site(self, obj):
        published = obj.instrument.status == PublicationStatus.PUBLISHED
        return obj.get_absolute_url() if published else None

    def preview_url(self, obj):
        draft = obj.instrument.status == PublicationStatus.DRAFT
        return obj.get_absolute_url() if draft else None
