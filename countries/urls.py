from django.urls import path, re_path

from countries import views

app_name = "countries"

urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    # Before <code>/: the list's export (docs/exports.md).
    re_path(r"^export\.(?P<fmt>csv|json)$", views.participant_export, name="participant_export"),
    path("<slug:code>/", views.participant_detail, name="participant_detail"),
]
