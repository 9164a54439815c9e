"""The portal's "recently changed" Atom feed (``/feed/``): the public records whose latest
version is the newest, read from their histories, one entry per change. Drafts never appear: a
record is listed only while it is published, and only for a version that was."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.feedgenerator import get_tag_uri
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_history_model_for_model

from editorial.feeds import FEED_ITEMS, SITE_NAME, RecordFeed, name_of
from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization
from paper.models import CitedDocument
from resources.models import Tool

# Each kind of record page: its public records, what an entry calls it, its Markdown summary.
RECORDS = [
    (lambda: Instrument.objects.published(), _("Instrument"), "summary"),
    (lambda: Mechanism.objects.all(), _("Form of cooperation"), "summary"),
    (lambda: Organization.objects.all(), _("Organization"), "description"),
    (lambda: Tool.objects.published(), _("Tool"), "description"),
    (lambda: Guidance.objects.all(), _("Guidance"), "text"),
    (lambda: CitedDocument.objects.all(), _("Document cited by the paper"), "note"),
]


def latest_versions(public, limit=FEED_ITEMS):
    """The latest version of each of the ``public`` records, the newest first: one query."""
    history = get_history_model_for_model(public.model).objects
    latest = history.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    versions = history.filter(
        id__in=public.values("pk"), history_id=Subquery(latest.values("history_id")[:1])
    )
    if any(field.name == "status" for field in public.model._meta.fields):
        versions = versions.filter(status=PublicationStatus.PUBLISHED)
    return versions.order_by("-history_date", "-history_id")[:limit]


class RecentChangesFeed(RecordFeed):
    summary_field = "entry_summary"
    # Translators: the title of the portal's feed of recent changes, before the portal's name.
    title = format_lazy("{} · {}", _("Recently changed"), SITE_NAME)
    subtitle = _(
        "Instruments, forms of cooperation, organizations, tools, guidance and cited documents "
        "as they are added or changed, the newest first."
    )

    def get_object(self, request, *args, **kwargs):
        return request

    def link(self):
        return reverse("portal:home")

    def feed_url(self):
        return reverse("portal:feed")

    def items(self, request):
        entries = []
        for public, label, summary in RECORDS:
            label = str(label)  # in the language of this request
            for version in latest_versions(public()):
                record = version.instance  # built from the version: no query
                version.entry_label = label
                version.entry_title = f"{label}: {name_of(record)}"
                version.entry_link = record.get_absolute_url()
                version.entry_summary = getattr(record, summary, "")
                entries.append(version)
        entries.sort(key=lambda version: version.history_date, reverse=True)
        for version in entries[:FEED_ITEMS]:
            # One id per change (Atom ids are absolute): the reader shows each as new.
            address = request.build_absolute_uri(version.entry_link)
            version.entry_id = get_tag_uri(f"{address}#{version.history_id}", version.history_date)
        return entries[:FEED_ITEMS]

    def item_title(self, version):
        return version.entry_title

    def item_link(self, version):
        return version.entry_link

    def item_guid(self, version):
        return version.entry_id

    def item_categories(self, version):
        return [version.entry_label]

    def item_updateddate(self, version):
        return version.history_date
