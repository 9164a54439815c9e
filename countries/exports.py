"""The countries list as CSV and JSON (search/exports.py): one row per participant, with its
region and, for each instrument the list shows (the Convention and its Trafficking Protocol),
where it stands as recorded here, the act and its date, and the date its source speaks for.
"No record here" is no finding that a State is not bound: the lists held here are incomplete
(see the list's page and fixtures/participation/PROVENANCE.md)."""

from django.utils.translation import gettext

from countries.models import Participant
from countries.status import standings
from instruments.models import Instrument
from search.exports import Column, batches, count

# The two instruments the countries list (and its export) shows: the Convention and its
# Trafficking Protocol.
LISTED = ("untoc", "tip-protocol")


def listed():
    """The instruments the list shows, in its order."""
    found = Instrument.objects.published().filter(slug__in=LISTED)
    return sorted(found, key=lambda instrument: LISTED.index(instrument.slug))


def queryset():
    return Participant.objects.all()


def results(filterset, instruments):
    """``(number, batches)``: the list's participants, each batch with its standings
    (``export_standings``, one per instrument) read at once."""

    def with_standings():
        for batch in batches(filterset):
            found = standings(batch, instruments)
            for participant in batch:
                participant.export_standings = [found[participant.pk, i.pk] for i in instruments]
            yield batch

    return count(filterset), with_standings()


def observed(participant, index, name):
    """What the standing with the ``index``-th instrument rests on, as the page shows it: the
    act, its date and the date its source speaks for (a party or a signatory only)."""
    standing = participant.export_standings[index]
    shown = standing.shown
    if shown is None or standing.state not in ("party", "signatory"):
        return None
    if name == "act":
        return shown.get_kind_display()
    return getattr(shown, f"{name}_display") or None


def columns(instruments):
    """The export's columns: the keys (JSON) are fixed, the headers (CSV) are in the language
    of the request."""
    found = [
        Column("code", gettext("Code"), lambda p, _: p.code),
        Column("name", gettext("Name"), lambda p, _: p.name),
        Column("region", gettext("Region"), lambda p, _: p.get_region_display()),
        Column("page", gettext("Page on the portal"), lambda p, a: a(p.get_absolute_url())),
    ]
    for index, instrument in enumerate(instruments):
        key, title = instrument.slug.replace("-", "_"), instrument.short_title
        names = {"instrument": title}
        found += [
            Column(key, title, lambda p, _, i=index: p.export_standings[i].label),
            Column(
                f"{key}_act",
                # Translators: a CSV column's header: "TIP Protocol: act" (ratification...).
                gettext("%(instrument)s: act") % names,
                lambda p, _, i=index: observed(p, i, "act"),
            ),
            Column(
                f"{key}_date",
                # Translators: a CSV column's header: "TIP Protocol: date" (of the act).
                gettext("%(instrument)s: date") % names,
                lambda p, _, i=index: observed(p, i, "date"),
            ),
            Column(
                f"{key}_as_at",
                # Translators: a CSV column's header: "TIP Protocol: as at" (the date the
                # source speaks for).
                gettext("%(instrument)s: as at") % names,
                lambda p, _, i=index: observed(p, i, "as_at"),
            ),
        ]
    return found
