"""``manage.py load_participants``: create or update the participants (the UN Member States from
countries/data/participants.csv, checked against ISO 3166, and the European Union); idempotent."""

from django.core.management.base import BaseCommand

from countries.participation import load_participants


class Command(BaseCommand):
    help = "Create or update the participants (UN Member States and the European Union)."

    def handle(self, *args, **options):
        counts = load_participants()
        self.stdout.write(
            f"participants: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
