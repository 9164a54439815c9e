"""Sections that apps above this one add to the pages of instruments and forms of cooperation.

This app cannot know them (countries adds an instrument's parties; the site shell adds the
pathfinder's form to a form of cooperation's page), so they register here, from their
``AppConfig.ready``, and the view renders them in the place its template gives them:

    panels.register("instrument", "countries/party_table.html", party_table_context)

``context(request, record)`` returns the panel's template context, or None to leave it out.
A panel registered ``cached=True`` is rendered once for each address and state of the content
(``editorial.conditional.rendered_while_unchanged``): one whose work is costly and depends on
nothing but the content and the address (the parties to an instrument, some two hundred rows).
"""

from dataclasses import dataclass
from functools import partial

from django.template.loader import render_to_string

from editorial.conditional import rendered_while_unchanged

PAGES = ("instrument", "mechanism")


@dataclass(frozen=True)
class Panel:
    template: str
    context: object  # (request, record) -> dict or None
    position: int = 100
    cached: bool = False

    def render(self, request, record):
        """Its HTML on ``record``'s page, or "" if it has nothing to show."""
        context = self.context(request, record)
        if context is None:
            return ""
        return render_to_string(self.template, context, request=request)


registered = {page: [] for page in PAGES}


def register(page, template, context, position=100, cached=False):
    if page not in registered:
        raise ValueError(f"no page {page!r}: one of {', '.join(PAGES)}")
    panels = registered[page]
    panels[:] = [p for p in panels if p.template != template]  # registering twice replaces
    panels.append(Panel(template, context, position, cached))
    panels.sort(key=lambda panel: panel.position)


def render_panels(page, request, record):
    """The HTML of each panel registered for ``page`` that has something to show."""
    shown = []
    for panel in registered[page]:
        if panel.cached:
            name = f"panel {page} {panel.template} {record.pk} {request.get_full_path()}"
            html = rendered_while_unchanged(request, name, partial(panel.render, request, record))
        else:
            html = panel.render(request, record)
        if html:
            shown.append(html)
    return shown
