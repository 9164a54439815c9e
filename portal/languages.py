"""Which language a visitor reads the portal in, and the same page's address in each language.

English is served at the addresses the portal always had; the other languages under their code
(``/fr/instruments/``). A visitor who arrives at an English address gets the language they chose
with the switcher (a cookie), else, on a first visit, the one their browser prefers
(Accept-Language) if the portal has it: a redirect to that language's address. The switcher is
a plain link (no JavaScript): it remembers the choice and shows the same page, with its
filters, in the chosen language.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import (
    Resolver404,
    get_script_prefix,
    is_valid_path,
    resolve,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

CODES = [code for code, _ in settings.LANGUAGES]


def language_of(path):
    """The language of an address of the portal: its prefix's, else English."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def address_in(url, code):
    """``url`` (a path with its query string, of any language) as the same page in ``code``;
    unchanged if it is not a page of the portal's."""
    with translation.override(language_of(urlsplit(url).path)):
        return translate_url(url, code)


def alternates(request):
    """``[(code, absolute address)]`` of the page ``request`` asks for, in every language,
    English first; none for an address that is not a page of the portal's (a 404). The
    addresses are the pages' own, without the query string (a list's filters, a search's
    words): those are the pages search engines should know in each language. On every page:
    the address is resolved once, then reversed in each language."""
    with translation.override(language_of(request.path_info)):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return []
    ordered = [settings.LANGUAGE_CODE] + [code for code in CODES if code != settings.LANGUAGE_CODE]
    found = []
    for code in ordered:
        with translation.override(code):
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        found.append((code, request.build_absolute_uri(path)))
    return found


def switch_next(request):
    """The page to show after the switcher, with the query string's usable parameters: a
    value longer than any filter takes (MAX_QUERY_LENGTH) is left out, as the page itself
    leaves it out."""
    limit = settings.MAX_QUERY_LENGTH
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        usable = [value for value in values if len(value) <= limit]
        if len(name) <= limit and usable:
            kept.setlist(name, usable)
    return request.path + (f"?{kept.urlencode()}" if kept else "")


class PreferredLanguageMiddleware:
    """Send a visitor at an English address (a GET without a language prefix) to the same page
    in their language: the one they chose (the language cookie), else their browser's first
    choice among the portal's (Accept-Language). Addresses that exist in English only (the
    API, the sitemap) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not translation.get_language_from_path(
            request.path_info
        ):
            code = translation.get_language_from_request(request)  # cookie, Accept-Language
            if code != settings.LANGUAGE_CODE:
                prefixed = f"/{code}{request.path_info}"
                with translation.override(code):
                    exists = is_valid_path(prefixed)
                if exists:
                    prefix = get_script_prefix()
                    response = HttpResponseRedirect(
                        prefix + code + "/" + request.get_full_path()[len(prefix) :]
                    )
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        return self.get_response(request)


@require_safe
def switch(request, code):
    """Remember ``code`` as the visitor's language and show ``next`` (the page they were on)
    in it; anything but an address of this site shows the home page."""
    if code not in CODES:
        raise Http404("The portal has no such language.")
    wanted = request.GET.get("next", "")
    safe = (
        wanted.startswith("/")
        and len(wanted) <= settings.MAX_QUERY_LENGTH * 4
        and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    )
    response = HttpResponseRedirect(address_in(wanted if safe else "/", code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response
