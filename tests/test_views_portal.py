"""The site shell and portal pages: home, the source paper, guidance, cited documents, sitemap,
robots.txt, /healthz and the error pages."""

import re
from datetime import date
from types import ModuleType

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.template import Context, Template, loader
from django.test import RequestFactory
from django.urls import include, path
from django.views.defaults import server_error

from instruments.models import Instrument, Mechanism, MechanismCategory, Organization, Provision
from portal import urls as portal_urls
from portal.models import CitedDocument, Guidance, Passage, Section, SourceDocument
from resources.models import Tool, ToolPart

pytestmark = pytest.mark.django_db


# Data ------------------------------------------------------------------------------------------


def make_document():
    return SourceDocument.objects.create(
        slug="background-paper",
        title="International cooperation in combating trafficking in persons",
        issuing_body="Conference of the Parties to the United Nations Convention against "
        "Transnational Organized Crime",
        working_group="Working Group on Trafficking in Persons",
        meeting="Vienna, 10-12 October 2011",
        agenda_item="Item 5 of the provisional agenda",
        agenda_symbol="CTOC/COP/WG.4/2011/1",
        distributed_on=date(2011, 8, 2),
        distribution="General",
        original_language="English",
        prepared_by="Background paper prepared by the Secretariat",
    )


def make_paper(paragraphs=3, annex_entries=1):
    """A paper with two sections (one a subsection), paragraphs, annex entries and a footnote."""
    document = make_document()
    top = Section.objects.create(
        document=document, slug="iii-overview", number="III", title="Overview", position=1
    )
    sub = Section.objects.create(
        document=document,
        slug="iii-a-supply",
        number="III.A",
        title="Supply and demand",
        parent=top,
        position=2,
    )
    annex = Section.objects.create(
        document=document, slug="annex", number="Annex", title="Key tools", position=3
    )
    position = 0
    paras = []
    for number in range(1, paragraphs + 1):
        position += 1
        paras.append(
            Passage.objects.create(
                document=document,
                slug=f"para-{number}",
                kind=Passage.Kind.PARAGRAPH,
                number=number,
                section=top if number == 1 else sub,
                text=f"Paragraph text number {number}.\n\nSecond block of paragraph {number}.",
                position=position,
            )
        )
    entries = []
    for number in range(1, annex_entries + 1):
        position += 1
        entries.append(
            Passage.objects.create(
                document=document,
                slug=f"annex-{number}",
                kind=Passage.Kind.ANNEX,
                number=number,
                section=annex,
                heading=f"Annex tool {number}",
                text=f"Annex entry text {number}.",
                position=position,
            )
        )
    footnote = Passage.objects.create(
        document=document,
        slug="fn-1",
        kind=Passage.Kind.FOOTNOTE,
        number=1,
        text="CTOC/COP/WG.4/2010/3.",
        cited_in=paras[0],
        position=position + 1,
    )
    return {"document": document, "paras": paras, "annex": entries, "footnote": footnote}


def make_category(slug="judicial", name="Judicial cooperation", position=0):
    return MechanismCategory.objects.create(slug=slug, name=name, position=position)


def make_mechanism(category, slug, name, position=0):
    return Mechanism.objects.create(
        slug=slug, name=name, category=category, summary=f"About {name}.", position=position
    )


def make_organization(slug="unodc"):
    return Organization.objects.create(
        slug=slug, name=f"Organization {slug}", short_name=slug.upper(), kind="un-entity"
    )


def make_instrument(slug, status="published", **fields):
    return Instrument.objects.create(
        slug=slug,
        title=f"Instrument {slug} full title",
        short_title=f"Instrument {slug}",
        kind="convention",
        legally_binding=True,
        scope="global",
        summary="A summary.",
        status=status,
        **fields,
    )


def make_tool(slug, publisher, status="published", featured=False):
    return Tool.objects.create(
        slug=slug,
        title=f"Tool {slug} title",
        kind="manual",
        publisher=publisher,
        description="A tool.",
        status=status,
        featured=featured,
    )


def build_many(n, paper):
    """n published and n draft records of every kind, each citing paragraphs of the paper."""
    org = make_organization("many-org")
    categories = [make_category(f"cat-{i}", f"Category {i}", i) for i in range(5)]
    mechanisms = [
        make_mechanism(categories[i % 5], f"mech-{i}", f"Mechanism {i}") for i in range(n)
    ]
    passages = paper["paras"] + paper["annex"]
    for i in range(n):
        cite = passages[i % len(passages)]
        for status in ("published", "draft"):
            instrument = make_instrument(f"inst-{status}-{i}", status=status, adopted_by=org)
            instrument.sources.add(cite, paper["footnote"])
            for mechanism in mechanisms[i : i + 3]:
                provision = Provision.objects.create(
                    instrument=instrument, mechanism=mechanism, article=f"art. {i}"
                )
                provision.sources.add(cite)
            tool = make_tool(f"tool-{status}-{i}", org, status=status, featured=i % 2 == 0)
            tool.sources.add(cite)
            tool.mechanisms.add(*mechanisms[i : i + 2])
            part = ToolPart.objects.create(
                tool=tool, slug="part-1", kind="module", label="Module 1"
            )
            part.sources.add(cite)
        mechanisms[i].sources.add(cite)
        guidance = Guidance.objects.create(
            slug=f"guidance-{i}", kind="measure", title=f"Guidance {i}", text="Do this."
        )
        guidance.sources.add(cite)
        guidance.mechanisms.add(mechanisms[i])
        cited = CitedDocument.objects.create(slug=f"doc-{i}", title=f"Document {i}", kind="report")
        cited.sources.add(cite)
    org.sources.add(*passages)


def passage_html(content, slug):
    """The HTML of one passage block on the source page (up to the next passage)."""
    start = content.index(f'id="{slug}"')
    following = content.find('<div class="passage passage--', start)
    return content[start : following if following != -1 else len(content)]


# Home ------------------------------------------------------------------------------------------


def test_home_lists_categories_mechanisms_with_published_counts_and_featured_tools(client):
    org = make_organization()
    judicial = make_category("judicial", "Judicial cooperation", 0)
    police = make_category("police", "Police cooperation", 1)
    extradition = make_mechanism(judicial, "extradition", "Extradition")
    hot_pursuit = make_mechanism(police, "hot-pursuit", "Hot pursuit")
    for slug in ("untoc", "saarc"):
        Provision.objects.create(instrument=make_instrument(slug), mechanism=extradition)
    Provision.objects.create(
        instrument=make_instrument("draft-one", "draft"), mechanism=extradition
    )
    Provision.objects.create(instrument=make_instrument("pcc-see"), mechanism=hot_pursuit)
    featured = make_tool("model-law", org, featured=True)
    featured.mechanisms.add(extradition)
    make_tool("plain-manual", org).mechanisms.add(extradition)
    make_tool("draft-featured", org, status="draft", featured=True).mechanisms.add(extradition)

    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Judicial cooperation" in content and "Police cooperation" in content
    assert content.index("Judicial cooperation") < content.index("Police cooperation")
    assert 'href="/cooperation/extradition/"' in content
    extradition_row = content[content.index('href="/cooperation/extradition/"') :]
    extradition_row = extradition_row[: extradition_row.index("</li>")]
    assert "2 instruments, 2 tools" in extradition_row
    hot_row = content[content.index('href="/cooperation/hot-pursuit/"') :]
    assert "1 instrument, 0 tools" in hot_row[: hot_row.index("</li>")]
    featured_section = content[content.index('id="featured-heading"') :]
    assert "Tool model-law title" in featured_section
    assert "Tool plain-manual title" not in content
    assert "Tool draft-featured title" not in content
    assert 'href="/source/"' in content
    assert "<title>" in content and '<meta name="description"' in content


def test_home_without_data_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "have not been loaded yet" in response.content.decode()
    assert 'id="featured-heading"' not in response.content.decode()


def test_home_query_count_is_fixed(client, django_assert_max_num_queries):
    build_many(30, make_paper(paragraphs=10, annex_entries=3))
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card category"') == 5


def test_home_refuses_post(client):
    assert client.post("/").status_code == 405


# Source paper ------------------------------------------------------------------------------------


def test_source_page_front_matter_headings_and_every_anchor(client):
    paper = make_paper(paragraphs=5, annex_entries=2)
    response = client.get("/source/")
    assert response.status_code == 200
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
        assert text in content
    assert "<h1>International cooperation in combating trafficking in persons</h1>" in content
    assert '<h2 id="iii-overview">III. Overview</h2>' in content
    assert '<h3 id="iii-a-supply">III.A. Supply and demand</h3>' in content
    assert '<h2 id="annex">Annex: Key tools</h2>' in content
    assert 'href="#iii-a-supply"' in content  # contents
    for passage in Passage.objects.all():
        assert content.count(f'id="{passage.slug}"') == 1, passage.slug
    # paragraphs in document order, with their paragraph breaks
    assert (
        content.index('id="para-1"') < content.index('id="para-2"') < content.index('id="para-5"')
    )
    assert "<p>Paragraph text number 3.</p>\n\n<p>Second block of paragraph 3.</p>" in content
    assert "Annex tool 2" in content
    assert paper["footnote"].slug == "fn-1"


def test_source_page_links_footnotes_both_ways(client):
    make_paper()
    content = client.get("/source/").content.decode()
    para = passage_html(content, "para-1")
    assert 'href="#fn-1"' in para
    footnote = passage_html(content, "fn-1")
    assert 'href="#para-1"' in footnote and "Back to Paragraph 1" in footnote
    assert 'href="#fn-1"' not in passage_html(content, "para-2")


def test_source_page_shows_derived_records_beside_their_passage(client):
    paper = make_paper()
    para2 = paper["paras"][1]
    org = make_organization()
    category = make_category()
    mechanism = make_mechanism(category, "extradition", "Extradition")
    mechanism.sources.add(para2)
    instrument = make_instrument("untoc")
    instrument.sources.add(para2)
    hidden_instrument = make_instrument("secret-draft", "draft")
    hidden_instrument.sources.add(para2)
    provision = Provision.objects.create(
        instrument=instrument, mechanism=mechanism, article="art. 16"
    )
    provision.sources.add(para2)
    Provision.objects.create(instrument=hidden_instrument, mechanism=mechanism).sources.add(para2)
    tool = make_tool("mla-tool", org)
    tool.sources.add(para2)
    make_tool("draft-tool", org, status="draft").sources.add(para2)
    part = ToolPart.objects.create(tool=tool, slug="module-6", kind="module", label="Module 6")
    part.sources.add(para2)
    guidance = Guidance.objects.create(slug="consider", kind="measure", title="Consider", text="x")
    guidance.sources.add(para2)
    cited = CitedDocument.objects.create(slug="a-res-64-293", title="Plan", kind="ga-resolution")
    cited.sources.add(para2)
    org.sources.add(para2)

    content = client.get("/source/").content.decode()

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
        assert f'href="{href}"' in block, href
    assert "Instrument untoc, art. 16: Extradition" in block
    assert "secret-draft" not in content
    assert "draft-tool" not in content
    assert 'class="derived"' not in passage_html(content, "para-1")


def test_source_page_query_count_is_fixed(client, django_assert_max_num_queries):
    paper = make_paper(paragraphs=20, annex_entries=5)
    build_many(30, paper)
    # document, passages, their footnotes, one query per kind of derived record (8), sections
    with django_assert_max_num_queries(12):
        response = client.get("/source/")
    assert response.status_code == 200
    # 20 paragraphs, 5 annex entries and the footnote all have derived records
    assert response.content.decode().count('class="derived"') == 26


def test_source_page_escapes_passage_text_and_ignores_parameters(client):
    paper = make_paper()
    paper["paras"][0].text = '<script>alert("x")</script> **not bold**'
    paper["paras"][0].save()
    response = client.get("/source/", {"x": "<script>alert(1)</script>", "page": "abc" * 300})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; **not bold**" in content


def test_source_page_without_paper_is_a_404(client):
    response = client.get("/source/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Guidance and cited documents ------------------------------------------------------------------


def test_guidance_page(client):
    paper = make_paper()
    mechanism = make_mechanism(
        make_category(), "mutual-legal-assistance", "Mutual legal assistance"
    )
    guidance = Guidance.objects.create(
        slug="nominate-central-authority",
        kind="measure",
        title="Nominate a central authority",
        text="States may **nominate** a central authority.",
    )
    guidance.mechanisms.add(mechanism)
    guidance.sources.add(paper["paras"][2])

    response = client.get("/guidance/nominate-central-authority/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Nominate a central authority</h1>" in content
    assert "Measure" in content
    assert "<strong>nominate</strong>" in content
    assert 'href="/cooperation/mutual-legal-assistance/"' in content
    sources = content[content.index('id="sources-heading"') :]
    assert 'href="/source/#para-3"' in sources and "Paragraph text number 3." in sources
    assert 'aria-label="Breadcrumb"' in content and 'aria-current="page"' in content


def test_guidance_page_query_count(client, django_assert_max_num_queries):
    paper = make_paper(paragraphs=10)
    build_many(5, paper)
    guidance = Guidance.objects.get(slug="guidance-0")
    guidance.sources.add(*paper["paras"])
    guidance.mechanisms.add(*Mechanism.objects.all())
    with django_assert_max_num_queries(3):
        assert client.get("/guidance/guidance-0/").status_code == 200


def test_cited_document_page(client):
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
        instrument=instrument,
    )
    document.sources.add(paper["paras"][0])

    content = client.get("/source/documents/a-res-64-293/").content.decode()

    assert "A/RES/64/293" in content and "General Assembly" in content and "2010" in content
    assert 'href="http://www.un.org/old"' in content
    assert 'href="https://undocs.org/A/RES/64/293"' in content
    assert 'href="/instruments/global-plan/"' in content
    assert 'href="/source/#para-1"' in content


def test_cited_document_page_hides_a_draft_instrument(client):
    instrument = make_instrument("unfinished", status="draft")
    CitedDocument.objects.create(slug="doc", title="Doc", kind="report", instrument=instrument)
    response = client.get("/source/documents/doc/")
    assert response.status_code == 200
    assert "unfinished" not in response.content.decode()
    assert "No passage of the background paper is recorded" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/guidance/no-such-guidance/",
        "/source/documents/no-such-document/",
        "/guidance/" + "a" * 600 + "/",
        "/guidance/%3Cscript%3E/",
        "/no/such/page/",
    ],
)
def test_unknown_addresses_give_the_site_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert 'class="site-header"' in content and 'href="/source/"' in content
    assert "<script>" not in content


# Sitemap, robots, health, errors ---------------------------------------------------------------


def test_sitemap_lists_public_records_and_not_drafts(client):
    org = make_organization()
    mechanism = make_mechanism(make_category(), "extradition", "Extradition")
    make_instrument("untoc")
    make_instrument("draft-instrument", "draft")
    make_tool("mla-tool", org)
    make_tool("draft-tool", org, status="draft")
    Guidance.objects.create(slug="consider", kind="measure", title="Consider", text="x")
    CitedDocument.objects.create(slug="a-res-64-293", title="Plan", kind="ga-resolution")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
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
    }
    assert {f"http://testserver{path}" for path in expected} == locations


def test_robots_txt_allows_all_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_healthz_is_ok_and_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    from portal import views

    def broken_cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]


def test_500_page_needs_no_database_or_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
        template_html = loader.get_template("500.html").render()
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content and "TIP Cooperation Portal" in content
    assert "Something went wrong" in template_html
    assert "<script" not in content and "style=" not in content


# Shell -----------------------------------------------------------------------------------------


def test_every_page_has_skip_link_navigation_and_source_footer(client):
    make_paper()
    content = client.get("/source/").content.decode()
    assert '<a class="skip-link" href="#main">' in content and 'id="main"' in content
    for href in ("/cooperation/", "/instruments/", "/resources/", "/source/"):
        assert f'href="{href}"' in content
    footer = content[content.index('class="site-footer"') :]
    assert "CTOC/COP/WG.4/2011" in footer and "Vienna, 10&ndash;12 October 2011" in footer
    assert "style=" not in content and "<script" not in content


def test_odd_query_strings_are_harmless_on_every_portal_page(client):
    paper = make_paper()
    Guidance.objects.create(slug="g", kind="measure", title="G", text="x").sources.add(
        paper["paras"][0]
    )
    CitedDocument.objects.create(slug="d", title="D", kind="report")
    params = {"q": '"><script>alert(1)</script>', "page": ["0", "-1", "999999"], "x": "é" * 600}
    for url in ("/", "/source/", "/guidance/g/", "/source/documents/d/", "/robots.txt"):
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert "<script>alert(1)</script>" not in response.content.decode(), url


def with_search_route():
    """The site's URLconf with a stand-in portal:search route (the real one may not exist yet)."""

    def search(request):
        return HttpResponse("search")

    patterns = [*portal_urls.portal_patterns, path("search/", search, name="search")]
    urlconf = ModuleType("urls_with_search")
    urlconf.urlpatterns = [path("", include((patterns, "portal"))), *portal_urls.urlpatterns[1:]]
    return urlconf


def test_header_and_home_search_boxes_send_q_to_the_search_page(client, settings):
    settings.ROOT_URLCONF = with_search_route()
    content = client.get("/").content.decode()
    forms = re.findall(
        r'<form class="([\w-]+)" action="/search/" method="get" role="search" '
        r'aria-labelledby="\1-label">',
        content,
    )
    assert forms == ["site-search", "home-search"]
    assert content.count('type="search" name="q"') == 2
    assert 'for="site-search-q"' in content and 'id="site-search-q"' in content


def test_breadcrumbs_include_takes_pairs_records_and_the_current_page():
    category = make_category("judicial", "Judicial cooperation")
    html = Template(
        '{% include "includes/breadcrumbs.html" with trail=trail current="Extradition" %}'
    ).render(Context({"trail": [("Cooperation types", "/cooperation/"), category]}))
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert links == [
        ("/", "Home"),
        ("/cooperation/", "Cooperation types"),
        ("/cooperation/#judicial", "Judicial cooperation"),
    ]
    assert '<span aria-current="page">Extradition</span>' in html


def test_sources_include_quotes_and_truncates_long_passages():
    paper = make_paper()
    long_passage = paper["paras"][1]
    long_passage.text = " ".join(f"word{i}" for i in range(200))
    long_passage.save()
    html = Template('{% include "includes/sources.html" with passages=passages %}').render(
        Context({"passages": [paper["paras"][0], long_passage]})
    )
    assert '<h2 id="sources-heading">Source</h2>' in html
    assert '<a href="/source/#para-1">Paragraph 1</a>' in html
    assert "Paragraph text number 1." in html
    assert "word79 …" in html and "word80" not in html


def test_favicon_ico_points_browsers_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page
