"""The API's addresses of records: each record's address in the API and its page on the portal,
both absolute, built from the request that asks (so they name the host it was asked on)."""

from django.urls import reverse

NAMESPACE = "api-v1"

# The API operation that shows one record of each model, and the attribute its address takes.
DETAIL_ROUTES = {
    "instruments.instrument": ("get_instrument", "slug"),
    "instruments.mechanism": ("get_mechanism", "slug"),
    "instruments.mechanismcategory": ("get_category", "slug"),
    "instruments.organization": ("get_organization", "slug"),
    "resources.tool": ("get_tool", "slug"),
    "guidance.guidance": ("get_guidance", "slug"),
    "paper.citeddocument": ("get_document", "slug"),
    "paper.passage": ("get_passage", "slug"),
    "countries.participant": ("get_participant", "code"),
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


KEY = "0key0"  # stands for a record's key in an address reversed once per request


def absolute(request, path):
    return request.build_absolute_uri(path)


def known(request):
    """What this request has worked out already: its origin, each API route's address with
    KEY for the record's key, and each record's page. A page of records links the same
    passages, mechanisms and publishers again and again; reversing each link every time took
    a third of the time of a page of tools."""
    if "_api_links" not in request.__dict__:
        request._api_links = {"origin": absolute(request, "/")[:-1]}
    return request._api_links


def html_url(request, record):
    """The record's page on the portal."""
    cache = known(request)
    key = (record._meta.label_lower, record.pk)
    if key not in cache:
        cache[key] = cache["origin"] + record.get_absolute_url()
    return cache[key]


def api_url(request, record):
    """The record's address in the API, or None for a record the API has no address for."""
    route = DETAIL_ROUTES.get(record._meta.label_lower)
    if route is None:
        return None
    name, attribute = route
    cache = known(request)
    if name not in cache:
        cache[name] = cache["origin"] + api_path(name, KEY)
    # Keys are slugs ([-a-zA-Z0-9_]): nothing to quote.
    return cache[name].replace(KEY, getattr(record, attribute))


def api_path(name, *args):
    """The path of the API operation ``name`` (its function's name, e.g. ``list_tools``)."""
    return reverse(f"{NAMESPACE}:{name}", args=args)


def api_list_path(model):
    """The path of the API's list of ``model``'s records, or None."""
    name = LIST_ROUTES.get(model._meta.label_lower)
    return api_path(name) if name else None
