from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """The recommended tools, the parts of them the paper singles out, and who they are for."""

    name = "resources"
    verbose_name = _("Resources")
