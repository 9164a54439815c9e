from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from instruments.sourcing import (
    PublicationStatus,
    SlugManager,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    SourcedModel,
)


def choice_check(field, choices, name):
    """A named check constraint that keeps ``field`` within its TextChoices, in the database."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class OrganizationKind(models.TextChoices):
    UN_ENTITY = "un-entity", "United Nations entity"
    UN_ORGAN = "un-organ", "United Nations organ"
    TREATY_BODY = "treaty-body", "Conference or treaty body"
    REGIONAL = "regional-organization", "Regional organization"
    INTERNATIONAL = "international-organization", "International organization"


class Organization(SourcedModel):
    Kind = OrganizationKind

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="Acronym, e.g. UNODC.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    url = models.URLField("web address", blank=True, max_length=500)
    description = models.TextField(blank=True, help_text="Markdown.")

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [choice_check("kind", OrganizationKind, "organization_kind_valid")]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("instruments:organization_detail", args=[self.slug])


class MechanismCategory(SlugNaturalKeyMixin, models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="Markdown; one or two sentences.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on pages.")

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "mechanism categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("instruments:mechanism_list") + f"#{self.slug}"


class MechanismQuerySet(SlugQuerySet):
    def for_list(self):
        """Mechanisms with their category and how many published instruments provide each."""
        return self.select_related("category").annotate(
            instrument_count=Count(
                "provisions__instrument",
                filter=Q(provisions__instrument__status=PublicationStatus.PUBLISHED),
                distinct=True,
            )
        )

    def for_home(self):
        """Mechanisms with how many published instruments and published tools serve each.

        The tools are counted through the reverse name of ``resources.Tool.mechanisms``, so this
        app needs no import of ``resources``.
        """
        return self.annotate(
            instrument_count=Count(
                "provisions__instrument",
                filter=Q(provisions__instrument__status=PublicationStatus.PUBLISHED),
                distinct=True,
            ),
            tool_count=Count(
                "tools", filter=Q(tools__status=PublicationStatus.PUBLISHED), distinct=True
            ),
        )


class MechanismFormality(models.TextChoices):
    FORMAL = "formal", "Formal"
    INFORMAL = "informal", "Informal"
    BOTH = "both", "Formal or informal"
    UNSPECIFIED = "", "Not drawn by the paper"


class Mechanism(SourcedModel):
    """A form of international cooperation, e.g. extradition or hot pursuit."""

    Formality = MechanismFormality

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    category = models.ForeignKey(
        MechanismCategory, on_delete=models.PROTECT, related_name="mechanisms"
    )
    summary = models.TextField(help_text="Markdown: what this cooperation is, in plain language.")
    formality = models.CharField(
        max_length=10,
        choices=Formality.choices,
        blank=True,
        help_text="Only where the paper draws the line between formal and informal cooperation.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within its category.")

    objects = SlugManager.from_queryset(MechanismQuerySet)()

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [choice_check("formality", MechanismFormality, "mechanism_formality_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("instruments:mechanism_detail", args=[self.slug])


class InstrumentQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def for_list(self):
        return self.published().select_related("adopted_by")

    def for_detail(self):
        return self.select_related("adopted_by", "supplements", "replaces").prefetch_related(
            Prefetch(
                "provisions",
                queryset=Provision.objects.select_related("mechanism__category").prefetch_related(
                    "sources"
                ),
            ),
            Prefetch("supplemented_by", queryset=Instrument.objects.published()),
            Prefetch("replaced_by", queryset=Instrument.objects.published()),
            "sources",
        )


class InstrumentScope(models.TextChoices):
    GLOBAL = "global", "Global"
    REGIONAL = "regional", "Regional"


class InstrumentKind(models.TextChoices):
    CONVENTION = "convention", "Convention"
    PROTOCOL = "protocol", "Protocol"
    DIRECTIVE = "directive", "Directive"
    FRAMEWORK_DECISION = "framework-decision", "Framework decision"
    PLAN_OF_ACTION = "plan-of-action", "Plan of action"
    PRINCIPLES = "principles-and-guidelines", "Principles and guidelines"
    RESOLUTION = "resolution", "Resolution"
    AGREEMENT = "agreement", "Agreement"


class Instrument(SourcedModel):
    """A convention, protocol, directive, plan of action or set of principles."""

    Kind = InstrumentKind

    Scope = InstrumentScope

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, help_text="As practitioners call it.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    legally_binding = models.BooleanField(
        help_text="Does it create obligations for the States that are bound by it?"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices)
    region = models.CharField(
        max_length=80, blank=True, help_text="For regional instruments, e.g. South Asia."
    )
    adopted_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="instruments",
        null=True,
        blank=True,
    )
    adopted_on = models.DateField(null=True, blank=True)
    adopted_at = models.CharField("place of adoption", max_length=120, blank=True)
    entry_into_force = models.DateField(null=True, blank=True)
    official_reference = models.CharField(
        max_length=200, blank=True, help_text="E.g. A/RES/64/293 or OJ L 101, 15.4.2011."
    )
    parties_count = models.PositiveIntegerField(
        "number of parties", null=True, blank=True, help_text="As stated by the source."
    )
    parties_as_of = models.CharField(
        max_length=120, blank=True, help_text="Whose count and when, e.g. 'the paper (2011)'."
    )
    url = models.URLField(
        "address given by the source",
        max_length=500,
        blank=True,
        help_text="The web address the paper gives; kept even if it has moved.",
    )
    current_url = models.URLField(
        "current address",
        max_length=500,
        blank=True,
        help_text="Where the text is found today, if the source's address has moved.",
    )
    summary = models.TextField(help_text="Markdown.")
    supplements = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supplemented_by"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    external_source = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where facts not stated in the paper come from (dates, references).",
    )
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )

    objects = SlugManager.from_queryset(InstrumentQuerySet)()

    class Meta:
        ordering = ["short_title"]
        constraints = [
            choice_check("kind", InstrumentKind, "instrument_kind_valid"),
            choice_check("scope", InstrumentScope, "instrument_scope_valid"),
            choice_check("status", PublicationStatus, "instrument_status_valid"),
            models.CheckConstraint(
                condition=Q(scope="global", region="") | Q(scope="regional"),
                name="instrument_global_has_no_region",
            ),
        ]
        indexes = [
            # The public instrument list filters on status and kind/scope.
            models.Index(fields=["status", "kind"], name="instrument_status_kind_idx"),
        ]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("instruments:instrument_detail", args=[self.slug])

    @property
    def best_url(self):
        return self.current_url or self.url


class ProvisionQuerySet(models.QuerySet):
    def get_by_natural_key(self, instrument_slug, mechanism_slug):
        return self.get(instrument__slug=instrument_slug, mechanism__slug=mechanism_slug)


class Provision(models.Model):
    """Where an instrument provides for a form of cooperation, e.g. UNTOC art. 16 (extradition)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="provisions")
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="provisions")
    article = models.CharField(
        max_length=120,
        blank=True,
        help_text="E.g. 'art. 16', 'art. 9(5)', 'Principle 14'. Blank if the source gives none.",
    )
    note = models.TextField(blank=True, help_text="Markdown.")
    external_source = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the article reference comes from, if the paper does not state it.",
    )
    sources = models.ManyToManyField("portal.Passage", related_name="provision_records", blank=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument__short_title", "mechanism__name"]
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

    def natural_key(self):
        return (self.instrument.slug, self.mechanism.slug)

    natural_key.dependencies = ["instruments.instrument", "instruments.mechanism"]
