"""The interface in the six UN languages (portal/languages.py, docs/languages.md): English at
the addresses it always had, the others under their code; the first visit's Accept-Language,
the switcher's choice, hreflang alternates in the head and the sitemap, and every page type in
every language with the right ``lang`` and ``dir``."""

import re
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from countries.models import Participant
from tests.helpers import load_fixtures, load_participation

CODES = [code for code, _ in settings.LANGUAGES]
OTHERS = [code for code in CODES if code != "en"]
RTL = {"ar"}


def html_tag(response):
    return re.search(r"<html[^>]*>", response.text).group(0)


def prefixed(code, path):
    return path if code == "en" else f"/{code}{path}"


class EveryPageInEveryLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()

    def page_paths(self):
        from guidance.models import Guidance
        from instruments.models import Instrument, Mechanism
        from paper.models import CitedDocument
        from resources.models import Tool

        mechanism = Mechanism.objects.get(slug="extradition")
        return [
            "/",
            "/cooperation/",
            mechanism.get_absolute_url(),
            "/instruments/",
            "/instruments/?mechanism=extradition",
            Instrument.objects.published().get(slug="untoc").get_absolute_url(),
            "/resources/",
            "/resources/?kind=manual",
            Tool.objects.published().first().get_absolute_url(),
            Guidance.objects.first().get_absolute_url(),
            CitedDocument.objects.first().get_absolute_url(),
            "/source/",
            "/search/?q=extradition",
            "/countries/",
            Participant.objects.get(code="nga").get_absolute_url(),
            "/pathfinder/?from=nga&to=ita&mechanism=extradition",
            "/feed/",
        ]

    def test_each_page_type_answers_in_each_language_with_its_lang_and_dir(self):
        with translation.override("en"):  # the test client leaves the last page's language on
            paths = self.page_paths()
        for path in paths:
            for code in CODES:
                with self.subTest(path=path, code=code):
                    response = self.client.get(prefixed(code, path))
                    self.assertEqual(response.status_code, 200)
                    if path == "/feed/":
                        self.assertIn(f'xml:lang="{code}"', response.text)
                        continue
                    tag = html_tag(response)
                    self.assertIn(f'lang="{code}"', tag)
                    self.assertIn(f'dir="{"rtl" if code in RTL else "ltr"}"', tag)
                    self.assertEqual(response["Content-Language"], code)

    def test_the_interface_is_translated_and_links_stay_in_the_language(self):
        expected = {
            "fr": "Types de coopération",
            "es": "Tipos de cooperación",
        }
        for code, words in expected.items():
            with translation.override(code):
                nav = translation.gettext("Cooperation types")
            self.assertEqual(nav, words)
            response = self.client.get(f"/{code}/")
            self.assertContains(response, nav)
            # Every link to a page of the portal keeps the visitor in their language.
            for href in re.findall(r'href="(/[^"]*)"', response.text):
                if href.startswith(("/static/", "/api/", "/feed", "/sitemap")) or "/feed/" in href:
                    continue
                self.assertTrue(
                    href.startswith((f"/{code}/", "/language/", f"/{code}/language/")),
                    f"{href} leaves {code}",
                )

    def test_dates_are_written_as_each_language_writes_them(self):
        expected = {
            "en": "15 November 2000",
            "fr": "15 novembre 2000",
            "es": "15 de noviembre de 2000",
            "ru": "15 ноября 2000",
            "zh-hans": "2000年11月15日",
        }
        for code, date in expected.items():
            with self.subTest(code=code):
                self.assertContains(self.client.get(prefixed(code, "/instruments/untoc/")), date)

    def test_country_names_come_from_cldr_in_each_language(self):
        for code, name in {"fr": "Allemagne", "ru": "Германия", "zh-hans": "德国"}.items():
            response = self.client.get(f"/{code}/countries/deu/")
            self.assertContains(response, f"<h1>{name}</h1>", html=True)
            self.assertNotContains(response, "<h1>Germany")
            pathfinder = self.client.get(f"/{code}/pathfinder/")
            self.assertContains(pathfinder, f'<option value="deu">{name}</option>', html=True)
        self.assertContains(self.client.get("/countries/deu/"), "<h1>Germany</h1>", html=True)


class Addresses(TestCase):
    def test_english_keeps_its_addresses_and_the_others_are_prefixed(self):
        self.assertEqual(reverse("resources:tool_list"), "/resources/")
        with translation.override("fr"):
            self.assertEqual(reverse("resources:tool_list"), "/fr/resources/")
        with translation.override("zh-hans"):
            self.assertEqual(reverse("resources:tool_list"), "/zh-hans/resources/")
        self.assertEqual(self.client.get("/resources/").status_code, 200)
        self.assertEqual(self.client.get("/en/resources/").status_code, 404)
        self.assertEqual(self.client.get("/de/resources/").status_code, 404)

    def test_the_api_sitemap_and_health_are_the_same_in_every_language(self):
        self.assertEqual(reverse("site:sitemap"), "/sitemap.xml")
        with translation.override("ar"):
            self.assertEqual(reverse("site:sitemap"), "/sitemap.xml")
            self.assertEqual(reverse("site:healthz"), "/healthz")
        self.assertEqual(self.client.get("/fr/api/v1/tools").status_code, 404)


class FirstVisit(TestCase):
    def test_a_browser_preferring_french_goes_to_the_french_page_with_its_filters(self):
        response = self.client.get(
            "/resources/?kind=manual&q=x", headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.8"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/fr/resources/?kind=manual&q=x")
        self.assertIn("Accept-Language", response["Vary"])
        self.assertIn("Cookie", response["Vary"])

    def test_english_or_an_unknown_language_stays_at_the_english_address(self):
        for header in ("en-GB,en;q=0.9", "de-DE,de;q=0.9", "", "*", "x" * 600, "fr;q=abc"):
            with self.subTest(header=header[:20]):
                response = self.client.get("/resources/", headers={"accept-language": header})
                self.assertEqual(response.status_code, 200)

    def test_a_chosen_language_wins_over_the_browsers(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get("/resources/", headers={"accept-language": "ar"})
        self.assertEqual(response.status_code, 200)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        response = self.client.get("/resources/")
        self.assertRedirects(response, "/ru/resources/", fetch_redirect_response=False)

    def test_addresses_in_english_only_and_posts_are_never_redirected(self):
        headers = {"accept-language": "es"}
        self.assertEqual(self.client.get("/api/v1/", headers=headers).status_code, 200)
        self.assertEqual(self.client.get("/healthz", headers=headers).status_code, 200)
        self.assertEqual(self.client.get("/sitemap.xml", headers=headers).status_code, 200)
        self.assertEqual(self.client.get("/no/such/page/", headers=headers).status_code, 404)
        self.assertNotEqual(self.client.post("/search/", headers=headers).status_code, 302)


class Switcher(TestCase):
    def switch(self, code, next_path, **headers):
        return self.client.get(
            f"/language/{code}/?next={quote(next_path, safe='')}", headers=headers
        )

    def test_it_keeps_the_page_and_its_filters_and_remembers_the_choice(self):
        response = self.switch("fr", "/resources/?kind=manual&page=2")
        self.assertEqual(response["Location"], "/fr/resources/?kind=manual&page=2")
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "fr")
        self.assertIn("no-cache", response["Cache-Control"])
        response = self.switch("en", "/fr/resources/?kind=manual")
        self.assertEqual(response["Location"], "/resources/?kind=manual")
        # Chosen English, the visitor stays in English whatever the browser prefers.
        page = self.client.get("/resources/", headers={"accept-language": "fr"})
        self.assertEqual(page.status_code, 200)
        response = self.switch("zh-hans", "/ar/instruments/untoc/#art-16")
        self.assertEqual(response["Location"], "/zh-hans/instruments/untoc/#art-16")

    def test_bad_input_gives_the_home_page_or_a_404(self):
        for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""):
            with self.subTest(bad=bad):
                self.assertEqual(self.switch("es", bad)["Location"], "/es/")
        self.assertEqual(self.switch("es", "/" + "a" * 5000)["Location"], "/es/")
        self.assertEqual(self.switch("de", "/resources/").status_code, 404)
        self.assertEqual(self.client.post("/language/fr/").status_code, 405)

    def test_every_page_offers_every_language_at_the_same_page(self):
        response = self.client.get("/resources/?kind=manual")
        switcher = re.search(r'<nav class="languages".*?</nav>', response.text, re.S).group(0)
        for code, name in settings.LANGUAGES:
            self.assertIn(name, switcher)
            if code != "en":
                self.assertIn(
                    unescape(f"/language/{code}/?next=%2Fresources%2F%3Fkind%3Dmanual"),
                    unescape(switcher),
                )
        self.assertIn('aria-current="true"', switcher)


class Alternates(TestCase):
    def test_the_head_names_the_page_in_every_language(self):
        response = self.client.get("/fr/resources/?kind=manual")
        links = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', response.text)
        )
        # The page's own address in each language; filters are not pages of their own.
        self.assertEqual(links["en"], "http://testserver/resources/")
        self.assertEqual(links["x-default"], "http://testserver/resources/")
        self.assertEqual(links["ar"], "http://testserver/ar/resources/")
        self.assertEqual(set(links), {*CODES, "x-default"})
        self.assertNotIn(
            '<link rel="alternate" hreflang', self.client.get("/fr/no/such/page/").text
        )

    def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(self):
        xml = self.client.get("/sitemap.xml").text
        self.assertIn("<loc>http://testserver/cooperation/</loc>", xml)
        self.assertIn("<loc>http://testserver/ru/cooperation/</loc>", xml)
        self.assertIn(
            '<xhtml:link rel="alternate" hreflang="zh-hans" '
            'href="http://testserver/zh-hans/cooperation/"/>',
            xml,
        )
        self.assertIn('hreflang="x-default" href="http://testserver/cooperation/"', xml)
