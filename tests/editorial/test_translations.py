"""Records' texts in the other languages (editorial/translations.py): the reader's language
where an editor gave it, else the English text marked ``lang="en"``; the admin's boxes fill
them; the facets' labels follow."""

import re

from django.contrib.auth.models import User
from django.test import TestCase

from instruments.models import Mechanism
from tests.factories import make_category, make_instrument, make_mechanism, make_tool
from tests.helpers import admin_url, form_data, indexed


class TranslatedTexts(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():  # the lists count their records from the index
            category = make_category("judicial", name="Judicial cooperation")
            cls.mechanism = make_mechanism(
                "extradition",
                category=category,
                name="Extradition",
                summary="Surrendering a person.",
                translations={"es": {"name": "Extradición", "summary": "Entregar a una persona."}},
            )
            make_instrument("untoc", short_title="UNTOC", provides=[(cls.mechanism, "art. 16")])
            make_tool("model-law", mechanisms=[cls.mechanism])

    def test_a_translated_text_is_shown_in_the_readers_language(self):
        response = self.client.get("/es/cooperation/extradition/")
        self.assertContains(response, "<h1>Extradición</h1>", html=True)
        self.assertContains(response, "Entregar a una persona.")
        self.assertNotContains(response, "Surrendering a person.")
        self.assertContains(response, "<title>Extradición ·", count=1)

    def test_a_missing_translation_shows_the_english_marked_as_english(self):
        response = self.client.get("/fr/cooperation/extradition/")
        self.assertContains(
            response, '<h1><span lang="en" dir="ltr">Extradition</span></h1>', html=True
        )
        summary = re.search(r'<div class="record__text"([^>]*)>\s*<p>Surrendering', response.text)
        self.assertIsNotNone(summary)
        self.assertEqual(summary.group(1), ' lang="en" dir="ltr"')
        # Nothing marked in English, where English is the page's language.
        english = self.client.get("/cooperation/extradition/")
        self.assertContains(english, "<h1>Extradition</h1>", html=True)
        self.assertNotContains(english, 'lang="en">Extradition')

    def test_facets_name_the_forms_of_cooperation_in_the_readers_language(self):
        response = self.client.get("/es/instruments/")
        self.assertContains(response, "Extradición")
        # ... and so do the tools list's cards ("Helps with: ...").
        cards = self.client.get("/es/resources/").text
        self.assertRegex(cards, r'<p class="card__mechanisms">[^<]*Extradición</p>')
        self.assertIn("Extradition", self.client.get("/instruments/").text)


class TranslationsInTheAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_superuser("editor", "editor@example.org", "pw")
        cls.mechanism = make_mechanism("extradition", name="Extradition")

    def test_an_editor_fills_a_box_per_language_and_text(self):
        self.client.force_login(self.user)
        url = admin_url(Mechanism, "change", self.mechanism.pk)
        response = self.client.get(url)
        self.assertContains(response, "Translations")
        self.assertContains(response, 'name="translation_zh_hans_name"')
        self.assertContains(response, 'name="translation_ar_summary"')
        self.assertNotContains(response, 'name="translations"')
        data = form_data(response)
        data["translation_fr_name"] = "  Extradition (fr)  "
        data["translation_zh_hans_name"] = "引渡"
        data["translation_ru_summary"] = ""
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.mechanism.refresh_from_db()
        self.assertEqual(
            self.mechanism.translations,
            {"fr": {"name": "Extradition (fr)"}, "zh-hans": {"name": "引渡"}},
        )
        # The form opens with what was saved.
        response = self.client.get(url)
        self.assertContains(response, 'value="引渡"')
