"""The States (and the European Union) that take part in the instruments, what each source
says of their participation, the groups they belong to, and what they declared.

Participation is recorded as observations, never as a verdict: one ``ParticipationEvent`` is
one thing one source said (a signature, a ratification...), with the source's address and the
date it speaks for ("as at"). Sources can disagree and lists are incomplete, so every
observation is kept and ``countries.status`` reads them; a State with no observation is
"no record here", never "not a party".
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from countries import names
from editorial.history import History
from editorial.records import choice_check, web_address, web_address_checks
from instruments.models import Instrument, Organization
from search.text import fold

URL_HELP = _("The address of the source, starting with https:// or http://.")


class Precision(models.TextChoices):
    """How much of a date a source gives."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def parse_partial_date(text):
    """``(date, precision)`` of ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``(None, "")`` for
    blank. Raises ValueError for anything else (or a day that does not exist)."""
    text = (text or "").strip()
    if not text:
        return None, ""
    parts = text.split("-")
    if len(parts) > 3 or not all(part.isdigit() for part in parts) or len(parts[0]) != 4:
        raise ValueError(f"not a date: {text!r} (YYYY-MM-DD, YYYY-MM or YYYY)")
    if any(len(part) != 2 for part in parts[1:]):
        raise ValueError(f"not a date: {text!r} (YYYY-MM-DD, YYYY-MM or YYYY)")
    numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
    precision = [Precision.YEAR, Precision.MONTH, Precision.DAY][len(parts) - 1]
    return datetime.date(*numbers), precision


def show_partial_date(date, precision):
    """A date as precise as its source: "12 December 2000", "September 2019", "2007"."""
    if date is None:
        return ""
    if precision == Precision.YEAR:
        return f"{date.year}"
    # The formats of the page's language (Django's, portal/formats/ for English).
    if precision == Precision.MONTH:
        return formats.date_format(date, "YEAR_MONTH_FORMAT")
    return formats.date_format(date)


# A name as lists sort it: accents and case folded ("Côte d’Ivoire": "cote d’ivoire"), as search
# folds words (migration 0002 imports it under this name).
sort_name = fold


class Region(models.TextChoices):
    """The UN's regions (M49 standard), in which the participants are listed."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


class ParticipantKind(models.TextChoices):
    STATE = "state", _("State")
    ORGANIZATION = "organization", _("International organization")


class ParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Participant(models.Model):
    """A State, or an organization such as the European Union, that can take part in treaties."""

    Kind = ParticipantKind

    code = models.SlugField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_(
            "Its identity in addresses: the ISO 3166 alpha-3 code in lower case (nga), "
            "or 'eu' for the European Union."
        ),
    )
    iso3 = models.CharField(
        _("ISO 3166 alpha-3"),
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Upper case, e.g. NGA. Empty for a participant that is not a country."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATE)
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Its name as the United Nations writes it.")
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other names it goes by or went by, one per line (Swaziland, Turkey...): "
            "search finds it by these."
        ),
    )
    region = models.CharField(
        _("region"),
        max_length=10,
        choices=Region.choices,
        blank=True,
        help_text=_("UN M49 region."),
    )
    sub_region = models.CharField(
        _("sub region"),
        max_length=60,
        blank=True,
        help_text=_("UN M49 sub-region, e.g. Western Africa."),
    )
    sort_name = models.CharField(
        _("sort name"),
        max_length=120,
        default="",
        editable=False,
        db_index=True,
        help_text=_(
            "The name without accents, in lower case: lists sort by it (Côte d’Ivoire "
            "between Costa Rica and Croatia on every database)."
        ),
    )
    organization = models.OneToOneField(
        Organization,
        on_delete=models.SET_NULL,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        related_name="participant",
        help_text=_("For an organization that takes part in treaties (the EU): its record."),
    )

    objects = ParticipantQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["sort_name"]
        constraints = [
            choice_check("kind", ParticipantKind, "participant_kind_valid"),
            models.CheckConstraint(
                condition=Q(region__in=[*Region.values, ""]), name="participant_region_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = sort_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("countries:participant_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def local_name(self):
        """Its name in the reader's language (countries/names.py)."""
        return names.local_name(self)


class EventKind(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    SUCCESSION = "succession", _("Succession")
    CONSENT = "consent", _("Party (the source does not say by which act)")


# The acts by which a State consents to be bound: any one of them makes it a party.
CONSENT_KINDS = [kind for kind in EventKind.values if kind != EventKind.SIGNATURE]


class Origin(models.TextChoices):
    IMPORT = "import", _("Imported")
    EDITOR = "editor", _("Entered by an editor")


class Observed(models.Model):
    """What every observation carries: its source's address, the date it speaks for, a note,
    and whether it was imported (and may be replaced by the next import) or entered by hand."""

    source_url = models.URLField(
        _("source"), max_length=500, validators=[web_address], help_text=URL_HELP
    )
    derived_from = models.URLField(
        _("derived from"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_(
            "The page the source copied, if it is a copy (e.g. a scrape of the UN "
            "Treaty Collection)."
        ),
    )
    other_sources = models.TextField(
        _("other sources"),
        blank=True,
        help_text=_("Further addresses the observation rests on, one per line."),
    )
    as_at = models.DateField(
        _("as at"),
        null=True,
        blank=True,
        help_text=_("The date the source speaks for (empty if the source is undated)."),
    )
    as_at_precision = models.CharField(
        _("as at precision"), max_length=5, choices=Precision.choices, blank=True
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Doubts, conflicts and the source's wording.")
    )
    origin = models.CharField(
        _("origin"),
        max_length=10,
        choices=Origin.choices,
        default=Origin.EDITOR,
        help_text=_("Imported records may be updated by the next import; editors' are never."),
    )

    class Meta:
        abstract = True

    @property
    def as_at_display(self):
        return show_partial_date(self.as_at, self.as_at_precision)


class ParticipationEventQuerySet(models.QuerySet):
    def get_by_natural_key(self, instrument, participant, kind, source_url):
        return self.get(
            instrument__slug=instrument,
            participant__code=participant,
            kind=kind,
            source_url=source_url,
        )


class ParticipationEvent(Observed):
    """One source's observation of one act of one participant in one instrument."""

    Kind = EventKind

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, verbose_name=_("participant"), related_name="events"
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        verbose_name=_("instrument"),
        related_name="participation_events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("As precise as the source gives it.")
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, blank=True
    )
    entry_into_force = models.DateField(
        _("entry into force for it"),
        null=True,
        blank=True,
        help_text=_(
            "Only where the source states it (some sources give this and not the date of the act)."
        ),
    )

    objects = ParticipationEventQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        ordering = ["participant__sort_name", "instrument__short_title", "date"]
        constraints = [
            choice_check("kind", EventKind, "participation_event_kind_valid"),
            *web_address_checks("participation_event", "source_url", "derived_from"),
            models.UniqueConstraint(
                fields=["instrument", "participant", "kind", "source_url"],
                name="one_event_per_act_and_source",
            ),
        ]
        indexes = [models.Index(fields=["instrument", "participant"])]

    def __str__(self):
        # Translators: "Nigeria: ratification of Trafficking in Persons Protocol" (the admin).
        return gettext("%(participant)s: %(act)s of %(instrument)s") % {
            "participant": self.participant,
            "act": self.get_kind_display().lower(),
            "instrument": self.instrument,
        }

    def natural_key(self):
        return (self.instrument.slug, self.participant.code, self.kind, self.source_url)

    natural_key.dependencies = ["instruments.instrument", "countries.participant"]

    @property
    def is_consent(self):
        return self.kind in CONSENT_KINDS

    @property
    def date_display(self):
        return show_partial_date(self.date, self.date_precision)


class GroupQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class GroupKind(models.TextChoices):
    ORGANIZATION = "organization", _("Members of an organization")
    TREATY = "treaty", _("Parties to a treaty not recorded here as an instrument")


class Group(models.Model):
    """A group of participants: the members of an organization (EU, ASEAN, OSCE, SAARC), or
    the parties to a treaty the portal does not hold as an instrument. Being a member is not
    being bound by any instrument; ``BindingRule`` says where membership does bind."""

    Kind = GroupKind

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=40, help_text=_("As lists show it, e.g. EU.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_label = models.CharField(
        _("source label"),
        max_length=120,
        unique=True,
        help_text=_("How the participation data names it (the 'group' column), for the importer."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        related_name="groups",
        help_text=_("The organization whose members these are, if the portal has it."),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.SET_NULL,
        verbose_name=_("instrument"),
        null=True,
        blank=True,
        related_name="party_lists",
        help_text=_(
            "If this list is of the parties to an instrument the portal holds, the "
            "importer records its rows as participation in that instrument instead."
        ),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the list is and how far to trust it.")
    )

    objects = GroupQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["short_name"]
        constraints = [choice_check("kind", GroupKind, "group_kind_valid")]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.slug,)


class MembershipQuerySet(models.QuerySet):
    def get_by_natural_key(self, group, participant, source_url):
        return self.get(group__slug=group, participant__code=participant, source_url=source_url)


class Membership(Observed):
    """One source's observation that a participant belongs to a group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, verbose_name=_("group"), related_name="memberships"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        verbose_name=_("participant"),
        related_name="memberships",
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    joined_precision = models.CharField(
        _("joined precision"), max_length=5, choices=Precision.choices, blank=True
    )

    objects = MembershipQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group__short_name", "participant__sort_name"]
        constraints = [
            *web_address_checks("membership", "source_url", "derived_from"),
            models.UniqueConstraint(
                fields=["group", "participant", "source_url"], name="one_membership_per_source"
            ),
        ]

    def __str__(self):
        # Translators: a State's membership of a group: "Denmark in EU" (the admin).
        return gettext("%(participant)s in %(group)s") % {
            "participant": self.participant,
            "group": self.group,
        }

    def natural_key(self):
        return (self.group.slug, self.participant.code, self.source_url)

    natural_key.dependencies = ["countries.group", "countries.participant"]

    @property
    def joined_display(self):
        return show_partial_date(self.joined, self.joined_precision)


class BindingRuleQuerySet(models.QuerySet):
    def get_by_natural_key(self, instrument):
        return self.get(instrument__slug=instrument)


class BindingRule(models.Model):
    """An instrument that binds the members of a group, save those it excludes (the EU
    Directive binds the EU Member States but Denmark), as its source says."""

    instrument = models.OneToOneField(
        Instrument,
        on_delete=models.CASCADE,
        verbose_name=_("instrument"),
        related_name="binding_rule",
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, verbose_name=_("group"), related_name="binding_rules"
    )
    excluded = models.ManyToManyField(
        Participant,
        verbose_name=_("excluded"),
        blank=True,
        related_name="excluded_by",
        help_text=_("Members the instrument itself says it does not bind."),
    )
    source_url = models.URLField(
        _("source"), max_length=500, validators=[web_address], help_text=URL_HELP
    )
    source_quote = models.TextField(
        _("source quote"),
        help_text=_("The source's words on who is bound (and who is not), quoted."),
    )
    as_at = models.DateField(
        _("as at"), null=True, blank=True, help_text=_("The date of the source (its publication).")
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Limits of the source, what is not known.")
    )

    objects = BindingRuleQuerySet.as_manager()
    history = History(m2m_fields=["excluded"])

    class Meta:
        verbose_name = _("binding rule")
        verbose_name_plural = _("binding rules")
        constraints = [*web_address_checks("binding_rule", "source_url")]

    def __str__(self):
        # Translators: a binding rule: "EU Directive 2011/36 binds EU members" (the admin).
        return gettext("%(instrument)s binds %(group)s members") % {
            "instrument": self.instrument,
            "group": self.group,
        }

    def natural_key(self):
        return (self.instrument.slug,)

    natural_key.dependencies = ["instruments.instrument", "countries.group"]


class DeclarationKind(models.TextChoices):
    RESERVATION = "reservation", _("Reservation")
    DECLARATION = "declaration", _("Declaration")
    NOTIFICATION = "notification", _("Notification")
    DESIGNATION = "designation", _("Designation of an authority")


class Declaration(Observed):
    """What a participant declared, reserved or notified under an instrument (whether it takes
    the Convention as the legal basis for extradition, its central authority...). Editors
    enter these from the depositary's record; none is imported."""

    Kind = DeclarationKind

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        verbose_name=_("participant"),
        related_name="declarations",
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        verbose_name=_("instrument"),
        related_name="declarations",
    )
    article = models.CharField(
        _("article"),
        max_length=60,
        blank=True,
        help_text=_("The article it concerns, e.g. art. 16(5)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), help_text=_("Its words, quoted from the source."))

    history = History()

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["instrument__short_title", "article"]
        constraints = [
            choice_check("kind", DeclarationKind, "declaration_kind_valid"),
            *web_address_checks("declaration", "source_url", "derived_from"),
        ]

    def __str__(self):
        # Translators: a declaration: "Nigeria: reservation, UNTOC" (the admin).
        return gettext("%(participant)s: %(kind)s, %(instrument)s") % {
            "participant": self.participant,
            "kind": self.get_kind_display().lower(),
            "instrument": self.instrument,
        }


class ImportRun(models.Model):
    """One run of ``import_participation`` on one file, with its report, for editors to read."""

    file = models.CharField(_("file"), max_length=200)
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    report = models.TextField(_("report"))

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("participation import")
        verbose_name_plural = _("participation imports")

    def __str__(self):
        return f"{self.file}, {self.ran_at:%Y-%m-%d %H:%M}"
