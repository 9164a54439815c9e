"""Limits per client (editorial/limits.py, editorial/client.py) hold against parallel requests and
against a client that changes address: problem reports are counted and stored in one step (a
Redis counter, or a locked transaction in the database), an IPv6 client is its /64, and failed
logins for one username lock that username from every address at LOGIN_USERNAME_FAILURE_LIMIT,
besides the lockout per username and client at AXES_FAILURE_LIMIT."""

import os
import sqlite3
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, connections
from django.test import (
    Client,
    RequestFactory,
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    override_settings,
)
from django.urls import reverse

from editorial.client import client_address
from editorial.feedback import Feedback
from editorial.limits import report_counter_key
from tests.factories import make_mechanism
from tests.helpers import down_redis_caches, redis_url_or_skip

REPORT_LIMIT = 5
LOGIN_LIMIT = 5
USERNAME_LIMIT = 20
PASSWORD = "correct horse battery staple"
PARALLEL_REPORTS = 30


def redis_cache_or_skip(testcase):
    """Settings for a Redis cache of its own (a fresh key prefix) as the shared cache; skips
    ``testcase`` when Redis is not reachable (CI starts one)."""
    url = redis_url_or_skip(testcase, database=6)
    backend = "django.core.cache.backends.redis.RedisCache"
    prefix = f"test-limits-{uuid.uuid4().hex[:8]}"
    caches = {"default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": prefix}}
    return override_settings(CACHES=caches, SHARED_CACHE=True)


@contextmanager
def database_on_disk():
    """On SQLite, run the block on a file copy of the test database, as the site runs.

    The in-memory test database is a shared cache, whose table locks fail at once ("database
    table is locked") where a file's locks wait: parallel requests would fail there for reasons
    the site never meets. Every connection opened in the block (each thread opens its own) goes
    to the copy; the in-memory database is kept aside and comes back afterwards. On PostgreSQL,
    nothing to do: each thread has its own connection to the test database.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "test.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        saved_connection, connection.connection = connection.connection, None
        saved_name = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = str(path)  # the dict every new connection reads
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = saved_name
            connection.connection = saved_connection


@override_settings(FEEDBACK_RATE_LIMIT=REPORT_LIMIT, FEEDBACK_RATE_WINDOW=600)
class ParallelReportTests(TransactionTestCase):
    """Reports sent at once from one client, each request in its own thread with its own
    database connection. Before the fix, 11 to 28 of the 30 were stored, on SQLite (a file) and
    on PostgreSQL; with the count and the insert in one transaction but without its lock, 6 on
    PostgreSQL, and on SQLite some failed with "database is locked" (503)."""

    def setUp(self):
        self.mechanism = make_mechanism("extradition")

    def post_at_once(self, address="192.0.2.1"):
        """POST PARALLEL_REPORTS reports at the same moment; how many got each status."""
        url = reverse("portal:report_problem", args=["mechanism", "extradition"])
        start = threading.Barrier(PARALLEL_REPORTS)
        statuses = []

        def send():
            client = Client(REMOTE_ADDR=address)
            try:
                start.wait()
                statuses.append(client.post(url, {"message": "Wrong year."}).status_code)
            except Exception as error:  # Reported by the assertion, not lost in a thread.
                statuses.append(repr(error))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(PARALLEL_REPORTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return Counter(statuses)

    def assert_exactly_the_limit_stored(self, statuses):
        self.assertEqual(
            statuses, Counter({302: REPORT_LIMIT, 429: PARALLEL_REPORTS - REPORT_LIMIT})
        )
        self.assertEqual(Feedback.objects.count(), REPORT_LIMIT)

    def test_parallel_reports_never_pass_the_limit_counted_in_the_database(self):
        with override_settings(SHARED_CACHE=False), database_on_disk():
            self.assert_exactly_the_limit_stored(self.post_at_once())

    def test_parallel_reports_never_pass_the_limit_counted_in_redis(self):
        with redis_cache_or_skip(self), database_on_disk():
            try:
                self.assert_exactly_the_limit_stored(self.post_at_once())
            finally:
                cache.delete(report_counter_key("192.0.2.1"))


@override_settings(FEEDBACK_RATE_LIMIT=REPORT_LIMIT, FEEDBACK_RATE_WINDOW=600)
class ReportLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mechanism = make_mechanism("extradition")

    def report(self, address="192.0.2.1", message="Wrong year.", **extra):
        url = reverse("portal:report_problem", args=["mechanism", "extradition"])
        return self.client.post(url, {"message": message}, REMOTE_ADDR=address, **extra)

    def assert_limited_after(self, addresses, then, **extra):
        """The reports from ``addresses`` are stored, and one more from ``then`` is refused."""
        for address in addresses:
            self.assertEqual(self.report(address, **extra).status_code, 302)
        response = self.report(then, **extra)
        self.assertContains(response, "several reports in the last few minutes", status_code=429)
        self.assertEqual(response["Retry-After"], "600")

    def test_addresses_in_one_ipv6_64_share_one_limit(self):
        self.assert_limited_after(
            [f"2001:db8:1:2::{n}" for n in range(1, 6)], then="2001:db8:1:2:ffff:ffff:ffff:ffff"
        )
        self.assertEqual(self.report("2001:db8:1:3::1").status_code, 302)  # the next /64
        addresses = Feedback.objects.values_list("client_address", flat=True)
        self.assertEqual(Counter(addresses), {"2001:db8:1:2::": 5, "2001:db8:1:3::": 1})

    def test_an_ipv4_mapped_address_shares_the_ipv4_limit(self):
        self.assert_limited_after(
            ["::ffff:192.0.2.1", "192.0.2.1"] * 2 + ["::ffff:c000:201"], then="192.0.2.1"
        )
        self.assertEqual(
            set(Feedback.objects.values_list("client_address", flat=True)), {"192.0.2.1"}
        )

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_clients_64_is_counted(self):
        proxy = "2001:db8:ffff::1"
        for number in range(1, 6):
            forwarded = f"2001:db8:1:2::{number}"
            self.assertEqual(self.report(proxy, HTTP_X_FORWARDED_FOR=forwarded).status_code, 302)
        response = self.report(proxy, HTTP_X_FORWARDED_FOR="2001:db8:1:2::99")
        self.assertEqual(response.status_code, 429)
        response = self.report(proxy, HTTP_X_FORWARDED_FOR="2001:db8:1:3::1")
        self.assertEqual(response.status_code, 302)

    def test_redis_counts_only_valid_reports_and_refuses_past_the_limit(self):
        with redis_cache_or_skip(self):
            key = report_counter_key("192.0.2.1")
            self.addCleanup(cache.delete, key)
            for _ in range(REPORT_LIMIT + 1):
                self.assertEqual(self.report(message="").status_code, 400)
            self.assert_limited_after(["192.0.2.1"] * REPORT_LIMIT, then="192.0.2.1")
            self.assertEqual(cache.get(key), REPORT_LIMIT + 1)  # the refused one counted too
        self.assertEqual(Feedback.objects.count(), REPORT_LIMIT)

    @override_settings(FEEDBACK_RATE_WINDOW=1)
    def test_the_redis_counter_ends_with_its_window(self):
        with redis_cache_or_skip(self):
            self.addCleanup(cache.delete, report_counter_key("192.0.2.1"))
            for _ in range(REPORT_LIMIT):
                self.report()
            self.assertEqual(self.report().status_code, 429)
            self.assertEqual(cache.get(report_counter_key("192.0.2.1")), REPORT_LIMIT + 1)
            time.sleep(1.2)
            self.assertEqual(self.report().status_code, 302)

    def test_a_redis_that_is_down_leaves_the_limit_to_the_database(self):
        caches = down_redis_caches()
        with (
            self.settings(CACHES=caches, SHARED_CACHE=True),
            self.assertLogs("editorial.limits", "ERROR"),
        ):
            self.assert_limited_after(["192.0.2.1"] * REPORT_LIMIT, then="192.0.2.1")
        self.assertEqual(Feedback.objects.count(), REPORT_LIMIT)


class ClientAddressIPv6Tests(TestCase):
    def address(self, remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(RequestFactory().get("/", **extra))

    def test_an_ipv6_client_is_the_first_address_of_its_64(self):
        self.assertEqual(self.address("2001:DB8:1:2:3:4:5:6"), "2001:db8:1:2::")
        self.assertEqual(self.address("2001:db8:1:2::1"), "2001:db8:1:2::")
        self.assertEqual(self.address("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::")
        self.assertEqual(self.address("2001:db8:1:3::1"), "2001:db8:1:3::")
        self.assertEqual(self.address("::1"), "::")

    def test_an_ipv4_mapped_address_is_the_ipv4_address(self):
        self.assertEqual(self.address("::ffff:192.0.2.1"), "192.0.2.1")
        self.assertEqual(self.address("::FFFF:c000:0201"), "192.0.2.1")
        self.assertEqual(self.address("192.0.2.1"), "192.0.2.1")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_address_is_grouped_the_same_way(self):
        self.assertEqual(self.address("10.0.0.5", "2001:db8:1:2::7"), "2001:db8:1:2::")
        self.assertEqual(self.address("10.0.0.5", "6.6.6.6, ::ffff:203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.address("2001:db8:ffff::5", "garbage"), "2001:db8:ffff::")


@override_settings(
    AXES_FAILURE_LIMIT=LOGIN_LIMIT,
    LOGIN_USERNAME_FAILURE_LIMIT=USERNAME_LIMIT,
    # A fast hasher: these tests check passwords dozens of times.
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class LoginLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
        User.objects.create_superuser("other", "other@example.org", PASSWORD)

    def login(self, address, username="editor", password=PASSWORD, **extra):
        return self.client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
            **extra,
        )

    def fail_from(self, addresses, **extra):
        """Fail to log in once from each of ``addresses``; the last response."""
        for address in addresses:
            response = self.login(address, password="wrong", **extra)
        return response

    def test_failures_from_many_addresses_lock_the_username_everywhere(self):
        response = self.fail_from([f"198.51.100.{n}" for n in range(USERNAME_LIMIT)])
        self.assertEqual(response.status_code, 429)
        response = self.login("203.0.113.1")  # the right password, from a new address
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertEqual(self.login("203.0.113.1", username="other").status_code, 302)

    def test_one_failure_short_of_the_username_limit_a_new_address_logs_in(self):
        response = self.fail_from([f"198.51.100.{n}" for n in range(USERNAME_LIMIT - 1)])
        self.assertEqual(response.status_code, 200)
        self.assertRedirects(self.login("203.0.113.1"), reverse("admin:index"))

    def test_the_lockout_per_client_still_comes_at_axes_failure_limit(self):
        self.assertEqual(self.fail_from(["192.0.2.1"] * (LOGIN_LIMIT - 1)).status_code, 200)
        self.assertEqual(self.login("192.0.2.1", password="wrong").status_code, 429)
        self.assertEqual(self.login("192.0.2.1").status_code, 429)
        self.assertEqual(self.login("192.0.2.2").status_code, 302)  # far below the username's

    def test_a_success_clears_that_clients_failures_only(self):
        self.fail_from([f"198.51.100.{n}" for n in range(USERNAME_LIMIT - 2)])
        self.fail_from(["203.0.113.1"])
        self.assertEqual(self.login("203.0.113.1").status_code, 302)  # clears its one failure
        self.client.logout()
        # Eighteen failures elsewhere and this one: one short of the username's limit.
        self.assertEqual(self.fail_from(["203.0.113.1"]).status_code, 200)
        self.assertEqual(self.login("203.0.113.2", password="wrong").status_code, 429)
        self.assertEqual(self.login("203.0.113.1").status_code, 429)

    def test_addresses_in_one_ipv6_64_share_a_lockout(self):
        response = self.fail_from([f"2001:db8:1:2::{n}" for n in range(1, LOGIN_LIMIT)])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.login("2001:db8:1:2::ff", password="wrong").status_code, 429)
        self.assertEqual(self.login("2001:db8:1:2:ffff::1").status_code, 429)
        self.assertEqual(self.login("2001:db8:1:3::1").status_code, 302)  # the next /64

    def test_an_ipv4_mapped_address_is_locked_with_its_ipv4_address(self):
        self.assertEqual(self.fail_from(["::ffff:192.0.2.1", "192.0.2.1"] * 2).status_code, 200)
        self.assertEqual(self.login("::ffff:c000:201", password="wrong").status_code, 429)
        self.assertEqual(self.login("192.0.2.1").status_code, 429)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_clients_64_is_locked(self):
        proxy = "10.0.0.5"
        for number in range(1, LOGIN_LIMIT + 1):
            response = self.login(
                proxy, password="wrong", HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{number}"
            )
        self.assertEqual(response.status_code, 429)
        response = self.login(proxy, HTTP_X_FORWARDED_FOR="2001:db8:1:2::99")
        self.assertEqual(response.status_code, 429)
        response = self.login(proxy, HTTP_X_FORWARDED_FOR="2001:db8:1:3::1")
        self.assertEqual(response.status_code, 302)


class LoginLimitSettingsTests(SimpleTestCase):
    def test_both_lockouts_are_configured_the_username_one_at_four_times_the_limit(self):
        self.assertEqual(settings.AXES_LOCKOUT_PARAMETERS, [["username", "ip_address"], "username"])
        self.assertEqual(settings.AXES_HANDLER, "editorial.limits.LoginLockoutHandler")
        if "LOGIN_USERNAME_FAILURE_LIMIT" not in os.environ:
            self.assertEqual(settings.LOGIN_USERNAME_FAILURE_LIMIT, 4 * settings.AXES_FAILURE_LIMIT)
