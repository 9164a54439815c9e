"""Pieces every public record shares: a slug as its natural key, and the passages it cites.

``instruments`` is the base app (``portal`` and ``resources`` may import it, never the reverse),
so these helpers live here and the other apps reuse them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

SLUG_HELP = (
    "The last part of its web address on the portal: lowercase letters, digits and hyphens. "
    "Changing it breaks links to the page."
)

# Addresses must be web pages: no ftp:, mailto:, javascript: or file: links.
web_address = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with http:// or https://.",
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
            "The year %(year)s is in the future; enter the year it was published "
            "(%(this_year)s at the latest).",
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


class SourcedModel(SlugNaturalKeyMixin, models.Model):
    """A record derived from the background paper: it cites the passages it comes from, and says
    when an editor last checked it against them."""

    sources = models.ManyToManyField(
        "portal.Passage",
        related_name="%(class)s_records",
        blank=True,
        help_text="The paragraphs, annex entries or footnotes of the source paper this record "
        "comes from.",
    )
    last_verified_on = models.DateField(
        "last verified on",
        null=True,
        blank=True,
        help_text="When an editor last checked this record against its sources; shown on its "
        "page. Set by 'Mark as verified'.",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The editor who last checked it.",
    )

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
