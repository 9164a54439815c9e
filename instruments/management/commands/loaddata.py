"""Django's ``loaddata``, indexing what it loads for search once everything is loaded.

The search index follows saves through signals (instruments/search/signals.py). Records from a
fixture arrive one by one, before the records they link to and with their links set one field
at a time; indexing at each step would be slow and could meet a record not loaded yet. Here the
signals only note the records, and each is indexed once, when the load is complete. Everything
else is Django's command, unchanged.
"""

from django.core.management.commands import loaddata

from instruments.search.signals import deferred


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with deferred():
            return super().handle(*fixture_labels, **options)
