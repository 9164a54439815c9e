from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """What every published record shares: a slug, draft or published, review dates, history with
    compare and revert, link health, visitors' problem reports, Markdown shown safely, and the
    Editor group. It knows no content app: records opt in by what they declare."""

    name = "editorial"
