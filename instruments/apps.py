from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    """Instruments and the provisions by which each provides for a form of cooperation, the
    forms of cooperation and their categories, and the organizations behind them."""

    name = "instruments"
