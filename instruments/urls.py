from django.urls import path, re_path

from instruments import views

app_name = "instruments"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    re_path(
        r"^instruments/export\.(?P<fmt>csv|json)$",
        views.instrument_export,
        name="instrument_export",
    ),
    # Before the instruments' pages: "feed" would read as an instrument's slug.
    path("instruments/feed/", views.instrument_feed, name="instrument_feed"),
    path("instruments/<slug:slug>/", views.instrument_detail, name="instrument_detail"),
    path("cooperation/", views.mechanism_list, name="mechanism_list"),
    path("cooperation/<slug:slug>/", views.mechanism_detail, name="mechanism_detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
]
