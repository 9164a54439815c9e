from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API at /api/v1/: every published record, filtered and paged as the
    portal's lists are, with its OpenAPI schema and an interactive docs page."""

    name = "api"
    verbose_name = _("Api")
