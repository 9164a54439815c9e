"""What the countries pages show of a source: the site its address is on, and the links to an
observation's sources as a value a translated sentence can hold."""

from urllib.parse import urlsplit

from django import template
from django.template.loader import render_to_string

from countries.names import local_names

register = template.Library()


@register.filter(name="local_names")
def local_names_filter(participants):
    """``{{ rule.excluded.all|local_names }}``: their names in the reader's language, joined."""
    return local_names(participants)


@register.filter
def host(url):
    """The site of ``url``, as a link's words: "https://www.unodc.org/..." -> "unodc.org"."""
    try:
        name = urlsplit(url or "").hostname or ""
    except ValueError:
        return url
    return name.removeprefix("www.") or url


@register.simple_tag
def source_links(observation):
    """``{% source_links observation as source %}``: the HTML of countries/source.html for
    ``observation`` (its source's link, and the page that source copied), to put into a
    ``{% blocktranslate %}`` sentence, where an ``{% include %}`` cannot go."""
    return render_to_string("countries/source.html", {"observation": observation})
