"""Text helpers shared by the parser, the indexer and both backends.

Words are compared folded: Unicode-normalised, accents removed, case-folded. A *token* is a run
of letters and digits (``[^\\W_]+``), which is how SQLite's unicode61 tokenizer and PostgreSQL's
parser both see words, so a token found here is one the backends can match.
"""

import html
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Private-use characters the backends put around matched words; the indexer strips them from the
# text it stores, so in a snippet they can only come from the backend.
MARK_START = "\ue000"
MARK_END = "\ue001"
ELLIPSIS = "…"

TOKEN_RE = re.compile(r"[^\W_]+")
# Anything that is not text: C0/C1 controls (NUL included), the private-use sentinels.
UNWANTED_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000\ue001]")

# Linear on any input: a run inside delimiters never crosses the next opening one, so "[[[[…",
# "<<<<…" or "](](…" cost one pass, not one pass per delimiter (the review's 16,000 "[" took
# 0.85 s per save when "[^\]]*" ran to the end of the text from every "[").
MARKDOWN_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
MARKDOWN_AUTOLINK_RE = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
MARKDOWN_SYNTAX_RE = re.compile(r"(^|\s)#{1,6}\s|[*_`>]{1,3}|^[ \t]*[-+][ \t]", re.MULTILINE)
TAG_RE = re.compile(r"<[^<>]*>")
SPACE_RE = re.compile(r"\s+")


def clean(text):
    """``text`` without control characters and sentinels, whitespace collapsed."""
    return SPACE_RE.sub(" ", UNWANTED_RE.sub(" ", text or "")).strip()


def fold(text):
    """Lower case, accents removed: 'Coopération' -> 'cooperation'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text):
    """The folded tokens of ``text``: 'CTOC/COP/WG.4' -> ['ctoc', 'cop', 'wg', '4']."""
    return TOKEN_RE.findall(fold(text))


def joined(*parts, sep=" "):
    """The parts that are not empty, as text joined by ``sep``. Joined as sentences (``". "``),
    each loses its own final full stop, so that none ends up doubled."""
    texts = (str(part) for part in parts if part)
    return sep.join(text.rstrip(".") for text in texts) if sep == ". " else sep.join(texts)


def plain_text(markdown_text):
    """Markdown as the plain text a reader sees: links keep their words, syntax goes.

    Deliberately simple (a regex pass, not a Markdown renderer): it only feeds the index and
    the snippets, which are escaped anyway, and it has to be fast for a 100,000-record rebuild.
    """
    text = MARKDOWN_LINK_RE.sub(r"\1", markdown_text or "")
    text = MARKDOWN_AUTOLINK_RE.sub(r"\1", text)
    text = TAG_RE.sub(" ", text)
    text = MARKDOWN_SYNTAX_RE.sub(r"\1", text)
    return clean(html.unescape(text))


def highlighted(text):
    """Safe HTML of a backend's snippet: everything escaped, then only the sentinels become
    ``<mark>``. Unbalanced sentinels (a snippet cut inside a match) are closed or dropped."""
    out = []
    open_mark = False
    for part in re.split(f"([{MARK_START}{MARK_END}])", text or ""):
        if part == MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(str(escape(part)))
    if open_mark:
        out.append("</mark>")
    # Safe: every piece of text above went through escape(); only the <mark> tags did not.
    return mark_safe("".join(out))


def trigrams(word):
    """The trigrams of a word as pg_trgm counts them (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


def edit_distance(a, b):
    """The number of one-letter slips (insertion, deletion, substitution, or two neighbours
    swapped) that turn ``a`` into ``b`` (optimal string alignment distance)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]
