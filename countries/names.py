"""Participants' names in the reader's language: in English, the name the United Nations
writes (the record's own); in the portal's other languages, the Unicode CLDR's name for the
territory (through Babel), never a name typed here. A participant CLDR does not name keeps its
English name."""

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation

# CLDR's territory code for a participant that is not a country (ISO 3166 has no alpha-3).
NOT_COUNTRIES = {"eu": "EU"}


@cache
def territory_names(language):
    """CLDR's ``{territory code: name}`` in ``language`` (a Django language code)."""
    try:
        return Locale.parse(translation.to_locale(language)).territories
    except (UnknownLocaleError, ValueError):
        return {}


@cache
def territory_code(code, iso3):
    if code in NOT_COUNTRIES:
        return NOT_COUNTRIES[code]
    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    return country.alpha_2 if country else None


def local_name(participant, language=None):
    """``participant``'s name in ``language`` (the active one if not given)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == "en":
        return participant.name
    territory = territory_code(participant.code, participant.iso3)
    return territory_names(language).get(territory, participant.name)


def local_names(participants):
    """Their names in the reader's language, joined: "Denmark" / "Danemark"."""
    return ", ".join(local_name(participant) for participant in participants)
