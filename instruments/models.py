"""Instruments, the provisions by which they provide for each form of cooperation, the forms of
cooperation and their categories, and the organizations that adopt instruments or publish tools."""

import re

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

import search
from editorial.history import History
from editorial.records import (
    SLUG_HELP,
    Addressed,
    PublicationStatus,
    SlugManager,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    choice_check,
    web_address,
    web_address_checks,
)
from editorial.translations import Translatable
from paper.models import SourcedModel


def related_model(model, relation):
    """The model at the other end of ``relation``, a reverse relation named by string.

    Lets these QuerySets prefetch tools and guidance (declared in ``resources`` and ``guidance``)
    without importing those apps, which must never be imported from here.
    """
    return model._meta.get_field(relation).related_model


# How many tools a page or API record of a form of cooperation, an organization or an instrument
# lists, the first by title; how many there are is counted beside the search index, and the
# tools list, filtered by the record, shows them all.
TOOLS_SHOWN = 20
# How a tool helps with a form of cooperation: it, or one of its parts, is linked to it (as the
# tools list's filter reads it: resources/filters.py).
TOOL_PATHS = ("mechanisms", "parts__mechanisms")


def first_tools(record, *paths):
    """``[(tool, [])]``: the first TOOLS_SHOWN published tools by title (then by key, as the API
    orders them) linked to ``record`` by any of ``paths`` (``"publisher"``, or
    ``"mechanisms", "parts__mechanisms"``), with their publisher, as includes/helping_tools.html
    lists them (no part named yet: ``Mechanism.first_tools`` adds the parts that help). A
    subquery per path, as the tools list filters by them (search/facets.py). One query."""
    published = related_model(Organization, "tools").objects.published()
    either = Q()
    for path in paths:
        either |= Q(pk__in=published.filter(**{path: record}).values("pk"))
    tools = published.filter(either).select_related("publisher").order_by("title", "pk")
    return [(tool, []) for tool in tools[:TOOLS_SHOWN]]


class OrganizationKind(models.TextChoices):
    UN_ENTITY = "un-entity", _("United Nations entity")
    UN_ORGAN = "un-organ", _("United Nations organ")
    TREATY_BODY = "treaty-body", _("Conference or treaty body")
    REGIONAL = "regional-organization", _("Regional organization")
    INTERNATIONAL = "international-organization", _("International organization")


class OrganizationQuerySet(SlugQuerySet):
    def with_tool_count(self):
        """Organizations with the number of published tools each publishes (``tool_count``),
        counted beside the search index as the tools list counts its publisher facet."""
        tool_model = related_model(Organization, "tools")
        return self.annotate(tool_count=search.counted(tool_model, "publisher", "pk"))

    def for_detail(self):
        """An organization with the published instruments it adopted, how many published tools
        it publishes (``with_tool_count``; its page lists the first: ``first_tools``) and its
        sources."""
        return self.with_tool_count().prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.published()), "sources"
        )


class Organization(SourcedModel):
    Kind = OrganizationKind

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Full name, as the organization writes it.")
    )
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("Acronym, e.g. UNODC.")
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, help_text=_("What kind of body it is.")
    )
    url = models.URLField(
        _("web address"),
        blank=True,
        max_length=500,
        validators=[web_address],
        help_text=_("Its website, starting with https:// or http://."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: what it does, in a sentence or two; shown on its page."),
    )

    objects = SlugManager.from_queryset(OrganizationQuerySet)()
    history = History(m2m_fields=["sources"])
    # The web addresses its page gives, the one shown first first (editorial/linkcheck.py).
    link_fields = ("url",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            choice_check("kind", OrganizationKind, "organization_kind_valid"),
            *web_address_checks("organization", "url"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("instruments:organization_detail", args=[self.slug])

    def first_tools(self):
        """The first published tools it publishes, by title (``first_tools``)."""
        return first_tools(self, "publisher")


class MechanismCategoryQuerySet(SlugQuerySet):
    def with_mechanisms(self):
        """Categories, each with its mechanisms and their counts (see ``for_list``)."""
        return self.prefetch_related(Prefetch("mechanisms", queryset=Mechanism.objects.for_list()))


class MechanismCategory(SlugNaturalKeyMixin, Translatable, models.Model):
    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("Heading on the cooperation page, e.g. 'Judicial cooperation'."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown; one or two sentences.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order on pages.")
    )

    objects = SlugManager.from_queryset(MechanismCategoryQuerySet)()
    history = History()
    translated_fields = ("name", "description")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("mechanism category")
        verbose_name_plural = _("mechanism categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("instruments:mechanism_list") + f"#{self.slug}"

    def covered(self):
        """Its mechanisms with at least one published instrument or tool (reads the prefetch of
        ``with_mechanisms``)."""
        return [m for m in self.mechanisms.all() if m.instrument_count or m.tool_count]

    def named_only(self):
        """Its mechanisms the paper names, for which no instrument or tool is recorded yet."""
        return [m for m in self.mechanisms.all() if not (m.instrument_count or m.tool_count)]


class MechanismQuerySet(SlugQuerySet):
    def for_list(self):
        """Mechanisms with their category and the number of published instruments that provide
        for each (``instrument_count``: ``binding_count`` legally binding, which alone can be a
        legal basis, and ``guidance_count`` not) and of tools that serve it (a tool serves a
        mechanism if it or one of its parts is linked to it, as on the mechanism's page)."""
        published = Q(provisions__instrument__status=PublicationStatus.PUBLISHED)
        binding = Q(provisions__instrument__legally_binding=True)
        return self.select_related("category").annotate(
            instrument_count=Count("provisions__instrument", filter=published, distinct=True),
            binding_count=Count(
                "provisions__instrument", filter=published & binding, distinct=True
            ),
            guidance_count=Count(
                "provisions__instrument", filter=published & ~binding, distinct=True
            ),
            # Counted beside the search index, as the tools list counts its facet (one
            # lookup, not a count over every tool: seconds at 100,000 tools).
            tool_count=search.counted(related_model(Mechanism, "tools"), "mechanism", "pk"),
        )

    def for_detail(self):
        """A mechanism with what its page shows: the published instruments that provide for it
        (by provision), legal bases first (``Instrument.force``), the guidance about it, its
        sources, and the number of published tools that help with it (``tool_count``, counted
        beside the search index; its page lists the first: ``Mechanism.first_tools``)."""
        tool_model = related_model(Mechanism, "tools")
        return (
            self.select_related("category")
            .annotate(tool_count=search.counted(tool_model, "mechanism", "pk"))
            .prefetch_related(
                Prefetch(
                    "provisions",
                    queryset=Provision.objects.filter(
                        instrument__status=PublicationStatus.PUBLISHED
                    )
                    .select_related("instrument")
                    .prefetch_related("sources")
                    .annotate(force=force_of("instrument__"))
                    .order_by("force", "instrument__short_title"),
                ),
                "guidance",
                "sources",
            )
        )


class MechanismFormality(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")
    BOTH = "both", _("Formal or informal")
    UNSPECIFIED = "", _("Not drawn by the paper")


class Mechanism(Translatable, SourcedModel):
    """A form of international cooperation, e.g. extradition or hot pursuit."""

    Formality = MechanismFormality

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("As practitioners call it, e.g. 'Mutual legal assistance'."),
    )
    category = models.ForeignKey(
        MechanismCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="mechanisms",
        help_text=_("The group it is listed under on the cooperation page."),
    )
    summary = models.TextField(
        _("summary"), help_text=_("Markdown: what this cooperation is, in plain language.")
    )
    formality = models.CharField(
        _("formality"),
        max_length=10,
        choices=Formality.choices,
        blank=True,
        help_text=_("Only where the paper draws the line between formal and informal cooperation."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order within its category.")
    )

    objects = SlugManager.from_queryset(MechanismQuerySet)()
    history = History(m2m_fields=["sources"])
    translated_fields = ("name", "summary")

    class Meta:
        ordering = ["category__position", "position", "name"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        constraints = [choice_check("formality", MechanismFormality, "mechanism_formality_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("instruments:mechanism_detail", args=[self.slug])

    def first_tools(self):
        """``[(tool, [parts]), ...]``: the first published tools by title that help with this
        mechanism (it, or one of its parts, is linked to it: ``first_tools``), each with its
        parts that do. Two queries, whatever the number of tools (``tool_count`` says how many
        there are, and the tools list shows them all)."""
        by_pk = {tool.pk: (tool, parts) for tool, parts in first_tools(self, *TOOL_PATHS)}
        parts = related_model(Mechanism, "tool_parts").objects.filter(
            mechanisms=self, tool__in=list(by_pk)
        )
        for part in parts:
            part.tool, serving = by_pk[part.tool_id]  # its address names its tool
            serving.append(part)
        return list(by_pk.values())


class InstrumentQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def matching(self, q):
        """Instruments matching the search ``q`` (words, "phrases", OR, -excluded; stemmed,
        accents and case ignored), best first as ``search_rank``; a blank ``q`` changes
        nothing. Full-text search over the instrument with its provisions
        (search/; docs/search.md)."""
        return search.matching(self, q)

    def for_list(self):
        """Published instruments with their adopting organization and the mechanisms they
        provide for, in the order of the cooperation pages."""
        return (
            self.published()
            .select_related("adopted_by")
            .prefetch_related(
                Prefetch(
                    "provisions",
                    queryset=Provision.objects.select_related("mechanism").order_by(
                        "mechanism__category__position", "mechanism__position", "mechanism__name"
                    ),
                )
            )
        )

    def with_tool_count(self):
        """Instruments with the number of published tools that help apply each
        (``tool_count``), counted beside the search index as the tools list counts its
        instrument facet."""
        tool_model = related_model(Instrument, "tools")
        return self.annotate(tool_count=search.counted(tool_model, "instrument", "pk"))

    def for_detail(self):
        """An instrument with its provisions grouped by mechanism category, its published
        neighbours (supplemented by, replaced by), how many published tools help apply it
        (``with_tool_count``; its page lists the first: ``Instrument.first_tools``) and its
        sources."""
        queryset = self.with_tool_count().select_related("adopted_by", "supplements", "replaces")
        return queryset.prefetch_related(
            Prefetch(
                "provisions",
                queryset=Provision.objects.select_related("mechanism__category")
                .prefetch_related("sources")
                .order_by(
                    "mechanism__category__position",
                    "mechanism__category__name",
                    "mechanism__position",
                    "mechanism__name",
                ),
            ),
            Prefetch("supplemented_by", queryset=Instrument.objects.published()),
            Prefetch("replaced_by", queryset=Instrument.objects.published()),
            "sources",
        )


class InstrumentScope(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")


class InstrumentOffences(models.TextChoices):
    TRAFFICKING = "trafficking", _("Its offences include trafficking in persons")
    GENERAL = "general", _("Criminal offences in general")
    OTHER = "other", _("Other offences only")
    NONE = "none", _("Creates no offences")
    UNKNOWN = "", _("Not recorded")


class InstrumentForce(models.IntegerChoices):
    """How an instrument can serve a form of cooperation, in the order pages list them."""

    LEGAL_BASIS = 1, _("Legal basis: binding, and its offences include trafficking in persons")
    OTHER_BINDING = 2, _("Binding, for other offences")
    GUIDANCE = 3, _("Guidance, not a legal basis")


class InstrumentKind(models.TextChoices):
    CONVENTION = "convention", _("Convention")
    PROTOCOL = "protocol", _("Protocol")
    DIRECTIVE = "directive", _("Directive")
    FRAMEWORK_DECISION = "framework-decision", _("Framework decision")
    PLAN_OF_ACTION = "plan-of-action", _("Plan of action")
    PRINCIPLES = "principles-and-guidelines", _("Principles and guidelines")
    RESOLUTION = "resolution", _("Resolution")
    AGREEMENT = "agreement", _("Agreement")


class Instrument(Addressed, Translatable, SourcedModel):
    """A convention, protocol, directive, plan of action or set of principles."""

    Kind = InstrumentKind
    Scope = InstrumentScope
    Offences = InstrumentOffences
    Force = InstrumentForce

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    title = models.CharField(_("title"), max_length=300, help_text=_("The full official title."))
    short_title = models.CharField(
        _("short title"), max_length=120, help_text=_("As practitioners call it.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        help_text=_("What kind of instrument it is."),
    )
    legally_binding = models.BooleanField(
        _("legally binding"),
        help_text=_("Does it create obligations for the States that are bound by it?"),
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=Scope.choices,
        help_text=_("Global (open to all States) or regional (give the region below)."),
    )
    region = models.CharField(
        _("region"),
        max_length=80,
        blank=True,
        help_text=_("For regional instruments, e.g. South Asia."),
    )
    adopted_by = models.ForeignKey(
        Organization,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        related_name="instruments",
        null=True,
        blank=True,
        help_text=_("The organization or conference that adopted it."),
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("The date it was adopted.")
    )
    adopted_at = models.CharField(
        _("place of adoption"), max_length=120, blank=True, help_text=_("The city, e.g. Palermo.")
    )
    entry_into_force = models.DateField(
        _("entry into force"),
        null=True,
        blank=True,
        help_text=_("The date it entered into force, if it has."),
    )
    official_reference = models.CharField(
        _("official reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. A/RES/64/293 or OJ L 101, 15.4.2011."),
    )
    parties_count = models.PositiveIntegerField(
        _("number of parties"), null=True, blank=True, help_text=_("As stated by the source.")
    )
    parties_as_of = models.CharField(
        _("parties as of"),
        max_length=120,
        blank=True,
        help_text=_("Whose count and when, e.g. 'the paper (2011)'."),
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("Markdown: what it does, in plain language; shown at the top of its page."),
    )
    supplements = models.ForeignKey(
        "self",
        verbose_name=_("supplements"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplemented_by",
        help_text=_("The instrument it supplements, e.g. a protocol's convention."),
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("An earlier instrument it replaces."),
    )
    offences = models.CharField(
        _("offences it covers"),
        max_length=12,
        choices=InstrumentOffences.choices,
        blank=True,
        help_text=_(
            "Whether the offences it covers include trafficking in persons: a binding "
            "instrument is a legal basis for cooperation against trafficking only if they do."
        ),
    )
    offences_note = models.CharField(
        _("offence scope"),
        max_length=300,
        blank=True,
        help_text=_(
            "What its offences cover, in the paper's words (with the paragraph) or from "
            "the source named below, e.g. 'Drug offences only'."
        ),
    )
    official_text = models.URLField(
        _("official text"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_(
            "Its official text or record at its depositary or publisher (UN Treaty "
            "Collection, EUR-Lex, OHCHR, OSCE, SAARC, the PCC SEE Secretariat)."
        ),
    )
    external_source = models.CharField(
        _("external source"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Where facts not stated in the paper come from (dates, references, the "
            "official text), with their addresses."
        ),
    )
    documents = models.ManyToManyField(
        "paper.CitedDocument",
        verbose_name=_("documents"),
        related_name="instruments",
        blank=True,
        help_text=_(
            "Documents the paper cites that are or contain this instrument (its adopting "
            "resolution, its official text)."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        help_text=_("Drafts are hidden from the public; editors can preview them on the site."),
    )

    objects = SlugManager.from_queryset(InstrumentQuerySet)()
    history = History(m2m_fields=["sources", "documents"])
    # Its page shows the official text first (editorial/linkcheck.py).
    link_fields = ("official_text", "current_url", "url")
    translated_fields = ("short_title",)

    class Meta:
        ordering = ["short_title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            choice_check("kind", InstrumentKind, "instrument_kind_valid"),
            choice_check("scope", InstrumentScope, "instrument_scope_valid"),
            choice_check("status", PublicationStatus, "instrument_status_valid"),
            models.CheckConstraint(
                condition=Q(scope="global", region="") | Q(scope="regional"),
                name="instrument_global_has_no_region",
            ),
            choice_check("offences", InstrumentOffences, "instrument_offences_valid"),
            *web_address_checks("instrument", "url", "current_url", "official_text"),
        ]
        indexes = [
            # The public instrument list filters on status and kind/scope.
            models.Index(fields=["status", "kind"], name="instrument_status_kind_idx"),
        ]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("instruments:instrument_detail", args=[self.slug])

    def first_tools(self):
        """The first published tools that help apply it, by title (``first_tools``)."""
        return first_tools(self, "instruments")

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def force(self):
        """How it can serve a form of cooperation (``InstrumentForce``), as ``force_of`` sorts."""
        if not self.legally_binding:
            return InstrumentForce.GUIDANCE
        if self.offences == InstrumentOffences.TRAFFICKING:
            return InstrumentForce.LEGAL_BASIS
        return InstrumentForce.OTHER_BINDING


def force_of(instrument=""):
    """SQL for ``Instrument.force`` of the instrument at ``instrument`` (a lookup prefix such as
    ``"instrument__"``), to sort by."""
    return models.Case(
        models.When(**{f"{instrument}legally_binding": False}, then=InstrumentForce.GUIDANCE),
        models.When(
            **{f"{instrument}offences": InstrumentOffences.TRAFFICKING},
            then=InstrumentForce.LEGAL_BASIS,
        ),
        default=InstrumentForce.OTHER_BINDING,
        output_field=models.IntegerField(),
    )


class ProvisionQuerySet(models.QuerySet):
    def get_by_natural_key(self, instrument_slug, mechanism_slug):
        return self.get(instrument__slug=instrument_slug, mechanism__slug=mechanism_slug)


class Provision(models.Model):
    """Where an instrument provides for a form of cooperation, e.g. UNTOC art. 16 (extradition)."""

    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        related_name="provisions",
        help_text=_("The instrument that provides for the form of cooperation."),
    )
    mechanism = models.ForeignKey(
        Mechanism,
        verbose_name=_("mechanism"),
        on_delete=models.PROTECT,
        related_name="provisions",
        help_text=_("The form of cooperation it provides for."),
    )
    article = models.CharField(
        _("article"),
        max_length=120,
        blank=True,
        help_text=_("E.g. 'art. 16', 'art. 9(5)', 'Principle 14'. Blank if the source gives none."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Markdown: what the article says about this form of cooperation."),
    )
    external_source = models.CharField(
        _("external source"),
        max_length=500,
        blank=True,
        help_text=_("Where the article reference comes from, if the paper does not state it."),
    )
    sources = models.ManyToManyField(
        "paper.Passage",
        verbose_name=_("sources"),
        related_name="provision_records",
        blank=True,
        help_text=_("The passages of the paper that mention this provision."),
    )

    objects = ProvisionQuerySet.as_manager()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["instrument__short_title", "mechanism__name"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "mechanism"], name="provision_unique_instrument_mechanism"
            ),
        ]

    def __str__(self):
        where = f", {self.article}" if self.article else ""
        return f"{self.instrument}{where}: {self.mechanism}"

    def get_absolute_url(self):
        return self.instrument.get_absolute_url() + f"#provision-{self.mechanism.slug}"

    @property
    def article_order(self):
        """A key that sorts provisions by instrument, then by article number as read ('art. 8'
        before 'art. 16'); provisions without an article come last."""
        numbers = [int(n) for n in re.findall(r"\d+", self.article)]
        return (self.instrument.short_title, not numbers, numbers, self.article)

    def natural_key(self):
        return (self.instrument.slug, self.mechanism.slug)

    natural_key.dependencies = ["instruments.instrument", "instruments.mechanism"]
