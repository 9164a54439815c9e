"""Login safety (django-axes): the admin login is refused with 429 after AXES_FAILURE_LIMIT failures
for one username from one client address, for AXES_COOLOFF_TIME; a success before the limit clears
the count; the client address is the same one the problem-report rate limit uses (REMOTE_ADDR, or
X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies).

Tests log in with ``client.force_login(user)`` (no password check, so axes is not involved). A
test that needs a password check passes a request, which axes needs to know who is asking:
``client.login(request=HttpRequest(), username=..., password=...)``.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import TestCase, override_settings
from django.urls import reverse

PASSWORD = "correct horse battery staple"
LIMIT = 5


@override_settings(
    AXES_FAILURE_LIMIT=LIMIT,
    AXES_COOLOFF_TIME=timedelta(minutes=15),
    # A fast hasher: these tests check passwords dozens of times.
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
        cls.other = User.objects.create_superuser("other", "other@example.org", PASSWORD)

    def login(self, username="editor", password=PASSWORD, address="192.0.2.1", **extra):
        return self.client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
            **extra,
        )

    def fail(self, times, **kwargs):
        for _ in range(times):
            response = self.login(password="wrong", **kwargs)
        return response

    def logged_in(self):
        return self.client.get(reverse("admin:index")).status_code == 200

    def test_settings_are_as_documented(self):
        self.assertEqual(settings.AXES_LOCKOUT_PARAMETERS, [["username", "ip_address"], "username"])
        self.assertEqual(settings.AXES_HANDLER, "editorial.limits.LoginLockoutHandler")
        self.assertTrue(settings.AXES_RESET_ON_SUCCESS)
        self.assertEqual(settings.AXES_CLIENT_IP_CALLABLE, "editorial.client.client_address")
        self.assertIn("axes.middleware.AxesMiddleware", settings.MIDDLEWARE)
        self.assertEqual(settings.AUTHENTICATION_BACKENDS[0], "axes.backends.AxesStandaloneBackend")

    def test_a_correct_login_before_the_limit_works(self):
        response = self.fail(LIMIT - 1)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter the correct username and password")
        self.assertRedirects(self.login(), reverse("admin:index"))
        self.assertTrue(self.logged_in())

    def test_a_success_clears_the_failures(self):
        self.fail(LIMIT - 1)
        self.login()
        self.client.logout()
        self.assertEqual(self.fail(LIMIT - 1).status_code, 200)
        self.assertEqual(self.login().status_code, 302)

    def test_locked_after_the_limit_even_with_the_right_password(self):
        response = self.fail(LIMIT)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertContains(response, "editor", status_code=429)
        response = self.login()
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.logged_in())

    def test_variants_of_a_locked_username_do_not_log_in(self):
        # The review found the lock holds against case, whitespace and fullwidth variants: none
        # of them is the account (Django looks usernames up exactly), so none logs in.
        self.fail(LIMIT)
        for variant in ("Editor", "EDITOR", " editor", "editor ", "ｅｄｉｔｏｒ", "editor\u200b"):
            with self.subTest(variant=variant):
                response = self.login(variant)
                self.assertIn(response.status_code, (200, 429))
                self.assertFalse(self.logged_in())
        self.assertEqual(self.login().status_code, 429)

    def test_the_lock_is_per_username_and_address(self):
        self.fail(LIMIT)
        self.assertEqual(self.login("other").status_code, 302)  # another user, same address
        self.client.logout()
        self.assertEqual(self.login(address="192.0.2.2").status_code, 302)  # same user, elsewhere

    def test_the_lock_clears_after_the_cool_off(self):
        self.fail(LIMIT)
        self.assertEqual(self.login().status_code, 429)
        # Fourteen minutes later: still locked.
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14)
        )
        self.assertEqual(self.login().status_code, 429)
        # Past the fifteen minutes of cool-off (counted from the last failure): open again.
        attempt = AccessAttempt.objects.get()
        AccessAttempt.objects.update(attempt_time=attempt.attempt_time - timedelta(minutes=16))
        self.assertRedirects(self.login(), reverse("admin:index"))
        self.assertTrue(self.logged_in())

    def test_a_forged_forwarded_for_header_does_not_escape_the_lock(self):
        for number in range(LIMIT):
            self.login(password="wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        self.assertEqual(self.login(HTTP_X_FORWARDED_FOR="198.51.100.99").status_code, 429)
        self.assertEqual(AccessAttempt.objects.get().ip_address, "192.0.2.1")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(self):
        proxy = "10.0.0.5"
        self.fail(LIMIT, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
        self.assertEqual(
            self.login(address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code, 429
        )
        # The same editor, from another client behind the same proxy, can still log in.
        response = self.login(address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AccessAttempt.objects.get().ip_address, "203.0.113.9")

    def test_the_test_clients_logins_still_work(self):
        self.client.force_login(self.editor)
        self.assertTrue(self.logged_in())
        self.client.logout()
        self.assertTrue(
            self.client.login(request=HttpRequest(), username="editor", password=PASSWORD)
        )
        self.assertTrue(self.logged_in())

    def test_administrators_see_lockouts_and_can_lift_one(self):
        self.fail(LIMIT)
        attempt = AccessAttempt.objects.get()
        self.client.force_login(self.other)
        response = self.client.get(reverse("admin:axes_accessattempt_changelist"))
        self.assertContains(response, "192.0.2.1")
        change = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
        self.assertEqual(self.client.get(change).status_code, 200)
        delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        self.client.post(delete, {"post": "yes"})
        self.assertFalse(AccessAttempt.objects.exists())
        self.client.logout()
        self.assertEqual(self.login().status_code, 302)
