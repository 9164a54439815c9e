from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from editorial.views import report_problem
from guidance.models import Guidance
from instruments.models import Instrument, Mechanism, Organization
from paper.models import CitedDocument
from portal import pathfinder, views
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
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and the admin's pages, which do not name an icon) ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("instruments.urls")),
    path("resources/", include("resources.urls")),
    path("guidance/", include("guidance.urls")),
    path("countries/", include("countries.urls")),
    path("api/v1/", include("api.urls")),
    # Before admin/'s catch-all: the admin's Markdown preview.
    path("", include("editorial.urls")),
    path("admin/", admin.site.urls),
]
