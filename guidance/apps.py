from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """What the paper advises and observes about cooperation: considerations for Member States,
    concepts, challenges and measures, each tied to the forms of cooperation it concerns."""

    name = "guidance"
    verbose_name = _("Guidance")
