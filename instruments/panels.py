"""Sections that apps above this one add to the pages of instruments and forms of cooperation.

This app cannot know them (countries adds an instrument's parties; the site shell adds the
pathfinder's form to a form of cooperation's page), so they register here, from their
``AppConfig.ready``, and the view renders them in the place its template gives them:

    panels.register("instrument", "countries/party_table.html", party_table_context)

``context(request, record)`` returns the panel's template context, or None to leave it out.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

PAGES = ("instrument", "mechanism")


@dataclass(frozen=True)
class Panel:
    template: str
    context: object  # (request, record) -> dict or None
    position: int = 100


registered = {page: [] for page in PAGES}


def register(page, template, context, position=100):
    if page not in registered:
        raise ValueError(f"no page {page!r}: one of {', '.join(PAGES)}")
    panels = registered[page]
    panels[:] = [p for p in panels if p.template != template]  # registering twice replaces
    panels.append(Panel(template, context, position))
    panels.sort(key=lambda panel: panel.position)


def render_panels(page, request, record):
    """The HTML of each panel registered for ``page`` that has something to show."""
    shown = []
    for panel in registered[page]:
        context = panel.context(request, record)
        if context is not None:
            shown.append(render_to_string(panel.template, context, request=request))
    return shown
