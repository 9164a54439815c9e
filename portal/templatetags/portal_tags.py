from django import template
from django.conf import settings

from portal.languages import alternates, switch_next

register = template.Library()


@register.simple_tag(takes_context=True)
def page_address(context):
    """The absolute address of the page, without its query string: printed at its foot."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request is not None else ""


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """``[(code, absolute address)]`` of this page in each language (portal/languages.py)."""
    request = context.get("request")
    return alternates(request) if request is not None else []


@register.simple_tag
def interface_languages():
    """``[(code, name)]`` of the interface's languages, each name in its own language (not
    translated into the page's, as ``get_available_languages`` would)."""
    return settings.LANGUAGES


@register.simple_tag(takes_context=True)
def language_switch_next(context):
    """This page, with its usable filters, for the language switcher's ``next``."""
    request = context.get("request")
    return switch_next(request) if request is not None else "/"
