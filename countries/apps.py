from django.apps import AppConfig


class CountriesConfig(AppConfig):
    """The States and other participants, what sources say of their participation in each
    instrument, the groups they belong to and what they declared; and what binds a State."""

    name = "countries"
