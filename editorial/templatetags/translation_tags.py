"""A record's translated text in templates (editorial/translations.py)::

{{ mechanism|in_language:"name" }}        the name, in <span lang="en"> if not translated
{% with summary=mechanism|translated:"summary" %}
  <div{{ summary|lang_attr }}>{{ summary|markdown }}</div>
{% endwith %}
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def translated(record, field):
    """``field`` of ``record`` in the reader's language, else in English (plain text)."""
    return record.in_language(field)


@register.filter
def lang_attr(text):
    """`` lang="en"`` for a text shown in English on a page in another language."""
    if getattr(text, "is_fallback", False):
        return format_html(' lang="{}" dir="ltr"', text.language)
    return ""


@register.filter
def in_language(record, field):
    """``field`` of ``record`` as inline HTML, marked with its language where it is not the
    page's."""
    text = record.in_language(field)
    if text.is_fallback:
        return format_html('<span lang="{}" dir="ltr">{}</span>', text.language, text)
    return text


@register.simple_tag
def content_lang():
    """`` lang="en" dir="ltr"`` on an element holding the records' own (English) texts, on a
    page in another language: read as English by screen readers, laid out left to right in
    Arabic."""
    if translation.get_language() in (None, settings.LANGUAGE_CODE):
        return ""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}" dir="ltr"')
