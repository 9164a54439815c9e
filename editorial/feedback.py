"""Problem reports: what a visitor says is wrong with a public record, for the editors.

Not content: the reports are never shown on the site, never backed up with the content
(``export_portal``), and kept as typed (the admin shows them escaped).
"""

from datetime import timedelta

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 2000
CONTACT_MAX_LENGTH = 200


class FeedbackQuerySet(models.QuerySet):
    def recent_from(self, address, seconds):
        """Reports sent from ``address`` in the last ``seconds`` (the rate limit counts them)."""
        since = timezone.now() - timedelta(seconds=seconds)
        return self.filter(client_address=address, created_at__gte=since)

    def for_admin(self):
        """With their records, one query per kind of record rather than one per report."""
        return self.select_related("content_type").prefetch_related("record")


class Feedback(models.Model):
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        verbose_name=_("content type"),
        null=True,
        blank=True,
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(
        _("entry"), max_length=300, help_text=_("The record as it was named when reported.")
    )
    page_url = models.CharField(
        _("page"),
        max_length=500,
        help_text=_("The record's page when reported (a path on this site)."),
    )
    message = models.TextField(_("what is wrong"), max_length=MESSAGE_MAX_LENGTH)
    contact = models.CharField(_("contact"), max_length=CONTACT_MAX_LENGTH, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="feedback_message_not_empty"),
        ]
        indexes = [
            # The admin lists reports newest first, filtered by resolved.
            models.Index(fields=["resolved", "-created_at"], name="feedback_resolved_idx"),
            # The rate limit: reports from one address since a moment (recent_from).
            models.Index(fields=["client_address", "created_at"], name="feedback_client_idx"),
        ]

    def __str__(self):
        return f"{self.record_label}: {Truncator(self.message).chars(60)}"

    def get_absolute_url(self):
        """The page of the record reported on (its current page if it still exists)."""
        record = self.record
        return record.get_absolute_url() if record is not None else self.page_url
