"""Database faults: when the database cannot be reached, pages answer 503 with a plain page (no
traceback, no database needed to render it) and /healthz answers 503; when it is back, the site
recovers by itself, without a restart. Checked in-process on whichever backend the suite runs on,
and against a real gunicorn whose PostgreSQL connection goes through a proxy we cut and restore."""

import os
import socket
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import User
from django.db import OperationalError, connections
from django.test import Client, SimpleTestCase, TestCase, TransactionTestCase
from django.urls import reverse

from portal.middleware import service_unavailable
from tests.factories import make_instrument, make_mechanism, make_tool
from tests.helpers import closed_port, get, plain_static, stop_process_group, wait_for

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def database_unreachable():
    """Point the default connection at a database that cannot be reached, then restore it."""
    connection = connections["default"]
    saved_settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        # The in-memory test database lives as long as its connection: keep it aside.
        saved_connection, connection.connection = connection.connection, None
        connection.settings_dict["NAME"] = "/nonexistent-directory/portal.sqlite3"
    else:
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        if connection.vendor == "sqlite":
            connection.connection = saved_connection
        else:
            connection.close()


def public_pages():
    mechanism = make_mechanism(slug="extradition")
    instrument = make_instrument(slug="untoc", provides=[mechanism])
    tool = make_tool(slug="legislative-guide", mechanisms=[mechanism])
    return [
        reverse("portal:home"),
        reverse("instruments:mechanism_list"),
        reverse("instruments:instrument_list") + "?q=extradition",
        mechanism.get_absolute_url(),
        instrument.get_absolute_url(),
        tool.get_absolute_url(),
        reverse("resources:tool_list"),
    ]


class UnavailablePage:
    """What every page says while the database is unreachable."""

    def assert_unavailable_page(self, response):
        self.assertEqual(response.status_code, 503)
        html = response.content.decode()
        self.assertIn("temporarily unavailable", html)
        self.assertNotIn("Traceback", html)
        self.assertNotIn("OperationalError", html)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])


@plain_static()
class DatabaseDownAndBack(UnavailablePage, TransactionTestCase):
    def test_pages_answer_503_while_the_database_is_down_and_recover_after(self):
        pages = public_pages()
        client = Client()
        for url in pages:
            self.assertEqual(client.get(url).status_code, 200, url)
        staff = Client()
        editor = User.objects.create_superuser("editor", "e@example.org", "long-pass-phrase")
        staff.force_login(editor)

        with database_unreachable():
            for url in pages:
                self.assert_unavailable_page(client.get(url))
            self.assertEqual(client.get("/healthz").status_code, 503)
            # A logged-in editor's session is read from the database before any view runs.
            self.assert_unavailable_page(staff.get(reverse("admin:index")))
            self.assert_unavailable_page(client.get("/no-such-page/"))

        for url in pages:
            self.assertEqual(client.get(url).status_code, 200, url)
        self.assertEqual(client.get("/healthz").status_code, 200)
        self.assertEqual(staff.get(reverse("admin:index")).status_code, 200)


@plain_static()
class ConnectionLostInAView(UnavailablePage, TestCase):
    def test_a_connection_lost_in_the_middle_of_a_view_gives_503(self):
        mechanism = make_mechanism(slug="extradition")
        lost = OperationalError("server closed the connection unexpectedly")
        with mock.patch("instruments.views.get_object_or_404", side_effect=lost):
            self.assert_unavailable_page(self.client.get(mechanism.get_absolute_url()))
        self.assertEqual(self.client.get(mechanism.get_absolute_url()).status_code, 200)


@plain_static()
class TheUnavailablePageItself(SimpleTestCase):
    # A SimpleTestCase: any database query in these tests fails them.

    def test_the_503_page_needs_no_database(self):
        response = service_unavailable()
        self.assertEqual(response.status_code, 503)
        self.assertIn(b'href="/static/css/portal.css"', response.content)

    def test_the_503_page_falls_back_to_built_in_html_if_its_template_fails(self):
        with mock.patch("portal.middleware.render_to_string", side_effect=OSError("disk gone")):
            response = service_unavailable()
        self.assertEqual(response.status_code, 503)
        self.assertIn(b"temporarily unavailable", response.content)


# ---- A real server, a real PostgreSQL, a cut cable ----------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:port to a target; stop() refuses new and cuts open connections."""

    def __init__(self, target):
        self.target = target
        self.port = closed_port()
        self.sockets = set()
        self.lock = threading.Lock()
        self.running = False

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with self.lock:
                    self.sockets.discard(sock)
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def stop(self):
        self.running = False
        self.listener.close()
        with self.lock:
            open_sockets = list(self.sockets)
        for sock in open_sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def scratch_postgres_database(testcase):
    """(server URL, name) of a new database on the suite's PostgreSQL server (or the local one),
    dropped afterwards; skips ``testcase`` when no server is reachable."""
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    server = (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )
    try:
        admin = psycopg2.connect(f"{server}/postgres", connect_timeout=3)
    except psycopg2.OperationalError as error:
        testcase.skipTest(f"PostgreSQL is not reachable at {server}: {error}")
    admin.autocommit = True
    name = f"tip_faults_{uuid.uuid4().hex[:8]}"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield server, name
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class GunicornAndACutCable(SimpleTestCase):
    """A real gunicorn whose own PostgreSQL database is reached through a proxy we cut."""

    def test_gunicorn_serves_503_while_postgresql_is_cut_off_and_recovers_without_restart(self):
        server, name = self.enterContext(scratch_postgres_database(self))
        host, port = server.rsplit("@", 1)[1].split(":")
        proxy = TcpProxy((host, int(port)))
        proxy.start()
        user = server.split("//", 1)[1].split("@", 1)[0]
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL", "DEBUG"}}
        env |= {
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{proxy.port}/{name}",
            "CONN_MAX_AGE": "60",  # persistent connections: the harder case to recover from
            "SECRET_KEY": "faults-test-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PLAIN_STATIC": "1",
        }
        migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=300)
        web = closed_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{web}"]
            + ["--workers", "2", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{web}"
        try:
            wait_for(f"{base}/healthz", 200)
            for _ in range(4):  # reach both workers, so each holds a persistent connection
                self.assertEqual(get(f"{base}/")[0], 200)

            proxy.stop()
            for _ in range(4):
                status, html, _ = get(f"{base}/")
                self.assertEqual(status, 503, html[:500])
                self.assertIn("temporarily unavailable", html)
                self.assertNotIn("Traceback", html)
            self.assertEqual(get(f"{base}/healthz")[0], 503)
            self.assertEqual(get(f"{base}/cooperation/")[0], 503)

            proxy.start()
            wait_for(f"{base}/healthz", 200, seconds=20)
            for _ in range(4):
                self.assertEqual(get(f"{base}/")[0], 200)
            self.assertIsNone(gunicorn.poll(), "gunicorn was not restarted")
        finally:
            stop_process_group(gunicorn)
            proxy.stop()
        log = gunicorn.stderr.read().decode()
        self.assertNotIn("Traceback", log, log[-3000:])
