from django import template

from portal import citations

register = template.Library()


@register.inclusion_tag("includes/cite_this.html", takes_context=True)
def cite_this(context, record, kind):
    """``{% cite_this tool "tool" %}``: "Cite this" for a record page (its kind as in
    ``portal.citations.GENRES``) or the source paper (``"paper"``)."""
    return {"citation": citations.citation(context["request"], kind, record)}
