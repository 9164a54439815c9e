"""What the countries pages show of a source: the site its address is on."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def host(url):
    """The site of ``url``, as a link's words: "https://www.unodc.org/..." -> "unodc.org"."""
    try:
        name = urlsplit(url or "").hostname or ""
    except ValueError:
        return url
    return name.removeprefix("www.") or url
