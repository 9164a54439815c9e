"""Reading participation data into the portal: the participants (``load_participants``) and the
shared CSV files of observations (``import_file``), idempotently, reporting what it could not
read and where its sources disagree.

The CSV format (``../shared/data/participation/PROVENANCE.md``) has one row per observation:

- instrument files: ``state,iso3,signature_date,action_date,action_type,source,as_at,note``;
  a signature date gives a signature, an action date or type an act of consent; a row with
  neither but a note saying "party" is a consent whose act the source does not give;
- ``memberships.csv``: ``group,state,iso3,joined,source,as_at,note``; a row of a group that
  lists the parties to an instrument the portal holds (``Group.instrument``) is participation
  in that instrument, any other a membership.

Participants are found by ISO 3166 alpha-3 code only, never by name (names differ between
sources: "Swaziland", "Eswatini"); the European Union, which has no code, by its name.
"""

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction

from countries.models import (
    EventKind,
    Group,
    Membership,
    Origin,
    Participant,
    ParticipantKind,
    ParticipationEvent,
    parse_partial_date,
)
from editorial.records import web_address
from instruments.models import Instrument, Organization

PARTICIPANTS_CSV = Path(__file__).resolve().parent / "data" / "participants.csv"
EVENT_HEADER = ["state", "iso3", "signature_date", "action_date", "action_type", "source"]
EVENT_HEADER += ["as_at", "note"]
MEMBERSHIP_HEADER = ["group", "state", "iso3", "joined", "source", "as_at", "note"]
EUROPEAN_UNION = "European Union"
EU_CODE = "eu"

SCRAPE_RE = re.compile(r"^(\S+) \(scrape of (\S+)\)$")
MORE_RE = re.compile(r"^(\S+) ; [a-z ]+: (\S+)$")
ENTRY_INTO_FORCE_RE = re.compile(r"DATE OF ENTRY INTO FORCE for this party: (\d{4}-\d{2}-\d{2})")
DOUBT_RE = re.compile(r"\b(conflict|verify|check|probably|not a depositary)\b", re.IGNORECASE)


class RowError(ValueError):
    """A row that cannot be read: it is skipped and reported."""


@dataclass
class Report:
    """What an import did, and what a reader of its result should know."""

    file: str
    rows: int = 0
    counts: Counter = field(default_factory=Counter)  # created, updated, unchanged, kept...
    skipped: list = field(default_factory=list)  # (line, why)
    warnings: list = field(default_factory=list)  # (line, what)
    conflicts: list = field(default_factory=list)  # (participant, instrument, what)

    def lines(self):
        yield f"{self.file}: {self.rows} rows read"
        for name in ("created", "updated", "unchanged", "kept"):
            yield f"  {name}: {self.counts[name]}"
        yield f"  skipped: {len(self.skipped)}"
        for line, why in self.skipped:
            yield f"    line {line}: {why}"
        if self.conflicts:
            yield f"  sources that disagree: {len(self.conflicts)}"
            for who, what, why in self.conflicts:
                yield f"    {who}, {what}: {why}"
        if self.warnings:
            yield f"  to check: {len(self.warnings)}"
            for why, rows in self.grouped_warnings().items():
                yield f"    {why} ({len(rows)}): " + ", ".join(
                    f"{who} (line {line})" for line, who in rows
                )

    def grouped_warnings(self):
        """{what: [(line, who)]}: the warnings of one kind (one wording) together."""
        grouped = defaultdict(list)
        for line, text in self.warnings:
            who, _, why = text.partition(": ")
            grouped[why].append((line, who))
        return grouped

    def text(self):
        return "\n".join(self.lines())


# ---- Participants ---------------------------------------------------------------------------


def participant_rows():
    """{ISO3: row} of countries/data/participants.csv, each code checked against pycountry."""
    with PARTICIPANTS_CSV.open(encoding="utf-8", newline="") as f:
        rows = {row["iso3"]: row for row in csv.DictReader(f)}
    unknown = sorted(code for code in rows if pycountry.countries.get(alpha_3=code) is None)
    if unknown:
        raise ValueError(f"codes unknown to ISO 3166 (pycountry): {', '.join(unknown)}")
    return rows


def participant_fields(row):
    country = pycountry.countries.get(alpha_3=row["iso3"])
    return {
        "iso3": row["iso3"],
        "kind": ParticipantKind.STATE,
        # The UN's name; pycountry's for the few places the UN statistics do not name.
        "name": row["un_name"] or country.name,
        "aliases": "\n".join(alias for alias in row["aliases"].split(";") if alias),
        "region": row["region"].lower(),
        "sub_region": row["sub_region"],
    }


def load_participants():
    """Create or update the UN Member States and the European Union; returns a Counter."""
    counts = Counter()
    rows = participant_rows()
    for code, row in rows.items():
        if row["un_member"] == "yes":
            counts[save_participant(code.lower(), participant_fields(row))] += 1
    eu = {
        "kind": ParticipantKind.ORGANIZATION,
        "name": EUROPEAN_UNION,
        "region": "europe",
        "organization": Organization.objects.filter(slug="eu").first(),
    }
    counts[save_participant(EU_CODE, eu)] += 1
    return counts


def save_participant(code, values):
    participant = Participant.objects.filter(code=code).first()
    if participant is None:
        Participant.objects.create(code=code, **values)
        return "created"
    changed = {k: v for k, v in values.items() if getattr(participant, k) != v}
    if not changed:
        return "unchanged"
    for name, value in changed.items():
        setattr(participant, name, value)
    participant.save()
    return "updated"


class Participants:
    """Participants by code, created from participants.csv when a file names one not yet here."""

    def __init__(self):
        self.rows = participant_rows()
        self.known = {p.code: p for p in Participant.objects.all()}

    def find(self, iso3, name):
        iso3 = iso3.strip().upper()
        if not iso3:
            if name.strip() == EUROPEAN_UNION:
                iso3 = EU_CODE.upper()
            else:
                raise RowError(f"no ISO code for {name!r} (only the European Union has none)")
        code = iso3.lower()
        if code not in self.known:
            if iso3 not in self.rows:
                raise RowError(f"{iso3!r} is not an ISO 3166 alpha-3 code")
            save_participant(code, participant_fields(self.rows[iso3]))
            self.known[code] = Participant.objects.get(code=code)
        return self.known[code]

    @staticmethod
    def name_differs(participant, name):
        names = {participant.name.casefold(), *(a.casefold() for a in participant.alias_list())}
        return name.strip().casefold() not in names


# ---- Reading rows ---------------------------------------------------------------------------


def read_rows(path):
    """(header, [(line number, row dict)]) of a participation CSV."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        return header, [(number, row) for number, row in enumerate(reader, start=2)]


def split_source(cell):
    """(source, derived_from, other_sources) of a ``source`` cell, each address checked."""
    cell = cell.strip()
    derived, others = "", ""
    if match := SCRAPE_RE.match(cell):
        cell, derived = match.groups()
    elif match := MORE_RE.match(cell):
        cell, others = match.groups()
    for address in filter(None, (cell, derived, others)):
        try:
            web_address(address)
        except ValidationError:
            raise RowError(f"source is not a web address: {address!r}") from None
    return cell, derived, others


def partial_date(text, what):
    try:
        return parse_partial_date(text)
    except ValueError as error:
        raise RowError(f"{what}: {error}") from None


def observed(row):
    """The fields every observation takes from a row."""
    source, derived, others = split_source(row["source"])
    as_at, as_at_precision = partial_date(row["as_at"], "as_at")
    return {
        "source_url": source,
        "derived_from": derived,
        "other_sources": others,
        "as_at": as_at,
        "as_at_precision": as_at_precision,
        "note": row["note"].strip(),
        "origin": Origin.IMPORT,
    }


def events_of(row):
    """[(kind, values)] the row observes: a signature, an act of consent, or both."""
    base = observed(row)
    found = []
    signed, precision = partial_date(row["signature_date"], "signature_date")
    if signed:
        found.append((EventKind.SIGNATURE, {**base, "date": signed, "date_precision": precision}))
    act = row["action_type"].strip().lower()
    if act and act not in EventKind.values or act == EventKind.SIGNATURE:
        raise RowError(f"unknown action_type {act!r}")
    acted, precision = partial_date(row["action_date"], "action_date")
    party_in_note = not signed and not acted and not act and "party" in base["note"].lower()
    if acted or act or party_in_note:
        force = ENTRY_INTO_FORCE_RE.search(base["note"])
        values = {**base, "date": acted, "date_precision": precision}
        if force:
            values["entry_into_force"] = partial_date(force.group(1), "entry into force")[0]
        found.append((act or EventKind.CONSENT, values))
    if not found:
        raise RowError("the row records no signature, act or party")
    return found


def membership_event(row):
    """A row of a party list, as (kind, values) of participation in its instrument."""
    base = observed(row)
    joined, precision = partial_date(row["joined"], "joined")
    note = base["note"].lower()
    kind = next(
        (kind for kind in ("accession", "ratification", "succession") if kind in note),
        EventKind.CONSENT,
    )
    return kind if joined else EventKind.CONSENT, {
        **base,
        "date": joined,
        "date_precision": precision,
    }


# ---- Saving ---------------------------------------------------------------------------------


def upsert(model, key, values, report):
    """Create or update the imported record ``key`` (lookups); an editor's is left alone."""
    record = model.objects.filter(**key).first()
    if record is None:
        model.objects.create(**key, **values)
        report.counts["created"] += 1
    elif record.origin == Origin.EDITOR:
        report.counts["kept"] += 1
    elif any(getattr(record, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
        report.counts["updated"] += 1
    else:
        report.counts["unchanged"] += 1
    return record


def import_file(path, *, instrument=None, dry_run=False):
    """Read one participation CSV into the portal, in one transaction (rolled back for a dry
    run); returns its Report. ``instrument`` (a slug) names the instrument of an instrument
    file, else its file name does (tip_protocol.csv: tip-protocol)."""
    path = Path(path)
    report = Report(path.name)
    header, rows = read_rows(path)
    report.rows = len(rows)
    with transaction.atomic():
        participants = Participants()
        if header == EVENT_HEADER:
            slug = instrument or path.stem.replace("_", "-")
            target = Instrument.objects.filter(slug=slug).first()
            if target is None:
                raise ValueError(f"{path.name}: no instrument {slug!r} (give --instrument)")
            read_events(rows, target, participants, report)
        elif header == MEMBERSHIP_HEADER:
            read_memberships(rows, participants, report)
        else:
            raise ValueError(f"{path.name}: unknown columns {header}")
        report.conflicts = disagreements()
        if dry_run:
            transaction.set_rollback(True)
    return report


def read_events(rows, instrument, participants, report):
    signed = set()
    for line, row in rows:
        try:
            participant = participants.find(row["iso3"], row["state"])
            found = events_of(row)
        except RowError as error:
            report.skipped.append((line, str(error)))
            continue
        note_name(participants, participant, row, line, report)
        for kind, values in found:
            save_event(instrument, participant, kind, values, report)
            if kind == EventKind.SIGNATURE:
                signed.add(participant.pk)
        check_row(row, line, report)
    for line, row in rows:
        act = row["action_type"].strip().lower()
        if act in ("ratification", "acceptance", "approval"):
            code = (row["iso3"] or EU_CODE).lower()
            participant = participants.known.get(code)
            if participant and participant.pk not in signed:
                report.warnings.append(
                    (line, f"{row['state']}: {act} recorded without a signature (an accession?)")
                )


def read_memberships(rows, participants, report):
    groups = {group.source_label: group for group in Group.objects.select_related("instrument")}
    for line, row in rows:
        group = groups.get(row["group"].strip())
        try:
            if group is None:
                raise RowError(f"unknown group {row['group']!r}")
            participant = participants.find(row["iso3"], row["state"])
            if group.instrument_id:
                kind, values = membership_event(row)
            else:
                values = observed(row)
                joined, precision = partial_date(row["joined"], "joined")
                values |= {"joined": joined, "joined_precision": precision}
        except RowError as error:
            report.skipped.append((line, str(error)))
            continue
        note_name(participants, participant, row, line, report)
        if group.instrument_id:
            save_event(group.instrument, participant, kind, values, report)
        else:
            key = {"group": group, "participant": participant}
            key["source_url"] = values.pop("source_url")
            upsert(Membership, key, values, report)
        check_row(row, line, report)


def save_event(instrument, participant, kind, values, report):
    key = {"instrument": instrument, "participant": participant, "kind": kind}
    key["source_url"] = values.pop("source_url")
    values.setdefault("entry_into_force", None)
    upsert(ParticipationEvent, key, values, report)


def note_name(participants, participant, row, line, report):
    if participant.code != EU_CODE and participants.name_differs(participant, row["state"]):
        report.warnings.append(
            (line, f"{row['state']!r} is not a name recorded for {participant.code.upper()}")
        )


def check_row(row, line, report):
    dates = [row.get(name, "") for name in ("signature_date", "action_date", "joined")]
    if any(len(value.strip()) in (4, 7) for value in dates):
        report.warnings.append((line, f"{row['state']}: a date gives only the month or year"))
    if not row["as_at"].strip():
        report.warnings.append((line, f"{row['state']}: the source is undated (no as_at)"))
    if DOUBT_RE.search(row["note"]):
        report.warnings.append((line, f"{row['state']}: the note has a doubt: {row['note']}"))


def disagreements():
    """[(participant, instrument, what)] for every pair whose acts of consent, as recorded
    (imported or entered), disagree on the date or on the act."""
    consents = defaultdict(list)
    for event in ParticipationEvent.objects.exclude(kind=EventKind.SIGNATURE).select_related(
        "participant", "instrument"
    ):
        consents[event.participant, event.instrument].append(event)
    found = []
    for (participant, instrument), events in consents.items():
        dates = {event.date for event in events if event.date}
        acts = {event.kind for event in events} - {EventKind.CONSENT}
        if len(dates) > 1 or len(acts) > 1:
            said = "; ".join(
                f"{event.get_kind_display().lower()} {event.date_display or '(no date)'} "
                f"per {event.source_url}"
                for event in events
            )
            found.append((participant, instrument.short_title, said))
    return found
