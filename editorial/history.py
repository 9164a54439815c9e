"""Every record's history: one version per change, with its links, who made it and when.

``History`` is django-simple-history's ``HistoricalRecords`` with three changes:

- a record loaded from a fixture or a backup (a *raw* save) gets no version for the save nor for
  the links set right after it; ``record_history`` then records one complete version;
- the admin can hold the versions of a save back (``skip_history_when_saving``) until the links
  and inlines are saved too, and then record exactly one version (``record_version``);
- links changed from the other side (``passage.tool_records.add(tool)``) give the tool a version,
  instead of failing;
- ``history_paused()`` records nothing while it lasts (a backup replacing all content, history
  included, must not record the deletions it makes).
"""

import threading
from contextlib import contextmanager

from django.db.models import Max
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model

CREATED, CHANGED = "+", "~"

_state = threading.local()


@contextmanager
def history_paused():
    """Record no versions inside this block (in this thread)."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def paused():
    return getattr(_state, "paused", False)


class History(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            # Kept so that code can record a version by hand (``record_version``).
            sender._history_records = self

    def post_save(self, instance, created, using=None, **kwargs):
        if paused():
            return
        if kwargs.get("raw"):
            # Loaded from a fixture or a backup: its links are set next, on the same instance.
            instance._history_loading = True
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not paused():
            super().post_delete(instance, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if paused() or getattr(instance, "_history_loading", False):
            return
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        if action in ("post_add", "post_remove") and pk_set:
            for record in self.cls._default_manager.filter(pk__in=pk_set):
                super().m2m_changed(record, action, attr, pk_set, False, **kwargs)


def has_history(model):
    return hasattr(model, "_history_records")


def record_version(obj, created=False, user=None, reason=None):
    """Record the current state of ``obj`` (fields and links) as one version."""
    if user is not None:
        obj._history_user = user
    if reason is not None:
        obj._change_reason = reason[:100]
    type(obj)._history_records.create_historical_record(obj, CREATED if created else CHANGED)


def latest_version_id(model, **lookup):
    """The id of the latest version among the versions of ``model`` matching ``lookup`` (0 if
    there is none): it grows with every change, so it tells whether anything changed."""
    versions = get_history_model_for_model(model).objects.filter(**lookup)
    return versions.aggregate(latest=Max("history_id"))["latest"] or 0


def link_ids(version, field_name):
    """The ids a version links to through the many-to-many field ``field_name``."""
    field = version.instance_type._meta.get_field(field_name)
    target = field.m2m_reverse_field_name()
    return set(getattr(version, field_name).values_list(f"{target}_id", flat=True))


def differs_from(obj, version):
    """Whether ``obj`` (fields and links) differs from the recorded ``version``."""
    for field in version.tracked_fields:
        if getattr(obj, field.attname) != getattr(version, field.attname):
            return True
    for field in version._history_m2m_fields:
        current = set(getattr(obj, field.name).values_list("pk", flat=True))
        if current != link_ids(version, field.name):
            return True
    return False
