"""What the search index holds of the guidance drawn from the paper, with the forms of
cooperation each concerns (its "mechanism" facet on the search page)."""

from django.utils.translation import gettext_lazy as _

import search
from guidance.models import Guidance
from search.text import plain_text


def guidance_document(guidance):
    return search.Document(
        title=guidance.title,
        url=guidance.get_absolute_url(),
        body=plain_text(guidance.text),
        context=guidance.get_kind_display(),
        position=guidance.position,
    )


search.register(
    Guidance,
    types=[search.SearchType("guidance", _("Guidance"), _("guidance record"), position=40)],
    document=guidance_document,
    facets=[search.Facet("mechanism", ("mechanisms",))],
)
