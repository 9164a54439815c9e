"""A cached page beside a static file, through ``make serve``: ``make bench`` runs this after
the pages (issue 17: a cached page should serve at least 0.8 times the requests per second of
a static file, in the same wrk run).

    DEBUG=1 DATABASE_URL=sqlite:///.bench/fixtures.sqlite3 python -m bench serve

The scratch database (``DATABASE_URL``, required) gets the fixtures and the participation data
as the other benchmarks get them (bench/scratch.py), without synthetic tools. Two ``make serve``
then run on free loopback ports, as in production (DEBUG off, gunicorn, compressed and hashed
static files) but for one thing: no worker is recycled during the runs (``--max-requests 0``).
One has the Redis page cache under a private ``CACHE_KEY_PREFIX`` (its keys are deleted
afterwards), the other ``PAGE_CACHE_SECONDS=0``. wrk drives each of these with the same settings:

- a static file: the page's stylesheet, which WhiteNoise serves;
- the cached page, warmed first, so that every request is a hit;
- ``/healthz``: the cheapest answer Django gives (one query);
- the uncached page: the same address from the second server, which renders it every time.
  The same page through the same stack, only the page cache off (a query string would not do:
  the cache stores any address).

Each address is driven for a second first, not counted, so that every worker process has
served it (loaded what it loads on first use, kept the cached page in its memory), and each
run starts once the last one's requests have finished. It prints each one's requests per
second and its ratio to the static file, and the cached page's verdict against the 0.8 target.
``--rounds 3`` runs the four in turn three times and prints the medians (and each run); the
ratio is then the median of the rounds' ratios. Without Redis at ``REDIS_URL`` (default the
local one, ``redis://127.0.0.1:6379/0``) the cached page cannot be measured, and it says so.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.scratch import machine_speed, prepare

TARGET = 0.8  # a cached page's requests per second, as a share of a static file's (issue 17)
REDIS_URL = "redis://127.0.0.1:6379/0"
SETTLE_SECONDS = 2
# What the servers take from this environment is set below; the rest would change them.
CLEARED = ("DEBUG", "PLAIN_STATIC", "REDIS_URL", "CACHE_URL", "CACHE_KEY_PREFIX")
CLEARED += ("PAGE_CACHE_SECONDS", "PAGE_CACHE_LOCAL_SECONDS", "MAKEFLAGS", "MAKELEVEL", "PORT")


@dataclass
class Target:
    name: str
    url: str
    runs: list = field(default_factory=list)  # requests per second of each run
    problems: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.runs)

    def ratio(self, static):
        """The median of this target's ratio to the static file in each round: each round's
        runs share one stretch of the machine's (varying) load."""
        pairs = zip(self.runs, static.runs, strict=True)
        return statistics.median(run / base for run, base in pairs)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    """``(status, headers, body)`` of a GET of ``url``, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def make_serve(env, log_path):
    """``make serve`` on a free port with ``env``, its output in ``log_path``, stopped (with its
    workers) on leaving."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 (closed below, with the server)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=settings.BASE_DIR,
        env=env | {"PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not healthy(base):
            if server.poll() is not None or time.monotonic() > deadline:
                tail = "".join(Path(log_path).read_text().splitlines(keepends=True)[-30:])
                raise CommandError(f"make serve did not start:\n{tail}")
            time.sleep(0.3)
        yield base
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def healthy(base):
    try:
        return fetch(f"{base}/healthz")[0] == 200
    except OSError:
        return False


def redis_or_none(url):
    """A client of the Redis at ``url``, or None if it does not answer."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def load():
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def stylesheet(html):
    found = re.search(rb'<link rel="stylesheet" href="([^"]+\.css)"', html)
    if not found:
        raise CommandError("The page names no stylesheet to serve as the static file")
    return found.group(1).decode()


def wrk(url, duration, connections, threads):
    """``(requests per second, problems)`` of one wrk run against ``url``."""
    command = ["wrk", "--threads", str(threads), "--connections", str(connections)]
    command += ["--duration", f"{duration}s", "--timeout", "10s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not rate:
        raise CommandError(f"wrk gave no requests/s for {url}:\n{output}")
    problems = re.findall(r"^\s*(Non-2xx or 3xx responses: \d+|Socket errors: .*)$", output, re.M)
    return float(rate.group(1)), problems


class Command(BaseCommand):
    help = "wrk on a static file, /healthz, a cached and an uncached page through make serve."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--rounds", type=int, default=1, help="runs of each, in turn")
        parser.add_argument("--page", default="/", help="the page to serve cached and uncached")

    def handle(self, *args, duration, connections, threads, rounds, page, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing (apt-get install wrk)")
        if not os.environ.get("DATABASE_URL"):
            raise CommandError("Set DATABASE_URL to a scratch database (make bench does).")
        prepare(self.stdout, tools=0)
        redis_url = os.environ.get("REDIS_URL") or REDIS_URL
        client = redis_or_none(redis_url)
        prefix = f"bench-serve-{secrets.token_hex(4)}"
        env = {name: value for name, value in os.environ.items() if name not in CLEARED}
        env |= {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            # No worker is recycled during the runs: at thousands of requests a second, the
            # five workers reach make serve's 5,000 requests together every few seconds, and
            # where their restarts fall decides a run's figure more than the page does.
            "GUNICORN_ARGS": f"{os.environ.get('GUNICORN_ARGS', '')} --max-requests 0".strip(),
        }
        # Stopped (by kill, or by make), it stops its servers and forgets its keys all the same.
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"Stopped by signal {number}"))
        with ExitStack() as stack:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            if client:
                stack.callback(self.forget, client, prefix)
                cached_env = env | {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
                # The same Redis, the same stack: only the page cache is off.
                plain_env = cached_env | {"PAGE_CACHE_SECONDS": "0"}
            else:
                cached_env = plain_env = env
            cached = stack.enter_context(make_serve(cached_env, folder / "cached.log"))
            plain = stack.enter_context(make_serve(plain_env, folder / "plain.log"))
            targets = self.targets(cached, plain, page, client is not None)
            self.stdout.write(
                f"\nwrk: {rounds} round(s) of {duration} s per address, {connections} "
                f"connections, {threads} threads; load average before {load()}; a "
                f"2,000,000-step Python loop takes {machine_speed():.0f} ms\n"
            )
            self.drive(targets, 1, connections, threads, count=False)
            for _ in range(rounds):
                self.drive(targets, duration, connections, threads)
        self.report(targets)

    @staticmethod
    def drive(targets, duration, connections, threads, count=True):
        """One wrk run of each address, counted in its figures unless ``count`` is false."""
        for target in targets:
            if not target.url:
                continue
            rate, problems = wrk(target.url, duration, connections, threads)
            if count:
                target.runs.append(rate)
                target.problems += problems
            # The requests wrk leaves in flight (renders, after the uncached page) finish
            # before the next run starts.
            time.sleep(SETTLE_SECONDS)

    def targets(self, cached, plain, page, with_cache):
        """The four addresses, checked first: the static file and the pages answer 200, the
        cached page is a hit and the uncached one is not cached."""
        status, headers, html = fetch(f"{plain}{page}")
        if status != 200 or "X-Page-Cache" in headers:
            raise CommandError(f"{page} answered {status} {headers.get('X-Page-Cache', '')}")
        static = f"{cached}{stylesheet(html)}"
        status = fetch(static)[0]
        if status != 200:
            raise CommandError(f"{static} answered {status}")
        hit = None
        if with_cache:
            fetch(f"{cached}{page}")
            status, headers, _ = fetch(f"{cached}{page}")
            if status != 200 or headers.get("X-Page-Cache") != "hit":
                raise CommandError(f"{page} is not served from the cache: {status} {headers}")
            hit = f"{cached}{page}"
        # The cached page right after the static file: the two runs compared share as nearly
        # as possible one stretch of the machine's load.
        return [
            Target("static file", static),
            Target("cached page", hit),
            Target("/healthz", f"{cached}/healthz"),
            Target("uncached page", f"{plain}{page}"),
        ]

    def report(self, targets):
        static = targets[0]
        self.stdout.write(f"{'':14} {'requests/s':>10} {'ratio':>6}  address")
        for target in targets:
            if not target.runs:
                self.stdout.write(
                    f"{target.name:14} {'-':>10} {'-':>6}  not measured: no Redis answers at "
                    f"{os.environ.get('REDIS_URL') or REDIS_URL}, so no page cache"
                )
                continue
            ratio = target.ratio(static)
            line = f"{target.name:14} {target.median:10.0f} {ratio:6.2f}  {target.url}"
            if target.name == "cached page":
                line += f"  ({'meets' if ratio >= TARGET else 'MISSES'} the {TARGET} target)"
            if len(target.runs) > 1:
                line += f"  runs: {', '.join(f'{run:.0f}' for run in target.runs)}"
            self.stdout.write(line)
        self.stdout.write(f"Load average when done: {load()}")
        problems = [f"{t.name}: {p}" for t in targets for p in t.problems]
        if problems:
            raise CommandError("Not every request was answered 2xx/3xx: " + "; ".join(problems))

    @staticmethod
    def forget(client, prefix):
        """Delete the private prefix's keys from Redis."""
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
