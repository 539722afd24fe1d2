from django.contrib import admin

from common.admin import ReadOnlyAdmin, RecordAdmin

from .models import Audit, AuditPacket, Finding


@admin.register(Audit)
class AuditAdmin(RecordAdmin):
    list_display = ("audited_on", "agency", "auditor", "auditor_name", "voided_at")
    list_filter = ("auditor", "agency")


@admin.register(Finding)
class FindingAdmin(RecordAdmin):
    list_display = ("audit", "summary", "due_on", "completed_on", "voided_at")
    list_filter = ("audit__agency",)


@admin.register(AuditPacket)
class AuditPacketAdmin(ReadOnlyAdmin):
    list_display = ("agency", "requested_at", "requested_by", "period_start_on", "period_end_on", "status", "pages")
    list_filter = ("status", "agency")
