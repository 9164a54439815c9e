"""The source paper and what it cites: the document, its sections and its citable passages
(paragraphs, annex entries, footnotes), the documents it refers to, and ``SourcedModel``, the
link by which every record of the portal cites the passages it comes from."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from editorial.history import History
from editorial.records import (
    SLUG_HELP,
    Addressed,
    Reviewable,
    SlugManager,
    SlugNaturalKeyMixin,
    choice_check,
    not_in_the_future,
    web_address_checks,
)


class SourcedModel(SlugNaturalKeyMixin, Reviewable):
    """A record derived from the background paper: it cites the passages it comes from, and says
    when an editor last checked it against them."""

    sources = models.ManyToManyField(
        "paper.Passage",
        related_name="%(class)s_records",
        blank=True,
        help_text="The paragraphs, annex entries or footnotes of the source paper this record "
        "comes from.",
    )

    class Meta:
        abstract = True


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
    editorial_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="The portal's note on the text as the paper gives it, shown beside it (e.g. a "
        "footnote call that matches no footnote).",
    )
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

    @property
    def citation(self):
        """How a record's page cites it: 'para. 7', 'fn. 12', 'annex entry 3'."""
        return f"annex entry {self.number}" if self.kind == self.Kind.ANNEX else self.label


class CitedDocumentKind(models.TextChoices):
    GA_RESOLUTION = "ga-resolution", "General Assembly resolution"
    ECOSOC_RESOLUTION = "ecosoc-resolution", "ECOSOC resolution"
    COP_DECISION = "cop-decision", "Conference of the Parties decision"
    COP_RESOLUTION = "cop-resolution", "Conference of the Parties resolution"
    REPORT = "report", "Report or working paper"
    PUBLICATION = "publication", "Publication"
    LEGAL_TEXT = "legal-text", "Legal text"
    WEB_PAGE = "web-page", "Web page"


class CitedDocument(Addressed, SourcedModel):
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
    note = models.TextField(
        blank=True, help_text="Markdown: what the document is and why the paper cites it."
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
