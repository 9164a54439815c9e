from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    """Instruments and the provisions by which each provides for a form of cooperation, the
    forms of cooperation and their categories, and the organizations behind them."""

    name = "instruments"
    verbose_name = _("Instruments")
