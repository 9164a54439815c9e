"""Keeping the index in step with the database, through signals (admin and ORM alike), on commit.

- a registered record saved or deleted: its entry is rewritten or removed;
- a record it depends on (``related``: a tool's part, an instrument's provision, a publisher)
  saved or deleted: the records that depend on it are reindexed;
- an M2M link changed from either side: the record that owns the field is reindexed, and the
  other side too if its registration watches that field (``watch_m2m``).

The handlers only note which records changed (``index.reindex``); one ``transaction.on_commit``
callback per transaction then indexes each noted record once, reading the database as
committed: a fixture loaded by ``loaddata`` (in one transaction) is indexed when everything in
it is there, and a change rolled back is never indexed. Outside a transaction the callback runs
at once.
Bulk operations (``QuerySet.update()``, ``bulk_create``) send no signals: rebuild after them.
"""

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.backends.signals import connection_created
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from search.index import reindex
from search.registry import registrations

_m2m_fields = None  # through model -> the ManyToManyField


def connect():
    post_save.connect(on_save, dispatch_uid="search-index-post-save")
    pre_delete.connect(on_pre_delete, dispatch_uid="search-index-pre-delete")
    post_delete.connect(on_delete, dispatch_uid="search-index-post-delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="search-index-m2m-changed")
    connection_created.connect(tune_connection, dispatch_uid="search-tune-connection")


def tune_connection(sender, connection, **kwargs):
    """Per connection, for searches (run on the driver's connection, so not logged as queries):

    - SQLite: temporary tables in memory. A search materialises its matches and sorts them; on
      disk, those temporary b-trees cost more than the search.
    - PostgreSQL: no JIT compilation. A search over many matches can pass ``jit_above_cost``,
      and compiling then takes longer (tens of ms) than the query it would speed up.
    """
    statement = {
        "sqlite": "PRAGMA temp_store = MEMORY",
        "postgresql": "SET jit = off",
    }.get(connection.vendor)
    if statement:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(statement)
        finally:
            cursor.close()


def label_of(model):
    return model._meta.concrete_model._meta.label_lower


def pks_of(targets):
    if isinstance(targets, QuerySet):
        return list(targets.values_list("pk", flat=True))
    return [getattr(target, "pk", target) for target in targets if target is not None]


# ---- Signal handlers -----------------------------------------------------------------------


def dependents(label, records):
    """[(registered label, pks)] of the records that depend on ``records`` of ``label``."""
    found = []
    for registration in registrations.values():
        targets = registration.related.get(label)
        if targets:
            pks = [pk for record in records for pk in pks_of(targets(record))]
            found.append((registration.label, pks))
    return found


def on_save(sender, instance, raw=False, **kwargs):
    label = label_of(sender)
    if label in registrations:
        reindex(label, [instance.pk])
    try:
        for target_label, pks in dependents(label, [instance]):
            reindex(target_label, pks)
    except ObjectDoesNotExist:
        # Loaded from a fixture or a backup (a raw save) before a record it refers to: that
        # record is loaded in the same transaction, and indexed with it at the commit.
        if not raw:
            raise


def on_pre_delete(sender, instance, **kwargs):
    # Found before the delete: afterwards the links (a provision's sources) are gone.
    instance._search_dependents = dependents(label_of(sender), [instance])


def on_delete(sender, instance, **kwargs):
    label = label_of(sender)
    if label in registrations:
        reindex(label, [instance.pk])  # no longer found: its entry goes
    for target_label, pks in getattr(instance, "_search_dependents", ()):
        reindex(target_label, pks)


def m2m_field(through):
    global _m2m_fields
    if _m2m_fields is None:
        _m2m_fields = {
            field.remote_field.through: field
            for model in apps.get_models()
            for field in model._meta.local_many_to_many
        }
    return _m2m_fields.get(through)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_clear", "post_clear", "post_add", "post_remove"):
        return
    field = m2m_field(sender)
    if field is None:
        return
    owner_label, target_label = label_of(field.model), label_of(field.related_model)
    field_label = f"{owner_label}.{field.name}"
    watched = target_label in registrations and field_label in registrations[target_label].watch_m2m
    owner_matters = owner_label in registrations or any(
        owner_label in r.related for r in registrations.values()
    )
    if not (owner_matters or watched):
        return
    stash = f"_search_cleared_{field_label}"
    if action == "pre_clear":
        # After a clear, pk_set is None: remember what was linked.
        mine, theirs = (
            (field.m2m_reverse_field_name(), field.m2m_field_name())
            if reverse
            else (field.m2m_field_name(), field.m2m_reverse_field_name())
        )
        linked = sender.objects.filter(**{mine: instance.pk}).values_list(theirs, flat=True)
        setattr(instance, stash, set(linked))
        return
    if action == "post_clear":
        pk_set = getattr(instance, stash, set())
    owners, others = (pk_set or set(), [instance.pk]) if reverse else ([instance.pk], pk_set or ())
    if owner_label in registrations:
        reindex(owner_label, owners)
    owner_records = (
        [instance] if not reverse else field.model._default_manager.filter(pk__in=owners)
    )
    for dependent_label, pks in dependents(owner_label, owner_records):
        reindex(dependent_label, pks)
    if watched:
        reindex(target_label, others)
