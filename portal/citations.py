"""What "Cite this" cites: each kind of public record page, and the source paper as the UN
document it is (issuing body, title, date, place), as ``editorial.citations`` references.

The paper is cited without a document symbol: the paper as loaded gives only the symbol of its
meeting's provisional agenda (``agenda_symbol``), which is not its own.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editorial import citations

SITE_NAME = _("TIP Cooperation Portal")
# What each kind of record page is (the kinds of portal.urls.REPORTABLE), as a citation says.
GENRES = {
    "instrument": _("Instrument"),
    "mechanism": _("Form of cooperation"),
    "organization": _("Organization"),
    "tool": _("Tool"),
    "guidance": _("Guidance from the background paper"),
    "document": _("Document cited by the background paper"),
}
PAPER = "paper"  # the kind of the source paper in /cite/<kind>/<slug>.<format>


@dataclass(frozen=True)
class Citation:
    """A reference with what "Cite this" shows of it: each style's text and the downloads."""

    reference: citations.Reference
    styles: list
    downloads: list  # [(name, address)]


def record_reference(request, kind, record):
    return citations.record_reference(
        record,
        url=request.build_absolute_uri(record.get_absolute_url()),
        accessed=timezone.localdate(),
        author=str(SITE_NAME),
        genre=str(GENRES[kind]),
        key_prefix=f"tip-{kind}-",
    )


def paper_reference(request, document):
    """The paper: its issuing body, title, what it is and for which meeting, its date and the
    place of the meeting ("Vienna, 10-12 October 2011": the place is before the comma)."""
    genre = ", ".join(
        part for part in (document.subtitle, document.working_group, document.meeting) if part
    )
    return citations.Reference(
        key=f"tip-{PAPER}-{document.slug}",
        type="report",
        title=document.title,
        author=document.issuing_body,
        url=request.build_absolute_uri(document.get_absolute_url()),
        accessed=timezone.localdate(),
        issued=document.distributed_on,
        genre=genre,
        place=document.meeting.partition(",")[0].strip(),
    )


def reference_for(request, kind, record):
    if kind == PAPER:
        return paper_reference(request, record)
    return record_reference(request, kind, record)


def citation(request, kind, record):
    reference = reference_for(request, kind, record)
    downloads = [
        (name, reverse("portal:cite", args=[kind, record.slug, extension]))
        for extension, (name, _) in citations.DOWNLOADS.items()
    ]
    return Citation(reference, citations.formatted_styles(reference), downloads)
