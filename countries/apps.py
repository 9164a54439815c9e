from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    """The States and other participants, what sources say of their participation in each
    instrument, the groups they belong to and what they declared; and what binds a State."""

    name = "countries"
    verbose_name = _("Countries")

    def ready(self):
        from countries.views import party_table
        from instruments import panels

        # After the forms of cooperation it provides for, on each instrument's page.
        panels.register(
            "instrument", "countries/party_table.html", party_table, position=50, cached=True
        )
