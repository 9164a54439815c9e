"""The search page's results as CSV and JSON (search/exports.py): every hit, one row each, in
the page's order (type by type as the page groups them, the best first within each; or the
type chosen, best first), with its title, address, context line and the excerpt that matched."""

import html

from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from search import engine
from search.exports import ALL_HITS, BATCH_SIZE, Column
from search.registry import search_types


def plain(marked):
    """A snippet's safe HTML (matches in <mark>) as plain text."""
    return html.unescape(strip_tags(str(marked)))


def hits(filterset, size=None):
    """``(total, batches of snippets)``: every hit of the search page's filters, in its order.
    The page's own answer comes first, for its spelling correction ("showing results for")."""
    if not filterset.searched:
        return 0, iter(())
    filterset.page_context("1")
    found = filterset.find(0, ALL_HITS)
    order = {kind: position for position, kind in enumerate(filterset.types())}
    ranked = sorted(found.hits, key=lambda hit: order.get(hit.kind, len(order)))  # stable

    def batches(size=size or BATCH_SIZE):
        for start in range(0, len(ranked), size):
            yield engine.snippets(filterset.searched, ranked[start : start + size])

    return found.total, batches()


COLUMNS = [
    Column("type", _("Type"), lambda hit, a: str(capfirst(search_types[hit.kind].singular))),
    Column("title", _("Title"), lambda hit, a: plain(hit.title)),
    Column("page", _("Page on the portal"), lambda hit, a: a(hit.url)),
    Column("context", _("About it"), lambda hit, a: hit.context),
    Column("excerpt", _("Where the words are found"), lambda hit, a: plain(hit.snippet)),
]
