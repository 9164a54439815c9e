"""What the search index holds of the paper: every paragraph, annex entry and footnote, and the
documents it cites. (Apps above add what their records say of a passage: ``search.extend``.)"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import search
from paper.models import CitedDocument, Passage
from search.text import joined, plain_text


def passage_document(passage):
    where = str(passage.section) if passage.section else ""
    if passage.cited_in:
        # Translators: under a footnote found by search: "Footnote to para. 7".
        where = gettext("Footnote to %(passage)s") % {"passage": passage.cited_in.label}
    return search.Document(
        kind=passage.kind,
        title=str(passage),
        url=passage.get_absolute_url(),
        keywords=passage.heading,
        body=passage.text,
        extra=str(passage.section) if passage.section else "",
        context=where,
        position=passage.position,
    )


def cited_document_document(document):
    return search.Document(
        title=document.title,
        url=document.get_absolute_url(),
        keywords=joined(document.symbol, document.issuer, sep=" "),
        body=plain_text(document.note),
        context=joined(document.get_kind_display(), document.issuer, document.year, sep=" · "),
    )


search.register(
    Passage,
    types=[
        search.SearchType("paragraph", _("Source paragraphs"), _("source paragraph"), position=50),
        search.SearchType("annex", _("Annex entries"), _("annex entry"), position=60),
        search.SearchType("footnote", _("Footnotes"), _("footnote"), position=70),
    ],
    queryset=lambda: Passage.objects.select_related("section", "cited_in"),
    document=passage_document,
    related={"paper.Section": lambda section: section.passages.all()},
)
search.register(
    CitedDocument,
    types=[search.SearchType("document", _("Cited documents"), _("cited document"), position=80)],
    document=cited_document_document,
)
