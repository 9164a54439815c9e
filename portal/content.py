"""Which models hold the portal's content: what backups carry and what page caches depend on."""

CONTENT_APPS = ("portal", "instruments", "resources")

# Kept in the content apps but not content: link checks are re-created by `check_links`,
# visitors' problem reports (with their addresses) are neither backed up nor shown on pages, and
# the search index is derived from the content (import_portal rebuilds it).
NOT_CONTENT = frozenset(
    {
        "instruments.linkcheck",
        "portal.feedback",
        "instruments.searchentry",
        "instruments.searchfacet",
        "instruments.searchterm",
    }
)


def is_content_model(model):
    return model._meta.app_label in CONTENT_APPS and model._meta.label_lower not in NOT_CONTENT
