"""Conditional GET: record pages, lists, exports, citation files and feeds carry an ETag and a
Last-Modified date; a request holding them is answered 304 (before the view runs, or from the
page cache); a change to a record changes them; the sitemap gives lastmod."""

import datetime
from unittest import mock

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from editorial import conditional
from paper.models import CitedDocument
from resources.models import Tool
from tests.factories import make_instrument, make_mechanism, make_paper, make_tool
from tests.helpers import indexed


class ConditionalGet(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.mechanism = make_mechanism("extradition", name="Extradition")
            cls.instrument = make_instrument("untoc", provides=[cls.mechanism])
            cls.tool = make_tool("model-law", title="Model Law", mechanisms=[cls.mechanism])
            cls.other = make_tool("toolkit", title="Toolkit", kind="toolkit")
            make_paper(paragraphs=2)
            cls.document = CitedDocument.objects.create(
                slug="a-res-55-25", title="Resolution 55/25", kind="ga-resolution"
            )

    def urls(self):
        return [
            self.tool.get_absolute_url(),
            self.instrument.get_absolute_url(),
            self.mechanism.get_absolute_url(),
            reverse("resources:tool_list") + "?kind=manual",
            reverse("instruments:instrument_list"),
            reverse("portal:search") + "?q=model",
            reverse("instruments:mechanism_list"),
            reverse("portal:source"),
            self.document.get_absolute_url(),
            reverse("resources:tool_export", args=["csv"]) + "?kind=manual",
            reverse("instruments:instrument_export", args=["json"]),
            reverse("portal:search_export", args=["csv"]) + "?q=model",
            reverse("portal:cite", args=["tool", "model-law", "bib"]),
            reverse("resources:tool_feed") + "?kind=manual",
            reverse("instruments:instrument_feed"),
            reverse("portal:feed"),
        ]

    def test_every_kind_of_page_answers_304_to_its_validators(self):
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                etag, last_modified = response["ETag"], response["Last-Modified"]
                self.assertRegex(etag, r'^W/"[0-9a-f]{24}"$')
                # In the past: browsers ask again rather than guess how long to keep it.
                self.assertEqual(response["Expires"], last_modified)
                again = self.client.get(url, headers={"If-None-Match": etag})
                self.assertEqual(again.status_code, 304)
                self.assertEqual(again.content, b"")
                self.assertEqual(again["ETag"], etag)
                since = self.client.get(url, headers={"If-Modified-Since": last_modified})
                self.assertEqual(since.status_code, 304)
                other = self.client.get(url, headers={"If-None-Match": 'W/"something-else"'})
                self.assertEqual(other.status_code, 200)

    def test_a_304_runs_one_query_and_not_the_view(self):
        url = self.tool.get_absolute_url()
        etag = self.client.get(url)["ETag"]
        with self.assertNumQueries(1):  # the validators
            response = self.client.get(url, headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)

    def test_a_change_to_a_record_changes_the_etag_and_the_date(self):
        url = reverse("resources:tool_list")
        first = self.client.get(url)
        record_page = self.client.get(self.tool.get_absolute_url())
        later = max(timezone.now(), parse_datetime_header(first["Last-Modified"]))
        later += datetime.timedelta(seconds=5)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.other.title = "Toolkit, second edition"
            self.other.save()  # another record: every page may show it
        second = self.client.get(url)
        self.assertNotEqual(second["ETag"], first["ETag"])
        self.assertEqual(parse_http_date(second["Last-Modified"]), int(later.timestamp()))
        for headers in (
            {"If-None-Match": first["ETag"]},
            {"If-Modified-Since": first["Last-Modified"]},
        ):
            with self.subTest(headers=headers):
                self.assertEqual(self.client.get(url, headers=headers).status_code, 200)
        response = self.client.get(
            self.tool.get_absolute_url(), headers={"If-None-Match": record_page["ETag"]}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.client.get(url, headers={"If-None-Match": second["ETag"]}).status_code, 304
        )

    def test_a_deletion_changes_the_etag(self):
        url = reverse("resources:tool_list")
        etag = self.client.get(url)["ETag"]
        Tool.objects.get(slug="toolkit").delete()
        self.assertEqual(self.client.get(url, headers={"If-None-Match": etag}).status_code, 200)

    def test_pages_that_print_todays_date_change_every_day(self):
        page, listing = self.tool.get_absolute_url(), reverse("resources:tool_list")
        today = {url: self.client.get(url)["ETag"] for url in (page, listing)}
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=tomorrow):
            response = self.client.get(page, headers={"If-None-Match": today[page]})
            self.assertEqual(response.status_code, 200)  # "Accessed" is another day
            self.assertIn(f'Accessed <time datetime="{tomorrow:%Y-%m-%d}"', response.text)
            response = self.client.get(listing, headers={"If-None-Match": today[listing]})
            self.assertEqual(response.status_code, 304)

    def test_a_release_changes_the_etag(self):
        url = reverse("resources:tool_list")
        etag = self.client.get(url)["ETag"]
        with mock.patch.object(conditional, "code_state", return_value=("other", None)):
            self.assertEqual(self.client.get(url, headers={"If-None-Match": etag}).status_code, 200)

    def test_visitors_with_a_session_or_a_message_get_the_page(self):
        url = self.tool.get_absolute_url()
        etag = self.client.get(url)["ETag"]
        for cookie in ("sessionid", "messages"):
            with self.subTest(cookie=cookie):
                self.client.cookies.clear()
                self.client.cookies[cookie] = "x"
                response = self.client.get(url, headers={"If-None-Match": etag})
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(response.get("ETag"), etag)  # the content's, if any
        self.client.cookies.clear()

    def test_an_etag_is_its_pages_only(self):
        etags = {url: self.client.get(url)["ETag"] for url in self.urls()}
        self.assertEqual(len(set(etags.values())), len(etags))
        tool_page = self.tool.get_absolute_url()
        other = self.client.get(
            self.other.get_absolute_url(), headers={"If-None-Match": etags[tool_page]}
        )
        self.assertEqual(other.status_code, 200)
        # Nor does a record that is not found: another page's ETag, or "*" (any).
        for etag in (etags[tool_page], "*"):
            with self.subTest(etag=etag):
                response = self.client.get(
                    "/resources/no-such-tool/", headers={"If-None-Match": etag}
                )
                self.assertEqual(response.status_code, 404)


def parse_datetime_header(value):
    return datetime.datetime.fromtimestamp(parse_http_date(value), tz=datetime.UTC)


@override_settings(PAGE_CACHE_SECONDS=600)
class ThePageCacheKeepsTheValidators(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.tool = make_tool("model-law", title="Model Law")

    def setUp(self):
        cache.clear()

    def test_a_cached_page_has_the_same_validators_and_answers_304(self):
        for url in (
            self.tool.get_absolute_url(),
            reverse("resources:tool_list"),
            reverse("portal:feed"),
        ):
            with self.subTest(url=url):
                miss = self.client.get(url)
                self.assertEqual(miss["X-Page-Cache"], "miss")
                with self.assertNumQueries(0):
                    hit = self.client.get(url)
                    not_modified = self.client.get(url, headers={"If-None-Match": miss["ETag"]})
                self.assertEqual(hit["X-Page-Cache"], "hit")
                for header in ("ETag", "Last-Modified", "Expires"):
                    self.assertEqual(hit[header], miss[header])
                self.assertEqual(not_modified.status_code, 304)
                self.assertEqual(not_modified["ETag"], miss["ETag"])
                since = self.client.get(url, headers={"If-Modified-Since": miss["Last-Modified"]})
                self.assertEqual(since.status_code, 304)

    def test_a_change_reaches_cached_pages_too(self):
        url = reverse("resources:tool_list")
        etag = self.client.get(url)["ETag"]
        with self.captureOnCommitCallbacks(execute=True):
            make_tool("toolkit", title="Toolkit")
        response = self.client.get(url, headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("Toolkit", response.text)


class Sitemap(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.tool = make_tool("model-law", updated_on=datetime.date(2026, 3, 1))
            make_tool("no-date")

    def test_lastmod_of_records_and_pages(self):
        xml = self.client.get(reverse("site:sitemap")).text
        self.assertRegex(
            xml, r"<loc>http://testserver/resources/model-law/</loc><lastmod>2026-03-01</lastmod>"
        )
        # No lastmod: the alternates (hreflang) follow the address directly.
        self.assertRegex(xml, r"<loc>http://testserver/resources/no-date/</loc><xhtml:link ")
        newest = conditional.content_state()[0]
        self.assertIn(
            f"<loc>http://testserver/resources/</loc><lastmod>{newest:%Y-%m-%d}</lastmod>", xml
        )


class Validators(TestCase):
    def test_the_content_state_is_one_query_over_every_history_table(self):
        with self.assertNumQueries(1):
            newest, versions = conditional.content_state()
        self.assertIsNone(newest)
        self.assertEqual(len(versions), len(conditional.history_tables()))
        self.assertGreater(len(versions), 15)
        make_tool("model-law")
        newest, after = conditional.content_state()
        self.assertIsNotNone(newest)
        self.assertNotEqual(after, versions)

    def test_the_code_state_is_a_digest_of_the_project_files(self):
        digest, changed = conditional.code_state()
        self.assertRegex(digest, r"^[0-9a-f]{64}$")
        roots = [str(root) for root in conditional.code_roots()]
        self.assertTrue(any(root.endswith("templates") for root in roots))
        self.assertFalse(any(".venv" in root for root in roots))
        self.assertLessEqual(changed, timezone.now())
        self.assertEqual(http_date(changed.timestamp())[-3:], "GMT")
