"""sitemap.xml: the static pages and every public record, one ``get_absolute_url()`` away."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from guidance.models import Guidance
from instruments.models import Instrument, Mechanism
from paper.models import CitedDocument
from resources.models import Tool


class StaticSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return [
            "portal:home",
            "instruments:mechanism_list",
            "instruments:instrument_list",
            "resources:tool_list",
            "portal:source",
        ]

    def location(self, item):
        return reverse(item)


class InstrumentSitemap(Sitemap):
    def items(self):
        return Instrument.objects.published().order_by("slug")


class MechanismSitemap(Sitemap):
    def items(self):
        return Mechanism.objects.order_by("slug")


class ToolSitemap(Sitemap):
    def items(self):
        return Tool.objects.published().order_by("slug")


class GuidanceSitemap(Sitemap):
    def items(self):
        return Guidance.objects.order_by("slug")


class CitedDocumentSitemap(Sitemap):
    def items(self):
        return CitedDocument.objects.order_by("slug")


sitemaps = {
    "pages": StaticSitemap,
    "cooperation": MechanismSitemap,
    "instruments": InstrumentSitemap,
    "tools": ToolSitemap,
    "guidance": GuidanceSitemap,
    "documents": CitedDocumentSitemap,
}
