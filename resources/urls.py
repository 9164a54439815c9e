from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.tool_list, name="tool_list"),
    path("<slug:slug>/", views.tool_detail, name="tool_detail"),
]
