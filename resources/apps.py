from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """The recommended tools, the parts of them the paper singles out, and who they are for."""

    name = "resources"
