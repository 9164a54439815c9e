"""sitemap.xml: the static pages and every public record, one ``get_absolute_url()`` away, in
every language of the interface, each address with its alternates (hreflang)."""

from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from countries.models import Participant
from editorial.conditional import content_state
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism
from paper.models import CitedDocument
from resources.models import Tool


class Pages(Sitemap):
    """Each page once per language (English first), naming the others as its alternates and
    English as the default for other languages."""

    i18n = True
    alternates = True
    x_default = True
    languages = [settings.LANGUAGE_CODE] + [
        code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


class StaticSitemap(Pages):
    priority = 0.8

    def items(self):
        return [
            "portal:home",
            "instruments:mechanism_list",
            "instruments:instrument_list",
            "resources:tool_list",
            "countries:participant_list",
            "portal:pathfinder",
            "portal:source",
        ]

    def location(self, item):
        return reverse(item)

    @cached_property
    def newest_change(self):
        return content_state()[0]

    def lastmod(self, item):
        # These pages list records of every kind: they change when any record does.
        return self.newest_change


def last_updated(record):
    """A record page's lastmod: its "last updated" date (None if never set)."""
    return record.updated_on


class InstrumentSitemap(Pages):
    lastmod = staticmethod(last_updated)

    def items(self):
        return Instrument.objects.published().order_by("slug")


class MechanismSitemap(Pages):
    lastmod = staticmethod(last_updated)

    def items(self):
        return Mechanism.objects.order_by("slug")


class ToolSitemap(Pages):
    lastmod = staticmethod(last_updated)

    def items(self):
        return Tool.objects.published().order_by("slug")


class GuidanceSitemap(Pages):
    lastmod = staticmethod(last_updated)

    def items(self):
        return Guidance.objects.order_by("slug")


class ParticipantSitemap(Pages):
    def items(self):
        return Participant.objects.order_by("code")


class CitedDocumentSitemap(Pages):
    lastmod = staticmethod(last_updated)

    def items(self):
        return CitedDocument.objects.order_by("slug")


sitemaps = {
    "pages": StaticSitemap,
    "cooperation": MechanismSitemap,
    "instruments": InstrumentSitemap,
    "tools": ToolSitemap,
    "guidance": GuidanceSitemap,
    "countries": ParticipantSitemap,
    "documents": CitedDocumentSitemap,
}
