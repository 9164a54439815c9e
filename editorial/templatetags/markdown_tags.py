from django import template

from editorial.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """``{{ record.summary|markdown }}``: editor Markdown as sanitised HTML."""
    return render_markdown(text)
