from django.urls import path

from editorial import views

app_name = "editorial"

urlpatterns = [
    # Mounted before admin/'s catch-all; staff only (the admin's Markdown preview).
    path("admin/markdown-preview/", views.markdown_preview, name="markdown_preview"),
]
