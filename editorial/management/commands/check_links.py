"""Check every external address the portal gives and record what each answers.

    python manage.py check_links [--timeout 10] [--workers 8] [--dry-run]

Addresses come from every model that declares them in ``link_fields`` (tools, tool parts,
instruments, cited documents, organizations...), drafts included. Each distinct address is
requested once (HEAD, then GET when HEAD is refused), redirects followed, with a bounded timeout
and a bounded number of requests at a time. The outcome is stored in ``LinkCheck`` (one row per
address) and summed up; the records themselves are never changed: an editor decides what to fix.
"""

from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from editorial.linkcheck import LinkCheck, LinkState, check_address, checked_models

MAX_WORKERS = 32
MAX_TIMEOUT = 120


def collect_addresses():
    """{address: [where it is used, ...]} for every non-empty address field, in address order."""
    used_in = {}
    for model in checked_models():
        for field in model.link_fields:
            rows = model._base_manager.exclude(**{field: ""}).values_list("pk", field)
            for pk, url in rows.order_by("pk"):
                where = f"{model._meta.verbose_name} {pk} ({field})"
                used_in.setdefault(url, []).append(where)
    return dict(sorted(used_in.items()))


def save_results(results, checked_at):
    """One LinkCheck row per address, created or updated, and the rows of addresses no longer
    used removed; nothing else is written."""
    with transaction.atomic():
        LinkCheck.objects.exclude(url__in=[result.url for result in results]).delete()
        for result in results:
            LinkCheck.objects.update_or_create(
                url=result.url,
                defaults={
                    "state": result.state,
                    "status_code": result.status_code,
                    "final_url": result.final_url[:2000],
                    "error": result.error[:500],
                    "checked_at": checked_at,
                },
            )


class Command(BaseCommand):
    help = "Check every external address the portal gives (each model's link_fields)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="Seconds to wait for each answer (10)."
        )
        parser.add_argument(
            "--workers", type=int, default=8, help="Addresses checked at the same time (8)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the addresses; request none."
        )

    def handle(self, *args, timeout, workers, dry_run, **options):
        if not 0 < timeout <= MAX_TIMEOUT:
            raise CommandError(f"--timeout must be more than 0 and at most {MAX_TIMEOUT} seconds.")
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(f"--workers must be between 1 and {MAX_WORKERS}.")
        addresses = collect_addresses()
        if dry_run:
            for url, used_in in addresses.items():
                self.stdout.write(f"{url}  <- {', '.join(used_in)}")
            self.stdout.write(f"Would check {len(addresses)} addresses (dry run: none requested).")
            return
        checked_at = timezone.now()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda url: check_address(url, timeout), addresses))
        save_results(results, checked_at)
        self.report(results, addresses)

    def report(self, results, addresses):
        counts = dict.fromkeys(LinkState, 0)
        for result in results:
            counts[result.state] += 1
        summary = ", ".join(f"{counts[state]} {state.label.lower()}" for state in LinkState)
        self.stdout.write(f"Checked {len(results)} addresses: {summary}.")
        broken = [result for result in results if result.state == LinkState.BROKEN]
        for result in broken:
            why = f"HTTP {result.status_code}" if result.status_code else result.error
            where = ", ".join(addresses[result.url])
            self.stdout.write(self.style.ERROR(f"BROKEN {result.url}: {why} <- {where}"))
