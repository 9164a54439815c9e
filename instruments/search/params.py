"""Reading a search page's query string forgivingly: what cannot be used is dropped with a
plain-language notice, never an error. Only an over-long ``q`` is refused (the view answers 400):
a query cut short would silently search for something else."""

import re
from dataclasses import dataclass, field

from django.conf import settings

from instruments.search.engine import Filters
from instruments.search.query import Query, parse
from instruments.search.registry import search_types
from instruments.search.text import clean

SLUG_RE = re.compile(r"^[-\w]{1,100}$", re.ASCII)
SHOWN_CHARS = 40


@dataclass
class SearchParams:
    text: str = ""  # the query as typed (cleaned), to fill the search box
    query: Query = field(default_factory=Query)
    filters: Filters = field(default_factory=Filters)
    page: str = "1"
    notices: list = field(default_factory=list)
    too_long: bool = False


def shorten(value):
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def read_params(data):
    """``SearchParams`` from a QueryDict (``request.GET``)."""
    params = SearchParams(page=clean(data.get("page", "1"))[:12] or "1")
    text = clean(data.get("q", ""))
    if len(text) > settings.MAX_QUERY_LENGTH:
        params.too_long = True
        params.notices.append(
            f"That search is {len(text):,} characters long; searches can be at most "
            f"{settings.MAX_QUERY_LENGTH:,}. Please shorten it."
        )
        return params
    params.text = text
    params.query = parse(text)
    params.notices.extend(params.query.notices)
    kind = clean(data.get("type", ""))
    if kind and kind not in search_types:
        params.notices.append(f"Ignored the unknown type “{shorten(kind)}”.")
        kind = ""
    params.filters = Filters(
        kind=kind or None,
        mechanism=slug(data, "mechanism", "cooperation type", params.notices),
        publisher=slug(data, "publisher", "publisher", params.notices),
    )
    return params


def slug(data, name, label, notices):
    value = clean(data.get(name, ""))
    if not value:
        return None
    if not SLUG_RE.match(value):
        notices.append(f"Ignored the {label} “{shorten(value)}”: it is not a valid name.")
        return None
    return value
