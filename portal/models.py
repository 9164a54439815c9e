from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse

from instruments.history import History
from instruments.models import Instrument, Provision, choice_check
from instruments.sourcing import (
    SLUG_HELP,
    PublicationStatus,
    SlugManager,
    SlugNaturalKeyMixin,
    SourcedModel,
    not_in_the_future,
    web_address,
    web_address_checks,
)
from resources.models import Tool, ToolPart


class SourceDocument(SlugNaturalKeyMixin, models.Model):
    """The background paper the portal is built from (and any later source document)."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    issuing_body = models.CharField(max_length=300)
    working_group = models.CharField(max_length=200, blank=True)
    meeting = models.CharField(max_length=200, blank=True, help_text="Place and dates.")
    agenda_item = models.CharField(max_length=200, blank=True)
    agenda_symbol = models.CharField(
        "provisional agenda symbol",
        max_length=60,
        blank=True,
        help_text="E.g. CTOC/COP/WG.4/2011/1.",
    )
    distributed_on = models.DateField(null=True, blank=True)
    distribution = models.CharField(max_length=40, blank=True, help_text="E.g. General.")
    original_language = models.CharField(max_length=40, blank=True)
    prepared_by = models.CharField(max_length=200, blank=True)

    objects = SlugManager()
    history = History()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:source")


class Section(SlugNaturalKeyMixin, models.Model):
    """A heading of the paper: 'I. Introduction', 'III.A ...', 'Annex'."""

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(unique=True)
    number = models.CharField(max_length=10, blank=True, help_text="E.g. I, III.A.")
    title = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subsections"
    )
    position = models.PositiveSmallIntegerField()

    objects = SlugManager()
    history = History()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("portal:source") + f"#{self.slug}"


class PassageQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def paragraphs(self):
        return self.filter(kind=Passage.Kind.PARAGRAPH)

    def for_source_page(self):
        """Passages with every record derived from each (public records only), in a fixed
        number of queries whatever the number of records."""
        published_parts = ToolPart.objects.filter(tool__status=PublicationStatus.PUBLISHED)
        published_provisions = Provision.objects.filter(
            instrument__status=PublicationStatus.PUBLISHED
        )
        return self.select_related("cited_in").prefetch_related(
            Prefetch("footnotes", queryset=Passage.objects.order_by("position")),
            Prefetch("instrument_records", queryset=Instrument.objects.published()),
            Prefetch(
                "provision_records",
                queryset=published_provisions.select_related("instrument", "mechanism"),
            ),
            "mechanism_records",
            "organization_records",
            Prefetch("tool_records", queryset=Tool.objects.published()),
            Prefetch("toolpart_records", queryset=published_parts.select_related("tool")),
            "guidance_records",
            "citeddocument_records",
        )


class PassageKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Paragraph"
    ANNEX = "annex", "Annex entry"
    FOOTNOTE = "footnote", "Footnote"


class Passage(SlugNaturalKeyMixin, models.Model):
    """A citable unit of the paper: a numbered paragraph, an annex entry or a footnote.

    Its slug (``para-7``, ``annex-3``, ``fn-12``) is both its natural key and its anchor
    on the source page, so every record can link to exactly what it comes from.
    """

    Kind = PassageKind

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="passages")
    slug = models.SlugField(unique=True, help_text="para-N, annex-N or fn-N; also the anchor.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="passages", null=True, blank=True
    )
    heading = models.CharField(max_length=300, blank=True, help_text="Annex entries' titles.")
    text = models.TextField(help_text="The text as the paper gives it.")
    cited_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="footnotes",
        help_text="For footnotes: the paragraph or annex entry that calls it.",
    )
    position = models.PositiveSmallIntegerField(help_text="Order in the document.")

    objects = PassageQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["position"]
        constraints = [
            choice_check("kind", PassageKind, "passage_kind_valid"),
            models.UniqueConstraint(
                fields=["document", "kind", "number"], name="passage_unique_number_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(cited_in__isnull=True) | Q(kind="footnote"),
                name="passage_only_footnotes_are_cited_in",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.PARAGRAPH:
            return f"Paragraph {self.number}"
        if self.kind == self.Kind.FOOTNOTE:
            return f"Footnote {self.number}"
        return f"Annex: {self.heading}" if self.heading else f"Annex entry {self.number}"

    def get_absolute_url(self):
        return reverse("portal:source") + f"#{self.slug}"

    @property
    def label(self):
        """Short label for citations, e.g. 'para. 7', 'annex', 'fn. 12'."""
        if self.kind == self.Kind.PARAGRAPH:
            return f"para. {self.number}"
        if self.kind == self.Kind.FOOTNOTE:
            return f"fn. {self.number}"
        return "annex"


class CitedDocumentKind(models.TextChoices):
    GA_RESOLUTION = "ga-resolution", "General Assembly resolution"
    ECOSOC_RESOLUTION = "ecosoc-resolution", "ECOSOC resolution"
    COP_DECISION = "cop-decision", "Conference of the Parties decision"
    COP_RESOLUTION = "cop-resolution", "Conference of the Parties resolution"
    REPORT = "report", "Report or working paper"
    PUBLICATION = "publication", "Publication"
    LEGAL_TEXT = "legal-text", "Legal text"
    WEB_PAGE = "web-page", "Web page"


class CitedDocument(SourcedModel):
    """A document the paper cites: a resolution, a report, a publication or a web address."""

    Kind = CitedDocumentKind

    slug = models.SlugField(unique=True, help_text=SLUG_HELP)
    title = models.CharField(max_length=300, help_text="The full title of the document.")
    symbol = models.CharField(max_length=80, blank=True, help_text="E.g. A/RES/64/293.")
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="What kind of document it is."
    )
    issuer = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who adopted or published it, e.g. 'General Assembly'.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[not_in_the_future],
        help_text="The year it was adopted or published.",
    )
    url = models.URLField(
        "address given by the source",
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text="The address as the paper gives it; kept even if it has moved.",
    )
    current_url = models.URLField(
        "current address",
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text="Where the document is found today, if the source's address has moved.",
    )
    note = models.TextField(
        blank=True, help_text="Markdown: what the document is and why the paper cites it."
    )
    instrument = models.ForeignKey(
        "instruments.Instrument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_documents",
        help_text="The instrument this document is or contains, if any.",
    )

    objects = SlugManager()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["title"]
        constraints = [
            choice_check("kind", CitedDocumentKind, "citeddocument_kind_valid"),
            *web_address_checks("citeddocument", "url", "current_url"),
        ]

    def __str__(self):
        return self.symbol or self.title

    def get_absolute_url(self):
        return reverse("portal:document_detail", args=[self.slug])

    @property
    def best_url(self):
        return self.current_url or self.url


class GuidanceQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def for_list(self):
        return self.prefetch_related("mechanisms", "sources")


class GuidanceKind(models.TextChoices):
    CONSIDERATION = "consideration", "Consideration for Member States"
    CONCEPT = "concept", "Concept"
    CHALLENGE = "challenge", "Challenge"
    MEASURE = "measure", "Measure"


class Guidance(SourcedModel):
    """What the paper advises or observes: considerations, concepts, challenges and measures."""

    Kind = GuidanceKind

    slug = models.SlugField(unique=True, help_text=SLUG_HELP)
    kind = models.CharField(
        max_length=15, choices=Kind.choices, help_text="What kind of advice or observation it is."
    )
    title = models.CharField(max_length=200, help_text="A short heading for it.")
    text = models.TextField(help_text="Markdown: what the paper says, in plain language.")
    mechanisms = models.ManyToManyField(
        "instruments.Mechanism",
        related_name="guidance",
        blank=True,
        help_text="The forms of cooperation it is about; it is shown on their pages.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among its kind.")

    objects = GuidanceQuerySet.as_manager()
    history = History(m2m_fields=["mechanisms", "sources"])

    class Meta:
        ordering = ["kind", "position", "title"]
        verbose_name_plural = "guidance"
        constraints = [choice_check("kind", GuidanceKind, "guidance_kind_valid")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:guidance_detail", args=[self.slug])


# Problem reports live in their own module; importing it here registers them with the app.
from portal.feedback import Feedback  # noqa: E402, F401
