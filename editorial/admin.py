"""The editors' workflow in the admin, shared by every ModelAdmin of the portal.

``EditorialAdmin`` gives each record:

- a history (django-simple-history): one version per save, fields and links together, with who
  and when; a page comparing any two versions; revert, which restores the links too;
- a check against concurrent edits: the change form carries the version it was opened at, and a
  save made after someone else's is refused with a message, keeping the editor's input;
- review: "last verified" columns, a "needs review" filter, a "Mark as verified" action and box;
- a rendered preview of its Markdown fields (``static/js/admin-markdown-preview.js``);
- https:// assumed for addresses typed without a scheme;
- a "Preview on site" link for drafts, and publishing in bulk (``PublishableAdmin``).

Every content app's admin builds on these. Visitors' problem reports are read here too.
"""

import calendar
import difflib
import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.forms.models import _get_foreign_key
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import DeletedObject, HistoricalRecords

from editorial import markdown
from editorial.feedback import Feedback
from editorial.history import has_history, latest_version_id, link_ids, record_version
from editorial.records import PublicationStatus, web_address

MARKDOWN_FIELDS = ("summary", "description", "text", "note")
REVIEW_FIELDS = ("last_verified_on", "verified_by")
# Shown in the Review box, read-only: set by the seed data's audit, or by saving.
RECORD_FIELDS = ("checked_against_paper_on", "updated_on", "editors_text")


def is_reviewable(model):
    return all(hasattr(model, name) for name in (*REVIEW_FIELDS, *RECORD_FIELDS))


def months_before(day, months):
    """The same day ``months`` months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def review_cutoff():
    """Records last verified before this date need review again."""
    return months_before(timezone.localdate(), settings.REVIEW_AFTER_MONTHS)


class NeedsReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        months = {"months": settings.REVIEW_AFTER_MONTHS}
        return [
            (
                "needed",
                # Translators: a choice of the admin's "review" filter.
                gettext("Needs review (never verified, or over %(months)s months ago)") % months,
            ),
            ("recent", gettext("Verified in the last %(months)s months") % months),
        ]

    def queryset(self, request, queryset):
        cutoff = review_cutoff()
        if self.value() == "needed":
            return queryset.filter(
                Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)
            )
        if self.value() == "recent":
            return queryset.filter(last_verified_on__gte=cutoff)
        return queryset  # An unknown value is ignored rather than failing.


# ---- The change form ----------------------------------------------------------------------


class EditorialForm(forms.ModelForm):
    """A change form that knows the version it was opened at, and can restore a version's links.

    ``version_token`` (a callable the admin sets) gives the record's current version; a save
    whose ``version`` is not the current one is refused. On the revert page the form starts
    from the links of the version being restored (``restored_version``).
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    mark_verified = forms.BooleanField(
        label=_("Mark as verified"),
        required=False,
        help_text=_(
            "Tick when you have checked this record's facts and web addresses: its page "
            "will say it was verified today."
        ),
    )
    text_source = forms.CharField(
        label=_("Source of the text you changed"),
        required=False,
        max_length=300,
        help_text=_(
            "Required when you change a text: where the new text comes from (a paragraph "
            "of the paper, a document, an address). Its page marks that text as the editors', "
            "with this source and today's date."
        ),
    )

    version_token = None
    restored_version = None
    text_fields = ()  # the record's texts: changing one needs a text_source

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.version_token and not self.is_bound:
            self.fields["version"].initial = self.version_token(self.instance)
        if self.restored_version is not None:
            for field in self.restored_version._history_m2m_fields:
                if field.name in self.fields:
                    self.initial[field.name] = sorted(link_ids(self.restored_version, field.name))

    @cached_property
    def changed_data(self):
        # The form's own fields are not the record's: they are never "changed".
        own = {"version", "text_source"}
        return [name for name in super().changed_data if name not in own]

    def changed_texts(self):
        return [name for name in self.text_fields if name in self.changed_data]

    def clean(self):
        cleaned_data = super().clean()
        if self.changed_texts() and not cleaned_data.get("text_source", "").strip():
            if self.instance.pk is None:
                # A new record's text is written from the passages it cites, or has a source.
                if not cleaned_data.get("sources"):
                    self.add_error(
                        "text_source",
                        gettext(
                            "Cite the passages of the paper its text is written from, or say "
                            "where the text comes from."
                        ),
                    )
            else:
                self.add_error(
                    "text_source",
                    gettext(
                        "Say where the changed text comes from: its page will show it as the "
                        "editors' text, with this source."
                    ),
                )
        sent = cleaned_data.get("version")
        if self.instance.pk is None or not sent or not self.version_token:
            return cleaned_data
        lock(self.instance)
        current = self.version_token(self.instance)
        if sent != current:
            # Saving again keeps this editor's version: the form now carries the current one.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = current
            raise ValidationError(conflict_message(self.instance, sent), code="conflict")
        return cleaned_data


def lock(instance):
    """Hold the record's row until the save commits, so two saves cannot both pass the check
    (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    model = type(instance)
    using = router.db_for_write(model)
    if transaction.get_connection(using).in_atomic_block:
        list(model._default_manager.using(using).select_for_update().filter(pk=instance.pk))


def conflict_message(instance, sent):
    """What happened, for an editor whose save came after someone else's."""
    history = type(instance).history.filter(id=instance.pk).select_related("history_user")
    latest = history.order_by("-history_id").first()
    started = sent.split("-", 1)[0]
    fields = []
    if latest is not None and started.isdigit() and latest.history_id != int(started):
        opened = history.filter(history_id=int(started)).first()
        if opened is not None:
            # What they changed, not what the save itself sets (the date of the change).
            names = [
                name
                for name in latest.diff_against(opened).changed_fields
                if name not in RECORD_FIELDS
            ]
            fields = [capfirst(instance._meta.get_field(name).verbose_name) for name in names]
    who = gettext("Another editor")
    if latest is not None:
        if latest.history_user is not None:
            who = latest.history_user.get_username()
        when = date_format(timezone.localtime(latest.history_date), "j M Y, H:i")
        # Translators: who saved the record and when: "alice at 3 Dec 2026, 14:05".
        who = gettext("%(editor)s at %(when)s") % {"editor": who, "when": when}
    if fields:
        # Translators: %(who)s is "alice at 3 Dec 2026, 14:05" (or "Another editor");
        # %(fields)s the fields they changed: "Summary, Status and Sources".
        message = gettext(
            "This record was changed by %(who)s while you were editing it (they changed: "
            "%(fields)s). Your changes have not been saved; they are still in the form below. "
            "See their changes under History, then save again to keep your version."
        )
        # Translators: the last word of a list of fields: "Summary, Status and Sources".
        return message % {"who": who, "fields": get_text_list(fields, gettext("and"))}
    # Translators: %(who)s is "alice at 3 Dec 2026, 14:05" (or "Another editor").
    message = gettext(
        "This record was changed by %(who)s while you were editing it. Your changes have not "
        "been saved; they are still in the form below. See their changes under History, then "
        "save again to keep your version."
    )
    return message % {"who": who}


# ---- The admin ----------------------------------------------------------------------------


class MarkdownAndAddressMixin:
    """For ModelAdmins and inlines: https:// assumed for addresses; Markdown fields previewed."""

    markdown_fields = MARKDOWN_FIELDS
    formfield_overrides = {
        models.URLField: {
            "assume_scheme": "https",
            "error_messages": {"invalid": web_address.message},
        }
    }

    class Media:
        js = ["js/admin-markdown-preview.js"]
        css = {"all": ["css/admin-editorial.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.TextField) and db_field.name in self.markdown_fields:
            formfield.widget.attrs["data-markdown-preview"] = reverse("editorial:markdown_preview")
            formfield.widget.attrs["maxlength"] = markdown.MAX_LENGTH
            formfield.validators.append(markdown.check_renders)
        return formfield


class EditorialInlineMixin(MarkdownAndAddressMixin):
    """For inlines (``EditorialAdmin.save_formset`` records one version of each inline record
    per save, links included)."""


class EditorialAdmin(MarkdownAndAddressMixin, SimpleHistoryAdmin):
    form = EditorialForm
    # What the Editor group may do with these records (``setup_editor_group``).
    editor_permissions = ("add", "change", "delete", "view")
    change_form_template = "admin/editorial/change_form.html"
    object_history_template = "admin/editorial/object_history.html"
    object_history_list_template = "admin/editorial/object_history_list.html"
    history_list_per_page = 50

    # ---- What the form shows

    def get_fieldsets(self, request, obj=None):
        extra = {"version", "mark_verified", "text_source", *REVIEW_FIELDS, *RECORD_FIELDS}
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in extra]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        fieldsets[0][1]["fields"].append("version")
        if is_reviewable(self.model):
            fieldsets[0][1]["fields"].append("text_source")
            fieldsets.append(
                (
                    # Translators: the heading of the change form's box of review dates.
                    gettext("Review"),
                    {
                        "fields": [*RECORD_FIELDS, *REVIEW_FIELDS, "mark_verified"],
                        "description": gettext(
                            "When its text was checked against the paper, when it last "
                            "changed, which texts are the editors' (and their sources), and "
                            "when an editor last verified its facts and addresses. Its public "
                            "page shows all of these."
                        ),
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_reviewable(self.model):
            readonly += [n for n in (*RECORD_FIELDS, *REVIEW_FIELDS) if n not in readonly]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.version_token = self.version_token
        form.restored_version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if is_reviewable(self.model):
            form.text_fields = [name for name in self.markdown_fields if name in form.base_fields]
        return form

    def version_token(self, obj):
        """The record's current version: the latest version of it and of its inline records."""
        parts = [latest_version_id(self.model, id=obj.pk)]
        for inline in self.inlines:
            if has_history(inline.model):
                fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
                parts.append(latest_version_id(inline.model, **{fk.attname: obj.pk}))
        return "-".join(str(part) for part in parts)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = self.preview_url(obj) if obj is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_url(self, obj):
        """Where staff can preview ``obj`` on the site while it is a draft (None: not a draft)."""
        return None

    # ---- Changelist

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if is_reviewable(self.model) and "last_verified_on" not in list_display:
            list_display.append("last_verified_on")
        return list_display

    def get_list_filter(self, request):
        list_filter = list(super().get_list_filter(request))
        if is_reviewable(self.model):
            list_filter.append(NeedsReviewFilter)
        return list_filter

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET or not is_reviewable(self.model):
            return actions
        if self.has_change_permission(request):
            actions["mark_verified"] = self.get_action("mark_verified")
        return actions

    @admin.action(description=_("Mark as verified (facts and addresses checked today)"))
    def mark_verified(self, request, queryset):
        today = timezone.localdate()
        for obj in queryset:
            obj.last_verified_on, obj.verified_by = today, request.user
            # Stored in the record's history (not translated: the history is data).
            obj._history_user, obj._change_reason = request.user, "Marked as verified."
            obj.save(update_fields=REVIEW_FIELDS)
        count = len(queryset)
        message = ngettext(
            "%(count)d marked as verified today.", "%(count)d marked as verified today.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    # ---- Saving: one version per save, after the links and inlines are saved

    def save_model(self, request, obj, form, change):
        if is_reviewable(self.model):
            today = timezone.localdate()
            if form.cleaned_data.get("mark_verified"):
                obj.last_verified_on, obj.verified_by = today, request.user
            source = form.cleaned_data.get("text_source", "").strip()
            changed = form.changed_texts()
            if changed:
                texts = dict(obj.editors_text or {})
                for name in changed:
                    texts[name] = {"source": source, "on": today.isoformat()}
                obj.editors_text = texts
            if set(form.changed_data) - {"mark_verified", "text_source"}:
                obj.updated_on = today
        obj.skip_history_when_saving = True  # recorded in log_addition / log_change
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        parent = form.instance
        if formset.has_changed() and is_reviewable(type(parent)):
            parent.updated_on = timezone.localdate()  # its version is recorded after this
            parent.save(update_fields=["updated_on"])
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()
        added = [obj._state.adding for obj in instances]
        for obj in instances:
            obj.skip_history_when_saving = True
            obj.save()
        formset.save_m2m()
        for obj, created in zip(instances, added, strict=True):
            del obj.skip_history_when_saving
            if has_history(type(obj)):
                record_version(obj, created=created, user=request.user)

    def log_addition(self, request, obj, message):
        self.record(request, obj, message, created=True)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.record(request, obj, message, created=False)
        return super().log_change(request, obj, message)

    def record(self, request, obj, message, created):
        """Record the version a save made, now that its links and inlines are saved too."""
        if not hasattr(obj, "skip_history_when_saving"):
            return
        del obj.skip_history_when_saving
        if isinstance(message, list):
            message = json.dumps(message)
        reason = admin.models.LogEntry(change_message=message).get_change_message()
        record_version(obj, created=created, user=request.user, reason=reason or None)

    # ---- History: revert (fields and links) and compare

    def history_view(self, request, object_id, extra_context=None):
        check_ids(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        check_ids(self.model, object_id, version_id)
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Name the fields each version on the history page changed, in one query per link
        field (simple-history's own diff queries each version's links one by one)."""
        versions = list(historical_records)
        if not versions:
            return
        history_model = type(versions[0])
        m2m_fields = history_model._history_m2m_fields
        links = {}
        for field in m2m_fields:
            target = f"{field.m2m_reverse_field_name()}_id"
            rows = HistoricalRecords.m2m_models[field].objects.filter(history__in=versions)
            for version_id, target_id in rows.values_list("history_id", target):
                links.setdefault((version_id, field.name), set()).add(target_id)
        fields = [field for field in history_model.tracked_fields if field.editable]
        for newer, older in zip(versions, versions[1:], strict=False):
            changed = [f for f in fields if getattr(newer, f.attname) != getattr(older, f.attname)]
            changed += [
                field
                for field in m2m_fields
                if links.get((newer.history_id, field.name))
                != links.get((older.history_id, field.name))
            ]
            newer.history_delta_changes = [{"field": capfirst(f.verbose_name)} for f in changed]

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{opts.app_label}_{opts.model_name}_history_compare",
        )
        return [compare, *super().get_urls()]

    def history_compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such record.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self.model.history.filter(id=obj.pk).select_related("history_user")
        chosen = [request.GET.get("from", ""), request.GET.get("to", "")]
        if not all(value.isdigit() and len(value) < 19 for value in chosen):
            self.message_user(request, gettext("Choose two versions to compare."), messages.WARNING)
            return HttpResponseRedirect(
                reverse(admin_urlname(self.model, "history"), args=[obj.pk])
            )
        found = {v.history_id: v for v in versions.filter(history_id__in=[int(v) for v in chosen])}
        if len(found) < len(set(chosen)):
            raise Http404("No such version of this record.")
        old, new = sorted((found[int(value)] for value in chosen), key=version_order)
        context = {
            **self.admin_site.each_context(request),
            # Translators: the title of the page comparing two versions of a record.
            "title": gettext("Compare versions: %(record)s") % {"record": obj},
            "opts": self.model._meta,
            "object": obj,
            "old": old,
            "new": new,
            "changes": describe_changes(self.model, old, new),
            "revert_disabled": self.revert_disabled(request, obj),
        }
        return TemplateResponse(request, "admin/editorial/history_compare.html", context)


def check_ids(model, object_id, version_id=None):
    """Raise 404 for a record or version id in a history address that is not one at all
    ("abc", "1.5"): simple-history would pass it to the database and fail with a 500."""
    checks = [(model._meta.pk, unquote(object_id))]
    if version_id is not None:
        checks.append((model.history.model._meta.pk, version_id))
    for field, value in checks:
        try:
            field.to_python(value)
        except ValidationError:
            raise Http404("No such record or version.") from None


def version_order(version):
    return version.history_id


def admin_urlname(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


# ---- Comparing two versions ---------------------------------------------------------------


def describe_changes(model, old, new):
    """What differs between two versions, field by field, in words an editor reads."""
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    rows = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        row = {"label": capfirst(field.verbose_name)}
        if field.many_to_many:
            target = field.m2m_reverse_field_name()
            before = {str(link[target]) for link in change.old}
            after = {str(link[target]) for link in change.new}
            row["removed"] = sorted(before - after)
            row["added"] = sorted(after - before)
        elif isinstance(field, models.TextField):
            row["words"] = word_diff(change.old or "", change.new or "")
        else:
            row["old"] = display_value(field, change.old)
            row["new"] = display_value(field, change.new)
        rows.append(row)
    return rows


def display_value(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, DeletedObject):
        # An empty link reaches here as a "deleted" object without a key: it is just empty.
        if value.pk is None:
            return "—"
        # Translators: a link, in the comparison of two versions, to a record since deleted.
        return gettext("%(record)s (deleted)") % {"record": value}
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def word_diff(old, new):
    """``[(op, text), ...]`` with op "same", "removed" or "added", word by word."""
    before, after = old.split(" "), new.split(" ")
    pieces = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(after[j1:j2])))
    return pieces


# ---- Drafts and publishing ----------------------------------------------------------------


class PublishableAdmin(EditorialAdmin):
    """A record with a draft/published status: publish in bulk; drafts have no public page,
    but staff can preview them on the site."""

    actions = ["publish", "unpublish"]

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.status == PublicationStatus.PUBLISHED else None

    def preview_url(self, obj):
        return obj.get_absolute_url() if obj.status == PublicationStatus.DRAFT else None

    @admin.action(description=_("Publish the selected records"), permissions=["change"])
    def publish(self, request, queryset):
        updated = set_status(request, queryset, PublicationStatus.PUBLISHED)
        message = ngettext("%(count)d published.", "%(count)d published.", updated)
        self.message_user(request, message % {"count": updated})

    @admin.action(
        description=_("Make the selected records drafts (hidden from the site)"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        updated = set_status(request, queryset, PublicationStatus.DRAFT)
        message = ngettext("%(count)d made drafts.", "%(count)d made drafts.", updated)
        self.message_user(request, message % {"count": updated})


def set_status(request, queryset, status):
    """Give each record the status, saving it one by one so that each change has a version in
    its history (and the page cache hears of it); returns how many changed."""
    changed = 0
    for obj in queryset.exclude(status=status):
        obj.status = status
        # Stored in the record's history (not translated: the history is data).
        obj._history_user, obj._change_reason = request.user, f"Status: {status}."
        obj.save(update_fields=["status"])
        changed += 1
    return changed


# ---- Visitors' problem reports ------------------------------------------------------------


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Visitors' problem reports: read, follow the links to the entry, fix it, mark resolved."""

    list_display = ["created_at", "entry", "page", "excerpt", "contact", "resolved"]
    list_filter = ["resolved", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["message", "contact", "record_label", "client_address"]
    fields = ["entry", "page", "message", "contact", "client_address", "created_at", "resolved"]
    readonly_fields = ["entry", "page", "message", "contact", "client_address", "created_at"]
    actions = ["mark_resolved", "mark_unresolved"]
    editor_permissions = ("change", "view")  # Editors read reports and mark them resolved.

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin()

    def has_add_permission(self, request):
        return False  # Reports come from visitors only.

    @admin.display(description=_("entry"), ordering="record_label")
    def entry(self, obj):
        """The record's label, linked to its change page while it exists."""
        if obj.content_type is None or obj.record is None:
            return obj.record_label
        app_label, model = obj.content_type.app_label, obj.content_type.model
        url = reverse(f"admin:{app_label}_{model}_change", args=[obj.object_id])
        return format_html('<a href="{}">{}</a>', url, obj.record_label)

    @admin.display(description=_("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.display(description=_("what is wrong"))
    def excerpt(self, obj):
        return Truncator(obj.message).chars(90)

    @admin.action(description=_("Mark the selected reports resolved"))
    def mark_resolved(self, request, queryset):
        count = queryset.update(resolved=True)
        message = ngettext("%(count)d marked resolved.", "%(count)d marked resolved.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Mark the selected reports not resolved"))
    def mark_unresolved(self, request, queryset):
        count = queryset.update(resolved=False)
        message = ngettext(
            "%(count)d marked not resolved.", "%(count)d marked not resolved.", count
        )
        self.message_user(request, message % {"count": count})
