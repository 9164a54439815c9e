"""Which models hold the portal's content: what backups carry and what page caches depend on.

The content apps hold nothing else: link checks and problem reports live in ``editorial``, the
search index (derived from the content) in ``search``, so neither is backed up nor bumps the
page cache when it changes.
"""

CONTENT_APPS = ("paper", "instruments", "resources", "guidance", "countries")


def is_content_model(model):
    return model._meta.app_label in CONTENT_APPS
