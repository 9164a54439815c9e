from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        # Any change to content bumps the page cache's generation (see portal/middleware.py).
        from portal.middleware import connect_content_signals

        connect_content_signals()
