from django.contrib import admin

admin.site.site_header = "TIP Cooperation Portal administration"
admin.site.site_title = "TIP Cooperation Portal administration"
admin.site.index_title = "Records of the portal"
