from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    """The source paper and what it cites: its sections and citable passages (paragraphs, annex
    entries, footnotes), the documents it refers to, and the link by which every record of the
    portal cites the passages it comes from."""

    name = "paper"
    verbose_name = _("Paper")
