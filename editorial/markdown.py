"""Markdown written by editors, rendered to HTML that is safe to show, at a bounded cost.

There is one pipeline: ``markdown`` renders, then ``nh3`` keeps only a small set of tags and
attributes, so scripts, event handlers and ``javascript:``/``data:`` links never survive.

Python-Markdown is not linear on every input: 20,000 ``[`` take about a minute, and a line of
``1. 1. 1. ...`` nests lists until Python's recursion limit. So a text is only accepted (by the
admin's forms, and for the live preview) when it is at most ``MAX_LENGTH`` characters and
renders within ``RENDER_SECONDS`` in a separate process (``check_renders``), which is killed
when the time is up: an editor's text can cost a request no more than that. Pages then render
only texts that passed this check (cached per process), and a text that got in another way
(the shell, a hand-made backup) is shown as plain paragraphs if it is too long or too deep,
never parsed as Markdown.
"""

import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import markdown as markdown_lib
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

MAX_LENGTH = 20_000  # characters of one Markdown text (the longest in the fixtures: ~2,500)
RENDER_SECONDS = 2.0  # the longest a text may take to render (real texts: a few ms)
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # where the worker imports this module


def to_html(text):
    """The pipeline itself: Markdown ``text`` to sanitised HTML (a str)."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=2048)
def render_markdown(text):
    """Markdown ``text`` as sanitised HTML, marked safe for templates (pages use this)."""
    if len(text or "") > MAX_LENGTH:
        return plain_paragraphs(text)
    try:
        html = to_html(text)
    except RecursionError:
        return plain_paragraphs(text)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 in to_html


def plain_paragraphs(text):
    """``text`` escaped, in paragraphs: what a page shows of a text it will not parse."""
    return linebreaks(text, autoescape=True)


def check_renders(text, seconds=RENDER_SECONDS):
    """The HTML of ``text``, rendered in a separate process that may take ``seconds``; raises
    ValidationError, with a message for the editor, if the text is too long, too slow to
    render or nested too deeply."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            gettext(
                "This text is %(length)s characters long; the most a text may have is %(max)s."
            ),
            code="too_long",
            params={"length": f"{len(text):,}", "max": f"{MAX_LENGTH:,}"},
        )
    if text in checked_texts:
        return checked_texts[text]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "editorial.markdown"],
            cwd=PROJECT_ROOT,
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ValidationError(
            gettext(
                "This text takes too long to display: look for long runs of [ or ! or of list "
                "markers, which Markdown reads as the start of links or of lists within lists."
            ),
            code="too_slow",
        ) from None
    if done.returncode != 0:
        raise ValidationError(
            gettext("This text cannot be displayed: its lists or quotes are nested too deeply."),
            code="too_deep",
        )
    html = done.stdout.decode("utf-8")
    if len(checked_texts) >= 256:
        checked_texts.clear()
    checked_texts[text] = html
    return html


# Texts this process has seen render within the limit (each save checks its texts again).
checked_texts = {}


if __name__ == "__main__":  # check_renders' worker: Markdown on stdin, HTML on stdout
    try:
        sys.stdout.write(to_html(sys.stdin.buffer.read().decode("utf-8", "surrogatepass")))
    except RecursionError:
        sys.exit(3)
