"""Recommended tools, the parts of them the paper singles out, and the audiences they serve."""

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    not_in_the_future,
    web_address,
    web_address_checks,
)
from instruments.models import Instrument, Mechanism
from paper.models import SourcedModel


class Audience(SlugNaturalKeyMixin, models.Model):
    """Who a tool is written for: prosecutors, central authorities, police, NGOs..."""

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Who they are, e.g. 'Prosecutors'.")
    )
    narrower = models.ManyToManyField(
        "self",
        verbose_name=_("narrower"),
        symmetrical=False,
        related_name="broader",
        blank=True,
        help_text=_(
            "The audiences it includes: a tool written for it is for them too (criminal "
            "justice practitioners include prosecutors)."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the tools filter.")
    )

    objects = SlugManager()
    history = History(m2m_fields=["narrower"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:tool_list") + f"?audience={self.slug}"


class ToolQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def featured(self):
        """Published tools chosen for the home page, with their publisher."""
        # "IN (true)", not the bare column SQLite is given for featured=True, which no index
        # serves: read from tool_featured_idx, rather than every published tool.
        return self.published().filter(featured__in=[True]).select_related("publisher")

    def matching(self, q):
        """Tools matching the search ``q`` (words, "phrases", OR, -excluded; stemmed,
        accents and case ignored), best first as ``search_rank``; a blank ``q`` changes
        nothing. Full-text search over the tool with its parts and publisher
        (search/; docs/search.md)."""
        return search.matching(self, q)

    def for_list(self):
        """Published tools with their publisher, and their audiences and mechanisms as lists
        (``audience_list``, ``mechanism_list``): a prefetch into a list skips making a related
        manager and a queryset per tool (20 tools: 7 ms of ORM work down to 4)."""
        return (
            self.published()
            .select_related("publisher")
            .prefetch_related(
                Prefetch("audiences", to_attr="audience_list"),
                Prefetch("mechanisms", to_attr="mechanism_list"),
            )
        )

    def for_detail(self):
        """A tool with its parts (and what they serve), mechanisms, published instruments,
        audiences and sources."""
        return self.select_related("publisher").prefetch_related(
            Prefetch("parts", queryset=ToolPart.objects.prefetch_related("mechanisms", "sources")),
            Prefetch("mechanisms", queryset=Mechanism.objects.select_related("category")),
            Prefetch("instruments", queryset=Instrument.objects.published()),
            "audiences",
            "sources",
        )


class ToolKind(models.TextChoices):
    MODEL_LAW = "model-law", _("Model law")
    MANUAL = "manual", _("Manual")
    ONLINE_TOOL = "online-tool", _("Online tool")
    DIRECTORY = "directory", _("Directory")
    TOOLKIT = "toolkit", _("Toolkit")
    COMMENTARY = "commentary", _("Commentary")
    HANDBOOK = "handbook", _("Handbook")
    MODEL_AGREEMENT = "model-agreement", _("Model agreement")
    GUIDELINES = "guidelines", _("Guidelines")


class Tool(Addressed, SourcedModel):
    """A recommended tool: a model law, manual, online tool, directory, toolkit or guide."""

    Kind = ToolKind

    slug = models.SlugField(_("slug"), unique=True, help_text=SLUG_HELP)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The full title, as the publisher gives it.")
    )
    short_title = models.CharField(
        _("short title"),
        max_length=120,
        blank=True,
        help_text=_("A shorter name for lists, e.g. 'Model Law'."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, help_text=_("What kind of tool it is.")
    )
    publisher = models.ForeignKey(
        "instruments.Organization",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="tools",
        help_text=_("The organization that publishes it."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[not_in_the_future],
        help_text=_("The year it was published."),
    )
    description = models.TextField(
        _("description"),
        help_text=_("Markdown: what it offers and to whom; shown at the top of its page."),
    )
    audiences = models.ManyToManyField(
        Audience,
        verbose_name=_("audiences"),
        related_name="tools",
        blank=True,
        help_text=_("Who it is written for; the tools list can be filtered by them."),
    )
    mechanisms = models.ManyToManyField(
        "instruments.Mechanism",
        verbose_name=_("mechanisms"),
        related_name="tools",
        blank=True,
        help_text=_("Forms of cooperation this tool helps with."),
    )
    instruments = models.ManyToManyField(
        "instruments.Instrument",
        verbose_name=_("instruments"),
        related_name="tools",
        blank=True,
        help_text=_("Instruments this tool helps implement or use."),
    )
    external_source = models.CharField(
        _("external source"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Where facts not stated in the paper come from (publisher, year, current "
            "address, titles), with their addresses."
        ),
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the home page.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        help_text=_("Drafts are hidden from the public; editors can preview them on the site."),
    )

    objects = SlugManager.from_queryset(ToolQuerySet)()
    history = History(m2m_fields=["audiences", "mechanisms", "instruments", "sources"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        constraints = [
            choice_check("kind", ToolKind, "tool_kind_valid"),
            choice_check("status", PublicationStatus, "tool_status_valid"),
            *web_address_checks("tool", "url", "current_url"),
        ]
        indexes = [
            # The public tools list pages them in title order: a page of the published tools
            # reads the first rows of this index instead of sorting every tool (the API list,
            # the tools list).
            models.Index(fields=["status", "title"], name="tool_status_title_idx"),
            # ... filtered by kind or by publisher, the first rows of these (?kind=manual sorted
            # its 11,000 manuals of 100,000 tools for every page).
            models.Index(fields=["status", "kind", "title"], name="tool_status_kind_title_idx"),
            models.Index(fields=["status", "publisher", "title"], name="tool_status_publisher_idx"),
            # The home page's featured tools, without reading every tool (Tool.objects.featured).
            models.Index(fields=["featured", "status", "title"], name="tool_featured_idx"),
        ]

    def __str__(self):
        return self.short_title or self.title

    def get_absolute_url(self):
        return reverse("resources:tool_detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED


class ToolPartQuerySet(models.QuerySet):
    def get_by_natural_key(self, tool_slug, slug):
        return self.get(tool__slug=tool_slug, slug=slug)


class ToolPartKind(models.TextChoices):
    MODULE = "module", pgettext_lazy("kind of part of a tool", "Module")
    CHAPTER = "chapter", pgettext_lazy("kind of part of a tool", "Chapter")
    TOOL = "tool", pgettext_lazy("kind of part of a tool", "Tool")
    PART = "part", pgettext_lazy("kind of part of a tool", "Part")
    SECTION = "section", pgettext_lazy("kind of part of a tool", "Section")


class ToolPart(models.Model):
    """A part of a tool the paper singles out: a module, chapter, tool or part."""

    Kind = ToolPartKind

    tool = models.ForeignKey(
        Tool,
        verbose_name=_("tool"),
        on_delete=models.CASCADE,
        related_name="parts",
        help_text=_("The tool it is part of."),
    )
    slug = models.SlugField(_("slug"), help_text=_("Unique within the tool, e.g. tool-4-1."))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        help_text=_("What the tool calls this part."),
    )
    label = models.CharField(_("label"), max_length=40, help_text=_("E.g. 'Module 6', 'Tool 4.1'."))
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Its title, if it has one.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: what this part covers; shown on the tool's page."),
    )
    url = models.URLField(
        _("address given by the source"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_("The web address the paper gives for this part, if any."),
    )
    mechanisms = models.ManyToManyField(
        "instruments.Mechanism",
        verbose_name=_("mechanisms"),
        related_name="tool_parts",
        blank=True,
        help_text=_("Forms of cooperation this part helps with."),
    )
    sources = models.ManyToManyField(
        "paper.Passage",
        verbose_name=_("sources"),
        related_name="toolpart_records",
        blank=True,
        help_text=_("The passages of the paper that mention this part."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order on the tool's page.")
    )

    objects = ToolPartQuerySet.as_manager()
    history = History(m2m_fields=["mechanisms", "sources"])
    # The web addresses its page gives, the one shown first first (editorial/linkcheck.py).
    link_fields = ("url",)

    class Meta:
        ordering = ["tool", "position", "label"]
        verbose_name = _("tool part")
        verbose_name_plural = _("tool parts")
        constraints = [
            choice_check("kind", ToolPartKind, "toolpart_kind_valid"),
            models.UniqueConstraint(fields=["tool", "slug"], name="toolpart_unique_slug_per_tool"),
            *web_address_checks("toolpart", "url"),
        ]

    def __str__(self):
        return f"{self.tool}, {self.label}"

    def get_absolute_url(self):
        return self.tool.get_absolute_url() + f"#part-{self.slug}"

    def natural_key(self):
        return (self.tool.slug, self.slug)

    natural_key.dependencies = ["resources.tool"]
