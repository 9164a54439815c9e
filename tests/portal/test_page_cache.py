"""The page cache answers a hit near the top of the middleware stack (issue 17): the stored page
carries every header the rest of the stack gave it, a hit still answers 304, sends a visitor who
prefers another language on, and keeps the API's CORS headers; a process serves hits from its
own memory while it trusts the generation it read, and sees a change saved elsewhere within
PAGE_CACHE_LOCAL_SECONDS. (Invalidation, who is never served a cached page, and Redis itself:
tests/portal/test_deploy.py.)"""

import time
from unittest import mock

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from api.links import api_path
from portal.middleware import GENERATION_KEY, PublicPageCacheMiddleware, local_pages
from tests.factories import make_mechanism, make_tool
from tests.helpers import indexed, plain_static

# What differs between two answers of one page whatever the cache does.
PER_RESPONSE = {"X-Page-Cache", "Date"}


def headers_of(response):
    return {name: value for name, value in response.items() if name not in PER_RESPONSE}


@plain_static()
@override_settings(PAGE_CACHE_SECONDS=60)
class PageCacheTestCase(TestCase):
    def setUp(self):
        cache.clear()
        local_pages.clear()
        self.addCleanup(cache.clear)
        self.addCleanup(local_pages.clear)

    def miss_then_hit(self, url, **extra):
        miss = self.client.get(url, **extra)
        self.assertEqual(miss["X-Page-Cache"], "miss", url)
        with self.assertNumQueries(0):
            hit = self.client.get(url, **extra)
        self.assertEqual(hit["X-Page-Cache"], "hit", url)
        return miss, hit


class AHitIsThePageTheWholeStackGives(PageCacheTestCase):
    def test_a_hit_has_every_header_of_the_page(self):
        make_mechanism(slug="extradition")
        for url in (reverse("portal:home"), reverse("instruments:mechanism_list")):
            miss, hit = self.miss_then_hit(url)
            self.assertEqual(headers_of(hit), headers_of(miss))
            self.assertEqual(hit.content, miss.content)
            for header in (
                "Content-Security-Policy",
                "X-Frame-Options",
                "X-Content-Type-Options",
                "Referrer-Policy",
                "Cross-Origin-Opener-Policy",
                "Content-Language",
                "ETag",
            ):
                self.assertIn(header, hit, f"{url}: {header}")
            self.assertIn("Accept-Language", hit["Vary"])
            self.assertNotIn("nonce", hit["Content-Security-Policy"])

    def test_hsts_goes_on_hits_over_https_only(self):
        url = reverse("portal:home")
        _, hit = self.miss_then_hit(url, secure=True)
        self.assertIn("Strict-Transport-Security", hit)
        _, plain = self.miss_then_hit(url)
        self.assertNotIn("Strict-Transport-Security", plain)

    def test_a_hit_holding_the_pages_validators_is_answered_304(self):
        # The home page's ETag is ConditionalGetMiddleware's (a digest of the page), stored
        # with it; the lists' are the portal's own (editorial/conditional.py).
        make_mechanism(slug="extradition")
        for url in (reverse("portal:home"), reverse("instruments:mechanism_list")):
            miss, _ = self.miss_then_hit(url)
            with self.assertNumQueries(0):
                again = self.client.get(url, headers={"If-None-Match": miss["ETag"]})
            self.assertEqual(again.status_code, 304, url)
            self.assertEqual(again["ETag"], miss["ETag"])
            self.assertEqual(again["X-Content-Type-Options"], "nosniff")
            other = self.client.get(url, headers={"If-None-Match": '"another"'})
            self.assertEqual(other.status_code, 200)
            self.assertEqual(other["X-Page-Cache"], "hit")
            # A precondition that fails is refused on a hit as on a miss.
            failed = self.client.get(url, headers={"If-Match": '"another"'})
            self.assertEqual(failed.status_code, 412, url)
        # By date too, where the page has one (the portal's own validators).
        url = reverse("instruments:mechanism_list")
        since = self.client.get(url)["Last-Modified"]
        with self.assertNumQueries(0):
            again = self.client.get(url, headers={"If-Modified-Since": since})
        self.assertEqual(again.status_code, 304)

    def test_a_visitor_who_prefers_another_language_is_still_sent_to_it(self):
        home = reverse("portal:home")
        self.miss_then_hit(home, headers={"Accept-Language": "en-GB,en;q=0.9"})
        browser = self.client_class(headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
        chose = self.client_class()
        chose.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # with the switcher
        for client in (browser, chose, browser, chose):
            response = client.get(home)
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], "/fr/")
            self.assertNotIn("X-Page-Cache", response)
        # The French page is a page of its own.
        miss, hit = self.miss_then_hit("/fr/")
        self.assertEqual(hit["Content-Language"], "fr")

    def test_the_api_keeps_its_cors_headers_on_hits(self):
        with indexed():
            make_tool("model-law")
        url = api_path("list_tools")
        miss, hit = self.miss_then_hit(url, headers={"Origin": "https://example.org"})
        for response in (miss, hit):
            self.assertEqual(response["Access-Control-Allow-Origin"], "*")
            self.assertIn("origin", response["Vary"].lower())
        plain = self.client.get(url)
        self.assertEqual(plain["X-Page-Cache"], "hit")
        self.assertNotIn("Access-Control-Allow-Origin", plain)

    def test_a_page_whose_policy_has_a_nonce_is_not_stored(self):
        # A nonce is good for one response: stored, every visitor would share it.
        def view(request):
            response = HttpResponse("<p>page</p>")
            response["Content-Security-Policy"] = "script-src 'self' 'nonce-abc123'"
            return response

        middleware = PublicPageCacheMiddleware(view)
        for _ in range(2):
            self.assertNotIn("X-Page-Cache", middleware(RequestFactory().get("/")))

    def test_no_page_of_the_admin_is_stored_in_any_language(self):
        middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("a 200 of the admin"))
        for code, _ in settings.LANGUAGES:
            prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
            for _ in range(2):
                response = middleware(RequestFactory().get(f"{prefix}/admin/login/"))
                self.assertNotIn("X-Page-Cache", response, code)

    def test_static_files_are_answered_before_the_cache_is_asked(self):
        order = [name.rsplit(".", 1)[-1] for name in settings.MIDDLEWARE]
        cached = order.index("PublicPageCacheMiddleware")
        self.assertLess(order.index("WhiteNoiseMiddleware"), cached)
        # What the cache stores is what these gave the page, so they run inside it.
        for inside in ("CSPMiddleware", "ConditionalGetMiddleware", "LocaleMiddleware"):
            self.assertGreater(order.index(inside), cached, inside)


class CacheCalls:
    """Counts the calls the page cache makes to the cache (not those the cache makes to itself:
    the per-process cache's get_many calls its get), and can refuse them."""

    def __init__(self, testcase, refuse=False):
        backend = caches["default"]
        self.calls = []
        self.depth = 0
        for name in ("get", "get_many"):
            real = getattr(backend, name)

            def counted(*args, _name=name, _real=real, **kwargs):
                if refuse:
                    raise AssertionError(f"the cache was asked: {_name}{args}")
                if not self.depth:
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _real(*args, **kwargs)
                finally:
                    self.depth -= 1

            testcase.enterContext(mock.patch.object(backend, name, counted))


class TheProcessCopy(PageCacheTestCase):
    @override_settings(PAGE_CACHE_LOCAL_SECONDS=0)
    def test_without_it_a_hit_is_one_round_trip(self):
        url = reverse("portal:home")
        self.client.get(url)
        calls = CacheCalls(self)
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")
        self.assertEqual(calls.calls, ["get_many"])  # the generation and the page together

    @override_settings(PAGE_CACHE_LOCAL_SECONDS=60)
    def test_a_hit_asks_the_cache_nothing_while_the_generation_is_trusted(self):
        url = reverse("portal:home")
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "miss")
        CacheCalls(self, refuse=True)
        for _ in range(3):
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")

    @override_settings(PAGE_CACHE_LOCAL_SECONDS=60)
    def test_a_page_another_process_stored_is_read_once_then_kept(self):
        url = reverse("portal:home")
        self.client.get(url)
        local_pages.clear()  # as in a process that has not served it yet
        calls = CacheCalls(self)
        for _ in range(3):
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")
        self.assertEqual(calls.calls, ["get_many"])

    @override_settings(PAGE_CACHE_LOCAL_SECONDS=1)
    def test_a_change_saved_by_another_process_is_seen_within_the_local_seconds(self):
        mechanism = make_mechanism(slug="extradition", name="Extradition")
        url = mechanism.get_absolute_url()
        self.miss_then_hit(url)
        # Another process saves: the generation moves in the shared cache, not in this one.
        type(mechanism).objects.filter(pk=mechanism.pk).update(name="Surrender")
        cache.incr(GENERATION_KEY)
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")  # for at most a second
        time.sleep(1.05)
        fresh = self.client.get(url)
        self.assertEqual(fresh["X-Page-Cache"], "miss")
        self.assertIn("Surrender", fresh.text)

    @override_settings(PAGE_CACHE_LOCAL_SECONDS=60, PAGE_CACHE_SECONDS=1)
    def test_a_kept_page_expires_with_the_shared_one(self):
        url = reverse("portal:home")
        self.miss_then_hit(url)
        time.sleep(1.05)
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "miss")

    @override_settings(PAGE_CACHE_LOCAL_SECONDS=60)
    def test_the_pages_kept_are_bounded_and_the_last_served_stay(self):
        self.enterContext(mock.patch("portal.middleware.LOCAL_BYTES", 4000))
        page = {"generation": 7, "expires": time.time() + 60, "headers": []}
        for name in "abcde":
            local_pages.keep(name, page | {"content": b"x" * 900})
            local_pages.get("a", 7)  # "a" is served again and again
        self.assertLessEqual(local_pages.size, 4000)
        self.assertIsNotNone(local_pages.get("a", 7))
        self.assertIsNone(local_pages.get("b", 7))
        self.assertIsNotNone(local_pages.get("e", 7))
        self.assertIsNone(local_pages.get("e", 8), "another generation's page is not served")
        local_pages.keep("huge", page | {"content": b"x" * 1001})  # over a quarter: not kept
        self.assertIsNone(local_pages.get("huge", 7))
