from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("TIP Cooperation Portal administration")
admin.site.site_title = _("TIP Cooperation Portal administration")
admin.site.index_title = _("Records of the portal")
