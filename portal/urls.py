from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from editorial.views import report_problem
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization
from paper.models import CitedDocument
from portal import languages, pathfinder, views
from portal.sitemaps import sitemaps
from resources.models import Tool

# The public records a visitor can report a problem with, by the name in the report's address.
REPORTABLE = {
    "instrument": lambda: Instrument.objects.published(),
    "mechanism": lambda: Mechanism.objects.all(),
    "organization": lambda: Organization.objects.all(),
    "tool": lambda: Tool.objects.published(),
    "guidance": lambda: Guidance.objects.all(),
    "document": lambda: CitedDocument.objects.all(),
}

portal_patterns = [
    path("", views.home, name="home"),
    path("source/", views.source, name="source"),
    path("search/", views.search, name="search"),
    re_path(r"^search/export\.(?P<fmt>csv|json)$", views.search_export, name="search_export"),
    path("feed/", views.recent_changes, name="feed"),
    # "Cite this" as a file: a record page (the kinds above) or the paper ("paper").
    re_path(
        r"^cite/(?P<kind>[-a-z]+)/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<extension>bib|ris|json)$",
        views.cite,
        {"citable": REPORTABLE},
        name="cite",
    ),
    path("pathfinder/", pathfinder.pathfinder, name="pathfinder"),
    path("source/documents/<slug:slug>/", views.document_detail, name="document_detail"),
    path(
        "report/<slug:kind>/<slug:slug>/",
        report_problem,
        {"reportable": REPORTABLE},
        name="report_problem",
    ),
]

# The addresses that are the same in every language: for robots, monitors and browsers.
site_patterns = [
    # Every page in every language, with its alternates (hreflang).
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and the admin's pages, which do not name an icon) ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
    # The language switcher: remembers the choice, then shows the same page in that language.
    path("language/<str:code>/", languages.switch, name="switch_language"),
]

urlpatterns = [
    path("", include((site_patterns, "site"))),
    # The JSON API speaks English only (docs/api.md).
    path("api/v1/", include("api.urls")),
    # Every page in English at the address it always had, and in the other languages under
    # their code: /fr/instruments/ (docs/languages.md).
    *i18n_patterns(
        path("", include((portal_patterns, "portal"))),
        path("", include("instruments.urls")),
        path("resources/", include("resources.urls")),
        path("guidance/", include("guidance.urls")),
        path("countries/", include("countries.urls")),
        # Before admin/'s catch-all: the admin's Markdown preview.
        path("", include("editorial.urls")),
        path("admin/", admin.site.urls),
        prefix_default_language=False,
    ),
]
