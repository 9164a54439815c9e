from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site shell: settings and URLs, the pages that span every app (home, search, the
    source paper), the page cache and other middleware, and backups."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import checks  # noqa: F401 (registers the old-layout database check)

        # Any change to content bumps the page cache's generation (see portal/middleware.py).
        from portal.middleware import connect_content_signals

        connect_content_signals()

        # The pathfinder's form on each form of cooperation's page, that form already chosen.
        from instruments import panels
        from portal.pathfinder import panel_context

        panels.register("mechanism", "portal/pathfinder_panel.html", panel_context, position=10)
