from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search engine: a full-text index of every public record, ranked and highlighted, with
    facets, on SQLite or PostgreSQL. It knows no content model: each app declares its records in
    its own ``search.py``."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from search import signals

        # Each app's search.py registers its records (in INSTALLED_APPS order, so an app can
        # extend the records of an app listed before it).
        autodiscover_modules("search")
        signals.connect()
