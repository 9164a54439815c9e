"""Corrections only for likely typos: a word one or two slips away from a word of the portal is
searched as that word, and the page says so; a real word the portal lacks ("referral") is never
silently replaced: the page says nothing was found and offers the words spelled like it."""

from django.urls import reverse

from search.text import edit_distance
from tests.helpers import FixtureTestCase, search_page

SEARCH_URL = reverse("portal:search")
TOOLS_URL = reverse("resources:tool_list")
# Real words the paper does not use, each spelled like a word it does use.
REAL_WORDS = ["referral", "smuggler", "asylum", "passports", "custody"]
# Slips of the keyboard, and the word meant.
TYPOS = {
    "extradtion": "extradition",
    "repatriaton": "repatriation",
    "interpool": "interpol",
    "prosecuton": "prosecution",
    "trafficknig": "trafficking",
}


class EditDistance(FixtureTestCase):
    def test_slips_are_counted_one_by_one(self):
        self.assertEqual(edit_distance("extradtion", "extradition"), 1)  # missing
        self.assertEqual(edit_distance("trafficknig", "trafficking"), 1)  # swapped
        self.assertEqual(edit_distance("prosecuton", "prosecutors"), 2)  # wrong, missing
        self.assertEqual(edit_distance("ab", "ba"), 1)  # neighbours swapped
        self.assertEqual(edit_distance("referral", "refers"), 3)
        self.assertEqual(edit_distance("", "abc"), 3)


class Corrections(FixtureTestCase):
    def test_real_words_are_not_corrected(self):
        for word in REAL_WORDS:
            with self.subTest(word=word):
                answer = search_page(word)
                self.assertIsNone(answer.corrected_from)
                self.assertEqual(answer.total, 0)
                response = self.client.get(SEARCH_URL, {"q": word})
                self.assertContains(response, f"Nothing found for “{word}”")
                self.assertNotContains(response, "Showing results for")

    def test_real_words_get_words_spelled_like_them_as_links(self):
        response = self.client.get(SEARCH_URL, {"q": "referral"})
        self.assertContains(response, "Words in the portal spelled like yours:")
        self.assertContains(response, 'href="/search/?q=refers"')
        alternatives = response.context["filterset"].alternatives
        self.assertTrue(alternatives)
        self.assertLessEqual(len(alternatives), 3)

    def test_typos_are_searched_as_the_word_meant_and_the_page_says_so(self):
        for typed, meant in TYPOS.items():
            with self.subTest(typed=typed):
                answer = search_page(typed)
                self.assertEqual(str(answer.corrected_from), typed)
                self.assertEqual(answer.text, meant)
                self.assertGreater(answer.total, 0)

    def test_the_lists_offer_a_correction_only_for_typos(self):
        response = self.client.get(TOOLS_URL, {"q": "extradtion"})
        self.assertContains(response, "Did you mean")
        response = self.client.get(TOOLS_URL, {"q": "referral"})
        self.assertNotContains(response, "Did you mean")
        self.assertContains(response, "Words in the portal spelled like yours:")
