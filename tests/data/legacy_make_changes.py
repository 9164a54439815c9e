"""Editors' changes on a fresh legacy database (code at commit 0aa9b7a), recorded in history the
way the admin records them (instruments/editorial.py): the save and its links first with
``skip_history_when_saving`` set, then exactly one version with ``record_version`` (user and the
admin's change message as reason); inline records get their own version; "Mark as verified" and
deletions record through the post_save/post_delete signals with ``_history_user`` set.

Run once, after migrate + loaddata + record_history + setup_editor_group --add-user alice/bob:

    cd /work/wt-legacy && DEBUG=1 DATABASE_URL=sqlite:////tmp/legacy/legacy.sqlite3 \
        /work/main/.venv/bin/python manage.py shell -v0 < tests/data/make_changes.py
"""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from instruments.history import record_version
from instruments.models import Instrument, Mechanism
from portal.models import CitedDocument, Guidance, Passage
from resources.models import Audience, Tool, ToolPart

User = get_user_model()
alice = User.objects.get(username="alice")
bob = User.objects.get(username="bob")
for editor in (alice, bob):
    assert editor.is_staff and editor.groups.filter(name="Editor").exists(), editor

if Tool.history.filter(history_user__isnull=False).exists():
    raise SystemExit("The editors' changes were already made on this database.")


def message(*parts):
    """The admin's change message (as LogEntry words it), used as the version's reason."""
    return LogEntry(change_message=json.dumps(list(parts))).get_change_message()


def changed(*fields):
    return {"changed": {"fields": list(fields)}}


def admin_save(obj, user, reason, created=False, links=None):
    """As EditorialAdmin: save, set the links, then record one version of it all."""
    obj.skip_history_when_saving = True
    obj.save()
    for name, (action, values) in (links or {}).items():
        getattr(getattr(obj, name), action)(*values)
    del obj.skip_history_when_saving
    record_version(obj, created=created, user=user, reason=reason)


def mechanisms(*slugs):
    return list(Mechanism.objects.filter(slug__in=slugs))


def passages(*slugs):
    return list(Passage.objects.filter(slug__in=slugs))


with transaction.atomic():
    # 1. alice edits a tool's description and adds a form of cooperation to it.
    tool = Tool.objects.get(slug="mla-request-writer")
    tool.description += (
        "\n\nThe requests it writes are addressed to the central authority of the requested "
        "State, which the tool helps identify."
    )
    admin_save(
        tool,
        alice,
        message(changed("Description", "Mechanisms")),
        links={"mechanisms": ("add", mechanisms("central-authority"))},
    )

    # 2. bob sets an instrument back to draft.
    instrument = Instrument.objects.get(slug="see-police-convention")
    instrument.status = "draft"
    admin_save(instrument, bob, message(changed("Status")))

    # 3. alice edits a guidance text and a cited document's note.
    guidance = Guidance.objects.get(slug="nominate-central-authority")
    guidance.text += (
        " The central authority receives and sends requests for mutual legal assistance and "
        "extradition, and knows the other States' central authorities."
    )
    admin_save(guidance, alice, message(changed("Text")))

    document = CitedDocument.objects.get(slug="a-res-64-293")
    document.note = document.note.replace(
        "Mandates the Global Reports on Trafficking in Persons (para. 5).",
        "Adopted by the General Assembly on 30 July 2010; it mandates the Global Reports on "
        "Trafficking in Persons (para. 5).",
    )
    assert "30 July 2010" in document.note
    admin_save(document, alice, message(changed("Note")))

    # 4. alice adds a part to a tool, with its sources, through the tool's form (the inline
    #    gets its version, then the tool gets one for the save).
    tool = Tool.objects.get(slug="asean-practitioner-guidelines")
    part = ToolPart(
        tool=tool,
        slug="part-one",
        kind="part",
        label="Part One",
        title="Evidential matters",
        description="The first of the guidelines' two broad themes: evidence in the "
        "prosecution and adjudication of trafficking in persons cases.",
        position=0,
    )
    part.skip_history_when_saving = True
    part.save()
    part.sources.add(*passages("annex-10", "fn-17"))
    part.mechanisms.add(*mechanisms("law-enforcement-cooperation"))
    del part.skip_history_when_saving
    record_version(part, created=True, user=alice)
    tool.skip_history_when_saving = True
    tool.save()
    del tool.skip_history_when_saving
    record_version(
        tool, user=alice, reason=message({"added": {"name": "tool part", "object": str(part)}})
    )

    # 5. bob removes an audience from a tool.
    tool = Tool.objects.get(slug="asean-handbook-legal-cooperation")
    admin_save(
        tool,
        bob,
        message(changed("Audiences")),
        links={"audiences": ("remove", [Audience.objects.get(slug="law-enforcement")])},
    )

    # 6. alice adds a new tool, as a draft.
    tool = Tool(
        slug="unodc-mla-extradition-manual",
        title="Manual on Mutual Legal Assistance and Extradition",
        short_title="MLA and Extradition Manual",
        kind="manual",
        publisher=Tool.objects.get(slug="mla-request-writer").publisher,
        year=2012,
        url="https://www.unodc.org/documents/organized-crime/Publications/"
        "Mutual_Legal_Assistance_Ebook_E.pdf",
        description="A practical guide for central authorities and practitioners on drafting, "
        "sending and answering requests for mutual legal assistance and extradition under the "
        "Organized Crime Convention. Not cited by the background paper; to be checked before "
        "publishing.",
        status="draft",
    )
    admin_save(
        tool,
        alice,
        message({"added": {}}),
        created=True,
        links={
            "audiences": ("add", list(Audience.objects.filter(
                slug__in=["central-authorities", "prosecutors"]))),
            "mechanisms": ("add", mechanisms(
                "extradition", "mutual-legal-assistance", "central-authority")),
            "instruments": ("add", list(Instrument.objects.filter(slug="untoc"))),
        },
    )

    # 7. alice marks a form of cooperation as verified (the admin's "Mark as verified" action).
    mechanism = Mechanism.objects.get(slug="extradition")
    mechanism.last_verified_on, mechanism.verified_by = timezone.localdate(), alice
    mechanism._history_user, mechanism._change_reason = alice, "Marked as verified."
    mechanism.save(update_fields=["last_verified_on", "verified_by"])

    # 8. bob deletes a guidance record (it has history: its versions stay, with a "-" one).
    guidance = Guidance.objects.get(slug="take-part-in-data-collection")
    guidance._history_user = bob
    guidance.delete()

print("Changes made.")
