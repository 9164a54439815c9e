"""Citations: a reference to a page of the portal (or to a document) in a legal style (OSCOLA)
and in APA, formatted by citeproc-py from the CSL styles vendored in ``static/csl/`` (see its
README), and as BibTeX, RIS and CSL-JSON files to download.

A ``Reference`` holds what a citation says; it knows no content model (``record_reference``
reads any published record by its title or name, slug, address and "last updated" date), so
the pages that cite, and the apps above, build theirs. BibTeX and RIS are written here, field
by field: they are plain formats, and their parsers are only test dependencies.
"""

import datetime
import json
import threading
import warnings
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.dateformat import format as format_date

# The formatted styles, in the order "Cite this" shows them: (name, CSL file in static/csl/).
STYLES = {"OSCOLA": "oscola", "APA": "apa"}
LOCALE = "en-GB"
# The downloads: extension -> (what it is called, content type).
DOWNLOADS = {
    "bib": ("BibTeX", "application/x-bibtex; charset=utf-8"),
    "ris": ("RIS", "application/x-research-info-systems; charset=utf-8"),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


@dataclass(frozen=True)
class Reference:
    """What a citation says. ``type`` is CSL's: "webpage" (a page of the portal) or "report"
    (a document). ``author`` is a body, never parsed as a person's name. A page is ``issued``
    when it was last updated; a document, on its date."""

    key: str  # the BibTeX key and CSL id; also the download's file name
    type: str
    title: str
    author: str
    url: str  # the permanent address
    accessed: datetime.date
    issued: datetime.date | None = None
    site: str = ""  # the website a page belongs to
    genre: str = ""  # what it is: "Tool", "Background paper prepared by the Secretariat"
    place: str = ""  # where a document was issued

    @property
    def updated(self):
        """A page's last-updated date (a document is not updated)."""
        return self.issued if self.type == "webpage" else None


def date_parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(reference):
    """The reference as a CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/
    markup.html): id, type, title, author, URL, issued, accessed, and what else it has."""
    item = {
        "id": reference.key,
        "type": reference.type,
        "title": reference.title,
        "author": [{"literal": reference.author}],
        "URL": reference.url,
        "accessed": date_parts(reference.accessed),
    }
    if reference.issued:
        item["issued"] = date_parts(reference.issued)
    if reference.site:
        item["container-title"] = reference.site
    if reference.genre:
        item["genre"] = reference.genre
    if reference.place:
        item["publisher-place"] = reference.place
    return item


# ---- Formatted (citeproc-py) --------------------------------------------------------------


@cache
def style(name):
    path = finders.find(f"csl/{name}.csl")
    return CitationStylesStyle(path, validate=False, locale=LOCALE)


def for_style(reference, name):
    """What the style is given. APA names no website that is also the author ("TIP
    Cooperation Portal. (2026). Title."), as APA asks; OSCOLA names it: "(Website, date)"."""
    if name == "apa" and reference.site == reference.author:
        return replace(reference, site="")
    return reference


# citeproc-py's styles are parsed once and shared; rendering is not known to be thread-safe, and
# catch_warnings() changes the process's warning filters: one rendering at a time.
RENDERING = threading.Lock()


@lru_cache(maxsize=1024)  # the same page, the same day: formatted once (about 5 ms a style)
def formatted(reference, name):
    """The reference in the style ``name`` (a file of static/csl/), as plain text."""
    item = csl_item(for_style(reference, name))
    with RENDERING, warnings.catch_warnings():
        # citeproc-py warns of CSL variables it does not know and leaves them out.
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            style(name), CiteProcJSON([item]), formatter.plain
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])


def formatted_styles(reference):
    """``[(style name, citation)]``, as "Cite this" lists them."""
    return [(label, formatted(reference, name)) for label, name in STYLES.items()]


# ---- Files --------------------------------------------------------------------------------

BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def one_line(text):
    return " ".join(str(text).split())


def bibtex_text(text):
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in one_line(text))


def long_date(day):
    return format_date(day, "j F Y")


def notes(reference):
    said = [reference.genre] if reference.genre and reference.type == "webpage" else []
    if reference.updated:
        said.append(f"Last updated {long_date(reference.updated)}")
    said.append(f"Accessed {long_date(reference.accessed)}")
    return ". ".join(said) + "."


def bibtex(reference):
    """A BibTeX entry: ``@misc`` for a page, ``@techreport`` for a document. Braces keep the
    title's and the body's capitals as written."""
    report = reference.type == "report"
    fields = [
        ("author", "{" + bibtex_text(reference.author) + "}"),
        ("title", "{" + bibtex_text(reference.title) + "}"),
    ]
    if report:
        fields.append(("institution", bibtex_text(reference.author)))
        if reference.genre:
            fields.append(("type", bibtex_text(reference.genre)))
        if reference.place:
            fields.append(("address", bibtex_text(reference.place)))
    elif reference.site:
        fields.append(("howpublished", bibtex_text(reference.site)))
    if reference.issued:
        fields.append(("year", str(reference.issued.year)))
        fields.append(("date", reference.issued.isoformat()))
    fields += [
        ("url", reference.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", reference.accessed.isoformat()),
        ("note", bibtex_text(notes(reference))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    kind = "techreport" if report else "misc"
    return f"@{kind}{{{reference.key},\n{body}\n}}\n"


def ris(reference):
    """An RIS record (EndNote, Zotero, Mendeley): ``ELEC`` for a page, ``RPRT`` for a
    document; one tag a line, ending with ``ER``."""
    ris_date = "{:%Y/%m/%d}/".format
    lines = [("TY", "RPRT" if reference.type == "report" else "ELEC")]
    lines += [("AU", reference.author), ("TI", reference.title)]
    if reference.issued:
        lines += [("PY", str(reference.issued.year)), ("DA", ris_date(reference.issued))]
    if reference.site:
        lines.append(("T2", reference.site))
    if reference.genre:
        lines.append(("M3", reference.genre))
    if reference.place:
        lines.append(("CY", reference.place))
    lines += [
        ("UR", reference.url),
        ("Y2", ris_date(reference.accessed)),
        ("N1", notes(reference)),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def csl_json(reference):
    """A CSL-JSON file: a list holding the one item."""
    return json.dumps([csl_item(reference)], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"bib": bibtex, "ris": ris, "json": csl_json}


def download(reference, extension):
    """The reference as a file to save: ``key.bib``, ``key.ris`` or ``key.json``."""
    _, content_type = DOWNLOADS[extension]
    response = HttpResponse(WRITERS[extension](reference), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{reference.key}.{extension}"'
    return response


def record_reference(record, url, accessed, author, genre="", key_prefix=""):
    """A published record's page as a reference: its title (or name), its permanent ``url``,
    its "last updated" date, ``author`` also naming the website."""
    title = getattr(record, "title", "") or getattr(record, "name", "") or str(record)
    return Reference(
        key=f"{key_prefix}{record.slug}",
        type="webpage",
        title=title,
        author=author,
        url=url,
        accessed=accessed,
        issued=getattr(record, "updated_on", None),
        site=author,
        genre=genre,
    )
