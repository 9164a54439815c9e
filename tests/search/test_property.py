"""Arbitrary text into the search page and the lists' word filters never gives a 500.

Hypothesis writes the queries: any Unicode (emoji, Arabic, Cyrillic, Chinese, control
characters, NUL), the search syntax's own pieces (quotes, stars, brackets, OR/NOT, minus
signs), SQL and HTML fragments, and strings past the length limit. Runs on whichever database
the suite runs on, so on SQLite (FTS5) and on PostgreSQL (tsquery) in CI.
"""

from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.helpers import load_fixtures

PIECES = [
    '"', "'", "*", "(", ")", "-", "+", ":", "^", "OR", "AND", "NOT", "NEAR(", "|", "&", "!", "\\",
    "%", "_", ";", "--", "/*", "<script>", "</mark>", "\ue000", "\x00", "\t", "😀", "الاتجار",
    "торговля", "人口贩卖", "extradition", "hot", "pursuit", "cooperation", "demand", "É", "ß",
]  # fmt: skip
QUERIES = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=15).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=15).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=5).map(
        lambda s: s * (settings.MAX_QUERY_LENGTH // len(s) + 1)
    ),
)
PAGES = [
    reverse("portal:search"),
    reverse("resources:tool_list"),
    reverse("instruments:instrument_list"),
]


class ArbitraryQueries(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()

    @given(q=QUERIES, page=st.sampled_from(PAGES), type_=st.sampled_from(["", "tool", "x\x00"]))
    @hypothesis_settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    def test_no_query_gives_a_server_error(self, q, page, type_):
        response = self.client.get(page, {"q": q, "type": type_, "page": q[:5]})
        self.assertIn(response.status_code, (200, 400), msg=f"{page} q={q!r}")
        if response.status_code == 400:
            self.assertGreater(len(q.strip()), settings.MAX_QUERY_LENGTH // 2)
