from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_address(context):
    """The absolute address of the page, without its query string: printed at its foot."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request is not None else ""
