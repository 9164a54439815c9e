"""Pieces every public record shares: a slug as its natural key, and the passages it cites.

``instruments`` is the base app (``portal`` and ``resources`` may import it, never the reverse),
so these helpers live here and the other apps reuse them.
"""

from django.db import models


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugManager(models.Manager.from_queryset(SlugQuerySet)):
    """Lets fixtures refer to records by slug rather than by numeric id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)


class SourcedModel(SlugNaturalKeyMixin, models.Model):
    """A record derived from the background paper: it cites the passages it comes from."""

    sources = models.ManyToManyField(
        "portal.Passage",
        related_name="%(class)s_records",
        blank=True,
        help_text="The paragraphs, annex entries or footnotes of the source paper this record "
        "comes from.",
    )

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
