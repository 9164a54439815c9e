from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from portal import views
from portal.sitemaps import sitemaps

portal_patterns = [
    path("", views.home, name="home"),
    path("source/", views.source, name="source"),
    path("search/", views.search, name="search"),
    path("source/documents/<slug:slug>/", views.document_detail, name="document_detail"),
    path("guidance/<slug:slug>/", views.guidance_detail, name="guidance_detail"),
    path("report/<slug:kind>/<slug:slug>/", views.report_problem, name="report_problem"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and the admin's pages, which do not name an icon) ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
    # Before admin/'s catch-all; staff only (the admin's Markdown preview).
    path("admin/markdown-preview/", views.markdown_preview, name="markdown_preview"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("instruments.urls")),
    path("resources/", include("resources.urls")),
    path("admin/", admin.site.urls),
]
