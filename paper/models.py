"""The source paper and what it cites: the document, its sections and its citable passages
(paragraphs, annex entries, footnotes), the documents it refers to, and ``SourcedModel``, the
link by which every record of the portal cites the passages it comes from."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        verbose_name=_("sources"),
        related_name="%(class)s_records",
        blank=True,
        help_text=_(
            "The paragraphs, annex entries or footnotes of the source paper this record comes from."
        ),
    )

    class Meta:
        abstract = True


class SourceDocument(SlugNaturalKeyMixin, models.Model):
    """The background paper the portal is built from (and any later source document)."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=300)
    working_group = models.CharField(_("working group"), max_length=200, blank=True)
    meeting = models.CharField(
        _("meeting"), max_length=200, blank=True, help_text=_("Place and dates.")
    )
    agenda_item = models.CharField(_("agenda item"), max_length=200, blank=True)
    agenda_symbol = models.CharField(
        _("provisional agenda symbol"),
        max_length=60,
        blank=True,
        # Translators: {example} is a document symbol.
        help_text=format_lazy(_("E.g. {example}."), example="CTOC/COP/WG.4/2011/1"),
    )
    distributed_on = models.DateField(_("distributed on"), null=True, blank=True)
    distribution = models.CharField(
        _("distribution"), max_length=40, blank=True, help_text=_("E.g. General.")
    )
    original_language = models.CharField(_("original language"), max_length=40, blank=True)
    prepared_by = models.CharField(_("prepared by"), max_length=200, blank=True)

    objects = SlugManager()
    history = History()

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:source")


class Section(SlugNaturalKeyMixin, models.Model):
    """A heading of the paper: 'I. Introduction', 'III.A ...', 'Annex'."""

    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.CASCADE,
        verbose_name=_("document"),
        related_name="sections",
    )
    slug = models.SlugField(_("slug"), unique=True)
    number = models.CharField(_("number"), max_length=10, blank=True, help_text=_("E.g. I, III.A."))
    title = models.CharField(_("title"), max_length=300)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="subsections",
    )
    position = models.PositiveSmallIntegerField(_("position"))

    objects = SlugManager()
    history = History()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
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

    def for_reading(self, **querysets):
        """The passages, as a list, each with its footnotes (``notes``; a footnote's
        ``cited_in`` is read from the same rows) and one list per keyword: the records of that
        queryset that cite the passage (by their ``sources``), in the queryset's order. One
        query for the passages and one per queryset, whatever the number of passages or
        records; a record that cites several passages is one object, shared. (A
        ``prefetch_related`` of the same made a related manager and a queryset per passage and
        kind: most of the source page's time, profiled.)"""
        passages = list(self)
        by_id = {passage.pk: passage for passage in passages}
        for passage in passages:
            passage.notes = []
        for passage in passages:
            if passage.cited_in_id in by_id:
                passage.cited_in = by_id[passage.cited_in_id]
                passage.cited_in.notes.append(passage)
        for name, queryset in querysets.items():
            for passage in passages:
                setattr(passage, name, [])
            shared = {}
            rows = queryset.filter(sources__in=list(by_id)).annotate(cited_passage=F("sources"))
            for row in rows:
                record = shared.setdefault(row.pk, row)
                getattr(by_id[row.cited_passage], name).append(record)
        return passages


class PassageKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("Paragraph")
    ANNEX = "annex", _("Annex entry")
    FOOTNOTE = "footnote", _("Footnote")


class Passage(SlugNaturalKeyMixin, models.Model):
    """A citable unit of the paper: a numbered paragraph, an annex entry or a footnote.

    Its slug (``para-7``, ``annex-3``, ``fn-12``) is both its natural key and its anchor
    on the source page, so every record can link to exactly what it comes from.
    """

    Kind = PassageKind

    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.CASCADE,
        verbose_name=_("document"),
        related_name="passages",
    )
    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("para-N, annex-N or fn-N; also the anchor.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        verbose_name=_("section"),
        related_name="passages",
        null=True,
        blank=True,
    )
    heading = models.CharField(
        _("heading"), max_length=300, blank=True, help_text=_("Annex entries' titles.")
    )
    text = models.TextField(_("text"), help_text=_("The text as the paper gives it."))
    editorial_note = models.CharField(
        _("editorial note"),
        max_length=500,
        blank=True,
        help_text=_(
            "The portal's note on the text as the paper gives it, shown beside it (e.g. a "
            "footnote call that matches no footnote)."
        ),
    )
    cited_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        verbose_name=_("cited in"),
        null=True,
        blank=True,
        related_name="footnotes",
        help_text=_("For footnotes: the paragraph or annex entry that calls it."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order in the document.")
    )

    objects = PassageQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
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
            # Translators: a paragraph of the source paper: "Paragraph 7".
            return gettext("Paragraph %(number)s") % {"number": self.number}
        if self.kind == self.Kind.ANNEX and self.heading:
            # Translators: an entry of the source paper's annex, by its title (the paper's).
            return gettext("Annex: %(heading)s") % {"heading": self.heading}
        return self.number_label

    def get_absolute_url(self):
        return reverse("portal:source") + f"#{self.slug}"

    @property
    def number_label(self):
        """How the paper numbers it beside its text: '7.', 'Footnote 12', 'Annex entry 3'."""
        number = {"number": self.number}
        if self.kind == self.Kind.FOOTNOTE:
            # Translators: a footnote of the source paper: "Footnote 12".
            return gettext("Footnote %(number)s") % number
        if self.kind == self.Kind.ANNEX:
            # Translators: an entry of the source paper's annex: "Annex entry 3".
            return gettext("Annex entry %(number)s") % number
        return f"{self.number}."

    @property
    def label(self):
        """Short label for citations, e.g. 'para. 7', 'annex', 'fn. 12'."""
        if self.kind == self.Kind.PARAGRAPH:
            # Translators: the short citation of a paragraph of the source paper: "para. 7".
            return gettext("para. %(number)s") % {"number": self.number}
        if self.kind == self.Kind.FOOTNOTE:
            # Translators: the short citation of a footnote of the source paper: "fn. 12".
            return gettext("fn. %(number)s") % {"number": self.number}
        # Translators: the short citation of an entry of the source paper's annex.
        return gettext("annex")

    @property
    def citation(self):
        """How a record's page cites it: 'para. 7', 'fn. 12', 'annex entry 3'."""
        if self.kind == self.Kind.ANNEX:
            # Translators: how a record cites an entry of the paper's annex: "annex entry 3".
            return gettext("annex entry %(number)s") % {"number": self.number}
        return self.label


class CitedDocumentKind(models.TextChoices):
    GA_RESOLUTION = "ga-resolution", _("General Assembly resolution")
    ECOSOC_RESOLUTION = "ecosoc-resolution", _("ECOSOC resolution")
    COP_DECISION = "cop-decision", _("Conference of the Parties decision")
    COP_RESOLUTION = "cop-resolution", _("Conference of the Parties resolution")
    REPORT = "report", _("Report or working paper")
    PUBLICATION = "publication", _("Publication")
    LEGAL_TEXT = "legal-text", _("Legal text")
    WEB_PAGE = "web-page", _("Web page")


class CitedDocument(Addressed, SourcedModel):
    """A document the paper cites: a resolution, a report, a publication or a web address."""

    Kind = CitedDocumentKind

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The full title of the document.")
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=80,
        blank=True,
        help_text=format_lazy(_("E.g. {example}."), example="A/RES/64/293"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, help_text=_("What kind of document it is.")
    )
    issuer = models.CharField(
        _("issuer"),
        max_length=200,
        blank=True,
        help_text=_("Who adopted or published it, e.g. 'General Assembly'."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[not_in_the_future],
        help_text=_("The year it was adopted or published."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Markdown: what the document is and why the paper cites it."),
    )
    objects = SlugManager()
    history = History(m2m_fields=["sources"])

    class Meta:
        verbose_name = _("cited document")
        verbose_name_plural = _("cited documents")
        ordering = ["title"]
        constraints = [
            choice_check("kind", CitedDocumentKind, "citeddocument_kind_valid"),
            *web_address_checks("citeddocument", "url", "current_url"),
        ]

    def __str__(self):
        return self.symbol or self.title

    def get_absolute_url(self):
        return reverse("portal:document_detail", args=[self.slug])
