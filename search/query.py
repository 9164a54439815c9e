"""The search syntax, parsed into a safe structure the backends turn into their own queries.

    extradition treaty        both words (AND)
    "mutual legal assistance" the words side by side, in this order
    extradition OR surrender  either word; OR binds the terms on each side of it
    -police                   without this word (also NOT police)
    surveil*                  a word as a prefix (surveillance, surveilled)
    extrad                    the last word is a prefix too (extradite, extradition)

Words are folded (case, accents) and split as the index splits them, so ``2011/36/EU`` is the
phrase "2011 36 eu". Nothing of the user's text reaches a backend except these tokens, which are
only letters and digits; the backends quote each one.
"""

import re
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext, ngettext

from search.text import clean, tokens

# Bounds that keep a query cheap, whatever is typed (docs/search.md, "Limits"). At 100,000 tools
# a search costs about in proportion to what it matches: each word ORed in widens the match, and
# each prefix is expanded over the whole index (every indexed word that starts with it).
MAX_TERMS = 12
MAX_ALTERNATIVES = 4  # words or phrases ORed together
MAX_PREFIXES = 3  # words searched as prefixes (starred, and the last word)
MAX_PHRASE_TOKENS = 12
MAX_TOKEN_LENGTH = 60
MIN_PREFIX_LENGTH = 3

LEXEME_RE = re.compile(r'(?P<neg>-*)"(?P<phrase>[^"]*)"?|(?P<word>\S+)')
OR_WORDS = {"OR", "|", "||"}
AND_WORDS = {"AND", "&", "&&", "+"}
NOT_WORDS = {"NOT", "!"}


@dataclass(frozen=True)
class Term:
    """A word (one token) or a phrase (several tokens, side by side, in order)."""

    tokens: tuple
    quoted: bool = False
    prefix: bool = False

    @property
    def is_phrase(self):
        return len(self.tokens) > 1

    def __str__(self):
        text = " ".join(self.tokens)
        if self.quoted or self.is_phrase:
            return f'"{text}"'
        return f"{text}*" if self.prefix else text


@dataclass(frozen=True)
class Query:
    """``clauses`` are ANDed; each clause ORs its terms. ``excluded`` terms must not match."""

    clauses: tuple = ()
    excluded: tuple = ()
    notices: tuple = field(default=(), compare=False)

    def __bool__(self):
        return bool(self.clauses)

    def __str__(self):
        parts = [" OR ".join(str(term) for term in clause) for clause in self.clauses]
        parts += [f"-{term}" for term in self.excluded]
        text = " ".join(parts)
        # The last word is a prefix anyway: no need to show its star.
        last = self.clauses[-1][-1] if self.clauses and not self.excluded else None
        return text[:-1] if last and last.prefix and text.endswith("*") else text

    @property
    def terms(self):
        return [term for clause in self.clauses for term in clause]

    def spellable_words(self):
        """The positive tokens a spelling suggestion could replace (words, not numbers)."""
        return {
            token
            for term in self.terms
            for token in term.tokens
            if len(token) >= MIN_PREFIX_LENGTH and not token.isdigit()
        }

    def corrected(self, replacements):
        """This query with tokens replaced (``{"extradtion": "extradition"}``)."""

        def fix(term):
            return replace(term, tokens=tuple(replacements.get(t, t) for t in term.tokens))

        return replace(self, clauses=tuple(tuple(fix(t) for t in c) for c in self.clauses))


def parse(text):
    """The ``Query`` for what a user typed. Never raises; odd input gives fewer terms."""
    text = clean(text)
    notices = []
    items = []  # Terms, with "OR" markers between them
    negate_next = False
    last_can_be_prefix = False
    for lexeme in LEXEME_RE.finditer(text):
        word = lexeme.group("word")
        if word in OR_WORDS:
            items.append("OR")
            continue
        if word in AND_WORDS:
            continue
        if word in NOT_WORDS:
            negate_next = True
            continue
        starred = False
        if word is not None:
            negative = word.startswith("-")
            starred = word.endswith("*")
            found = tokens(word.lstrip("-+"))
            quoted = False
        else:
            negative = bool(lexeme.group("neg"))
            found = tokens(lexeme.group("phrase"))
            quoted = True
        negative = negative or negate_next
        negate_next = False
        found = tuple(token[:MAX_TOKEN_LENGTH] for token in found[:MAX_PHRASE_TOKENS])
        if not found:
            continue
        can_be_prefix = (
            not quoted
            and len(found) == 1
            and len(found[0]) >= MIN_PREFIX_LENGTH
            and not found[0].isdigit()
        )
        quoted = quoted or len(found) > 1  # a phrase, however it was written
        items.append((negative, Term(found, quoted=quoted, prefix=starred and can_be_prefix)))
        last_can_be_prefix = can_be_prefix and not negative
    if last_can_be_prefix:
        # The last word typed is a prefix too (when it is a word, not a phrase or an exclusion).
        index = max(i for i, item in enumerate(items) if item != "OR")
        negative, term = items[index]
        items[index] = (negative, replace(term, prefix=True))
    items, cut = fewer_prefixes(items)

    clauses, excluded = [], []
    join_next = False
    last_positive = max(
        (i for i, item in enumerate(items) if item != "OR" and not item[0]), default=-1
    )
    for position, item in enumerate(items):
        if item == "OR":
            join_next = bool(clauses)
            continue
        negative, term = item
        # Repeats are dropped, except the last word to find ("a 00a a" read back as "a 00a"
        # would make "00a" the last word, a prefix) and one an OR joins to the next word to
        # find ("a b a OR c" is not "a (b OR c)"; in "a b a OR -c" the OR joins nothing).
        repeat_kept = position == last_positive or ored(items, position)
        if negative:
            if term not in excluded:
                excluded.append(term)
            join_next = False
        elif join_next:
            if repeat_kept or term not in clauses[-1]:
                clauses[-1] = clauses[-1] + (term,)
            join_next = False
        elif repeat_kept or (term,) not in clauses:
            clauses.append((term,))

    if any(len(clause) > MAX_ALTERNATIVES for clause in clauses):
        notices.append(
            ngettext(
                "Only the first %(count)s word or phrase joined by OR was used.",
                "Only the first %(count)s words or phrases joined by OR were used.",
                MAX_ALTERNATIVES,
            )
            % {"count": MAX_ALTERNATIVES}
        )
        clauses = [clause[:MAX_ALTERNATIVES] for clause in clauses]
    if sum(len(clause) for clause in clauses) + len(excluded) > MAX_TERMS:
        notices.append(
            ngettext(
                "Only the first %(count)s word or phrase was used.",
                "Only the first %(count)s words or phrases were used.",
                MAX_TERMS,
            )
            % {"count": MAX_TERMS}
        )
        clauses, excluded = trimmed(clauses, excluded)
    if clauses and not excluded:
        clauses[-1] = (*clauses[-1][:-1], last_word(clauses[-1][-1], clauses))
    kept = {term.tokens[0] for term in [*(t for c in clauses for t in c), *excluded]}
    if cut := [word for word in cut if word in kept]:
        words = "”, “".join(cut)
        notices.append(
            ngettext(
                # Translators: limit: at most how many words are searched as prefixes (word*);
                # words: the words searched as whole words instead, each in quotation marks.
                "At most %(limit)s words are searched as the start of longer words (word*): "
                "“%(words)s” only as a whole word.",
                "At most %(limit)s words are searched as the start of longer words (word*): "
                "“%(words)s” only as whole words.",
                len(cut),
            )
            % {"limit": MAX_PREFIXES, "words": words}
        )
    if excluded and not clauses:
        notices.append(gettext("Add a word to search for: a search cannot only exclude words."))
    return Query(tuple(clauses), tuple(excluded), tuple(notices))


def ored(items, position):
    """Whether an OR follows the item at ``position`` and joins it to a word to find."""
    rest = items[position + 1 :]
    following = next((item for item in rest if item != "OR"), None)
    return rest[:1] == ["OR"] and following is not None and not following[0]


def trimmed(clauses, excluded):
    budget = MAX_TERMS
    kept = []
    for clause in clauses:
        if budget <= 0:
            break
        kept.append(clause[:budget])
        budget -= len(kept[-1])
    return kept, excluded[: max(budget, 0)]


def prefixable(term):
    """Whether a term may be searched as a prefix: a word of three letters or more, not a number."""
    word = term.tokens[0]
    return not term.quoted and len(word) >= MIN_PREFIX_LENGTH and not word.isdigit()


def fewer_prefixes(items):
    """``(items, words)``: the first MAX_PREFIXES prefixes typed kept (a repeat costs nothing),
    the others searched as whole words (``words``). Before repeats are dropped, since ``ext*
    ext`` may then be one word."""
    kept, cut = set(), []
    for index, item in enumerate(items):
        if item == "OR" or not item[1].prefix:
            continue
        negative, term = item
        if term in kept or len(kept) < MAX_PREFIXES:
            kept.add(term)
            continue
        items[index] = (negative, replace(term, prefix=False))
        cut.append(term.tokens[0])
    return items, list(dict.fromkeys(cut))


def last_word(term, clauses):
    """The last word to find, a prefix if it can be and the budget allows: when a longer query
    was cut short it is the last word typed, as the query reads back (``str(query)``)."""
    prefixes = {t for clause in clauses for t in clause if t.prefix}
    if term.prefix or not prefixable(term) or len(prefixes) >= MAX_PREFIXES:
        return term
    return replace(term, prefix=True)
