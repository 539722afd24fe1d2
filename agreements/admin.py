from django.contrib import admin

from common.admin import RecordAdmin

from .models import Agreement


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = ("title", "agency", "kind", "effective_on", "ends_on", "voided_at")
    list_filter = ("kind", "agency")
    search_fields = ("title", "parties__ori", "parties__name")
