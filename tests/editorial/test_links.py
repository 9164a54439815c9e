"""Link health: `check_links` requests every external address (never the internet: a local server
started here), records ok / redirected / broken / unchecked per address, prints a summary, never
changes a record; the admin shows each record's link status as a column and a filter."""

import http.server
import io
import threading
import time

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.linkcheck import LinkCheck, LinkState, check_address, derive_state
from instruments.models import Instrument, Organization
from paper.models import CitedDocument
from resources.models import Tool, ToolPart
from tests.factories import make_instrument, make_organization, make_part, make_tool
from tests.helpers import closed_port

SLOW_SECONDS = 1.5
SHORT_TIMEOUT = 0.4


class Handler(http.server.BaseHTTPRequestHandler):
    """200 at /ok, 301 to /ok at /moved, 404 at /missing, a slow answer at /slow, HEAD refused
    at /no-head, and /pause/* answering after a short pause (to watch concurrency)."""

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body):
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path))
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            server.gathered.notify_all()
        try:
            status, headers = self.route()
        finally:
            # Counted out before answering: the client may send its next request at once.
            with server.lock:
                server.in_flight -= 1
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        body = b"hello" if status == 200 else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def route(self):
        if self.path == "/ok":
            return 200, {}
        if self.path == "/moved":
            return 301, {"Location": f"{self.server.base}/ok"}
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            return 200, {}
        if self.path == "/no-head":
            return (405, {"Allow": "GET"}) if self.command == "HEAD" else (200, {})
        if self.path.startswith("/pause/"):
            # Hold the answer until `gather` requests are in flight (or `hold` seconds pass), so
            # the most requests seen at once is what the checker allows, however busy the machine.
            with self.server.lock:
                self.server.gathered.wait_for(self.gathered, timeout=self.server.hold)
            return 200, {}
        return 404, {}

    def gathered(self):
        """True once `gather` requests were in flight together (and from then on)."""
        server = self.server
        server.released = server.released or server.in_flight >= server.gather
        return server.released

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # The client gave up on /slow: expected.


class LocalServerTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        # Started before super(), which runs setUpTestData: the records need the server's address.
        server = QuietServer(("127.0.0.1", 0), Handler)
        server.lock = threading.Lock()
        server.gathered = threading.Condition(server.lock)
        server.gather, server.hold, server.released = 1, 3.0, False
        server.requests = []
        server.in_flight = server.most_in_flight = 0
        server.base = f"http://127.0.0.1:{server.server_address[1]}"
        cls.server = server
        cls.base = server.base
        cls.thread = threading.Thread(target=server.serve_forever, daemon=True)
        cls.thread.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def setUp(self):
        self.server.requests.clear()
        self.server.most_in_flight = 0

    def run_check(self, *args):
        out = io.StringIO()
        call_command("check_links", "--timeout", str(SHORT_TIMEOUT), *args, stdout=out)
        return out.getvalue()


class CheckAddressTests(LocalServerTestCase):
    def test_ok_redirected_broken(self):
        ok = check_address(f"{self.base}/ok", timeout=2)
        self.assertEqual((ok.status_code, ok.state), (200, LinkState.OK))
        moved = check_address(f"{self.base}/moved", timeout=2)
        self.assertEqual((moved.status_code, moved.final_url), (200, f"{self.base}/ok"))
        self.assertEqual(moved.state, LinkState.REDIRECTED)
        missing = check_address(f"{self.base}/missing", timeout=2)
        self.assertEqual((missing.status_code, missing.state), (404, LinkState.BROKEN))

    def test_head_first_then_get_when_head_is_refused(self):
        result = check_address(f"{self.base}/no-head", timeout=2)
        self.assertEqual((result.status_code, result.state), (200, LinkState.OK))
        self.assertEqual(self.server.requests, [("HEAD", "/no-head"), ("GET", "/no-head")])
        check_address(f"{self.base}/ok", timeout=2)
        self.assertEqual(self.server.requests[-1], ("HEAD", "/ok"))

    def test_timeout_is_bounded_and_reported(self):
        started = time.monotonic()
        result = check_address(f"{self.base}/slow", timeout=SHORT_TIMEOUT)
        self.assertLess(time.monotonic() - started, SLOW_SECONDS)
        self.assertEqual(result.state, LinkState.BROKEN)
        self.assertIsNone(result.status_code)
        self.assertIn("timed out", result.error.lower())

    def test_connection_refused_is_reported(self):
        result = check_address(f"http://127.0.0.1:{closed_port()}/", timeout=2)
        self.assertEqual(result.state, LinkState.BROKEN)
        self.assertIn("refused", result.error.lower())

    def test_addresses_other_than_http_are_left_unchecked(self):
        result = check_address("ftp://ftp.example.org/file.pdf", timeout=2)
        self.assertEqual(result.state, LinkState.UNCHECKED)
        self.assertIn("http", result.error)

    def test_derive_state(self):
        url = "https://example.org/a"
        self.assertEqual(derive_state(url, 200, url, ""), LinkState.OK)
        self.assertEqual(derive_state(url, 204, "", ""), LinkState.OK)
        self.assertEqual(derive_state(url, 200, "https://example.org/b", ""), LinkState.REDIRECTED)
        self.assertEqual(derive_state(url, 410, url, ""), LinkState.BROKEN)
        self.assertEqual(derive_state(url, 503, url, ""), LinkState.BROKEN)
        self.assertEqual(derive_state(url, None, "", "Timed out"), LinkState.BROKEN)
        self.assertEqual(derive_state(url, None, "", ""), LinkState.UNCHECKED)


def snapshot():
    """Every address field of every record, to show the command changes none."""
    return {
        "tools": list(Tool.objects.order_by("pk").values()),
        "parts": list(ToolPart.objects.order_by("pk").values()),
        "instruments": list(Instrument.objects.order_by("pk").values()),
        "documents": list(CitedDocument.objects.order_by("pk").values()),
        "organizations": list(Organization.objects.order_by("pk").values()),
    }


class CheckLinksCommandTests(LocalServerTestCase):
    @classmethod
    def setUpTestData(cls):
        base = cls.base
        cls.refused = f"http://127.0.0.1:{closed_port()}/gone"
        publisher = make_organization(url=f"{base}/ok")
        cls.tool = make_tool(
            "model-law", publisher=publisher, url=f"{base}/missing", current_url=f"{base}/ok"
        )
        make_part(cls.tool, url=f"{base}/moved")
        make_tool("slow-tool", publisher=publisher, url=f"{base}/slow", status="draft")
        make_instrument("untoc", url=cls.refused, current_url=f"{base}/no-head")
        CitedDocument.objects.create(
            slug="res-64-293", title="Plan of action", kind="ga-resolution", url=f"{base}/moved"
        )

    def test_every_address_is_recorded_with_its_state(self):
        self.run_check()
        checks = {check.url.removeprefix(self.base): check for check in LinkCheck.objects.all()}
        self.assertEqual(
            {url: check.state for url, check in checks.items()},
            {
                "/ok": "ok",
                "/missing": "broken",
                "/moved": "redirected",
                "/slow": "broken",
                "/no-head": "ok",
                self.refused: "broken",
            },
        )
        self.assertEqual(checks["/missing"].status_code, 404)
        self.assertEqual(checks["/moved"].final_url, f"{self.base}/ok")
        self.assertEqual(checks["/slow"].error, "Timed out")
        self.assertIn("refused", checks[self.refused].error.lower())
        self.assertTrue(all(check.checked_at for check in checks.values()))

    def test_each_address_is_requested_once_even_if_records_share_it(self):
        self.run_check()
        paths = [path for method, path in self.server.requests]
        self.assertEqual(paths.count("/moved"), 1)  # a tool part's and a cited document's
        self.assertEqual(paths.count("/ok"), 2)  # once itself, once at the end of /moved

    def test_summary_counts_states_and_lists_the_broken_ones(self):
        output = self.run_check()
        self.assertIn("Checked 6 addresses: 2 ok, 1 redirected, 3 broken, 0 unchecked.", output)
        self.assertIn(f"BROKEN {self.base}/missing: HTTP 404 <- tool", output)
        self.assertIn(f"BROKEN {self.base}/slow: Timed out", output)
        self.assertIn(f"BROKEN {self.refused}:", output)
        self.assertNotIn(f"BROKEN {self.base}/ok", output)

    def test_records_are_never_changed(self):
        before = snapshot()
        self.run_check()
        self.assertEqual(snapshot(), before)

    def test_a_second_run_updates_rows_and_drops_addresses_no_longer_used(self):
        self.run_check()
        Tool.objects.filter(slug="slow-tool").update(url="")
        self.run_check()
        self.assertEqual(LinkCheck.objects.count(), 5)
        self.assertFalse(LinkCheck.objects.filter(url=f"{self.base}/slow").exists())

    def test_dry_run_lists_addresses_and_requests_none(self):
        output = self.run_check("--dry-run")
        self.assertIn(f"{self.base}/missing  <- tool", output)
        self.assertIn("Would check 6 addresses", output)
        self.assertEqual(self.server.requests, [])
        self.assertFalse(LinkCheck.objects.exists())

    def test_bad_options_are_refused(self):
        for args in (["--workers", "0"], ["--workers", "1000"], ["--timeout", "0"]):
            with self.subTest(args=args), self.assertRaises(CommandError):
                call_command("check_links", *args, stdout=io.StringIO())


class ConcurrencyTests(LocalServerTestCase):
    @classmethod
    def setUpTestData(cls):
        publisher = make_organization()
        for number in range(6):
            make_tool(publisher=publisher, url=f"{cls.base}/pause/{number}")

    def tearDown(self):
        self.server.gather, self.server.hold, self.server.released = 1, 3.0, False

    def test_no_more_requests_at_once_than_workers(self):
        # Three never gather with two workers: each pair waits out the hold, then answers.
        self.server.gather, self.server.hold = 3, 0.5
        self.run_check("--workers", "2", "--timeout", "10")
        self.assertEqual(LinkCheck.objects.filter(state="ok").count(), 6)
        self.assertEqual(self.server.most_in_flight, 2)

    def test_workers_run_in_parallel(self):
        self.server.gather = 6
        started = time.monotonic()
        self.run_check("--workers", "6", "--timeout", "10")
        self.assertEqual(self.server.most_in_flight, 6)
        self.assertLess(time.monotonic() - started, 3)  # nobody waited for the 3 s timeout
        self.assertEqual(LinkCheck.objects.filter(state="ok").count(), 6)


class AdminLinkStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", "pw")
        publisher = make_organization()
        cls.broken = make_tool("broken-tool", publisher=publisher, url="https://a.example/404")
        # The current address is the one checked, not the paper's (which may have moved).
        cls.moved = make_tool(
            "moved-tool",
            publisher=publisher,
            url="https://a.example/old",
            current_url="https://a.example/new",
        )
        cls.unchecked = make_tool("new-tool", publisher=publisher, url="https://a.example/new-1")
        cls.no_address = make_tool("paper-only", publisher=publisher)
        LinkCheck.objects.create(url="https://a.example/404", state="broken", status_code=404)
        LinkCheck.objects.create(url="https://a.example/old", state="broken", status_code=404)
        LinkCheck.objects.create(url="https://a.example/new", state="ok", status_code=200)
        make_instrument("untoc", url="https://b.example/untoc")
        LinkCheck.objects.create(url="https://b.example/untoc", state="redirected", status_code=200)
        CitedDocument.objects.create(
            slug="res", title="Resolution", kind="ga-resolution", url="https://b.example/res"
        )
        LinkCheck.objects.create(url="https://b.example/res", state="broken", error="Timed out")

    def setUp(self):
        self.client.force_login(self.editor)

    def changelist(self, model, **params):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return response

    def listed(self, response):
        return {str(obj) for obj in response.context["cl"].result_list}

    def test_column_shows_the_state_of_the_address_shown_first(self):
        tool_admin = admin.site._registry[Tool]
        results = self.changelist(Tool).context["cl"].result_list
        rows = {obj.slug: tool_admin.link_status(obj) for obj in results}
        self.assertIn("Broken (404)", rows["broken-tool"])
        self.assertIn("OK", rows["moved-tool"])
        self.assertIn("Unchecked", rows["new-tool"])
        self.assertEqual(rows["paper-only"], "-")
        self.assertContains(self.changelist(Tool), "Broken (404)")

    def test_filter_by_link_status(self):
        expected = {
            "broken": {"Broken tool"},
            "ok": {"Moved tool"},
            "unchecked": {"New tool"},
            "none": {"Paper only"},
            "redirected": set(),
        }
        for state, titles in expected.items():
            with self.subTest(state=state):
                self.assertEqual(self.listed(self.changelist(Tool, link=state)), titles)
        self.assertContains(self.changelist(Tool), "By link status")

    def test_instruments_and_cited_documents_have_the_column_and_filter(self):
        response = self.changelist(Instrument, link="redirected")
        self.assertEqual(self.listed(response), {"Untoc"})
        self.assertContains(response, "Redirected (200)")
        self.assertEqual(self.listed(self.changelist(Instrument, link="broken")), set())
        response = self.changelist(CitedDocument, link="broken")
        self.assertEqual(self.listed(response), {"Resolution"})

    def test_unknown_filter_value_is_not_an_error(self):
        self.assertEqual(len(self.listed(self.changelist(Tool, link="<bogus>"))), 4)

    def test_change_list_makes_no_query_per_row(self):
        with CaptureQueriesContext(connection) as few:
            self.changelist(Tool)
        publisher = make_organization()
        for number in range(10):
            url = f"https://c.example/{number}"
            make_tool(publisher=publisher, url=url)
            LinkCheck.objects.create(url=url, state="ok", status_code=200)
        with CaptureQueriesContext(connection) as many:
            self.changelist(Tool)
        self.assertEqual(len(many), len(few))


class PublicPagesShowTheCurrentAddressFirstTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tool = make_tool(url="https://old.example/tool", current_url="https://new.example/tool")
        cls.instrument = make_instrument(
            url="https://old.example/instrument", current_url="https://new.example/instrument"
        )
        cls.document = CitedDocument.objects.create(
            slug="doc",
            title="A report",
            kind="report",
            url="https://old.example/doc",
            current_url="https://new.example/doc",
        )

    def test_current_address_comes_before_the_papers(self):
        for record in (self.tool, self.instrument, self.document):
            with self.subTest(record=record):
                content = self.client.get(record.get_absolute_url()).content.decode()
                current = content.index(f'href="{record.current_url}"')
                original = content.index(f'href="{record.url}"')
                self.assertLess(current, original)
