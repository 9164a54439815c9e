"""Production readiness: the deploy check, security headers and the Content Security Policy on
every kind of page, HTTPS behind a proxy, long-lived static files, and the page cache (served to
anonymous visitors only, and invalidated the moment an editor saves)."""

import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import (
    Client,
    RequestFactory,
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    override_settings,
)
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.records import PublicationStatus
from portal.middleware import (
    GENERATION_KEY,
    PublicPageCacheMiddleware,
    content_generation,
    invalidate_pages_quietly,
    local_pages,
)
from tests.factories import make_audience, make_instrument, make_mechanism, make_tool
from tests.helpers import (
    closed_port,
    down_redis_caches,
    get,
    plain_static,
    redis_url_or_skip,
    stop_process_group,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k3-" + uuid.uuid4().hex + uuid.uuid4().hex,
    "ALLOWED_HOSTS": "tip.example.org",
    "BEHIND_TLS_PROXY": "1",
    "DEBUG": "",
}


def run_python(code_or_args, env_changes):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL", "CACHE_URL"}}
    env |= env_changes
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# ---- Settings -----------------------------------------------------------------------------


class ProductionSettings(SimpleTestCase):
    """The settings a production process gets from its environment (each in its own process)."""

    def test_deploy_check_passes_with_the_production_environment(self):
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_deploy_check_fails_without_the_tls_switch(self):
        env = {**PRODUCTION_ENV, "BEHIND_TLS_PROXY": ""}
        result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W008", result.stderr)  # SECURE_SSL_REDIRECT

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_python(["manage.py", "check"], {**PRODUCTION_ENV, "SECRET_KEY": ""})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Set SECRET_KEY", result.stderr)

    def test_the_deploy_check_refuses_a_weak_secret_key(self):
        for weak in ("ci-only-secret-key", "django-insecure-" + "k" * 60, "ab" * 40):
            with self.subTest(key=weak):
                env = {**PRODUCTION_ENV, "SECRET_KEY": weak}
                result = run_python(
                    ["manage.py", "check", "--deploy", "--fail-level", "ERROR"], env
                )
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("portal.E002", result.stderr)

    def test_tls_proxy_switch_trusts_the_forwarded_proto_header_and_redirects(self):
        code = (
            "import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS]))"
        )
        env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings"}
        result = run_python(code, env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            '[["HTTP_X_FORWARDED_PROTO", "https"], true, true, true, 31536000]',
        )

    def test_redis_url_selects_the_shared_redis_cache_and_turns_the_page_cache_on(self):
        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], "
            "s.PAGE_CACHE_SECONDS)"
        )
        env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings"}
        result = run_python(code, {**env, "REDIS_URL": "redis://127.0.0.1:6379/3"})
        self.assertEqual(
            result.stdout.split(),
            [
                "django.core.cache.backends.redis.RedisCache",
                "redis://127.0.0.1:6379/3",
                "600",
            ],
            result.stderr,
        )
        result = run_python(code.replace(", s.CACHES['default']['LOCATION']", ""), env)
        self.assertEqual(
            result.stdout.split(), ["django.core.cache.backends.locmem.LocMemCache", "0"]
        )


class MakeServe(SimpleTestCase):
    """`make serve` itself (the production server: check, collectstatic, migrate, gunicorn) on
    a scratch SQLite database and a free port."""

    def serve(self, **env_changes):
        folder = self.enterContext(tempfile.TemporaryDirectory())
        port = closed_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "REDIS_URL", "CACHE_URL", "PLAIN_STATIC", "DATABASE_URL"}
        }
        env |= PRODUCTION_ENV | {
            "BEHIND_TLS_PROXY": "",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "MAKEFLAGS": "",
        }
        env |= env_changes
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        self.addCleanup(stop_process_group, server)
        return server, f"http://127.0.0.1:{port}"

    def test_it_refuses_to_start_with_a_weak_secret_key(self):
        server, base = self.serve(SECRET_KEY="ci-only-secret-key")
        output = server.communicate(timeout=300)[0].decode()
        self.assertNotEqual(server.returncode, 0)
        self.assertIn("portal.E002", output)
        self.assertNotIn("gunicorn:", output)

    def test_gunicorn_trusts_no_forwarded_scheme_header(self):
        # The review: on plain `make serve`, X-Forwarded-Ssl: on (or X-Forwarded-Protocol: ssl)
        # made Django see HTTPS: HSTS was sent and robots.txt named https:// addresses.
        server, base = self.serve()
        wait_for(f"{base}/healthz", 200, seconds=240)
        spoofs = [
            {"X-Forwarded-Ssl": "on"},
            {"X-Forwarded-Protocol": "ssl"},
            {"X-Forwarded-Proto": "https"},
        ]
        for headers in spoofs:
            with self.subTest(headers=headers):
                status, text, response_headers = get(f"{base}/robots.txt", headers)
                self.assertEqual(status, 200)
                self.assertIn("http://127.0.0.1", text)
                self.assertNotIn("https://", text)
                self.assertNotIn("Strict-Transport-Security", response_headers)
        status, _, response_headers = get(f"{base}/static/css/portal.css")
        self.assertEqual(status, 200)
        self.assertEqual(response_headers["X-Content-Type-Options"], "nosniff")
        self.assertIsNone(server.poll(), "gunicorn is still serving")


# ---- Headers on every kind of page --------------------------------------------------------


def page_urls():
    make_mechanism(slug="extradition")
    return [
        reverse("portal:home"),
        reverse("instruments:mechanism_detail", args=["extradition"]),
        reverse("instruments:mechanism_detail", args=["no-such-thing"]),  # the 404 page
        reverse("admin:login"),
        "/healthz",
    ]


@plain_static()
class SecurityHeaders(TestCase):
    def test_security_headers_and_strict_csp_on_every_kind_of_page(self):
        for url in page_urls():
            response = self.client.get(url)
            self.assertIn(response.status_code, {200, 404}, url)
            self.assertEqual(response["X-Content-Type-Options"], "nosniff", url)
            self.assertEqual(response["Referrer-Policy"], "same-origin", url)
            self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin", url)
            self.assertEqual(response["X-Frame-Options"], "DENY", url)
            directives = [part.split() for part in response["Content-Security-Policy"].split("; ")]
            policy = {name: values for name, *values in directives}
            self.assertEqual(policy["default-src"], ["'self'"], url)
            self.assertEqual(policy["frame-ancestors"], ["'none'"])
            self.assertEqual(policy["form-action"], ["'self'"])
            self.assertEqual(policy["base-uri"], ["'none'"])
            self.assertEqual(policy["object-src"], ["'none'"])
            header = response["Content-Security-Policy"]
            self.assertNotIn("unsafe-inline", header)
            self.assertNotIn("unsafe-eval", header)
            self.assertIsNone(re.search(r"https?:|\*|data:", header), header)

    def test_pages_have_no_inline_script_or_style(self):
        for url in page_urls():
            html = self.client.get(url).content.decode()
            self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html), url)
            self.assertIsNone(re.search(r"\sstyle=", html), url)
            self.assertIsNone(re.search(r"\son[a-z]+=", html), url)

    def test_hsts_is_sent_over_https_only(self):
        self.assertNotIn("Strict-Transport-Security", self.client.get("/healthz"))
        response = self.client.get("/healthz", secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload"
        )

    @override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_SSL_REDIRECT=True,
        ALLOWED_HOSTS=["tip.example.org"],
    )
    def test_behind_the_proxy_http_is_redirected_to_https(self):
        client = Client(HTTP_HOST="tip.example.org")
        for path in ("/source/?x=1", "/admin/login/"):
            response = client.get(path)
            self.assertEqual(response.status_code, 301)
            self.assertEqual(response["Location"], f"https://tip.example.org{path}")
        response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Strict-Transport-Security", response)
        # A load balancer probing an app server over plain http gets the answer, not a redirect.
        for method in (client.get, client.head):
            response = method("/healthz")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("Strict-Transport-Security", response)

    def test_cookies_are_secure_and_session_cookie_is_http_only(self):
        self.assertTrue(settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE)
        response = self.client.get(reverse("admin:login"))
        self.assertTrue(response.cookies["csrftoken"]["secure"])
        User.objects.create_superuser("editor", "editor@example.org", "a-long-pass-phrase")
        response = self.client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "a-long-pass-phrase", "next": "/admin/"},
        )
        self.assertEqual(response.status_code, 302)
        session = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(session["secure"])
        self.assertTrue(session["httponly"])

    def test_unknown_host_is_refused(self):
        self.assertEqual(self.client.get("/", HTTP_HOST="evil.example.com").status_code, 400)


# ---- Static files -------------------------------------------------------------------------


@plain_static()
class StaticFiles(TestCase):
    def test_collected_static_files_are_hashed_compressed_and_cached_for_long(self):
        static_root = Path(self.enterContext(tempfile.TemporaryDirectory()))
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        self.enterContext(self.settings(STATIC_ROOT=static_root, STORAGES=storages))
        call_command("collectstatic", "--no-input", verbosity=0)
        hashed = next(static_root.glob("css/portal.*.css"))
        self.assertTrue((static_root / "css" / f"{hashed.name}.gz").exists())
        client = Client()  # WhiteNoise reads STATIC_ROOT when its middleware starts.
        response = client.get(f"/static/css/{hashed.name}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("immutable", response["Cache-Control"])
        self.assertIn("max-age=315360000", response["Cache-Control"])
        plain = client.get("/static/css/portal.css")
        self.assertEqual(plain.status_code, 200)
        self.assertEqual(plain["Cache-Control"], f"max-age={settings.WHITENOISE_MAX_AGE}, public")
        gzipped = client.get(f"/static/css/{hashed.name}", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(gzipped["Content-Encoding"], "gzip")
        page = client.get(reverse("portal:home")).content.decode()
        self.assertIn(f"/static/css/{hashed.name}", page)


# ---- Page cache ---------------------------------------------------------------------------


@plain_static()
class PageCacheTestCase(TestCase):
    def detail(self, mechanism, client=None):
        client = client or self.client
        return client.get(reverse("instruments:mechanism_detail", args=[mechanism.slug]))

    def assert_invalidation(self):
        mechanism = make_mechanism(slug="hot-pursuit", name="Hot pursuit")
        first = self.detail(mechanism)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first["X-Page-Cache"], "miss")
        with CaptureQueriesContext(connection) as queries:
            second = self.detail(mechanism)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(len(queries), 0, "a cached page is served without the database")
        self.assertEqual(second.content, first.content)
        self.assertEqual(second["Content-Security-Policy"], first["Content-Security-Policy"])
        self.assertEqual(second["X-Frame-Options"], "DENY")

        mechanism.name = "Cross-border pursuit"
        mechanism.save()
        third = self.detail(mechanism)
        self.assertEqual(third["X-Page-Cache"], "miss")
        self.assertIn("Cross-border pursuit", third.content.decode())
        self.assertEqual(self.detail(mechanism)["X-Page-Cache"], "hit")


@override_settings(PAGE_CACHE_SECONDS=60)
class PageCacheInvalidation(PageCacheTestCase):
    """The page cache on, in the per-process cache, emptied before and after each test."""

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def test_saving_a_record_invalidates_cached_pages_at_once(self):
        self.assert_invalidation()

    def test_links_and_deletions_bump_the_content_generation(self):
        tool = make_tool()
        audience = make_audience()
        before = content_generation()
        tool.audiences.add(audience)
        after_link = content_generation()
        self.assertGreater(after_link, before)
        audience.delete()
        self.assertGreater(content_generation(), after_link)

    def test_reports_link_checks_and_the_search_index_leave_cached_pages_alone(self):
        from editorial.feedback import Feedback
        from editorial.linkcheck import LinkCheck

        mechanism = make_mechanism(slug="extradition")
        before = content_generation()
        Feedback.objects.create(record_label=str(mechanism), page_url="/x/", message="Typo")
        LinkCheck.objects.create(url="https://example.org/")
        self.assertEqual(content_generation(), before)
        mechanism.save()
        self.assertGreater(content_generation(), before)

    def test_a_visitor_with_a_message_waiting_is_not_served_a_cached_page(self):
        mechanism = make_mechanism(slug="extradition")
        self.assertEqual(self.detail(mechanism)["X-Page-Cache"], "miss")
        self.assertEqual(self.detail(mechanism)["X-Page-Cache"], "hit")
        self.client.cookies["messages"] = "a-pending-thank-you"
        self.assertNotIn("X-Page-Cache", self.detail(mechanism))

    def test_staff_and_other_methods_and_errors_are_never_cached(self):
        mechanism = make_mechanism(slug="extradition")
        self.assertEqual(self.detail(mechanism)["X-Page-Cache"], "miss")
        staff = User.objects.create_superuser("editor", "editor@example.org", "a-long-pass-phrase")
        self.client.force_login(staff)
        for _ in range(2):
            self.assertNotIn("X-Page-Cache", self.detail(mechanism))
        self.client.logout()
        anonymous = Client()
        for _ in range(2):
            missing = anonymous.get(reverse("instruments:mechanism_detail", args=["nope"]))
            self.assertEqual(missing.status_code, 404)
            self.assertNotIn("X-Page-Cache", missing)
            self.assertNotIn("X-Page-Cache", anonymous.head(mechanism.get_absolute_url()))
            self.assertNotIn("X-Page-Cache", anonymous.post(mechanism.get_absolute_url()))
            self.assertNotIn("X-Page-Cache", anonymous.get("/healthz"))  # never_cache
            self.assertNotIn("X-Page-Cache", anonymous.get(reverse("admin:login")))


@override_settings(PAGE_CACHE_SECONDS=60)
class PageCacheOnCommit(TransactionTestCase):
    """The generation is bumped again when the change commits (real commits here: a TestCase
    never commits, so its on_commit callbacks would not be the ones a real save leaves)."""

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def bumps_waiting(self):
        return [c for _, c, _ in connection.run_on_commit if c is invalidate_pages_quietly]

    def test_a_page_stored_between_a_change_and_its_commit_is_not_served_after_it(self):
        # The review's race: an instrument is set to draft; between the signal's bump and the
        # commit, a visitor (on another connection, so still reading the published rows) gets
        # the public page, and the middleware stores it under the bumped generation. Here the
        # visitor's view returns the page as it was just before (one test thread cannot read
        # the rows as another connection would); the cache, keys and middleware are real.
        instrument = make_instrument(slug="untoc", title="Organized Crime Convention")
        url = instrument.get_absolute_url()
        published = self.client.get(url)
        self.assertEqual(published["X-Page-Cache"], "miss")
        visitor = PublicPageCacheMiddleware(lambda request: HttpResponse(published.content))
        with transaction.atomic():
            instrument.status = PublicationStatus.DRAFT
            instrument.save()
            instrument.documents.clear()
            between = visitor(RequestFactory().get(url))
            self.assertEqual(between["X-Page-Cache"], "miss")  # stored, as in the review
            self.assertEqual(len(self.bumps_waiting()), 1, "one bump on commit, however many")
        after = self.client.get(url)
        self.assertEqual(after.status_code, 404)
        self.assertNotIn("X-Page-Cache", after)

    def test_a_bump_discarded_with_a_rolled_back_savepoint_is_registered_again(self):
        mechanism = make_mechanism(slug="extradition")
        with transaction.atomic():
            with transaction.atomic():
                mechanism.save()
                self.assertEqual(len(self.bumps_waiting()), 1)
                transaction.set_rollback(True)
            self.assertEqual(self.bumps_waiting(), [])
            mechanism.name = "Extradition of offenders"
            mechanism.save()
            self.assertEqual(len(self.bumps_waiting()), 1)


@override_settings(PAGE_CACHE_LOCAL_SECONDS=60)
class PageCacheInvalidationWithTheProcessCopy(PageCacheInvalidation):
    """The same, with each process serving hits from its own memory: the process that saves
    sees the change at once (another within PAGE_CACHE_LOCAL_SECONDS: test_page_cache.py)."""

    def setUp(self):
        super().setUp()
        local_pages.clear()
        self.addCleanup(local_pages.clear)


@override_settings(PAGE_CACHE_LOCAL_SECONDS=60)
class PageCacheOnCommitWithTheProcessCopy(PageCacheOnCommit):
    def setUp(self):
        super().setUp()
        local_pages.clear()
        self.addCleanup(local_pages.clear)


class PageCacheBackends(PageCacheTestCase):
    """The page cache as configured: off in the per-process cache, shared through Redis."""

    def test_page_cache_is_off_by_default_with_the_per_process_cache(self):
        self.assertTrue(
            settings.PAGE_CACHE_SECONDS == 0
            or settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        )
        mechanism = make_mechanism(slug="extradition")
        if settings.PAGE_CACHE_SECONDS == 0:
            self.assertNotIn("X-Page-Cache", self.detail(mechanism))

    def test_invalidation_with_redis(self):
        self.assert_invalidation_with_redis(local_seconds=0)

    def test_invalidation_with_redis_and_the_process_copy(self):
        self.assert_invalidation_with_redis(local_seconds=60)

    def assert_invalidation_with_redis(self, local_seconds):
        url = redis_url_or_skip(self)
        prefix = f"test-{uuid.uuid4().hex[:8]}"
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
        with self.settings(
            CACHES=caches, PAGE_CACHE_SECONDS=60, PAGE_CACHE_LOCAL_SECONDS=local_seconds
        ):
            try:
                self.assert_invalidation()
            finally:
                cache.delete(GENERATION_KEY)

    def test_a_down_redis_does_not_break_pages(self):
        caches = down_redis_caches()
        with self.settings(CACHES=caches, PAGE_CACHE_SECONDS=60):
            mechanism = make_mechanism(slug="extradition")  # cannot bump the generation: logged
            response = self.detail(mechanism)
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("X-Page-Cache", response)
