"""The API's addresses of records: each record's address in the API and its page on the portal,
both absolute, built from the request that asks (so they name the host it was asked on)."""

from django.urls import reverse

NAMESPACE = "api-v1"

# The attribute that is a record's key in its addresses, for each model whose addresses (in this
# API and on the portal) take nothing else of it.
KEYS = {
    "instruments.instrument": "slug",
    "instruments.mechanism": "slug",
    "instruments.mechanismcategory": "slug",
    "instruments.organization": "slug",
    "resources.tool": "slug",
    "resources.audience": "slug",
    "guidance.guidance": "slug",
    "paper.citeddocument": "slug",
    "paper.passage": "slug",
    "countries.participant": "code",
}

# The API operation that shows one record of each model.
DETAIL_ROUTES = {
    "instruments.instrument": "get_instrument",
    "instruments.mechanism": "get_mechanism",
    "instruments.mechanismcategory": "get_category",
    "instruments.organization": "get_organization",
    "resources.tool": "get_tool",
    "guidance.guidance": "get_guidance",
    "paper.citeddocument": "get_document",
    "paper.passage": "get_passage",
    "countries.participant": "get_participant",
}

# The API operation that lists the records of each model (for messages that point to them).
LIST_ROUTES = {
    "instruments.instrument": "list_instruments",
    "instruments.mechanism": "list_mechanisms",
    "instruments.mechanismcategory": "list_categories",
    "instruments.organization": "list_organizations",
    "resources.tool": "list_tools",
    "guidance.guidance": "list_guidance",
    "paper.citeddocument": "list_documents",
    "paper.passage": "list_passages",
    "countries.participant": "list_participants",
}


KEY = "0key0"  # stands for a record's key in an address made once per request


def absolute(request, path):
    return request.build_absolute_uri(path)


def known(request):
    """What this request has worked out already: its origin, each record's page and link, and
    for each model in KEYS the address of its records with KEY for the key. A page of records
    links the same passages, mechanisms and publishers again and again, and a reverse() costs
    about 40 µs: reversing each address every time took a third of the time of a page of
    tools."""
    if "_api_links" not in request.__dict__:
        request._api_links = {"origin": absolute(request, "/")[:-1]}
    return request._api_links


def html_url(request, record):
    """The record's page on the portal."""
    cache = known(request)
    key = (record._meta.label_lower, record.pk)
    if key not in cache:
        cache[key] = cache["origin"] + page_path(cache, record)
    return cache[key]


def page_path(cache, record):
    """``record.get_absolute_url()``. For a model in KEYS, that of a stand-in record whose key is
    KEY, made once per request and filled in with the record's key (which is a slug or a code,
    [-a-zA-Z0-9_]: nothing to quote)."""
    label = record._meta.label_lower
    attribute = KEYS.get(label)
    if attribute is None:
        return record.get_absolute_url()
    if label not in cache:
        cache[label] = type(record)(**{attribute: KEY}).get_absolute_url()
    return cache[label].replace(KEY, getattr(record, attribute))


def api_url(request, record):
    """The record's address in the API, or None for a record the API has no address for."""
    label = record._meta.label_lower
    name = DETAIL_ROUTES.get(label)
    if name is None:
        return None
    cache = known(request)
    if name not in cache:
        cache[name] = cache["origin"] + api_path(name, KEY)
    return cache[name].replace(KEY, getattr(record, KEYS[label]))


def api_path(name, *args):
    """The path of the API operation ``name`` (its function's name, e.g. ``list_tools``)."""
    return reverse(f"{NAMESPACE}:{name}", args=args)


def api_list_url(request, model, name, value):
    """The absolute address of the API's list of ``model``'s records filtered by ``name`` for
    ``value`` (a slug: [-a-zA-Z0-9_], nothing to quote), e.g. ``/api/v1/tools?mechanism=...``."""
    cache = known(request)
    key = ("list", model._meta.label_lower, name)
    if key not in cache:
        cache[key] = f"{cache['origin']}{api_list_path(model)}?{name}="
    return cache[key] + value


def api_list_path(model):
    """The path of the API's list of ``model``'s records, or None."""
    name = LIST_ROUTES.get(model._meta.label_lower)
    return api_path(name) if name else None
