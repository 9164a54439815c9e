"""Stream the CSV export of every published tool and print, as one line of JSON, how many bytes
it gave, how long it took and the process's memory (RSS) before the export and at its peak
(``python -m bench pages`` runs it in a process of its own)."""

import json
import time

from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse

from bench.scratch import timing


def status_mb(field):
    """``VmRSS`` (resident memory now) or ``VmHWM`` (its peak) of this process, from /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Command(BaseCommand):
    help = "Stream the CSV of every published tool; print rows, bytes, seconds and peak RSS."

    def handle(self, *args, **options):
        client = Client()
        url = reverse("resources:tool_export", args=["csv"])
        with timing():
            client.get(reverse("site:healthz"))  # Django's first request: imports done
            before = status_mb("VmRSS")
            started = time.perf_counter()
            response = client.get(url)
            size = sum(len(chunk) for chunk in response.streaming_content)
            seconds = time.perf_counter() - started
        figures = {
            "bytes": size,
            "seconds": seconds,
            "rss_before_mb": before,
            # The process's peak since it started (not getrusage's ru_maxrss, which on Linux
            # keeps the peak of the process that started this one).
            "peak_rss_mb": status_mb("VmHWM"),
        }
        self.stdout.write(json.dumps(figures))
