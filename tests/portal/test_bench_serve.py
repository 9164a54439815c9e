"""``make bench``'s wrk run through ``make serve`` (``python -m bench serve``), run for a second
per address: it prints a line for the static file, /healthz, the cached and the uncached page,
each with its requests per second and its ratio to the static file, and the cached page's
verdict against the 0.8 target (or why it could not be measured: no Redis).

It needs wrk: without it the test skips, unless REQUIRE_BROWSER=1 (CI, which installs wrk for
the load test), where it fails."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


def redis_answers(url):
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return False
    return True


class BenchServe(SimpleTestCase):
    def test_it_prints_the_four_addresses_and_their_ratios_to_the_static_file(self):
        if not shutil.which("wrk"):
            reason = "wrk is missing (apt-get install wrk)"
            if os.environ.get("REQUIRE_BROWSER") == "1":
                pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
            self.skipTest(reason)
        folder = self.enterContext(tempfile.TemporaryDirectory())
        env = {k: v for k, v in os.environ.items() if k not in {"PLAIN_STATIC", "MAKEFLAGS"}}
        env |= {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3"}
        command = [sys.executable, "-m", "bench", "serve", "--duration", "1"]
        command += ["--connections", "4", "--threads", "1"]
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
        report = result.stdout
        rate = r" +\d+ +(\d+\.\d\d)  http://127\.0\.0\.1:\d+"
        static = re.search(rf"^static file{rate}/static/css/portal\.\w+\.css$", report, re.M)
        self.assertIsNotNone(static, report)
        self.assertEqual(static.group(1), "1.00")
        self.assertRegex(report, rf"(?m)^/healthz{rate}/healthz$")
        self.assertRegex(report, rf"(?m)^uncached page{rate}/$")
        if redis_answers(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"):
            self.assertRegex(
                report, rf"(?m)^cached page{rate}/  \((meets|MISSES) the 0\.8 target\)$"
            )
        else:
            self.assertRegex(report, r"(?m)^cached page +- +-  not measured: no Redis answers")
