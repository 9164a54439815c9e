from django.contrib import admin

from guidance.models import Guidance
from paper.admin import SourcedAdmin


@admin.register(Guidance)
class GuidanceAdmin(SourcedAdmin):
    list_display = ["title", "kind", "position", "cited"]
    list_filter = ["kind", "mechanisms"]
    search_fields = ["title", "slug", "text"]
    autocomplete_fields = ["mechanisms", "sources"]
    prepopulated_fields = {"slug": ["title"]}
