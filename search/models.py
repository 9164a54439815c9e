"""The search index's tables, backend-neutral.

``SearchEntry`` holds one denormalised row per public searchable record (a tool with its parts,
an instrument with its provisions, a paragraph of the paper...), written by the registry's
signal handlers and by ``rebuild_search_index``. The full-text structures that read it are made
by the migration only on their backend: an FTS5 table on SQLite, a generated weighted
``tsvector`` column with a GIN index on PostgreSQL (see ``search/sqlite.py`` and
``search/postgres.py``). ``SearchTerm`` is the index's vocabulary, for "did you mean"
suggestions. ``SearchFacet`` holds the values pages filter and count by ("publisher" 3, "kind"
"manual", "mechanism" 7); each entry lists the ids of its own (``facet_ids``), so a search
counts its facets from the index alone. Nothing here refers to a content model.
"""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdListField(models.Field):
    """A list of whole numbers (ids), stored in the form its backend reads fastest: a
    ``bigint[]`` on PostgreSQL (``unnest``, ``@>``), JSON text on SQLite (``json_each``)."""

    description = _("A list of whole numbers")

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        numbers = [int(number) for number in value]
        return numbers if connection.vendor == "postgresql" else json.dumps(numbers)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value


class SearchEntry(models.Model):
    # "app_label.model_name" of the record, e.g. "resources.tool".
    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # The registry's type, e.g. "tool" or "paragraph" (one model may give several types, so
    # these are not choices: the apps register them at start-up).
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Short titles, acronyms, labels.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("The record's main text, as plain text.")
    )
    extra = models.TextField(
        _("extra"), blank=True, help_text=_("Parts, provisions, publisher, mechanisms.")
    )
    context = models.CharField(
        _("context"), max_length=300, blank=True, help_text=_("A line shown under hits.")
    )
    url = models.CharField(_("url"), max_length=500)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Tie-break order within a type.")
    )
    # The ids of its SearchFacet values (what pages filter and count it by), in the row itself:
    # a search reads them with the match instead of looking up each match's links.
    facet_ids = IdListField(_("facet ids"), default=list, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            # Reindexing a record finds and replaces its one entry.
            models.UniqueConstraint(
                fields=["model", "object_id"], name="searchentry_unique_record"
            ),
        ]
        indexes = [
            # Every search joins its matches to their type, record, position and facet values by
            # id: from this narrow index rather than the wide rows (SQLite names it with
            # INDEXED BY).
            models.Index(
                fields=["id", "kind", "object_id", "position", "facet_ids"],
                name="searchentry_cover_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self):
        return self.url


class SearchTerm(models.Model):
    """A word of the index (lower case, without accents), for "did you mean" suggestions."""

    # The unique index serves the "is this word known?" lookup; PostgreSQL also gets a trigram
    # GIN index (searchterm_term_trgm) for similarity searches.
    term = models.CharField(_("term"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        ordering = ["term"]

    def __str__(self):
        return self.term


class SearchFacet(models.Model):
    """One value pages filter by, as a registered ``Facet`` reads it: a related record's primary
    key ("publisher" "3") or a choice ("kind" "manual"). Primary keys rather than slugs, so
    renaming a publisher's slug leaves the index right."""

    name = models.CharField(_("name"), max_length=30)
    value = models.CharField(_("value"), max_length=120)

    class Meta:
        verbose_name = _("search facet")
        verbose_name_plural = _("search facets")
        constraints = [
            models.UniqueConstraint(fields=["name", "value"], name="searchfacet_unique_value"),
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class SearchCount(models.Model):
    """How many entries of a type have a facet value, or a pair of them, kept beside the index
    as it is written (search/counts.py), so that a list filtered by at most one value reads its
    total and every facet's counts from a few rows instead of counting its records.

    ``first`` and ``second`` are ``SearchFacet`` ids, ``first < second``, 0 standing for none:
    (kind, 0, 0) counts every entry of the type, (kind, 0, f) those with the value f, and
    (kind, f, g) those with both. Not foreign keys: 0 is no facet, and a facet value's rows go
    when its last entry does."""

    kind = models.CharField(_("kind"), max_length=30)
    first = models.PositiveBigIntegerField(_("first facet"))
    second = models.PositiveBigIntegerField(_("second facet"))
    entries = models.IntegerField(_("entries"))

    class Meta:
        verbose_name = _("search count")
        verbose_name_plural = _("search counts")
        constraints = [
            # Writing adds to a row by this key (ON CONFLICT); a list reads its rows through it
            # (kind, first) and through the index below (kind, second).
            models.UniqueConstraint(
                fields=["kind", "first", "second"], name="searchcount_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["kind", "second"], name="searchcount_second_idx")]

    def __str__(self):
        return f"{self.kind} {self.first}+{self.second}: {self.entries}"
