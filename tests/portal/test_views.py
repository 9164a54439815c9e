"""The site shell and portal pages: home, the source paper, cited documents, sitemap, robots.txt,
/healthz and the error pages. (The guidance pages: tests/guidance/test_views.py.)"""

import re
from unittest import mock

from django.apps import apps
from django.core.cache import caches
from django.db import OperationalError
from django.template import Context, Template, loader
from django.test import RequestFactory, TestCase
from django.views.defaults import server_error

from editorial.history import has_history
from paper.models import CitedDocument, Passage
from tests.factories import (
    build_many,
    make_category,
    make_guidance,
    make_instrument,
    make_mechanism,
    make_organization,
    make_paper,
    make_part,
    make_provision,
    make_tool,
)
from tests.helpers import assert_max_num_queries, indexed


def passage_html(content, slug):
    """The HTML of one passage block on the source page (up to the next passage)."""
    start = content.index(f'id="{slug}"')
    following = content.find('<div class="passage passage--', start)
    return content[start : following if following != -1 else len(content)]


class HomePage(TestCase):
    def test_home_lists_categories_mechanisms_with_published_counts_and_featured_tools(self):
        # The tools that help with each form of cooperation are counted beside the index.
        with indexed():
            org = make_organization("unodc")
            judicial = make_category("judicial", name="Judicial cooperation", position=0)
            police = make_category("police", name="Police cooperation", position=1)
            extradition = make_mechanism("extradition", category=judicial, name="Extradition")
            hot_pursuit = make_mechanism("hot-pursuit", category=police, name="Hot pursuit")
            for slug in ("untoc", "saarc"):
                make_instrument(slug, provides=[extradition])
            make_instrument("draft-one", status="draft", provides=[extradition])
            make_instrument("pcc-see", provides=[hot_pursuit])
            make_tool(
                "model-law",
                publisher=org,
                title="Tool model-law title",
                featured=True,
                mechanisms=[extradition],
            )
            make_tool(
                "plain-manual",
                publisher=org,
                title="Tool plain-manual title",
                mechanisms=[extradition],
            )
            make_tool(
                "draft-featured",
                publisher=org,
                title="Tool draft-featured title",
                status="draft",
                featured=True,
                mechanisms=[extradition],
            )

        response = self.client.get("/")

        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("Judicial cooperation", content)
        self.assertIn("Police cooperation", content)
        self.assertLess(content.index("Judicial cooperation"), content.index("Police cooperation"))
        self.assertIn('href="/cooperation/extradition/"', content)
        extradition_row = content[content.index('href="/cooperation/extradition/"') :]
        extradition_row = extradition_row[: extradition_row.index("</li>")]
        self.assertIn("2 binding instruments, 2 tools", extradition_row)
        hot_row = content[content.index('href="/cooperation/hot-pursuit/"') :]
        self.assertIn("1 binding instrument, 0 tools", hot_row[: hot_row.index("</li>")])
        featured_section = content[content.index('id="featured-heading"') :]
        self.assertIn("Tool model-law title", featured_section)
        self.assertNotIn("Tool plain-manual title", content)
        self.assertNotIn("Tool draft-featured title", content)
        self.assertIn('href="/source/"', content)
        self.assertIn("<title>", content)
        self.assertIn('<meta name="description"', content)

    def test_home_without_data_says_so(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("have not been loaded yet", response.content.decode())
        self.assertNotIn('id="featured-heading"', response.content.decode())

    def test_home_query_count_is_fixed(self):
        build_many(30, make_paper(paragraphs=10, annex_entries=3))
        with assert_max_num_queries(self, 4):  # with the pathfinder's participants
            response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('class="card category"'), 5)

    def test_home_refuses_post(self):
        self.assertEqual(self.client.post("/").status_code, 405)


class SourcePage(TestCase):
    def test_source_page_front_matter_headings_and_every_anchor(self):
        paper = make_paper(paragraphs=5, annex_entries=2)
        response = self.client.get("/source/")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        for text in (
            "Conference of the Parties to the United Nations Convention",
            "Vienna, 10-12 October 2011",
            "<dd>Item 5 of the provisional agenda</dd>",
            "<dd>CTOC/COP/WG.4/2011/1</dd>",
            'datetime="2011-08-02"',
            "2 August 2011",
            "General",
            "Background paper prepared by the Secretariat",
        ):
            self.assertIn(text, content)
        self.assertIn(
            "<h1>International cooperation in combating trafficking in persons</h1>", content
        )
        self.assertIn('<h2 id="iii-overview">III. Overview</h2>', content)
        self.assertIn('<h3 id="iii-a-supply">III.A. Supply and demand</h3>', content)
        self.assertIn('<h2 id="annex">Annex: Key tools</h2>', content)
        self.assertIn('href="#iii-a-supply"', content)  # contents
        for passage in Passage.objects.all():
            self.assertEqual(content.count(f'id="{passage.slug}"'), 1, passage.slug)
        # paragraphs in document order, with their paragraph breaks
        self.assertLess(content.index('id="para-1"'), content.index('id="para-2"'))
        self.assertLess(content.index('id="para-2"'), content.index('id="para-5"'))
        self.assertIn(
            "<p>Paragraph text number 3.</p>\n\n<p>Second block of paragraph 3.</p>", content
        )
        self.assertIn("Annex tool 2", content)
        self.assertEqual(paper["footnote"].slug, "fn-1")

    def test_source_page_links_footnotes_both_ways(self):
        make_paper()
        content = self.client.get("/source/").content.decode()
        para = passage_html(content, "para-1")
        self.assertIn('href="#fn-1"', para)
        footnote = passage_html(content, "fn-1")
        self.assertIn('href="#para-1"', footnote)
        self.assertIn("Back to Paragraph 1", footnote)
        self.assertNotIn('href="#fn-1"', passage_html(content, "para-2"))

    def test_source_page_shows_derived_records_beside_their_passage(self):
        paper = make_paper()
        para2 = paper["paras"][1]
        org = make_organization("unodc")
        mechanism = make_mechanism("extradition", name="Extradition", sources=[para2])
        instrument = make_instrument("untoc", short_title="Instrument untoc", sources=[para2])
        hidden_instrument = make_instrument(
            "secret-draft",
            title="Instrument secret-draft full title",
            status="draft",
            sources=[para2],
        )
        make_provision(instrument, mechanism, article="art. 16", sources=[para2])
        make_provision(hidden_instrument, mechanism, sources=[para2])
        tool = make_tool("mla-tool", publisher=org, sources=[para2])
        make_tool(
            "draft-tool",
            publisher=org,
            title="Tool draft-tool title",
            status="draft",
            sources=[para2],
        )
        make_part(tool, slug="module-6", kind="module", label="Module 6", sources=[para2])
        make_guidance("consider", kind="measure", title="Consider", text="x", sources=[para2])
        cited = CitedDocument.objects.create(
            slug="a-res-64-293", title="Plan", kind="ga-resolution"
        )
        cited.sources.add(para2)
        org.sources.add(para2)

        content = self.client.get("/source/").content.decode()

        block = passage_html(content, "para-2")
        for href in (
            "/instruments/untoc/",
            "/instruments/untoc/#provision-extradition",
            "/cooperation/extradition/",
            "/resources/mla-tool/",
            "/resources/mla-tool/#part-module-6",
            "/guidance/consider/",
            "/source/documents/a-res-64-293/",
            "/organizations/unodc/",
        ):
            self.assertIn(f'href="{href}"', block, href)
        self.assertIn("Instrument untoc, art. 16: Extradition", block)
        self.assertNotIn("secret-draft", content)
        self.assertNotIn("draft-tool", content)
        self.assertNotIn('class="derived"', passage_html(content, "para-1"))

    def test_source_page_queries_do_not_grow_with_records(self):
        paper = make_paper(paragraphs=20, annex_entries=5)
        # document, passages (their footnotes read from the same rows), one query per kind of
        # derived record (8), sections, and the validators, whose state of the content also
        # keys the rendered text (editorial/conditional.py)
        with assert_max_num_queries(self, 12) as none:
            self.client.get("/source/")
        build_many(30, paper)
        with assert_max_num_queries(self, 12) as many:
            response = self.client.get("/source/")
        self.assertEqual(len(many.captured_queries), len(none.captured_queries))
        # 20 paragraphs, 5 annex entries and the footnote all have derived records
        self.assertEqual(response.content.decode().count('class="derived"'), 26)

    def test_source_page_lists_a_record_beside_each_passage_it_cites_provisions_by_article(self):
        paper = make_paper()
        para1, para2 = paper["paras"][:2]
        extradition = make_mechanism("extradition", name="Extradition", sources=[para1, para2])
        mla = make_mechanism("mla", name="Mutual legal assistance")
        instrument = make_instrument("untoc", short_title="UNTOC")
        # by name (as the database orders them), extradition would come first
        make_provision(instrument, extradition, article="art. 16", sources=[para1])
        make_provision(instrument, mla, article="art. 8", sources=[para1])
        content = self.client.get("/source/").content.decode()
        link = '<dd><a href="/cooperation/extradition/">Extradition</a></dd>'
        for slug in ("para-1", "para-2"):
            self.assertIn(link, passage_html(content, slug))
        block = passage_html(content, "para-1")
        self.assertLess(block.index("UNTOC, art. 8: Mutual"), block.index("UNTOC, art. 16"))

    def test_source_page_in_french_names_passages_in_french_and_marks_the_paper_english(self):
        paper = make_paper()
        make_instrument("untoc", short_title="UNTOC", sources=[paper["paras"][0]])
        content = self.client.get("/fr/source/").content.decode()
        block = passage_html(content, "para-1")
        self.assertIn('<div class="passage__body" lang="en" dir="ltr">', block)
        self.assertIn("(lien\u00a0: Paragraphe 1)", block)  # a French colon: no-break space
        self.assertIn('aria-label="Note de bas de page 1"', block)  # the footnote's call
        self.assertIn('aria-label="Fiches tirées de ce passage (Paragraphe 1)"', block)
        self.assertIn("<dt>Instruments</dt>", block)
        self.assertIn('<dd><a href="/fr/instruments/untoc/">UNTOC</a></dd>', block)
        footnote = passage_html(content, "fn-1")
        self.assertIn(">Note de bas de page 1<", footnote)
        self.assertIn("Retour au texte (Paragraphe 1)", footnote)

    def test_source_page_escapes_passage_text_and_ignores_parameters(self):
        paper = make_paper()
        paper["paras"][0].text = '<script>alert("x")</script> **not bold**'
        paper["paras"][0].save()
        response = self.client.get(
            "/source/", {"x": "<script>alert(1)</script>", "page": "abc" * 300}
        )
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertNotIn("<script>", content)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; **not bold**", content)

    def test_source_page_without_paper_is_a_404(self):
        response = self.client.get("/source/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Page not found", response.content.decode())


class SourcePageText(TestCase):
    """The paper's text is rendered once for each state of the content and language, then read
    from the cache (editorial.conditional.rendered_while_unchanged), never older than the
    content: every change an editor can make shows at once."""

    def setUp(self):
        self.paper = make_paper()
        self.para = self.paper["paras"][1]
        self.tool = make_tool("mla-tool", title="Model law on MLA", sources=[self.para])

    def block(self, address="/source/"):
        response = self.client.get(address)
        self.assertEqual(response.status_code, 200)
        return passage_html(response.content.decode(), "para-2")

    def test_a_second_request_reads_the_text_in_two_queries(self):
        self.block()
        # the validators (whose state of the content is the text's key too), the document
        with self.assertNumQueries(2):
            self.assertIn('href="/resources/mla-tool/"', self.block())

    def test_every_change_shows_at_once(self):
        self.assertIn(">Model law on MLA<", self.block())
        self.tool.title = "Model law on mutual legal assistance"
        self.tool.save()
        self.assertIn(">Model law on mutual legal assistance<", self.block())
        self.tool.sources.remove(self.para)  # a link removed, from the record's side
        self.assertNotIn("mla-tool", self.block())
        self.para.tool_records.add(self.tool)  # and added again, from the passage's side
        self.assertIn("mla-tool", self.block())
        self.para.text = "A paragraph rewritten."
        self.para.save()
        self.assertIn("A paragraph rewritten.", self.block())
        self.tool.status = "draft"
        self.tool.save()
        self.assertNotIn("mla-tool", self.block())
        guidance = make_guidance("consider", kind="measure", title="Consider", sources=[self.para])
        self.assertIn("/guidance/consider/", self.block())
        guidance.delete()
        self.assertNotIn("/guidance/consider/", self.block())

    def test_each_language_has_its_own_text(self):
        self.assertIn("Records derived from Paragraph 2", self.block())
        french = self.block("/fr/source/")
        self.assertIn("Fiches tirées de ce passage (Paragraphe 2)", french)
        self.assertIn('href="/fr/resources/mla-tool/"', french)
        self.assertIn('href="/resources/mla-tool/"', self.block())

    def test_content_without_versions_is_rendered_every_time(self):
        for model in apps.get_models():
            if has_history(model):
                model.history.model.objects.all().delete()
        self.block()
        with assert_max_num_queries(self, 12) as second:
            self.block()
        self.assertGreater(len(second.captured_queries), 2)

    def test_without_a_cache_the_page_is_rendered(self):
        self.block()
        with (
            mock.patch.object(caches["default"], "get", side_effect=ConnectionError("down")),
            mock.patch.object(caches["default"], "set", side_effect=ConnectionError("down")),
            self.assertLogs("editorial.conditional", "ERROR"),
        ):
            self.assertIn('href="/resources/mla-tool/"', self.block())


class CitedDocumentPage(TestCase):
    def test_cited_document_page(self):
        paper = make_paper()
        instrument = make_instrument("global-plan")
        document = CitedDocument.objects.create(
            slug="a-res-64-293",
            title="United Nations Global Plan of Action to Combat Trafficking in Persons",
            symbol="A/RES/64/293",
            kind="ga-resolution",
            issuer="General Assembly",
            year=2010,
            url="http://www.un.org/old",
            current_url="https://undocs.org/A/RES/64/293",
        )
        document.sources.add(paper["paras"][0])
        instrument.documents.add(document)

        content = self.client.get("/source/documents/a-res-64-293/").content.decode()

        self.assertIn("A/RES/64/293", content)
        self.assertIn("General Assembly", content)
        self.assertIn("2010", content)
        self.assertIn('href="http://www.un.org/old"', content)
        self.assertIn('href="https://undocs.org/A/RES/64/293"', content)
        self.assertIn('href="/instruments/global-plan/"', content)
        self.assertIn('href="/source/#para-1"', content)

    def test_cited_document_page_hides_a_draft_instrument(self):
        instrument = make_instrument(
            "unfinished", title="Instrument unfinished full title", status="draft"
        )
        document = CitedDocument.objects.create(slug="doc", title="Doc", kind="report")
        instrument.documents.add(document)
        response = self.client.get("/source/documents/doc/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("unfinished", response.content.decode())
        self.assertIn("No passage of the background paper is recorded", response.content.decode())


class NotFoundPage(TestCase):
    def test_unknown_addresses_give_the_site_404_page(self):
        for url in [
            "/guidance/no-such-guidance/",
            "/source/documents/no-such-document/",
            "/guidance/" + "a" * 600 + "/",
            "/guidance/%3Cscript%3E/",
            "/no/such/page/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                content = response.content.decode()
                self.assertIn("<h1>Page not found</h1>", content)
                self.assertIn('class="site-header"', content)
                self.assertIn('href="/source/"', content)
                self.assertNotIn("<script>", content)


class SitemapAndRobots(TestCase):
    def test_sitemap_lists_public_records_and_not_drafts(self):
        org = make_organization("unodc")
        mechanism = make_mechanism("extradition", name="Extradition")
        make_instrument("untoc")
        make_instrument("draft-instrument", status="draft")
        make_tool("mla-tool", publisher=org)
        make_tool("draft-tool", publisher=org, status="draft")
        make_guidance("consider", kind="measure", title="Consider", text="x")
        CitedDocument.objects.create(slug="a-res-64-293", title="Plan", kind="ga-resolution")

        response = self.client.get("/sitemap.xml")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/xml"))
        locations = set(re.findall(r"<loc>([^<]+)</loc>", response.content.decode()))
        expected = {
            "/",
            "/cooperation/",
            "/instruments/",
            "/resources/",
            "/source/",
            "/instruments/untoc/",
            "/resources/mla-tool/",
            mechanism.get_absolute_url(),
            "/guidance/consider/",
            "/source/documents/a-res-64-293/",
            "/countries/",
            "/pathfinder/",
        }
        # Each page in English and in the five other languages (docs/languages.md).
        prefixes = ["", "/ar", "/zh-hans", "/fr", "/ru", "/es"]
        self.assertEqual(
            {f"http://testserver{prefix}{path}" for path in expected for prefix in prefixes},
            locations,
        )

    def test_robots_txt_allows_all_and_points_to_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Allow: /", lines)
        self.assertIn("Disallow: /language/", lines)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)


class HealthCheck(TestCase):
    def test_healthz_is_ok_and_never_cached(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(self.client.head("/healthz").status_code, 200)
        self.assertEqual(self.client.post("/healthz").status_code, 405)

    def test_healthz_reports_an_unreachable_database(self):
        from portal import views

        def broken_cursor():
            raise OperationalError("connection refused")

        with mock.patch.object(views.connection, "cursor", broken_cursor):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertIn("no-store", response["Cache-Control"])


class ServerErrorPage(TestCase):
    def test_500_page_needs_no_database_or_context(self):
        request = RequestFactory().get("/")
        with self.assertNumQueries(0):
            response = server_error(request)
            template_html = loader.get_template("500.html").render()
        self.assertEqual(response.status_code, 500)
        content = response.content.decode()
        self.assertIn("Something went wrong", content)
        self.assertIn("TIP Cooperation Portal", content)
        self.assertIn("Something went wrong", template_html)
        self.assertNotIn("<script", content)
        self.assertNotIn("style=", content)


class SiteShell(TestCase):
    def test_every_page_has_skip_link_navigation_and_source_footer(self):
        make_paper()
        content = self.client.get("/source/").content.decode()
        self.assertIn('<a class="skip-link" href="#main">', content)
        self.assertIn('id="main"', content)
        for href in ("/cooperation/", "/instruments/", "/resources/", "/source/"):
            self.assertIn(f'href="{href}"', content)
        footer = content[content.index('class="site-footer"') :]
        self.assertIn("CTOC/COP/WG.4/2011", footer)
        self.assertIn("Vienna, 10&ndash;12 October 2011", footer)
        self.assertNotIn("style=", content)
        self.assertNotIn("<script", content)

    def test_odd_query_strings_are_harmless_on_every_portal_page(self):
        paper = make_paper()
        make_guidance("g", kind="measure", title="G", text="x", sources=[paper["paras"][0]])
        CitedDocument.objects.create(slug="d", title="D", kind="report")
        params = {
            "q": '"><script>alert(1)</script>',
            "page": ["0", "-1", "999999"],
            "x": "é" * 600,
        }
        for url in ("/", "/source/", "/guidance/g/", "/source/documents/d/", "/robots.txt"):
            response = self.client.get(url, params)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn("<script>alert(1)</script>", response.content.decode(), url)

    def test_header_and_home_search_boxes_send_q_to_the_search_page(self):
        content = self.client.get("/").content.decode()
        forms = re.findall(
            r'<form class="([\w-]+)" action="/search/" method="get" role="search" '
            r'aria-labelledby="\1-label">',
            content,
        )
        self.assertEqual(forms, ["site-search", "home-search"])
        self.assertEqual(content.count('type="search" name="q"'), 2)
        self.assertIn('for="site-search-q"', content)
        self.assertIn('id="site-search-q"', content)

    def test_breadcrumbs_include_takes_pairs_records_and_the_current_page(self):
        category = make_category("judicial", name="Judicial cooperation")
        html = Template(
            '{% include "includes/breadcrumbs.html" with trail=trail current="Extradition" %}'
        ).render(Context({"trail": [("Cooperation types", "/cooperation/"), category]}))
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
        self.assertEqual(
            links,
            [
                ("/", "Home"),
                ("/cooperation/", "Cooperation types"),
                ("/cooperation/#judicial", "Judicial cooperation"),
            ],
        )
        self.assertIn('<span aria-current="page">Extradition</span>', html)

    def test_sources_include_quotes_and_truncates_long_passages(self):
        paper = make_paper()
        long_passage = paper["paras"][1]
        long_passage.text = " ".join(f"word{i}" for i in range(200))
        long_passage.save()
        html = Template('{% include "includes/sources.html" with passages=passages %}').render(
            Context({"passages": [paper["paras"][0], long_passage]})
        )
        self.assertIn('<h2 id="sources-heading">Source</h2>', html)
        self.assertIn('<a href="/source/#para-1">Paragraph 1</a>', html)
        self.assertIn("Paragraph text number 1.", html)
        self.assertIn("word79 …", html)
        self.assertNotIn("word80", html)

    def test_favicon_ico_points_browsers_to_the_site_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("img/favicon.svg"))
        page = self.client.get("/").content.decode()
        self.assertIn('rel="icon"', page)
        self.assertIn("img/favicon.svg", page)
