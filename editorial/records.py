"""What every published record is built from: a slug as its public identity and natural key,
web addresses that can only be web pages, choices kept in the database, a draft or published
status, and the date an editor last checked it against its sources.

The content apps (``paper``, ``instruments``, ``resources``, ``guidance``) build their models
from these; nothing here knows any of them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SLUG_HELP = _(
    "The last part of its web address on the portal: lowercase letters, digits and hyphens. "
    "Changing it breaks links to the page."
)

# Addresses must be web pages: no ftp:, mailto:, javascript: or file: links.
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)


def web_address_checks(model_name, *fields):
    """Named check constraints keeping each address field empty or http(s), in the database.

    The form validator above guards the admin; these guard every other way in (fixtures,
    imports, the shell), so a stored address can never become a ``javascript:`` link on a page.
    """
    return [
        models.CheckConstraint(
            condition=Q(**{field: ""})
            | Q(**{f"{field}__istartswith": "http://"})
            | Q(**{f"{field}__istartswith": "https://"}),
            name=f"{model_name}_{field}_is_web_address",
        )
        for field in fields
    ]


def not_in_the_future(year):
    """Validator: a publication year cannot be later than the current year."""
    this_year = datetime.date.today().year
    if year is not None and year > this_year:
        raise ValidationError(
            gettext(
                "The year %(year)s is in the future; enter the year it was published "
                "(%(this_year)s at the latest)."
            ),
            code="future_year",
            params={"year": year, "this_year": this_year},
        )


def can_preview(user, model):
    """Whether ``user`` may see drafts of ``model`` on the site: staff who may change it."""
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


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


class Reviewable(models.Model):
    """A record its editors keep current, and say how: when its text was last checked against
    the passages of the paper it cites, when an editor last verified its facts and addresses (and
    who), when it last changed, and which of its texts are the editors' own, with their source."""

    checked_against_paper_on = models.DateField(
        _("checked against the paper on"),
        null=True,
        blank=True,
        help_text=_(
            "When its text was last checked, word by word, against the passages of the "
            "paper it cites; shown on its page."
        ),
    )
    last_verified_on = models.DateField(
        _("last verified on"),
        null=True,
        blank=True,
        help_text=_(
            "When an editor last verified its facts and web addresses; shown on its page. "
            "Set by 'Mark as verified'."
        ),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The editor who last verified it."),
    )
    updated_on = models.DateField(
        _("last updated on"),
        null=True,
        blank=True,
        help_text=_("When its content last changed; set when an editor saves a change."),
    )
    # {field name: {"source": where the text comes from, "on": "YYYY-MM-DD"}} for each text an
    # editor wrote or changed; every other text of the record is written from the paper.
    editors_text = models.JSONField(
        _("editors' texts"),
        default=dict,
        blank=True,
        help_text=_(
            "The texts editors wrote or changed, each with its source and date; set by the "
            "admin when a text is changed."
        ),
    )

    class Meta:
        abstract = True

    def text_origin(self, field):
        """The editors' source and date of ``field`` (a dict), or None if it is from the paper."""
        return (self.editors_text or {}).get(field)


class Addressed(models.Model):
    """A record whose page gives the web address its source gave (kept as given, even after it
    has moved) and the address where it is found today. The page shows the current one first;
    link health checks both."""

    url = models.URLField(
        _("address given by the source"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_("The web address the paper gives; kept even if it has moved."),
    )
    current_url = models.URLField(
        _("current address"),
        max_length=500,
        blank=True,
        validators=[web_address],
        help_text=_("Where it is found today, if the paper's address has moved."),
    )
    address_note = models.CharField(
        _("note on the address"),
        max_length=300,
        blank=True,
        help_text=_(
            "A warning shown beside the paper's address, e.g. that it leads to another "
            "document than the one named."
        ),
    )

    # The web addresses its page gives, the one shown first first (editorial/linkcheck.py).
    link_fields = ("current_url", "url")

    class Meta:
        abstract = True

    @property
    def best_url(self):
        return self.current_url or self.url


def choice_check(field, choices, name):
    """A named check constraint that keeps ``field`` within its TextChoices, in the database."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
