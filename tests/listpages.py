"""Reading what a filtered list page shows (instruments and tools lists), for the view tests."""

import re


def listed(response):
    """Slugs of the records on the current page, in order."""
    return [record.slug for record in response.context["page"].object_list]


def facet_counts(response, name):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: option.count for option in facet.options}


def facet_option(response, name, value):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return next(option for option in facet.options if option.value == value)


def notices(response):
    return re.findall(r'<p class="notice" role="status">(.*?)</p>', response.text)
