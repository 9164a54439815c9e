from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """What every published record shares: a slug, draft or published, review dates, history with
    compare and revert, link health, visitors' problem reports, Markdown shown safely, and the
    Editor group. It knows no content app: records opt in by what they declare."""

    name = "editorial"
    verbose_name = _("Editorial")
