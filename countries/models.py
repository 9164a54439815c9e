"""The States (and the European Union) that take part in the instruments, what each source
says of their participation, the groups they belong to, and what they declared.

Participation is recorded as observations, never as a verdict: one ``ParticipationEvent`` is
one thing one source said (a signature, a ratification...), with the source's address and the
date it speaks for ("as at"). Sources can disagree and lists are incomplete, so every
observation is kept and ``countries.status`` reads them; a State with no observation is
"no record here", never "not a party".
"""

import datetime
import unicodedata

from django.db import models
from django.db.models import Q
from django.urls import reverse

from editorial.history import History
from editorial.records import choice_check, web_address, web_address_checks
from instruments.models import Instrument, Organization

URL_HELP = "The address of the source, starting with https:// or http://."


class Precision(models.TextChoices):
    """How much of a date a source gives."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


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
    if precision == Precision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def sort_name(name):
    """``name`` as lists sort it: accents and case folded ("Côte d’Ivoire": "cote d’ivoire")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Region(models.TextChoices):
    """The UN's regions (M49 standard), in which the participants are listed."""

    AFRICA = "africa", "Africa"
    AMERICAS = "americas", "Americas"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"


class ParticipantKind(models.TextChoices):
    STATE = "state", "State"
    ORGANIZATION = "organization", "International organization"


class ParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Participant(models.Model):
    """A State, or an organization such as the European Union, that can take part in treaties."""

    Kind = ParticipantKind

    code = models.SlugField(
        max_length=3,
        unique=True,
        help_text="Its identity in addresses: the ISO 3166 alpha-3 code in lower case (nga), "
        "or 'eu' for the European Union.",
    )
    iso3 = models.CharField(
        "ISO 3166 alpha-3",
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        help_text="Upper case, e.g. NGA. Empty for a participant that is not a country.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATE)
    name = models.CharField(max_length=120, help_text="Its name as the United Nations writes it.")
    aliases = models.TextField(
        blank=True,
        help_text="Other names it goes by or went by, one per line (Swaziland, Turkey...): "
        "search finds it by these.",
    )
    region = models.CharField(
        max_length=10, choices=Region.choices, blank=True, help_text="UN M49 region."
    )
    sub_region = models.CharField(
        max_length=60, blank=True, help_text="UN M49 sub-region, e.g. Western Africa."
    )
    sort_name = models.CharField(
        max_length=120,
        default="",
        editable=False,
        db_index=True,
        help_text="The name without accents, in lower case: lists sort by it (Côte d’Ivoire "
        "between Costa Rica and Croatia on every database).",
    )
    organization = models.OneToOneField(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        help_text="For an organization that takes part in treaties (the EU): its record.",
    )

    objects = ParticipantQuerySet.as_manager()
    history = History()

    class Meta:
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


class EventKind(models.TextChoices):
    SIGNATURE = "signature", "Signature"
    RATIFICATION = "ratification", "Ratification"
    ACCESSION = "accession", "Accession"
    ACCEPTANCE = "acceptance", "Acceptance"
    APPROVAL = "approval", "Approval"
    SUCCESSION = "succession", "Succession"
    CONSENT = "consent", "Party (the source does not say by which act)"


# The acts by which a State consents to be bound: any one of them makes it a party.
CONSENT_KINDS = [kind for kind in EventKind.values if kind != EventKind.SIGNATURE]


class Origin(models.TextChoices):
    IMPORT = "import", "Imported"
    EDITOR = "editor", "Entered by an editor"


class Observed(models.Model):
    """What every observation carries: its source's address, the date it speaks for, a note,
    and whether it was imported (and may be replaced by the next import) or entered by hand."""

    source_url = models.URLField(
        "source", max_length=500, validators=[web_address], help_text=URL_HELP
    )
    derived_from = models.URLField(
        "derived from",
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text="The page the source copied, if it is a copy (e.g. a scrape of the UN "
        "Treaty Collection).",
    )
    other_sources = models.TextField(
        blank=True, help_text="Further addresses the observation rests on, one per line."
    )
    as_at = models.DateField(
        "as at",
        null=True,
        blank=True,
        help_text="The date the source speaks for (empty if the source is undated).",
    )
    as_at_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    note = models.TextField(blank=True, help_text="Doubts, conflicts and the source's wording.")
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.EDITOR,
        help_text="Imported records may be updated by the next import; editors' are never.",
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

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="events")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="participation_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(null=True, blank=True, help_text="As precise as the source gives it.")
    date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    entry_into_force = models.DateField(
        "entry into force for it",
        null=True,
        blank=True,
        help_text="Only where the source states it (some sources give this and not the date of "
        "the act).",
    )

    objects = ParticipationEventQuerySet.as_manager()
    history = History()

    class Meta:
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
        return f"{self.participant}: {self.get_kind_display().lower()} of {self.instrument}"

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
    ORGANIZATION = "organization", "Members of an organization"
    TREATY = "treaty", "Parties to a treaty not recorded here as an instrument"


class Group(models.Model):
    """A group of participants: the members of an organization (EU, ASEAN, OSCE, SAARC), or
    the parties to a treaty the portal does not hold as an instrument. Being a member is not
    being bound by any instrument; ``BindingRule`` says where membership does bind."""

    Kind = GroupKind

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, help_text="As lists show it, e.g. EU.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_label = models.CharField(
        max_length=120,
        unique=True,
        help_text="How the participation data names it (the 'group' column), for the importer.",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
        help_text="The organization whose members these are, if the portal has it.",
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_lists",
        help_text="If this list is of the parties to an instrument the portal holds, the "
        "importer records its rows as participation in that instrument instead.",
    )
    note = models.TextField(blank=True, help_text="What the list is and how far to trust it.")

    objects = GroupQuerySet.as_manager()
    history = History()

    class Meta:
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

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="memberships"
    )
    joined = models.DateField(null=True, blank=True)
    joined_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["group__short_name", "participant__sort_name"]
        constraints = [
            *web_address_checks("membership", "source_url", "derived_from"),
            models.UniqueConstraint(
                fields=["group", "participant", "source_url"], name="one_membership_per_source"
            ),
        ]

    def __str__(self):
        return f"{self.participant} in {self.group}"

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
        Instrument, on_delete=models.CASCADE, related_name="binding_rule"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="binding_rules")
    excluded = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="excluded_by",
        help_text="Members the instrument itself says it does not bind.",
    )
    source_url = models.URLField(
        "source", max_length=500, validators=[web_address], help_text=URL_HELP
    )
    source_quote = models.TextField(
        help_text="The source's words on who is bound (and who is not), quoted."
    )
    as_at = models.DateField(
        "as at", null=True, blank=True, help_text="The date of the source (its publication)."
    )
    note = models.TextField(blank=True, help_text="Limits of the source, what is not known.")

    objects = BindingRuleQuerySet.as_manager()
    history = History(m2m_fields=["excluded"])

    class Meta:
        constraints = [*web_address_checks("binding_rule", "source_url")]

    def __str__(self):
        return f"{self.instrument} binds {self.group} members"

    def natural_key(self):
        return (self.instrument.slug,)

    natural_key.dependencies = ["instruments.instrument", "countries.group"]


class DeclarationKind(models.TextChoices):
    RESERVATION = "reservation", "Reservation"
    DECLARATION = "declaration", "Declaration"
    NOTIFICATION = "notification", "Notification"
    DESIGNATION = "designation", "Designation of an authority"


class Declaration(Observed):
    """What a participant declared, reserved or notified under an instrument (whether it takes
    the Convention as the legal basis for extradition, its central authority...). Editors
    enter these from the depositary's record; none is imported."""

    Kind = DeclarationKind

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="declarations"
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="declarations"
    )
    article = models.CharField(
        max_length=60, blank=True, help_text="The article it concerns, e.g. art. 16(5)."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(help_text="Its words, quoted from the source.")

    history = History()

    class Meta:
        ordering = ["instrument__short_title", "article"]
        constraints = [
            choice_check("kind", DeclarationKind, "declaration_kind_valid"),
            *web_address_checks("declaration", "source_url", "derived_from"),
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_kind_display().lower()}, {self.instrument}"


class ImportRun(models.Model):
    """One run of ``import_participation`` on one file, with its report, for editors to read."""

    file = models.CharField(max_length=200)
    ran_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    report = models.TextField()

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = "participation import"

    def __str__(self):
        return f"{self.file}, {self.ran_at:%Y-%m-%d %H:%M}"
