"""What every benchmark shares: the scratch database (made, filled with synthetic tools and
indexed as ``make bench-search`` and ``make bench`` need it) and how a page is timed."""

import statistics
import time
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings

from bench import synthetic

FIXTURES = ["source", "documents", "organizations", "mechanisms", "instruments", "guidance"]
PARTICIPATION = [
    f"fixtures/participation/{name}.csv" for name in ("untoc", "tip_protocol", "memberships")
]


def prepare(stdout, tools, rebuild=True):
    """Migrate the scratch database (creating it on PostgreSQL), load the fixtures and the
    participation data if it has none, top it up to ``tools`` synthetic tools, rebuild the
    search index (unless ``rebuild`` is false) and gather the planner's statistics."""
    ensure_database()
    call_command("migrate", verbosity=0)
    Tool = apps.get_model("resources", "Tool")
    if not Tool.objects.exists():
        call_command("loaddata", *FIXTURES, "resources", verbosity=0)
    if not apps.get_model("countries", "Participant").objects.exists():
        # As `make fixtures` loads them (Makefile): the participants, their groups, what the
        # shared data says of their participation.
        call_command("load_participants", stdout=StringIO())
        call_command("loaddata", "countries", verbosity=0)
        call_command("import_participation", *PARTICIPATION, stdout=StringIO())  # its report
        # Each record's first version, as `make fixtures` records it (the pages' validators and
        # the source paper's cached text are keyed by the newest versions).
        call_command("record_history", stdout=StringIO())
    missing = tools - Tool.objects.filter(slug__startswith=synthetic.PREFIX).count()
    if missing > 0:
        started = time.perf_counter()
        call_command(synthetic.Command(), missing)
        stdout.write(f"Made {missing:,} tools in {time.perf_counter() - started:.0f}s")
    if rebuild:
        started = time.perf_counter()
        call_command("rebuild_search_index", verbosity=0)
        stdout.write(f"Rebuilt the search index in {time.perf_counter() - started:.0f}s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The state autovacuum keeps a live database in: statistics, visibility map.
            cursor.execute("VACUUM ANALYZE")
        else:
            # The planner's statistics, as a rebuild leaves them (--skip-rebuild included).
            cursor.execute("ANALYZE")


def ensure_database():
    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError:
        import psycopg2

        params = connection.get_connection_params()
        name = params.pop("dbname", None) or params.pop("database")
        admin = psycopg2.connect(**{**params, "dbname": "postgres"})
        try:
            admin.autocommit = True  # CREATE DATABASE cannot run in a transaction
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        connection.close()


def vendor_name():
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor)


def machine_speed():
    """Milliseconds for a fixed pure-Python loop (best of three), printed beside the figures so
    runs on machines of different (or varying) speed can be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median_p95(values):
    return statistics.median(values), percentile(values, 0.95)


def timing():
    """The settings timed under: DEBUG off, any host, no page cache."""
    return override_settings(DEBUG=False, ALLOWED_HOSTS=["*"], PAGE_CACHE_SECONDS=0)


def timed(measure, runs, warm_ups, label):
    """``runs`` (wall ms, CPU ms of this process) of ``measure()``, after ``warm_ups`` runs;
    an answer other than 200 stops the benchmark."""
    samples = []
    for run in range(warm_ups + runs):
        started, cpu = time.perf_counter(), time.process_time()
        response = measure()
        elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise RuntimeError(f"{label} answered {status}")
        if run >= warm_ups:
            samples.append(elapsed)
    return samples
