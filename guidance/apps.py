from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """What the paper advises and observes about cooperation: considerations for Member States,
    concepts, challenges and measures, each tied to the forms of cooperation it concerns."""

    name = "guidance"
