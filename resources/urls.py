from django.urls import path, re_path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.tool_list, name="tool_list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", views.tool_export, name="tool_export"),
    # Before the tools' pages: "feed" would read as a tool's slug.
    path("feed/", views.tool_feed, name="tool_feed"),
    path("<slug:slug>/", views.tool_detail, name="tool_detail"),
]
