"""Link health in the admin: a column and a filter showing whether a record's address works.

The address checked is the one the public page shows first: the current address if there is
one, else the address the paper gave. Its last check (``manage.py check_links``) is joined by a
Subquery, so a change list of any length costs no query per row.
"""

from django.contrib import admin
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editorial.linkcheck import LinkCheck, LinkState

NO_ADDRESS = "none"


class LinkStatusFilter(admin.SimpleListFilter):
    title = _("link status")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [*LinkState.choices, (NO_ADDRESS, _("No address"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NO_ADDRESS:
            return queryset.filter(link_address__isnull=True)
        if value == LinkState.UNCHECKED:
            never_checked = Q(link_state__isnull=True, link_address__isnull=False)
            return queryset.filter(never_checked | Q(link_state=LinkState.UNCHECKED))
        if value in LinkState.values:
            return queryset.filter(link_state=value)
        return queryset  # An unknown value is ignored rather than failing.


class LinkStatusAdminMixin:
    """For a ModelAdmin of a model that declares ``link_fields`` (editorial/linkcheck.py).

    Add ``"link_status"`` to ``list_display`` and ``LinkStatusFilter`` to ``list_filter``.
    """

    def get_queryset(self, request):
        addresses = [NullIf(field, Value("")) for field in self.model.link_fields]
        address = (
            Coalesce(*addresses, output_field=CharField()) if len(addresses) > 1 else addresses[0]
        )
        checks = LinkCheck.objects.filter(url=OuterRef("link_address"))
        return (
            super()
            .get_queryset(request)
            .annotate(link_address=address)
            .annotate(
                link_state=Subquery(checks.values("state")[:1]),
                link_status_code=Subquery(checks.values("status_code")[:1]),
            )
        )

    @admin.display(description=_("link"), ordering="link_state")
    def link_status(self, obj):
        if obj.link_address is None:
            return "-"
        state = obj.link_state or LinkState.UNCHECKED
        label = LinkState(state).label
        if obj.link_status_code and state != LinkState.OK:
            label = f"{label} ({obj.link_status_code})"
        return format_html('<span title="{}">{}</span>', obj.link_address, label)
