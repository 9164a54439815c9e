"""Drafts stay invisible to a visitor who follows every link: the review crawled 700 pages and
found none; this crawl keeps it so (every internal link from the home page, the lists' pages and
facets, searches for the drafts' own words, and the sitemap)."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

from django.test import TestCase
from django.urls import reverse

from instruments.models import Instrument
from resources.models import Tool
from tests.factories import build_many, make_paper
from tests.helpers import indexed

LINK_RE = re.compile(r'href="([^"]+)"')
MAX_PAGES = 700  # as many as the review crawled


class DraftsThroughACrawl(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            build_many(6, make_paper(paragraphs=4, annex_entries=2))

    def crawl(self, starts):
        seen, queue, pages = set(starts), deque(starts), {}
        while queue and len(pages) < MAX_PAGES:
            url = queue.popleft()
            response = self.client.get(url)
            self.assertLess(response.status_code, 500, url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            pages[url] = html
            for link in LINK_RE.findall(html):
                link = urldefrag(unescape(link))[0]
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not link.startswith("/"):
                    continue  # another site
                # The language switcher (robots.txt disallows it) remembers a language.
                if link.startswith(("/admin/", "/static/", "/report/", "/language/")):
                    continue
                if link in seen:
                    continue
                seen.add(link)
                queue.append(link)
        return pages

    def test_no_draft_is_linked_named_or_found(self):
        drafts = list(Instrument.objects.filter(status="draft")) + list(
            Tool.objects.filter(status="draft")
        )
        self.assertEqual(len(drafts), 12)
        searches = [f"{reverse('portal:search')}?q={draft.slug}" for draft in drafts[:3]]
        pages = self.crawl(["/", reverse("site:sitemap"), *searches])
        self.assertGreater(len(pages), 60, "the crawl reached the site")
        leaks = [
            (draft.slug, url)
            for draft in drafts
            for url, html in pages.items()
            if draft.get_absolute_url() in html
            # A search for a draft's slug shows the words searched, and only them.
            or (draft.slug not in url and re.search(rf"\b{re.escape(draft.slug)}\b", html))
        ]
        self.assertEqual(leaks, [])
        sitemap = self.client.get(reverse("site:sitemap")).content.decode()
        for draft in drafts:
            self.assertNotIn(draft.get_absolute_url(), sitemap)
            self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
