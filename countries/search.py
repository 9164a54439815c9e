"""What the search index holds of participants: a State (or the EU) by its UN name, its codes
and the other names it goes by, filtered and counted as the countries list is."""

from django.utils.translation import gettext_lazy as _

import search
from countries.filters import ParticipantFilterSet
from countries.models import Participant
from search.text import joined


def participant_document(participant):
    return search.Document(
        title=participant.name,
        url=participant.get_absolute_url(),
        keywords=joined(participant.code, participant.iso3, *participant.alias_list()),
        context=joined(participant.get_region_display(), participant.sub_region, sep=" · "),
    )


search.register(
    Participant,
    types=[search.SearchType("country", _("Countries"), _("country"), position=35)],
    queryset=lambda: Participant.objects.all(),
    document=participant_document,
    facets=ParticipantFilterSet,
    related={"countries.Membership": lambda membership: [membership.participant_id]},
)
