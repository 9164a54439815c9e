"""Atom feeds: the portal's recent changes and each filtered list's, parsed as Atom; a record
is listed right after it changes; drafts never; advertised on the lists; a constant number of
queries whatever the number of records."""

import datetime
import xml.etree.ElementTree as ET
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.records import PublicationStatus
from tests.factories import make_guidance, make_instrument, make_mechanism, make_tool
from tests.helpers import indexed

ATOM = "{http://www.w3.org/2005/Atom}"
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


def parse(response):
    """The feed as Atom: its title, and each entry's title, link, id and updated date."""
    assert response["Content-Type"].startswith("application/atom+xml"), response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed", root.tag
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        entries.append(
            {
                "title": entry.find(f"{ATOM}title").text,
                "link": entry.find(f"{ATOM}link").get("href").removeprefix("http://testserver"),
                "id": entry.find(f"{ATOM}id").text,
                "updated": datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text),
            }
        )
    return root.find(f"{ATOM}title").text, entries


def later(seconds):
    """A moment after everything made so far (versions are dated by timezone.now())."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + datetime.timedelta(seconds=seconds),
    )


class Feeds(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.extradition = make_mechanism("extradition", name="Extradition")
            cls.manual = make_tool("manual", title="A manual", mechanisms=[cls.extradition])
            cls.toolkit = make_tool("toolkit", title="A toolkit", kind="toolkit")
            cls.draft = make_tool("draft-tool", title="Secret draft tool", status=DRAFT)
            cls.untoc = make_instrument("untoc", title="UNTOC", provides=[cls.extradition])
            cls.guidance = make_guidance("cooperate", title="Cooperate")

    def test_a_list_feed_is_the_filtered_list_most_recently_changed_first(self):
        url = reverse("resources:tool_feed")
        title, entries = parse(self.client.get(url))
        self.assertEqual(title, "Tools and resources · TIP Cooperation Portal")
        self.assertEqual(
            {e["link"] for e in entries}, {"/resources/manual/", "/resources/toolkit/"}
        )
        with later(10):
            self.manual.description = "A new edition."
            self.manual.save()
        _, entries = parse(self.client.get(url))
        self.assertEqual(entries[0]["link"], "/resources/manual/")  # right after it changed
        _, entries = parse(self.client.get(url, {"kind": "toolkit"}))
        self.assertEqual([e["link"] for e in entries], ["/resources/toolkit/"])
        _, entries = parse(self.client.get(url, {"mechanism": "extradition", "q": "manual"}))
        self.assertEqual([e["link"] for e in entries], ["/resources/manual/"])
        _, entries = parse(
            self.client.get(reverse("instruments:instrument_feed"), {"binding": "yes"})
        )
        self.assertEqual([e["link"] for e in entries], ["/instruments/untoc/"])

    def test_a_list_feed_links_to_its_page_and_itself_with_the_filters(self):
        response = self.client.get(reverse("resources:tool_feed"), {"kind": "toolkit", "page": "2"})
        root = ET.fromstring(response.content)
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        self.assertEqual(links["alternate"], "http://testserver/resources/?kind=toolkit")
        self.assertEqual(links["self"], "http://testserver/resources/feed/?kind=toolkit")
        self.assertIn("Kind of tool: Toolkit", root.find(f"{ATOM}subtitle").text)

    def test_bad_filters_are_ignored_as_on_the_page(self):
        response = self.client.get(reverse("resources:tool_feed"), {"kind": "nope", "q": "x" * 900})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(parse(response)[1]), 2)
        # Characters XML cannot hold, in a filter or a record, are left out of the feed.
        self.toolkit.title = "A toolkit\x0b"
        self.toolkit.save()
        for url in (reverse("resources:tool_feed"), reverse("portal:feed")):
            with self.subTest(url=url):
                response = self.client.get(url, {"q": "\x01toolkit\x0b", "kind": "toolkit\x1f"})
                self.assertEqual(response.status_code, 200)
                self.assertIn(
                    "A toolkit", [e["title"].removeprefix("Tool: ") for e in parse(response)[1]]
                )

    def test_the_recent_changes_feed_lists_a_record_right_after_it_changes(self):
        title, entries = parse(self.client.get(reverse("portal:feed")))
        self.assertEqual(title, "Recently changed · TIP Cooperation Portal")
        links = [e["link"] for e in entries]
        for url in ("/resources/manual/", "/instruments/untoc/", "/guidance/cooperate/"):
            self.assertIn(url, links)
        with later(10):
            self.toolkit.title = "A toolkit, second edition"
            self.toolkit.save()
        _, entries = parse(self.client.get(reverse("portal:feed")))
        self.assertEqual(entries[0]["title"], "Tool: A toolkit, second edition")
        self.assertEqual(entries[0]["link"], "/resources/toolkit/")
        self.assertEqual(len({e["id"] for e in entries}), len(entries))
        self.assertEqual(
            [e["updated"] for e in entries], sorted((e["updated"] for e in entries), reverse=True)
        )

    def test_drafts_never_appear(self):
        urls = [
            reverse("portal:feed"),
            reverse("resources:tool_feed"),
            reverse("instruments:instrument_feed"),
        ]
        make_instrument("draft-instrument", title="Secret instrument", status=DRAFT)
        with later(10):
            self.draft.title = "Secret draft tool, changed"
            self.draft.save()
        # Unpublished: it leaves the feeds with its versions.
        with later(20):
            self.manual.status = DRAFT
            self.manual.save()
        for url in urls:
            with self.subTest(url=url):
                body = self.client.get(url).text
                for secret in ("Secret", "draft-tool", "/resources/manual/", "draft-instrument"):
                    self.assertNotIn(secret, body)
        # Published again: listed, as of its publication.
        with later(30):
            self.manual.status = PUBLISHED
            self.manual.save()
        _, entries = parse(self.client.get(reverse("portal:feed")))
        self.assertEqual(entries[0]["link"], "/resources/manual/")

    def test_a_version_made_as_a_draft_is_not_listed(self):
        with later(10):
            self.manual.status = DRAFT
            self.manual.save()
        with later(20):  # published by a change the history does not see
            type(self.manual).objects.filter(pk=self.manual.pk).update(status=PUBLISHED)
        _, entries = parse(self.client.get(reverse("portal:feed")))
        self.assertNotIn("/resources/manual/", [e["link"] for e in entries])

    ADVERTISED = (
        ("/resources/?kind=toolkit", "/resources/feed/?kind=toolkit"),
        ("/instruments/", "/instruments/feed/"),
    )

    def test_the_lists_link_to_their_feeds(self):
        for url, feed in self.ADVERTISED:
            with self.subTest(url=url):
                html = self.client.get(url).text
                self.assertIn(f'href="{feed}" type="application/atom+xml">Atom feed</a>', html)

    def test_the_lists_name_their_feeds_in_the_head(self):
        base = (settings.BASE_DIR / "templates" / "base.html").read_text()
        if "{% block head %}" not in base:
            self.skipTest("templates/base.html has no {% block head %} in its <head> yet")
        for url, feed in [*self.ADVERTISED, ("/search/?q=manual", "/feed/")]:
            with self.subTest(url=url):
                head = self.client.get(url).text.partition("</head>")[0]
                self.assertIn('type="application/atom+xml" title="', head)
                self.assertIn(f'href="{feed}">', head)

    def test_queries_do_not_grow_with_the_number_of_records(self):
        def queries(url, params=None):
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url, params or {}).status_code, 200)
            return len(captured)

        cases = [
            (reverse("portal:feed"), {}),
            (reverse("resources:tool_feed"), {}),
            (reverse("resources:tool_feed"), {"mechanism": "extradition", "q": "tool"}),
            (reverse("instruments:instrument_feed"), {"mechanism": "extradition"}),
        ]
        before = [queries(url, params) for url, params in cases]
        with indexed():
            for n in range(30):
                make_tool(f"tool-{n}", title=f"Tool {n}", mechanisms=[self.extradition])
                make_instrument(f"instrument-{n}", provides=[self.extradition])
                make_guidance(f"guidance-{n}")
        after = [queries(url, params) for url, params in cases]
        self.assertEqual(before, after)
        # The validators, then one query per kind of record (6).
        self.assertEqual(before[0], 7)
