import datetime

from django import template

register = template.Library()


@register.filter
def text_origin(record, field):
    """``{{ record|text_origin:"summary" }}``: the editors' source of the text ``field``
    (``source``, and ``on`` as a date), or None when the text is written from the paper."""
    origin = record.text_origin(field) if hasattr(record, "text_origin") else None
    if not origin:
        return None
    try:
        on = datetime.date.fromisoformat(origin.get("on", ""))
    except (TypeError, ValueError):
        on = None
    return {"source": origin.get("source", ""), "on": on}
