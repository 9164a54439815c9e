"""Where a participant stands with an instrument, read from the observations recorded here.

The rules, and why:

- Any act of consent (ratification, accession, acceptance, approval, succession, or a source
  saying "party" without the act) makes it a party, whatever the dates its sources speak for: a
  later list copied from an older table must not turn a party back into a signatory.
- Otherwise a signature makes it a signatory: signed, not bound.
- An instrument that binds the members of a group (``BindingRule``) binds a participant recorded
  as a member, unless the instrument excludes it.
- Otherwise there is no record here. That is never "not a party": the lists are incomplete.

The observation shown is the newest by its "as at" date (undated ones last); when the acts of
consent disagree on the date or the act, the standing says so and every observation stays
listed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from countries.models import BindingRule, Membership, ParticipationEvent


class State:
    PARTY = "party"
    MEMBER = "member"  # bound as a member of a group the instrument binds
    SIGNATORY = "signatory"
    EXCLUDED = "excluded"  # a member the instrument says it does not bind
    NONE = "none"


# What the pages (and the API's "label") call each standing.
LABELS = {
    # Translators: a State's standing with an instrument: it is a party to it.
    State.PARTY: _("Party"),
    # Translators: a State's standing: bound as a member of a group the instrument binds (EU).
    State.MEMBER: _("Bound as a member"),
    # Translators: a State's standing: it signed the instrument but is not bound by it.
    State.SIGNATORY: _("Signatory only"),
    # Translators: a State's standing: a member of the group, which the instrument excludes.
    State.EXCLUDED: _("Not bound (excluded)"),
    # Translators: a State's standing: the lists held here record nothing of it (never
    # "not a party").
    State.NONE: _("No record here"),
}


def newest_first(observation):
    """Sort key: the newest "as at" first, undated observations last."""
    return (observation.as_at is not None, observation.as_at)


@dataclass
class Standing:
    participant: object
    instrument: object
    state: str = State.NONE
    shown: object = None  # the observation the answer rests on (an event or a membership)
    events: list = field(default_factory=list)  # every observation of the pair, newest first
    disagree: bool = False
    rule: object = None  # the BindingRule, for a group-bound instrument

    @property
    def bound(self):
        return self.state in (State.PARTY, State.MEMBER)

    @property
    def label(self):
        """The standing in words, in the language of the request (a str: exports and the
        API's schema take it as it is)."""
        return str(LABELS[self.state])


def standing(participant, instrument, events, memberships=(), rule=None):
    """The ``Standing`` of ``participant`` with ``instrument`` from its ``events`` (that pair's
    ParticipationEvents), its ``memberships`` and the instrument's ``rule``, if any."""
    events = sorted(events, key=newest_first, reverse=True)
    result = Standing(participant, instrument, events=events, rule=rule)
    consents = [event for event in events if event.is_consent]
    if consents:
        result.state, result.shown = State.PARTY, consents[0]
        acts = {(event.kind, event.date) for event in consents if event.date}
        kinds = {event.kind for event in consents} - {"consent"}
        result.disagree = len({date for _, date in acts}) > 1 or len(kinds) > 1
        return result
    if rule is not None:
        member = [m for m in memberships if m.group_id == rule.group_id]
        if member:
            excluded = participant.pk in {p.pk for p in rule.excluded.all()}
            result.state = State.EXCLUDED if excluded else State.MEMBER
            result.shown = sorted(member, key=newest_first, reverse=True)[0]
            return result
    if events:
        result.state, result.shown = State.SIGNATORY, events[0]
    return result


def standings(participants, instruments):
    """{(participant pk, instrument pk): Standing} for every pair, in four queries whatever the
    number of participants, instruments and observations."""
    participants, instruments = list(participants), list(instruments)
    events = defaultdict(list)
    for event in ParticipationEvent.objects.filter(
        participant__in=participants, instrument__in=instruments
    ):
        events[event.participant_id, event.instrument_id].append(event)
    rules = {
        rule.instrument_id: rule
        for rule in BindingRule.objects.filter(instrument__in=instruments)
        .select_related("group")
        .prefetch_related("excluded")
    }
    memberships = defaultdict(list)
    if rules:
        groups = {rule.group_id for rule in rules.values()}
        for membership in Membership.objects.filter(participant__in=participants, group__in=groups):
            memberships[membership.participant_id].append(membership)
    return {
        (p.pk, i.pk): standing(p, i, events[p.pk, i.pk], memberships[p.pk], rules.get(i.pk))
        for p in participants
        for i in instruments
    }
