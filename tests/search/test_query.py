"""The search syntax: what it parses to, what reaches each backend, and highlighted snippets.

Pure functions: no database. Property tests feed arbitrary text to the parser and check that
only quoted letters and digits ever reach an FTS5 MATCH or a tsquery.
"""

import re

from django.test import SimpleTestCase
from hypothesis import example, given, settings
from hypothesis import strategies as st

from search.postgres import search_query
from search.query import MAX_TERMS, Query, Term, parse
from search.sqlite import fts_query
from search.text import (
    MARK_END,
    MARK_START,
    fold,
    highlighted,
    joined,
    plain_text,
    tokens,
)

# Text without lone surrogates (which no query string can carry).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
# Text made of the syntax's own pieces, which is where a parser would go wrong.
SYNTAX_TEXT = st.lists(
    st.sampled_from([*"ab é\"-*()ORNAD:^\\'\x00", "OR", "NOT", "near", "abc*", " "]), max_size=30
).map("".join)


def words(query):
    """The clauses as lists of words and "phrases" (prefix marks left out)."""
    return [
        [f'"{" ".join(t.tokens)}"' if t.quoted else t.tokens[0] for t in clause]
        for clause in query.clauses
    ]


class ParsingTests(SimpleTestCase):
    def test_words_are_anded_and_folded(self):
        query = parse("Extradition  TREATY")
        self.assertEqual(words(query), [["extradition"], ["treaty"]])
        self.assertEqual(words(parse("Coopération")), [["cooperation"]])

    def test_quotes_make_a_phrase_and_an_open_quote_runs_to_the_end(self):
        self.assertEqual(
            words(parse('"mutual legal assistance" treaty')),
            [['"mutual legal assistance"'], ["treaty"]],
        )
        self.assertEqual(words(parse('treaty "mutual legal')), [["treaty"], ['"mutual legal"']])

    def test_or_joins_the_terms_beside_it(self):
        self.assertEqual(
            words(parse("extradition OR surrender treaty")),
            [["extradition", "surrender"], ["treaty"]],
        )
        self.assertEqual(words(parse("a OR b OR c")), [["a", "b", "c"]])
        self.assertEqual(words(parse("or")), [["or"]])  # lower case is a word

    def test_minus_and_not_exclude(self):
        query = parse('demand -consumer NOT "primary demand"')
        self.assertEqual(words(query), [["demand"]])
        self.assertEqual([str(t) for t in query.excluded], ["consumer", '"primary demand"'])

    def test_the_last_word_and_starred_words_are_prefixes(self):
        query = parse("hot pursu")
        self.assertEqual([t.prefix for t in query.terms], [False, True])
        self.assertEqual(str(query), "hot pursu")
        query = parse("surveil* -police joint")
        self.assertEqual([t.prefix for t in query.terms], [True, True])
        self.assertEqual(str(query), "surveil* joint* -police")
        # Not a phrase, a number, an excluded word or a word under three letters.
        for text in ['"hot pursu"', "module 6", "hot -pursu", "hot pu"]:
            with self.subTest(text=text):
                self.assertFalse(any(t.prefix for t in parse(text).terms))

    def test_punctuation_splits_words_into_a_phrase(self):
        self.assertEqual(words(parse("CTOC/COP/WG.4")), [['"ctoc cop wg 4"']])
        self.assertEqual(words(parse("2011/36/EU")), [['"2011 36 eu"']])

    def test_operators_alone_and_odd_input_give_an_empty_query(self):
        for text in [
            "",
            "   ",
            "OR",
            "AND",
            "NOT",
            "-",
            "--",
            '"',
            '""',
            "*",
            "(",
            ")",
            "\x00",
        ]:
            with self.subTest(text=text):
                self.assertFalse(parse(text))

    def test_only_excluded_words_is_empty_with_a_notice(self):
        query = parse("-police")
        self.assertFalse(query)
        self.assertEqual([str(t) for t in query.excluded], ["police"])
        self.assertIn("cannot only exclude", query.notices[0])

    def test_long_queries_keep_a_bounded_number_of_terms(self):
        query = parse(" ".join(f"word{i}" for i in range(40)))
        self.assertEqual(len(query.terms), MAX_TERMS)
        self.assertTrue(query.notices)

    def test_a_correction_replaces_words_and_keeps_the_structure(self):
        query = parse('extradtion OR "mutal legal" -police')
        fixed = query.corrected({"extradtion": "extradition", "mutal": "mutual"})
        self.assertEqual(str(fixed), 'extradition OR "mutual legal" -police')

    def test_spellable_words_leave_out_numbers_and_short_words(self):
        self.assertEqual(parse("Module 6 of it").spellable_words(), {"module"})

    def test_a_repeated_word_is_kept_last_and_before_an_or(self):
        # Dropped, the last "a" would leave "00a" last: read back, a prefix.
        self.assertEqual(str(parse("A 00A A")), "a 00a a")
        # "a b a OR c" needs b, and a or c: not "a (b OR c)".
        self.assertEqual(
            [[str(term) for term in clause] for clause in parse("a b a OR c").clauses],
            [["a"], ["b"], ["a", "c"]],
        )
        self.assertEqual(str(parse("a b a b")), "a b b")
        self.assertEqual(str(parse("a NOT a a")), "a a -a")

    @given(ANY_TEXT)
    @example("A 00A A")  # found by this test in CI
    @example("a NOT a a")
    @settings(max_examples=300, deadline=None)
    def test_parsing_any_text_never_fails_and_reparses_to_itself(self, text):
        query = parse(text)
        self.assertIsInstance(query, Query)
        self.assertLessEqual(len(query.terms) + len(query.excluded), MAX_TERMS)
        self.assertEqual(parse(str(query)).clauses, query.clauses)


FTS_TOKEN = r'"[^\W_]+(?: [^\W_]+)*"\*?'
FTS_SAFE = re.compile(rf"^(?:\(|\)| |AND|OR|NOT|{FTS_TOKEN})+$")


class BackendQueryTests(SimpleTestCase):
    def test_fts5_gets_every_token_quoted(self):
        self.assertEqual(
            fts_query(parse('hot "joint teams" OR surveil* -police')),
            '(("hot") AND ("joint teams" OR "surveil"*)) NOT ("police")',
        )

    @given(st.one_of(ANY_TEXT, SYNTAX_TEXT))
    @settings(max_examples=300, deadline=None)
    def test_only_quoted_letters_and_digits_reach_fts5(self, text):
        query = parse(text)
        if query:
            self.assertRegex(fts_query(query), FTS_SAFE)

    @given(st.one_of(ANY_TEXT, SYNTAX_TEXT))
    @settings(max_examples=200, deadline=None)
    def test_tsquery_values_are_letters_and_digits(self, text):
        query = parse(text)
        if not query:
            return
        # SearchQuery objects carry their value as a parameter; the raw ones (prefixes) are a
        # quoted token built here.
        for term in query.terms + list(query.excluded):
            for token in term.tokens:
                self.assertRegex(token, r"^[^\W_]+$")
        self.assertIsNotNone(search_query(query))


class TextTests(SimpleTestCase):
    def test_highlighted_escapes_everything_but_the_marks(self):
        text = f'<b>a</b> & {MARK_START}match{MARK_END} "q" {MARK_START}open'
        self.assertEqual(
            highlighted(text),
            "&lt;b&gt;a&lt;/b&gt; &amp; <mark>match</mark> &quot;q&quot; <mark>open</mark>",
        )
        self.assertEqual(
            highlighted(f"{MARK_END}stray{MARK_START}{MARK_START}x"), "stray<mark>x</mark>"
        )

    def test_plain_text_keeps_the_words_of_markdown(self):
        self.assertEqual(
            plain_text("See **the** [MLA Tool](https://example.org/x) and `code`.\n\n# Head"),
            "See the MLA Tool and code. Head",
        )

    def test_joined_skips_empty_parts_and_doubled_full_stops(self):
        self.assertEqual(joined("Manual", None, "", 2009, sep=" · "), "Manual · 2009")
        self.assertEqual(joined("One.", "Two", "Three.", sep=". "), "One. Two. Three")
        self.assertEqual(joined("Art. 16", "Extradition."), "Art. 16 Extradition.")

    def test_tokens_fold_case_and_accents(self):
        self.assertEqual(tokens("Ñandú, COOPÉRATION! x_y"), ["nandu", "cooperation", "x", "y"])
        self.assertEqual(fold("Straße"), "strasse")

    def test_terms_print_as_the_syntax(self):
        self.assertEqual(str(Term(("a", "b"))), '"a b"')
        self.assertEqual(str(Term(("a",), quoted=True)), '"a"')
