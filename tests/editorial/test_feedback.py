"""'Report a problem with this entry': every public record page links to a short form; a report is
stored for the editors with the record, the message as typed and the client's address; CSRF,
size limits and a rate limit per client address (REMOTE_ADDR, or X-Forwarded-For behind trusted
proxies) protect it; editors list, filter and resolve reports in the admin."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.client import client_address
from editorial.feedback import Feedback
from paper.models import CitedDocument
from tests.factories import (
    make_guidance,
    make_instrument,
    make_mechanism,
    make_organization,
    make_tool,
)

THANKS = "Thank you: your report has been sent to the editors."


def report_url(kind, slug):
    return reverse("portal:report_problem", args=[kind, slug])


class FeedbackTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organization = make_organization("unodc", name="UN Office on Drugs and Crime")
        cls.mechanism = make_mechanism("extradition", name="Extradition")
        cls.instrument = make_instrument("untoc", title="Organized Crime Convention")
        cls.tool = make_tool("model-law", title="Model Law", publisher=cls.organization)
        cls.guidance = make_guidance("central-authorities", title="Central authorities")
        cls.document = CitedDocument.objects.create(
            slug="a-res-64-293", title="Global Plan of Action", kind="ga-resolution"
        )
        cls.draft_tool = make_tool("draft-tool", publisher=cls.organization, status="draft")
        cls.draft_instrument = make_instrument("draft-instrument", status="draft")
        cls.records = {
            "instrument": cls.instrument,
            "mechanism": cls.mechanism,
            "organization": cls.organization,
            "tool": cls.tool,
            "guidance": cls.guidance,
            "document": cls.document,
        }

    def report(self, record=None, kind="tool", client=None, **data):
        record = record or self.tool
        data.setdefault("message", "The year is wrong.")
        extra = data.pop("extra", {})
        return (client or self.client).post(report_url(kind, record.slug), data, **extra)


class ReportLinkAndFormTests(FeedbackTestCase):
    def test_every_record_page_links_to_its_report_form(self):
        for kind, record in self.records.items():
            with self.subTest(kind=kind):
                response = self.client.get(record.get_absolute_url())
                self.assertContains(response, "Report a problem with this entry")
                self.assertContains(response, f'href="{report_url(kind, record.slug)}"')

    def test_record_pages_set_no_cookie_so_they_stay_cacheable(self):
        for record in self.records.values():
            with self.subTest(record=record):
                self.assertFalse(self.client.get(record.get_absolute_url()).cookies)

    def test_form_page_names_the_record_and_carries_a_csrf_token(self):
        for kind, record in self.records.items():
            with self.subTest(kind=kind):
                response = self.client.get(report_url(kind, record.slug))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'href="{record.get_absolute_url()}"')
                self.assertContains(response, 'name="csrfmiddlewaretoken"')
                self.assertContains(response, 'maxlength="2000"')
                self.assertIn("no-cache", response["Cache-Control"])

    def test_drafts_unknown_kinds_and_unknown_records_are_not_found(self):
        for url in (
            report_url("tool", "draft-tool"),
            report_url("instrument", "draft-instrument"),
            report_url("passage", "para-1"),
            report_url("user", "admin"),
            report_url("tool", "no-such-tool"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"message": "x"}).status_code, 404)
        self.assertFalse(Feedback.objects.exists())

    def test_other_methods_are_refused(self):
        self.assertEqual(self.client.put(report_url("tool", "model-law")).status_code, 405)


class ReportingTests(FeedbackTestCase):
    def test_a_report_is_stored_with_its_record_and_address(self):
        response = self.report(
            self.mechanism, kind="mechanism", message="  Art. 16 is art. 18.  ", contact="a@b.org"
        )
        self.assertRedirects(response, self.mechanism.get_absolute_url())
        report = Feedback.objects.get()
        self.assertEqual(report.record, self.mechanism)
        self.assertEqual(report.content_type, ContentType.objects.get_for_model(self.mechanism))
        self.assertEqual(report.object_id, self.mechanism.pk)
        self.assertEqual(report.record_label, "Extradition")
        self.assertEqual(report.page_url, self.mechanism.get_absolute_url())
        self.assertEqual(report.message, "Art. 16 is art. 18.")
        self.assertEqual(report.contact, "a@b.org")
        self.assertEqual(report.client_address, "127.0.0.1")
        self.assertFalse(report.resolved)
        self.assertIsNotNone(report.created_at)

    def test_every_kind_of_record_can_be_reported(self):
        for number, (kind, record) in enumerate(self.records.items()):
            with self.subTest(kind=kind):
                extra = {"REMOTE_ADDR": f"192.0.2.{number}"}  # under the rate limit
                self.assertEqual(self.report(record, kind=kind, extra=extra).status_code, 302)
        reported = {report.record for report in Feedback.objects.all()}
        self.assertEqual(reported, set(self.records.values()))

    def test_back_on_the_record_a_thank_you_message_is_shown_once(self):
        response = self.report()
        page = self.client.get(response["Location"])
        self.assertContains(page, THANKS)
        self.assertNotContains(self.client.get(self.tool.get_absolute_url()), THANKS)

    def test_contact_is_optional_message_is_not(self):
        self.assertEqual(self.report(contact="").status_code, 302)
        for message in ("", "   \n "):
            with self.subTest(message=message):
                response = self.report(message=message)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "This field is required", status_code=400)
        self.assertEqual(Feedback.objects.count(), 1)

    def test_oversized_fields_redisplay_the_form_with_an_error(self):
        self.assertEqual(self.report(message="x" * 2000, contact="c" * 200).status_code, 302)
        for data in ({"message": "x" * 2001}, {"contact": "c" * 201}):
            with self.subTest(data=data):
                response = self.report(**data)
                self.assertContains(response, "Ensure this value has at most", status_code=400)
                self.assertContains(
                    response, "Please correct what is marked below", status_code=400
                )
        self.assertEqual(Feedback.objects.count(), 1)

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
    def test_an_oversized_body_is_refused(self):
        self.assertEqual(self.report(message="x" * 20_000).status_code, 400)
        self.assertFalse(Feedback.objects.exists())

    def test_odd_input_is_a_form_error_not_a_server_error(self):
        response = self.report(message="null \x00 byte")
        self.assertEqual(response.status_code, 400)
        response = self.client.post(report_url("tool", "model-law"), {"message": ["a", "b"]})
        self.assertEqual(response.status_code, 302)  # the last value wins, as Django reads it
        self.assertEqual(Feedback.objects.count(), 1)

    def test_html_is_stored_as_typed_and_shown_escaped(self):
        typed = '<script>alert("x")</script><b>bold</b>'
        response = self.report(message=typed, contact="<img src=x onerror=alert(1)>")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Feedback.objects.get().message, typed)
        # Redisplayed after an error (the contact too long), the text is escaped.
        response = self.report(message=typed, contact="<i>" * 100)
        self.assertContains(response, "&lt;script&gt;alert(", status_code=400)
        self.assertNotContains(response, "<script>alert(", status_code=400)


class CsrfTests(FeedbackTestCase):
    def test_a_post_without_the_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.report(client=client).status_code, 403)
        self.assertFalse(Feedback.objects.exists())

    def test_a_post_with_the_token_from_the_form_is_accepted(self):
        client = Client(enforce_csrf_checks=True)
        form = client.get(report_url("tool", "model-law"))
        token = form.context["csrf_token"]
        self.assertEqual(
            self.report(client=client, csrfmiddlewaretoken=str(token)).status_code, 302
        )
        self.assertEqual(Feedback.objects.count(), 1)


@override_settings(FEEDBACK_RATE_LIMIT=5, FEEDBACK_RATE_WINDOW=600)
class RateLimitTests(FeedbackTestCase):
    def from_address(self, address, **extra):
        return self.report(extra={"REMOTE_ADDR": address, **extra})

    def test_the_sixth_report_in_ten_minutes_is_refused_with_a_message(self):
        for _ in range(5):
            self.assertEqual(self.from_address("192.0.2.1").status_code, 302)
        response = self.from_address("192.0.2.1")
        self.assertContains(response, "several reports in the last few minutes", status_code=429)
        self.assertEqual(response["Retry-After"], "600")
        self.assertEqual(Feedback.objects.count(), 5)

    def test_the_limit_is_per_client_address(self):
        for _ in range(5):
            self.from_address("192.0.2.1")
        self.assertEqual(self.from_address("192.0.2.2").status_code, 302)
        self.assertEqual(self.from_address("2001:db8::1").status_code, 302)

    def test_reports_older_than_the_window_no_longer_count(self):
        for _ in range(5):
            self.from_address("192.0.2.1")
        self.assertEqual(self.from_address("192.0.2.1").status_code, 429)
        Feedback.objects.update(
            created_at=Feedback.objects.first().created_at - timedelta(seconds=601)
        )
        self.assertEqual(self.from_address("192.0.2.1").status_code, 302)

    def test_invalid_reports_do_not_use_up_the_limit(self):
        for _ in range(6):
            self.assertEqual(
                self.report(message="", extra={"REMOTE_ADDR": "192.0.2.1"}).status_code, 400
            )
        self.assertEqual(self.from_address("192.0.2.1").status_code, 302)

    def test_a_forged_forwarded_for_header_does_not_escape_the_limit(self):
        for number in range(5):
            self.from_address("192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        response = self.from_address("192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.99")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(
            set(Feedback.objects.values_list("client_address", flat=True)), {"192.0.2.1"}
        )

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(self):
        proxy = "10.0.0.5"
        for _ in range(5):
            self.from_address(proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
        self.assertEqual(
            self.from_address(proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code, 429
        )
        # Another visitor behind the same proxy is not held up.
        self.assertEqual(
            self.from_address(proxy, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code, 302
        )
        addresses = set(Feedback.objects.values_list("client_address", flat=True))
        self.assertEqual(addresses, {"203.0.113.9", "203.0.113.10"})


class ClientAddressTests(TestCase):
    def address(self, remote="192.0.2.1", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(RequestFactory().get("/", **extra))

    def test_remote_addr_unless_proxies_are_trusted(self):
        self.assertEqual(self.address(forwarded="203.0.113.9"), "192.0.2.1")
        self.assertEqual(self.address(remote="2001:DB8:0::1"), "2001:db8::")  # its /64
        self.assertIsNone(self.address(remote=""))
        self.assertIsNone(self.address(remote="not-an-address"))

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_one_trusted_proxy(self):
        self.assertEqual(self.address(forwarded="203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.address(forwarded="1.1.1.1, 2.2.2.2 ,203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.address(forwarded=""), "192.0.2.1")  # bypassed the proxy
        self.assertEqual(self.address(), "192.0.2.1")
        self.assertEqual(self.address(forwarded="garbage"), "192.0.2.1")
        self.assertEqual(self.address(forwarded="fe80::1%eth0"), "192.0.2.1")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_two_trusted_proxies(self):
        self.assertEqual(self.address(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.1"), "203.0.113.9")
        self.assertEqual(self.address(forwarded="203.0.113.9"), "192.0.2.1")


class FeedbackAdminTests(FeedbackTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", "pw")

    def setUp(self):
        self.client.force_login(self.editor)

    def store(self, record, message="Wrong date.", **fields):
        return Feedback.objects.create(
            record=record,
            record_label=str(record),
            page_url=record.get_absolute_url(),
            message=message,
            **fields,
        )

    def test_reports_are_listed_with_links_to_the_record(self):
        self.store(self.tool, message="<script>alert(1)</script> broken link")
        response = self.client.get(reverse("admin:editorial_feedback_changelist"))
        self.assertContains(response, f'href="{self.tool.get_absolute_url()}"')
        change = reverse("admin:resources_tool_change", args=[self.tool.pk])
        self.assertContains(response, f'href="{change}"')
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; broken link")
        self.assertNotContains(response, "<script>alert(1)")

    def test_filter_by_resolved_and_mark_resolved(self):
        open_report = self.store(self.tool, message="Open one")
        self.store(self.guidance, message="Done one", resolved=True)
        url = reverse("admin:editorial_feedback_changelist")
        response = self.client.get(url, {"resolved__exact": "0"})
        self.assertContains(response, "Open one")
        self.assertNotContains(response, "Done one")
        self.client.post(
            url, {"action": "mark_resolved", "_selected_action": [open_report.pk]}, follow=True
        )
        open_report.refresh_from_db()
        self.assertTrue(open_report.resolved)

    def test_a_report_outlives_its_record(self):
        report = self.store(self.document)
        self.document.delete()
        report.refresh_from_db()
        self.assertIsNone(report.record)
        self.assertEqual(report.get_absolute_url(), "/source/documents/a-res-64-293/")
        response = self.client.get(reverse("admin:editorial_feedback_change", args=[report.pk]))
        self.assertContains(response, "Global Plan of Action")

    def test_editors_cannot_add_reports(self):
        response = self.client.get(reverse("admin:editorial_feedback_add"))
        self.assertEqual(response.status_code, 403)

    def test_change_list_makes_no_query_per_row(self):
        self.store(self.tool)
        url = reverse("admin:editorial_feedback_changelist")
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for record in self.records.values():
            self.store(record)
            self.store(record)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        # One query per kind of record (the prefetch of the reported records), none per report.
        self.assertLessEqual(len(many), len(few) + len(self.records))
