"""How the API reads a list's query string and pages the answer.

A list is filtered by its page's own FilterSet (``ToolFilterSet`` for the tools, ...): the same
filters, the same words search, the same records in the same order. A FilterSet reads a page's
query string forgivingly, dropping what it cannot use with a notice; the API refuses it instead,
with a 400 that names each parameter and says why: an unknown choice, a value too long, a second
value for a one-value filter, more values than a filter takes, a parameter no list knows, or a
page that does not exist. Words of ``q`` that the search leaves out (past the most it reads) are
said in ``notices``, the results being those of the words used, as on the page.

Pages: ``page`` (from 1) and ``page_size`` (from 1 to PAGE_SIZE_MAX; a list's default is its
page's). Past MAX_RESULTS_PAGED results, as on the pages, no page reaches further: a page
beyond is refused, and ``notices`` says so on the last one.
"""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict

import search
from api import links
from search.facets import MAX_FACET_VALUES, FacetFilter, FacetFilterSet, shorten

PAGE_SIZE_MAX = 100
PAGING = ("page", "page_size")
NUMBER = re.compile(r"[0-9]{1,9}")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what a slug (or a participant's code) can be


class Refused(Exception):
    """A request the API will not answer as asked: 400 (or ``status``) with ``detail``, naming
    the refused ``parameters``."""

    def __init__(self, detail, parameters=(), status=400):
        super().__init__(detail)
        self.detail, self.parameters, self.status = detail, list(parameters), status


def refuse(problems):
    """Raise ``Refused`` for ``problems``, a list of (parameter, what is wrong with it)."""
    if problems:
        raise Refused(
            " ".join(f"{name}: {problem}" for name, problem in problems),
            dict.fromkeys(name for name, _ in problems),
        )


# ---- Parameters ---------------------------------------------------------------------------


def known_only(query, names):
    """Refuse any parameter of ``query`` (a QueryDict) that is not one of ``names``."""
    unknown = [name for name in query if name not in names]
    if unknown:
        takes = ", ".join(names) if names else "no parameters"
        refuse([(shorten(name), f"not a parameter here (this takes {takes}).") for name in unknown])


def given(query, name):
    """The value of ``name`` given once (None if absent or blank), refusing a repeated one."""
    values = [value.strip() for value in query.getlist(name) if value.strip()]
    if len(values) > 1:
        refuse([(name, "give it once.")])
    return values[0] if values else None


def whole_number(query, name, default, maximum=None):
    """``name`` as a whole number from 1 (to ``maximum``), or ``default`` when not given."""
    value = given(query, name)
    if value is None:
        return default
    limit = f" to {maximum}" if maximum else ""
    number = int(value) if NUMBER.fullmatch(value) else 0
    if number < 1 or (maximum and number > maximum):
        refuse([(name, f"“{shorten(value)}” is not a whole number from 1{limit}.")])
    return number


def cleaned(values):
    """Values as a FilterSet reads them: NULs and surrounding spaces gone, blanks and repeats
    dropped."""
    found = []
    for value in values:
        value = value.replace("\x00", "").strip()
        if value and value not in found:
            found.append(value)
    return found


def refused_filters(query, filterset):
    """(parameter, why) for each filter whose values the FilterSet dropped or cut, in words
    for the API. The FilterSet decides what it drops; this only says why."""
    problems = []
    limit = settings.MAX_QUERY_LENGTH
    for name, filter_ in filterset.filters.items():
        wanted, kept = cleaned(query.getlist(name)), filterset.data.getlist(name)
        if wanted == kept:
            continue
        facet = name in filterset.facets
        choices = [str(value) for value, _ in filterset.choices(name)] if facet else []
        why, usable = [], []
        for value in wanted:
            if len(value) > limit:
                why.append(f"a value is longer than {limit} characters.")
            elif facet and value not in choices:
                why.append(f"“{shorten(value)}” is not one of its values{known(filter_, choices)}")
            else:
                usable.append(value)
        if len(usable) > 1 and not filterset.is_multiple(name):
            why.append("it takes one value at a time.")
        elif len(usable) > MAX_FACET_VALUES:
            why.append(f"it takes at most {MAX_FACET_VALUES} values at a time.")
        problems += [(name, reason) for reason in why or ["this value cannot be used."]]
    return problems


def known(filter_, choices):
    """How to find a filter's values, for a message."""
    model = filter_.related_model() if isinstance(filter_, FacetFilter) else None
    path = links.api_list_path(model) if model is not None else None
    if path:
        return f" (the slugs listed at {path})."
    if len(choices) <= 12:
        return " (" + ", ".join(choices) + ")."
    return "."


# ---- Pages --------------------------------------------------------------------------------


def filtered(request, filterset_class, queryset):
    """The page the query string asks for of ``queryset`` filtered by ``filterset_class``, as
    ``(page, notices)``: its records in the order of the portal's list."""
    query = request.GET
    known_only(query, [*filterset_class.base_filters, *PAGING])
    number = whole_number(query, "page", 1)
    per_page = whole_number(query, "page_size", filterset_class.per_page, PAGE_SIZE_MAX)
    filterset = filterset_class(query, queryset=queryset)
    refuse(refused_filters(query, filterset))
    page = filterset.page(number, per_page)
    check_page(page, number)
    return page, [*filterset.parsed.notices, *([page.notice] if page.notice else [])]


def plain(request, queryset, per_page, parameters=()):
    """The page the query string asks for of ``queryset``, for a list with no FilterSet (its
    own ``parameters`` read by the caller)."""
    query = request.GET
    known_only(query, [*parameters, *PAGING])
    number = whole_number(query, "page", 1)
    per_page = whole_number(query, "page_size", per_page, PAGE_SIZE_MAX)
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(number)
    check_page(page, number)
    return page, []


def check_page(page, number):
    if page.number == number:
        return
    paginator = page.paginator
    if getattr(paginator, "is_bounded", False):
        reached = paginator.num_pages * paginator.per_page
        refuse(
            [
                (
                    "page",
                    f"only the first {reached:,} of the {paginator.count:,} results can be paged "
                    f"through (page {paginator.num_pages} at most with this page_size); filters "
                    "or words narrow them.",
                )
            ]
        )
    pages = "page" if paginator.num_pages == 1 else "pages"
    refuse(
        [
            (
                "page",
                f"there is no page {number}: {paginator.count:,} results make "
                f"{paginator.num_pages} {pages} of {paginator.per_page}.",
            )
        ]
    )


def answer(request, page, notices, results):
    """A page as the API gives it: ``count``, ``next``, ``previous``, ``notices``, and
    ``results``, the values of its records."""
    return {
        "count": page.paginator.count,
        "next": page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": (
            page_url(request, page.previous_page_number()) if page.has_previous() else None
        ),
        "notices": list(notices),
        "results": results,
    }


def page_url(request, number):
    """The absolute address of page ``number`` with the same parameters."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name != "page":
            query.setlist(name, values)
    if number > 1:
        query["page"] = str(number)
    path = request.path + (f"?{query.urlencode()}" if query else "")
    return links.absolute(request, path)


# ---- The OpenAPI description of a list's parameters ---------------------------------------

# How to find the values of a filter whose values are records' slugs.
VALUES_OF = {
    "instruments.mechanism": "A cooperation type's slug (list_mechanisms).",
    "instruments.mechanismcategory": "A category's slug (list_categories).",
    "instruments.organization": "An organization's slug (list_organizations).",
    "instruments.instrument": "A published instrument's slug (list_instruments).",
    "resources.audience": "An audience's slug (in the tools' audiences).",
    "countries.group": "A group's slug (in the participants' memberships).",
}


def parameters(filterset_class=None, per_page=20, extra=()):
    """The OpenAPI parameters of a list: its FilterSet's filters, ``extra``, and the pages."""
    found = []
    if filterset_class is not None:
        per_page = filterset_class.per_page
        # Bound to a FilterSet, filters know their model (and nothing is read from the database).
        for name, filter_ in filterset_class(QueryDict()).filters.items():
            found.append(filter_parameter(name, filter_))
    found += list(extra)
    found += [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "The page, from 1.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "description": f"Records on a page, from 1 to {PAGE_SIZE_MAX}.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": PAGE_SIZE_MAX,
                "default": per_page,
            },
        },
    ]
    return found


def filter_parameter(name, filter_):
    text = {"type": "string", "maxLength": settings.MAX_QUERY_LENGTH}
    if name == "q":
        return {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Words to find, as the portal's search box takes them: "
            '"a phrase", -excluded, OR; ranked best first.',
            "schema": text,
        }
    description = str(filter_.label)
    model = filter_.related_model()
    if model is not None:
        description += ". " + VALUES_OF.get(model._meta.label_lower, "A slug.")
        schema = text
    elif callable(filter_.declared_choices):  # read from the records (the instruments' regions)
        description += ". One of the values the published records have, as they write it."
        schema = text
    else:
        schema = {"type": "string", "enum": [str(value) for value, _ in filter_.declared_choices]}
    if filter_.help:
        description += " " + filter_.help
    parameter = {"name": name, "in": "query", "required": False, "description": description}
    if filter_.multiple:
        description += f" Up to {MAX_FACET_VALUES} values: a record must have them all."
        parameter.update(
            description=description,
            schema={"type": "array", "items": schema, "maxItems": MAX_FACET_VALUES},
            style="form",
            explode=True,
        )
    else:
        parameter["schema"] = schema
    return parameter


def words_filterset(model):
    """A FilterSet with only the words filter ``q``, answered by the search engine as every
    list's, for a list the portal has no page of its own for."""
    meta = type("Meta", (), {"model": model, "fields": []})

    def filter_matching(self, queryset, name, value):
        # As the participants' FilterSet: these models have no QuerySet.matching of their own.
        if self.parsed.excluded and not self.parsed:
            return queryset.none()
        return search.matching(queryset, value)

    return type(
        f"{model.__name__}WordsFilterSet",
        (FacetFilterSet,),
        {"Meta": meta, "filter_matching": filter_matching},
    )
