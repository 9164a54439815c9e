"""Backups written before the content moved into its own apps (December 2026) read as today's.

Until then the source paper, the documents it cites and the guidance were models of ``portal``,
and a cited document named the one instrument it is or contains; now they are models of
``paper`` and ``guidance``, and an instrument lists its documents. ``upgrade`` rewrites the
records of such a backup (a list of fixture records) so ``import_portal`` restores them, with
their history, into today's models. A backup written since passes through unchanged.
"""

MOVED = {
    "portal.sourcedocument": "paper.sourcedocument",
    "portal.section": "paper.section",
    "portal.passage": "paper.passage",
    "portal.citeddocument": "paper.citeddocument",
    "portal.guidance": "guidance.guidance",
}


def new_label(label):
    """Today's label of a model label of the old layout (unchanged if it did not move): its
    history's too (``portal.historicalpassage``, ``portal.historicalguidance_mechanisms``)."""
    app, _, name = label.partition(".")
    base = name.removeprefix("historical").split("_")[0]
    moved = MOVED.get(f"{app}.{base}")
    return f"{moved.partition('.')[0]}.{name}" if moved else label


def upgrade(records):
    """``records`` (an export's list) with old labels renamed and each cited document's
    instrument moved to that instrument's ``documents``."""
    documents_of = {}  # instrument natural key -> [document natural key]
    for record in records:
        if record["model"] == "portal.citeddocument":
            instrument = record["fields"].pop("instrument", None)
            if instrument:
                documents_of.setdefault(tuple(instrument), []).append([record["fields"]["slug"]])
        elif record["model"] == "portal.historicalciteddocument":
            record["fields"].pop("instrument", None)  # history keeps the fields it still has
        record["model"] = new_label(record["model"])
    for record in records:
        key = (record["fields"].get("slug"),)
        if record["model"] == "instruments.instrument" and key in documents_of:
            linked = record["fields"].setdefault("documents", [])
            linked += [doc for doc in documents_of[key] if doc not in linked]
    return records
