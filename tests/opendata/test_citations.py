""" "Cite this": every record page and the source paper give OSCOLA and APA (formatted by
citeproc-py from the vendored CSL styles), the permanent URL, last-updated and access dates, and
BibTeX, RIS and CSL-JSON files that parse. The paper is cited as the UN document it is, with no
invented symbol."""

import datetime
import json
import re
from html import unescape
from pathlib import Path

import bibtexparser
import rispy
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from editorial import citations
from editorial.records import PublicationStatus
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization
from paper.models import CitedDocument, SourceDocument
from resources.models import Tool
from tests.factories import make_tool
from tests.helpers import FixtureTestCase

PAGES = {  # kind -> the public records of that kind
    "instrument": lambda: Instrument.objects.published(),
    "mechanism": lambda: Mechanism.objects.all(),
    "organization": lambda: Organization.objects.all(),
    "tool": lambda: Tool.objects.published(),
    "guidance": lambda: Guidance.objects.all(),
    "document": lambda: CitedDocument.objects.all(),
}


def cite_box(html):
    match = re.search(r'<details class="cite-this">(.*?)</details>', html, re.S)
    assert match, "no Cite this"
    return unescape(re.sub(r"\s+", " ", match.group(1)))


def styles(html):
    box = re.search(r'<dl class="cite-this__styles">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd><p class=\"citation\">(.*?)</p></dd>", box, re.S)
    return {name: unescape(text) for name, text in pairs}


def download_links(html):
    box = re.search(r'<p class="cite-this__downloads">(.*?)</p>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)" download>([\w-]+)</a>', box)
    return {name: href for href, name in links}


class CiteThis(FixtureTestCase):
    def test_every_record_page_and_the_paper_can_be_cited(self):
        today = timezone.localdate()
        pages = [(kind, records().first()) for kind, records in PAGES.items()]
        pages.append(("paper", SourceDocument.objects.get()))
        for kind, record in pages:
            with self.subTest(kind=kind):
                url = f"http://testserver{record.get_absolute_url()}"
                html = self.client.get(record.get_absolute_url()).text
                box = cite_box(html)
                self.assertIn(f'Permanent address: <a class="url" href="{url}">', box)
                self.assertIn(f'Accessed <time datetime="{today:%Y-%m-%d}">', box)
                formatted = styles(html)
                self.assertEqual(list(formatted), ["OSCOLA", "APA"])
                for text in formatted.values():
                    self.assertIn(url, text)
                self.assertIn(f"accessed {today.day} {today:%B %Y}", formatted["OSCOLA"])
                if kind != "paper":
                    updated = record.updated_on
                    self.assertIn(f'Last updated <time datetime="{updated:%Y-%m-%d}">', box)
                    self.assertIn(f"({updated.year}, {updated:%B} {updated.day})", formatted["APA"])
                    self.assertIn("TIP Cooperation Portal, ‘", formatted["OSCOLA"])
                links = download_links(html)
                self.assertEqual(list(links), ["BibTeX", "RIS", "CSL-JSON"])
                for href in links.values():
                    response = self.client.get(href)
                    self.assertEqual(response.status_code, 200, href)
                    self.assertIn("attachment; filename=", response["Content-Disposition"])
                    self.assertIn(url, response.content.decode())

    def test_the_paper_is_cited_as_the_un_document_it_is_without_an_invented_symbol(self):
        html = self.client.get(reverse("portal:source")).text
        formatted = styles(html)
        body = (
            "Conference of the Parties to the United Nations Convention against Transnational "
            "Organized Crime"
        )
        for name, text in formatted.items():
            with self.subTest(style=name):
                self.assertTrue(text.startswith(body), text)
                self.assertIn("2011", text)
                self.assertIn("Vienna, 10-12 October 2011", text)
                self.assertIn("Working Group on Trafficking in Persons", text)
                self.assertIn("Background paper prepared by the Secretariat", text)
        self.assertIn('Dated <time datetime="2011-08-02">2 August 2011</time>', cite_box(html))
        files = [
            self.client.get(
                reverse("portal:cite", args=["paper", "background-paper", ext])
            ).content.decode()
            for ext in ("bib", "ris", "json")
        ]
        # The only symbol the paper gives is its meeting's agenda's: never cited as its own.
        for text in [*formatted.values(), *files]:
            self.assertNotIn("CTOC/COP/WG.4/2011", text)
        item = json.loads(files[2])[0]
        self.assertNotIn("number", item)
        self.assertEqual(item["type"], "report")
        self.assertEqual(item["author"], [{"literal": body}])
        self.assertEqual(item["issued"], {"date-parts": [[2011, 8, 2]]})
        self.assertEqual(item["publisher-place"], "Vienna")
        entry = bibtexparser.parse_string(files[0]).entries[0]
        self.assertEqual(entry.entry_type, "techreport")
        self.assertEqual(entry["institution"], body)
        self.assertEqual(entry["address"], "Vienna")
        self.assertEqual(entry["year"], "2011")
        record = rispy.loads(files[1])[0]
        self.assertEqual(record["type_of_reference"], "RPRT")
        self.assertEqual(record["place_published"], "Vienna")
        self.assertEqual(record["authors"], [body])


class Files(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tool = make_tool(
            "model-law",
            title='Model Law {with} braces & 100% "quotes" #1_a~b^c\\d',
            updated_on=datetime.date(2026, 3, 1),
        )
        cls.draft = make_tool("draft-tool", status=PublicationStatus.DRAFT)

    def get(self, extension, kind="tool", slug="model-law"):
        return self.client.get(reverse("portal:cite", args=[kind, slug, extension]))

    def test_bibtex_parses_with_the_title_and_permanent_url(self):
        response = self.get("bib")
        self.assertEqual(response["Content-Type"], "application/x-bibtex; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="tip-tool-model-law.bib"'
        )
        library = bibtexparser.parse_string(response.content.decode())
        self.assertEqual(library.failed_blocks, [])
        entry = library.entries[0]
        self.assertEqual(entry.key, "tip-tool-model-law")
        self.assertEqual(entry.entry_type, "misc")
        self.assertEqual(entry["url"], "http://testserver/resources/model-law/")
        self.assertEqual(entry["urldate"], timezone.localdate().isoformat())
        self.assertEqual(entry["date"], "2026-03-01")
        self.assertEqual(entry["author"], "{TIP Cooperation Portal}")
        # LaTeX's special characters escaped, braces balanced.
        self.assertEqual(
            entry["title"],
            r"{Model Law \{with\} braces \& 100\% \"quotes\" \#1\_a\textasciitilde{}b"
            r"\textasciicircum{}c\textbackslash{}d}".replace(r"\"", '"'),
        )

    def test_ris_round_trips_through_a_parser(self):
        response = self.get("ris")
        self.assertEqual(
            response["Content-Type"], "application/x-research-info-systems; charset=utf-8"
        )
        text = response.content.decode()
        self.assertTrue(text.endswith("ER  - \r\n"))
        records = rispy.loads(text)
        self.assertEqual(len(records), 1)
        record = records[0]
        self.assertEqual(record["type_of_reference"], "ELEC")
        self.assertEqual(record["title"], self.tool.title)
        self.assertEqual(record["urls"], ["http://testserver/resources/model-law/"])
        self.assertEqual(record["date"], "2026/03/01/")
        self.assertEqual(record["access_date"], timezone.localdate().strftime("%Y/%m/%d/"))
        self.assertEqual(rispy.loads(rispy.dumps(records)), records)

    def test_csl_json_has_the_required_keys(self):
        response = self.get("json")
        self.assertEqual(
            response["Content-Type"], "application/vnd.citationstyles.csl+json; charset=utf-8"
        )
        items = json.loads(response.content)
        self.assertEqual(len(items), 1)
        item = items[0]
        for key in ("id", "type", "title", "URL", "issued", "accessed", "author"):
            self.assertIn(key, item)
        self.assertEqual(item["type"], "webpage")
        self.assertEqual(item["URL"], "http://testserver/resources/model-law/")
        self.assertEqual(item["issued"], {"date-parts": [[2026, 3, 1]]})
        today = timezone.localdate()
        self.assertEqual(item["accessed"], {"date-parts": [[today.year, today.month, today.day]]})
        for date in (item["issued"], item["accessed"]):
            [[year, month, day]] = date["date-parts"]
            datetime.date(year, month, day)  # a real date

    def test_drafts_and_unknown_kinds_cannot_be_cited(self):
        for extension, kind, slug in (
            ("bib", "tool", "draft-tool"),
            ("ris", "tool", "no-such-tool"),
            ("bib", "passage", "para-1"),
            ("json", "paper", "no-such-paper"),
        ):
            with self.subTest(kind=kind, slug=slug):
                self.assertEqual(self.get(extension, kind, slug).status_code, 404)
        self.assertEqual(self.client.get("/cite/tool/model-law.pdf").status_code, 404)

    def test_titles_are_escaped_on_the_page(self):
        self.tool.title = "<script>alert(1)</script> Model Law"
        self.tool.save()
        html = self.client.get(self.tool.get_absolute_url()).text
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; Model Law", cite_box_raw(html))

    def test_a_record_never_updated_has_no_date(self):
        tool = make_tool("undated")
        html = self.client.get(tool.get_absolute_url()).text
        self.assertIn("(n.d.)", styles(html)["APA"])
        self.assertNotIn("Last updated", cite_box(html))
        item = json.loads(self.get("json", slug="undated").content)[0]
        self.assertNotIn("issued", item)


def cite_box_raw(html):
    return re.search(r'<details class="cite-this">(.*?)</details>', html, re.S).group(1)


class Styles(TestCase):
    def test_the_vendored_styles_keep_their_licence_and_render_with_citeproc(self):
        folder = Path(settings.BASE_DIR) / "static" / "csl"
        readme = (folder / "README.md").read_text()
        for name in ("apa", "oscola"):
            with self.subTest(style=name):
                text = (folder / f"{name}.csl").read_text()
                self.assertIn(
                    '<rights license="http://creativecommons.org/licenses/by-sa/3.0/">', text
                )
                self.assertIn(f"{name}.csl", readme)
        reference = citations.Reference(
            key="x",
            type="webpage",
            title="Extradition",
            author="TIP Cooperation Portal",
            url="https://example.org/cooperation/extradition/",
            accessed=datetime.date(2026, 12, 6),
            issued=datetime.date(2026, 12, 5),
            site="TIP Cooperation Portal",
            genre="Form of cooperation",
        )
        self.assertEqual(
            citations.formatted(reference, "oscola"),
            "TIP Cooperation Portal, ‘Extradition’ (TIP Cooperation Portal, 5 December 2026) "
            "<https://example.org/cooperation/extradition/> accessed 6 December 2026",
        )
        self.assertEqual(
            citations.formatted(reference, "apa"),
            "TIP Cooperation Portal. (2026, December 5). Extradition [Form of cooperation]. "
            "https://example.org/cooperation/extradition/",
        )
