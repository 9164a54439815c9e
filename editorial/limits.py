"""How much one client may do: problem reports per window, failed logins before a lockout.

A client is what ``editorial.client.client_address`` says it is (an IPv6 client is its /64).
"""

import hashlib
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum

from editorial.feedback import Feedback

logger = logging.getLogger(__name__)


def store_report_within_limit(address, store):
    """Call ``store()``, which saves one problem report from ``address``, and return its report;
    or return None, storing nothing, if ``address`` has used up FEEDBACK_RATE_LIMIT reports in
    the window of FEEDBACK_RATE_WINDOW seconds.

    Counting and storing are one step, so parallel requests cannot all see room for one more:

    - With a shared cache (Redis), a counter per client: ``add`` opens it at 0, expiring with
      the window; ``incr`` (Redis INCR, atomic) gives each request its own number, and only the
      first FEEDBACK_RATE_LIMIT numbers are stored. The window is fixed, from the client's first
      report; refused reports are counted too, but cannot make it last longer.
    - Without one, or when it fails, the reports stored in the last window are counted in the
      database, then the report is stored, in one transaction that first takes a lock the other
      reports from that client wait for (``_lock_reports_from``).
    """
    limit, window = settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_WINDOW
    if settings.SHARED_CACHE:
        try:
            number = _count_in_cache(address, window)
        except Exception:
            logger.exception("The cache failed; the report rate limit counts in the database")
        else:
            return store() if number <= limit else None
    with transaction.atomic():
        _lock_reports_from(address)
        if Feedback.objects.recent_from(address, window).count() >= limit:
            return None
        return store()


def report_counter_key(address):
    return f"feedback-rate:{address}"


def _count_in_cache(address, window):
    """This report's number in ``address``'s current window, counted in the shared cache."""
    key = report_counter_key(address)
    cache.add(key, 0, timeout=window)
    try:
        number = cache.incr(key)
    except ValueError:  # The window ended between the two calls: this report opens the next.
        cache.add(key, 0, timeout=window)
        number = cache.incr(key)
    if number == 1:
        # The window's first report sets its expiry again: had the key expired between incr's
        # check that it exists and its INCR, Redis would have made one that never expires.
        cache.touch(key, window)
    return number


def _lock_reports_from(address):
    """Make every other transaction storing a report from ``address`` wait until this one ends.

    PostgreSQL: an advisory lock on a number made from the address, released at commit.
    SQLite has one write lock for the whole database, which a transaction takes at its first
    write; a plain BEGIN would take it only at the insert, after the count, and a transaction
    that has read cannot wait for it either (SQLite answers "database is locked" at once). So the
    transaction writes first, a write that changes nothing, and waits for the lock there.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            digest = hashlib.sha256(report_counter_key(address).encode()).digest()
            key = int.from_bytes(digest[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        else:  # SQLite, the portal's other database.
            table = connection.ops.quote_name(Feedback._meta.db_table)
            cursor.execute(f"UPDATE {table} SET resolved = resolved WHERE 1 = 0")


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a limit of its own for the lockout by username alone.

    AXES_LOCKOUT_PARAMETERS has two sets: a username from one client, locked after
    AXES_FAILURE_LIMIT failures, and a username from anywhere, locked after the higher
    LOGIN_USERNAME_FAILURE_LIMIT. Axes compares one number with AXES_FAILURE_LIMIT: the failures
    of the set that has most. Here each set's failures are first scaled to its own limit
    (``failures * AXES_FAILURE_LIMIT // its limit`` reaches AXES_FAILURE_LIMIT exactly when the
    failures reach the set's limit).

    A successful login clears the failures of that username from that client only, as it did
    with the one set: axes would clear every set's, so an editor logging in would lift the
    lockout of whoever had been guessing their password elsewhere.
    """

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        parameter_sets = get_lockout_parameters(request, credentials)
        attempts_per_set = self.get_user_attempts(request, credentials)
        scaled = [0]
        for parameters, attempts in zip(parameter_sets, attempts_per_set, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            own_limit = (
                settings.LOGIN_USERNAME_FAILURE_LIMIT
                if parameters in ("username", ["username"])
                else limit
            )
            scaled.append(failures * limit // own_limit)
        return max(scaled)

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        return attempts.delete()[0]
