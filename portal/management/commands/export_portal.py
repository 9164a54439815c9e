"""Back up all content (the paper, instruments, resources and guidance apps) to one JSON file.

    python manage.py export_portal backup.json

The file is an ordinary Django fixture: records refer to each other by natural keys (slugs), models
come in the order loading needs, and every list is sorted, so two exports of the same content are
identical byte for byte, whichever database they come from. Records keep their ids too, so history
records (which refer to ids, and may refer to records deleted since) stay true after a restore;
models without a natural key (history) are written with plain ids. ``import_portal`` restores it
in one transaction. Editors' accounts are not content and are not exported; links to them (e.g.
the editor of a history record) are left out when they may be empty.
"""

import datetime
import json
import os
import sys
import tempfile

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from portal.content import CONTENT_APPS, is_content_model


def natural_key_dependencies(model):
    """The models whose natural keys ``model``'s records use (as Django's dumpdata sees them)."""
    if not hasattr(model, "natural_key"):
        return []  # Written with plain ids (see export_content).
    needed = [apps.get_model(label) for label in getattr(model.natural_key, "dependencies", [])]
    links = model._meta.fields + tuple(
        field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created
    )
    for field in links:
        target = field.remote_field.model if field.remote_field else None
        if target is not None and target is not model and hasattr(target, "natural_key"):
            needed.append(target)
    return needed


def content_models():
    """Every concrete model of the content apps, each after the models its natural keys need.

    A topological sort that takes the ready models with natural keys first (content before its
    history), then by name, so the order (and so the file) is the same in every process.
    """
    models = {
        model._meta.label_lower: model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy and is_content_model(model)
    }
    waiting = {
        label: {needed._meta.label_lower for needed in natural_key_dependencies(model)}
        & set(models)
        for label, model in models.items()
    }
    ordered = []
    while waiting:
        ready = [label for label, needs in waiting.items() if not needs] or list(waiting)
        label = min(ready, key=lambda label: (not hasattr(models[label], "natural_key"), label))
        ordered.append(models[label])
        del waiting[label]
        for needs in waiting.values():
            needs.discard(label)
    return ordered


def outward_links(model):
    """Foreign keys from ``model`` to models outside the content apps (e.g. to auth.User)."""
    return [
        field
        for field in model._meta.local_fields
        if field.is_relation and field.related_model._meta.app_label not in CONTENT_APPS
    ]


def serializable_fields(model):
    """Field names to export, or None for all; refuses a required link outside the content."""
    outward = outward_links(model)
    for field in outward:
        if not field.null:
            label = f"{model._meta.label}.{field.name}"
            raise CommandError(f"{label} needs a record outside the content apps.")
    if not outward:
        return None
    skipped = {field.name for field in outward}
    fields = model._meta.local_fields + model._meta.local_many_to_many
    return [field.name for field in fields if field.name not in skipped]


def export_content():
    """All content as a list of fixture records, canonical: same content, same list."""
    records = []
    for model in content_models():
        objects = model._base_manager.order_by("pk").iterator(chunk_size=500)
        serialized = serializers.serialize(
            "python",
            objects,
            use_natural_foreign_keys=hasattr(model, "natural_key"),
            fields=serializable_fields(model),
        )
        many_to_many = [field.name for field in model._meta.local_many_to_many]
        for record in serialized:
            for name in many_to_many:
                if name in record["fields"]:
                    record["fields"][name] = sorted(record["fields"][name])
        records += serialized
    return records


class BackupEncoder(DjangoJSONEncoder):
    """Datetimes to the microsecond. DjangoJSONEncoder cuts them to milliseconds, so a history
    date of 12:00:00.000400 would be written ``12:00:00.000`` and restored as 12:00:00: the
    restored portal would not export the same file."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def dump(records, stream):
    json.dump(records, stream, cls=BackupEncoder, ensure_ascii=False, indent=1, sort_keys=True)
    stream.write("\n")


class Command(BaseCommand):
    help = "Write all content (paper, instruments, resources, guidance) to one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup ('-' for standard output).")

    def handle(self, *args, file, **options):
        records = export_content()
        if file == "-":
            dump(records, sys.stdout)
            return
        directory = os.path.dirname(os.path.abspath(file))
        # Written beside the target and renamed, so a failed export never leaves half a file.
        try:
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=directory, suffix=".part", delete=False
            ) as stream:
                dump(records, stream)
            os.replace(stream.name, file)
        except OSError as error:
            raise CommandError(f"Could not write {file}: {error}") from error
        self.stderr.write(f"Exported {len(records)} records to {file}.")
