"""Numbers and references written with punctuation are found by their parts on both backends.

PostgreSQL's parser keeps "2011/36/EU" or "4.1" whole; the index splits them as the query
parser and SQLite's FTS5 do (search/migrations/0001_initial.py).
"""

from tests.helpers import (
    FixtureTestCase,
    found_urls,
    instrument_url,
    passage_url,
    search_page,
    tool_url,
)


class ReferencesWithPunctuation(FixtureTestCase):
    def test_tool_4_1_finds_the_toolkit(self):
        self.assertIn(tool_url("tip-toolkit-2008"), found_urls(search_page("tool 4.1"), "tool"))

    def test_directive_2011_finds_the_eu_directive(self):
        self.assertIn(
            instrument_url("eu-directive-2011-36"),
            found_urls(search_page("directive 2011"), "instrument"),
        )

    def test_a_reference_typed_whole_finds_its_paragraph(self):
        self.assertIn(passage_url("para-21"), found_urls(search_page("2011/36/EU"), "paragraph"))
        self.assertIn(passage_url("fn-1"), found_urls(search_page("WG.4/2010/3"), "footnote"))
