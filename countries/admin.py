from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from countries.models import (
    BindingRule,
    Declaration,
    Group,
    ImportRun,
    Membership,
    Participant,
    ParticipationEvent,
)
from editorial.admin import EditorialAdmin, EditorialInlineMixin
from instruments.admin import InstrumentAdmin
from instruments.models import Instrument

OBSERVED_FIELDS = ["source_url", "derived_from", "as_at", "as_at_precision", "note", "origin"]


class EventInline(EditorialInlineMixin, admin.TabularInline):
    """Participation events, edited with the participant or with the instrument."""

    model = ParticipationEvent
    fields = ["participant", "instrument", "kind", "date", "date_precision", *OBSERVED_FIELDS]
    autocomplete_fields = ["participant", "instrument"]
    extra = 0
    show_change_link = True
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant", "instrument")


class MembershipInline(EditorialInlineMixin, admin.TabularInline):
    model = Membership
    fields = ["group", "joined", "joined_precision", "source_url", "as_at", "note", "origin"]
    extra = 0
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "participant")


@admin.register(Participant)
class ParticipantAdmin(EditorialAdmin):
    ordering = Participant._meta.ordering  # an annotated count drops Meta.ordering
    list_display = ["name", "code", "kind", "region", "sub_region", "event_count"]
    list_filter = ["kind", "region", "memberships__group"]
    search_fields = ["name", "code", "iso3", "aliases"]
    autocomplete_fields = ["organization"]
    inlines = [EventInline, MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("participation events"), ordering="event_count")
    def event_count(self, obj):
        return obj.event_count


@admin.register(ParticipationEvent)
class ParticipationEventAdmin(EditorialAdmin):
    list_display = ["participant", "instrument", "kind", "date", "as_at", "origin"]
    list_filter = ["instrument", "kind", "origin", "participant__region"]
    list_select_related = ["participant", "instrument"]
    search_fields = ["participant__name", "participant__code", "note", "source_url"]
    autocomplete_fields = ["participant", "instrument"]
    date_hierarchy = "date"


@admin.register(Group)
class GroupAdmin(EditorialAdmin):
    list_display = ["short_name", "name", "kind", "organization", "instrument"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["organization", "instrument"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Membership)
class MembershipAdmin(EditorialAdmin):
    list_display = ["participant", "group", "joined", "as_at", "origin"]
    list_filter = ["group", "origin"]
    list_select_related = ["participant", "group"]
    search_fields = ["participant__name", "participant__code", "note"]
    autocomplete_fields = ["participant", "group"]


@admin.register(BindingRule)
class BindingRuleAdmin(EditorialAdmin):
    list_display = ["instrument", "group", "as_at"]
    autocomplete_fields = ["instrument", "group", "excluded"]


@admin.register(Declaration)
class DeclarationAdmin(EditorialAdmin):
    list_display = ["participant", "instrument", "kind", "article", "as_at"]
    list_filter = ["instrument", "kind"]
    list_select_related = ["participant", "instrument"]
    search_fields = ["participant__name", "article", "text"]
    autocomplete_fields = ["participant", "instrument"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """What each run of ``import_participation`` read, changed, skipped and found to check."""

    editor_permissions = ("view",)
    list_display = ["file", "ran_at", "rows", "created", "updated", "skipped"]
    readonly_fields = ["file", "ran_at", "rows", "created", "updated", "skipped", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InstrumentWithParticipationAdmin(InstrumentAdmin):
    """The instrument's admin, with its participation events (instruments cannot know them)."""

    inlines = [*InstrumentAdmin.inlines, EventInline]


admin.site.unregister(Instrument)
admin.site.register(Instrument, InstrumentWithParticipationAdmin)
