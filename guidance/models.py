"""What the paper advises and observes about cooperation: considerations for Member States,
concepts, challenges and measures, each tied to the forms of cooperation it concerns."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.history import History
from editorial.records import SLUG_HELP, choice_check
from paper.models import SourcedModel


class GuidanceQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def for_list(self):
        return self.prefetch_related("mechanisms", "sources")


class GuidanceKind(models.TextChoices):
    CONSIDERATION = "consideration", _("Consideration for Member States")
    CONCEPT = "concept", _("Concept")
    CHALLENGE = "challenge", _("Challenge")
    MEASURE = "measure", _("Measure")


class Guidance(SourcedModel):
    """What the paper advises or observes: considerations, concepts, challenges and measures."""

    Kind = GuidanceKind

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    kind = models.CharField(
        _("kind"),
        max_length=15,
        choices=Kind.choices,
        help_text=_("What kind of advice or observation it is."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("A short heading for it."))
    text = models.TextField(
        _("text"), help_text=_("Markdown: what the paper says, in plain language.")
    )
    mechanisms = models.ManyToManyField(
        "instruments.Mechanism",
        verbose_name=_("mechanisms"),
        related_name="guidance",
        blank=True,
        help_text=_("The forms of cooperation it is about; it is shown on their pages."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order among its kind.")
    )

    objects = GuidanceQuerySet.as_manager()
    history = History(m2m_fields=["mechanisms", "sources"])

    class Meta:
        ordering = ["kind", "position", "title"]
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        constraints = [choice_check("kind", GuidanceKind, "guidance_kind_valid")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:guidance_detail", args=[self.slug])
