"""Create or update the Editor group, and optionally make someone an editor.

    python manage.py setup_editor_group                    # the group, with exactly its rights
    python manage.py setup_editor_group --add-user alice   # ... and alice is an editor

What editors may do with each kind of record is declared by its admin (``editor_permissions``
on the ModelAdmin: every ``EditorialAdmin`` may add, change, delete and view; the source paper's
own passages are view-only; problem reports can be read and marked resolved). Editors do not see
user accounts (emails, flags, groups, last logins): the history names who changed what without
that. Running it again resets the group to exactly these rights. Superusers keep all rights.
"""

import getpass

from django.contrib import admin
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

GROUP_NAME = "Editor"


def declared_permissions():
    """{(app label, model name): actions} as the registered admins declare them."""
    declared = {}
    for model, model_admin in admin.site._registry.items():
        actions = getattr(model_admin, "editor_permissions", ())
        if actions:
            declared[model._meta.app_label, model._meta.model_name] = tuple(actions)
    return declared


def editor_permissions():
    """The Permission rows the Editor group holds; fails if one is missing (run migrate)."""
    wanted = {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in declared_permissions().items()
        for action in actions
    }
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        names = ", ".join(sorted(f"{app}.{codename}" for app, codename in missing))
        raise CommandError(f"Permissions not found: {names}. Run `manage.py migrate` first.")
    return found


def setup_editor_group():
    """The Editor group with exactly its permissions; returns (group, created)."""
    group, created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(editor_permissions())
    return group, created


class Command(BaseCommand):
    help = "Create or update the Editor group (idempotent); --add-user makes someone an editor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--add-user",
            metavar="USERNAME",
            help="Make this user an editor (staff, in the group); created if new.",
        )
        parser.add_argument("--email", default="", help="E-mail address of a new editor.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for a new editor's password (set it with changepassword).",
        )

    def handle(self, *args, add_user=None, email="", interactive=True, **options):
        with transaction.atomic():
            group, created = setup_editor_group()
            count = group.permissions.count()
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} the {GROUP_NAME} group ({count} permissions).")
            if add_user:
                self.add_editor(group, add_user, email, interactive)
        if not add_user:
            self.stdout.write(
                "To make someone an editor: make editor name=USERNAME "
                "(or manage.py setup_editor_group --add-user USERNAME)."
            )

    def add_editor(self, group, username, email, interactive):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        new = user is None
        if new:
            user = User(**{User.USERNAME_FIELD: username}, email=email)
            if interactive:
                user.set_password(self.ask_password(user))
            else:
                user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(group)
        self.stdout.write(f"{'Created' if new else 'Updated'} editor {username}.")
        if new and not interactive:
            self.stdout.write(f"Set a password with: manage.py changepassword {username}")

    def ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
        raise CommandError("No valid password given; nothing was changed.")
