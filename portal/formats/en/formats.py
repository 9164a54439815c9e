"""English dates as the portal has always written them ("6 December 2026"): British English's
formats, with the month written out in full."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # '25 October 2006'
DATETIME_FORMAT = "j F Y, P"  # '25 October 2006, 2:30 p.m.'
