"""What each record looks like in the API, which is also what its OpenAPI schema says.

Every record carries its slug (a participant: its code), ``url`` (its address in the API),
``html_url`` (its page on the portal), the passages of the paper it comes from (``sources``,
each with the address of its anchor on ``/source/``) and ``last_modified``; a related record is
given by its slug, name and both addresses. Addresses are absolute.

These are descriptions only: api/records.py builds each record's values, a page at a time, and
pydantic checks them against these (in its compiled core: no Python runs per field). They are
pydantic models rather than ninja's ``Schema``, whose validator wraps every record, and every
record nested in it, in a ``DjangoGetter`` and reads each field through Python: that took a
third of the time of a page of tools, profiled.
"""

import datetime

from pydantic import BaseModel, Field, create_model

from instruments.models import TOOLS_SHOWN

# ---- Relations ------------------------------------------------------------------------------


class Link(BaseModel):
    """Another record: its slug and name, its address in the API and its page."""

    slug: str
    name: str
    url: str | None = Field(description="Its address in this API (none for an audience).")
    html_url: str = Field(description="Its page on the portal.")


class ParticipantLink(BaseModel):
    """A participant (a State, or the European Union): its code, name and addresses."""

    code: str = Field(description="ISO 3166 alpha-3 in lower case, or 'eu'.")
    name: str
    url: str
    html_url: str


class Source(BaseModel):
    """A passage of the paper a record comes from (a paragraph, annex entry or footnote)."""

    slug: str = Field(description="para-N, annex-N or fn-N; also its anchor on /source/.")
    citation: str = Field(description="How to cite it: 'para. 7', 'fn. 12', 'annex entry 3'.")
    url: str
    html_url: str = Field(description="Its place in the paper on the portal: /source/#para-N.")


class EditorsText(BaseModel):
    """A text of the record that editors wrote or changed (every other text is the paper's)."""

    field: str
    source: str
    on: str = Field(description="The day it was written, YYYY-MM-DD.")


# ---- What every record shares ---------------------------------------------------------------


class Record(BaseModel):
    slug: str
    url: str = Field(description="Its address in this API.")
    html_url: str = Field(description="Its page on the portal.")
    last_modified: datetime.datetime | None = Field(
        description="When it last changed: its newest version in the portal's history, or the "
        "day an editor last updated it; null if neither is recorded."
    )


class Sourced(Record):
    """A record derived from the paper, with how its editors keep it current."""

    sources: list[Source] = Field(description="The passages of the paper it comes from.")
    checked_against_paper_on: datetime.date | None
    last_verified_on: datetime.date | None
    editors_texts: list[EditorsText] = Field(
        description="Its texts that editors wrote or changed, each with its source."
    )


class Addressed(BaseModel):
    """A record whose source gave a web address (kept as given) and where it is found today."""

    address: str = Field(description="The web address the source gave (may have moved).")
    current_address: str = Field(description="Where it is found today, if it moved.")
    address_note: str


# A record's tools: the first few, how many there are, and where the rest are.
FIRST_TOOLS = f"the first {TOOLS_SHOWN} by title (all of them: tools_url)"


def tools_url_field(filter_):
    return Field(description=f"Its tools in the API's tools list (?{filter_}=its slug).")


# ---- Instruments and what they provide for ------------------------------------------------

FORCE = {1: "legal-basis", 2: "binding-other-offences", 3: "guidance"}
FORCE_HELP = (
    "How it can serve cooperation against trafficking: 'legal-basis' (binding, and its offences "
    "include trafficking in persons), 'binding-other-offences', or 'guidance' (not binding)."
)


class Provision(BaseModel):
    """Where an instrument provides for a form of cooperation."""

    mechanism: Link
    article: str = Field(description="E.g. 'art. 16'; empty if the source gives none.")
    note: str = Field(description="Markdown: what the article says about it.")
    external_source: str = Field(description="Where the article comes from, if not the paper.")
    html_url: str
    sources: list[Source]


class Instrument(Addressed, Sourced):
    title: str
    short_title: str
    kind: str
    legally_binding: bool
    force: str = Field(description=FORCE_HELP)
    scope: str
    region: str
    offences: str = Field(description="'trafficking', 'general', 'other', 'none' or '' (unknown).")
    offences_note: str
    adopted_by: Link | None
    adopted_on: datetime.date | None
    adopted_at: str
    entry_into_force: datetime.date | None
    official_reference: str
    official_text: str
    parties_count: int | None = Field(description="As its source states it (parties_as_of).")
    parties_as_of: str
    summary: str = Field(description="Markdown.")
    supplements: Link | None
    supplemented_by: list[Link]
    replaces: Link | None
    replaced_by: list[Link]
    external_source: str
    provisions: list[Provision]
    documents: list[Link] = Field(description="Documents the paper cites that hold it.")
    tools: list[Link] = Field(description=f"The published tools that help apply it: {FIRST_TOOLS}.")
    tool_count: int = Field(description="How many published tools help apply it.")
    tools_url: str = tools_url_field("instrument")


class Standing(BaseModel):
    """Where a participant stands with an instrument, from the observations recorded here
    (countries/status.py): a party, bound as a member of a group, a signatory, or excluded.
    A pair with no observation is not listed: that is "no record here", never "not a party"."""

    state: str = Field(description="'party', 'member', 'signatory' or 'excluded'.")
    label: str
    act: str = Field(
        description="The act the standing rests on ('ratification', 'signature', ...), or "
        "'membership' for a participant bound as a member of a group."
    )
    date: datetime.date | None = Field(description="The date of the act (or of joining).")
    date_precision: str = Field(description="'day', 'month', 'year' or '' (no date).")
    source_url: str
    as_at: datetime.date | None = Field(description="The date its source speaks for.")
    group: str | None = Field(description="For 'member' and 'excluded': the group's slug.")
    disagree: bool = Field(description="Whether the sources disagree on the act or its date.")


class Party(Standing):
    """A participant recorded as bound by an instrument, or as having signed it."""

    participant: ParticipantLink


class InstrumentStanding(Standing):
    """Where a participant stands with one instrument."""

    instrument: Link


class InstrumentDetail(Instrument):
    parties: list[Party] = Field(
        description="The participants recorded here as parties, signatories or bound as "
        "members, by name (none for an instrument no source lists)."
    )


class Mechanism(Sourced):
    name: str
    category: Link
    summary: str = Field(description="Markdown.")
    formality: str = Field(description="'formal', 'informal', 'both' or '' (not drawn).")
    provisions: list["MechanismProvision"] = Field(
        description="The published instruments that provide for it, legal bases first."
    )
    tools: list[Link] = Field(
        description=f"The published tools that help with it, or have a part that does: "
        f"{FIRST_TOOLS}."
    )
    tool_count: int = Field(
        description="How many published tools help with it, themselves or by a part."
    )
    tools_url: str = tools_url_field("mechanism")
    guidance: list[Link]


class MechanismProvision(BaseModel):
    instrument: Link
    force: str = Field(description=FORCE_HELP)
    article: str
    html_url: str


class Category(Record):
    name: str
    description: str = Field(description="Markdown.")
    position: int
    mechanisms: list[Link]


class Organization(Sourced):
    name: str
    short_name: str
    kind: str
    website: str
    description: str = Field(description="Markdown.")
    instruments: list[Link] = Field(description="The instruments it adopted.")
    tools: list[Link] = Field(description=f"The published tools it publishes: {FIRST_TOOLS}.")
    tool_count: int = Field(description="How many published tools it publishes.")
    tools_url: str = tools_url_field("publisher")


# ---- Tools ----------------------------------------------------------------------------------


class Part(BaseModel):
    """A part of a tool the paper singles out: a module, chapter, tool or part."""

    slug: str
    kind: str
    label: str
    title: str
    description: str = Field(description="Markdown.")
    address: str
    html_url: str
    mechanisms: list[Link]
    sources: list[Source]


class Tool(Addressed, Sourced):
    title: str
    short_title: str
    kind: str
    publisher: Link
    year: int | None
    description: str = Field(description="Markdown.")
    audiences: list[Link] = Field(description="Who it is written for.")
    mechanisms: list[Link] = Field(description="The forms of cooperation it helps with.")
    instruments: list[Link] = Field(description="The instruments it helps implement or use.")
    parts: list[Part]
    external_source: str


# ---- Guidance and the paper -----------------------------------------------------------------


class Guidance(Sourced):
    kind: str
    title: str
    text: str = Field(description="Markdown.")
    mechanisms: list[Link]


class Document(Addressed, Sourced):
    """A document the paper cites."""

    title: str
    symbol: str
    kind: str
    issuer: str
    year: int | None
    note: str = Field(description="Markdown.")
    instruments: list[Link] = Field(description="The instruments it is or contains.")


class Section(BaseModel):
    slug: str
    number: str
    title: str


class Passage(Record):
    """A citable passage of the paper, as the paper gives it."""

    kind: str = Field(description="'paragraph', 'annex' or 'footnote'.")
    number: int
    citation: str
    heading: str
    text: str
    editorial_note: str = Field(description="The portal's note on the text, if any.")
    section: Section | None
    cited_in: Source | None = Field(description="For a footnote: the passage that calls it.")
    footnotes: list[Source]


# ---- Countries ------------------------------------------------------------------------------


class Group(BaseModel):
    slug: str
    name: str
    short_name: str


class Membership(BaseModel):
    group: Group
    joined: datetime.date | None
    joined_precision: str
    source_url: str
    as_at: datetime.date | None


class Event(Record):
    """One source's observation of one act (a signature, a ratification...) of one participant
    in one instrument. Sources may disagree: every observation is listed."""

    slug: str | None = Field(None, description="Observations have no slug.")
    url: str | None = Field(None, description="Observations have no address of their own.")
    participant: ParticipantLink
    instrument: Link
    kind: str
    date: datetime.date | None
    date_precision: str
    entry_into_force: datetime.date | None = Field(
        description="For it, where the source states it."
    )
    source_url: str
    derived_from: str = Field(description="The page the source copied, if it is a copy.")
    other_sources: list[str]
    as_at: datetime.date | None = Field(description="The date the source speaks for.")
    as_at_precision: str
    note: str
    origin: str = Field(description="'import' or 'editor'.")


class Declaration(BaseModel):
    instrument: Link
    kind: str
    article: str
    text: str
    source_url: str
    as_at: datetime.date | None


class Participant(BaseModel):
    code: str = Field(description="ISO 3166 alpha-3 in lower case, or 'eu'.")
    url: str
    html_url: str
    last_modified: datetime.datetime | None
    name: str
    iso3: str | None
    kind: str = Field(description="'state' or 'organization'.")
    region: str
    sub_region: str
    aliases: list[str] = Field(description="Other names it goes or went by.")
    organization: Link | None
    memberships: list[Membership]
    standings: list[InstrumentStanding] = Field(
        description="Its standing with each published instrument that sources here record it "
        "in; an instrument not listed has no record here (never read: not a party)."
    )


class ParticipantDetail(Participant):
    events: list[Event] = Field(description="Every observation of it, by instrument.")
    declarations: list[Declaration]


# ---- Pages and errors ---------------------------------------------------------------------


def page_of(schema):
    """The schema of a page of ``schema``'s records."""
    return create_model(
        f"{schema.__name__}Page",
        __base__=BaseModel,
        count=(int, Field(description="How many records match, on every page.")),
        next=(str | None, Field(description="The next page's address, or null.")),
        previous=(str | None, Field(description="The previous page's address, or null.")),
        notices=(
            list[str],
            Field(
                description="What to know about this answer: words of q that were not used, or "
                "that only the first results can be paged through."
            ),
        ),
        results=(list[schema], ...),
    )


class Error(BaseModel):
    detail: str = Field(description="What went wrong, in words; it names the bad parameters.")
    parameters: list[str] = Field(
        default_factory=list, description="The query parameters that were refused, if any."
    )


class Index(BaseModel):
    title: str
    docs: str = Field(description="The interactive documentation.")
    openapi: str = Field(description="The OpenAPI 3 schema.")
    lists: dict[str, str] = Field(description="The address of each list, by name.")


Mechanism.model_rebuild()
