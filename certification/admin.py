from django.contrib import admin

from common.admin import ConfigurationAdmin, RecordAdmin

from .models import (
    CertificationClass,
    CertificationLevel,
    CertificationResult,
    Enrollment,
    SecurityAwarenessCompletion,
    TrainingGuideIssue,
)


@admin.register(CertificationLevel)
class CertificationLevelAdmin(ConfigurationAdmin):
    list_display = ("name", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")


@admin.register(CertificationResult)
class CertificationResultAdmin(RecordAdmin):
    list_display = ("person", "passed_on", "level", "score", "source", "voided_at")
    list_filter = ("source", "level", "person__agency")
    search_fields = ("person__last_name", "person__first_name", "person__employee_id")
    date_hierarchy = "passed_on"


@admin.register(TrainingGuideIssue)
class TrainingGuideIssueAdmin(RecordAdmin):
    list_display = ("person", "issued_on", "voided_at")
    list_filter = ("person__agency",)
    search_fields = ("person__last_name", "person__employee_id")


@admin.register(SecurityAwarenessCompletion)
class SecurityAwarenessCompletionAdmin(RecordAdmin):
    list_display = ("person", "completed_on", "tier", "voided_at")
    list_filter = ("tier", "person__agency")
    search_fields = ("person__last_name", "person__employee_id")


@admin.register(CertificationClass)
class CertificationClassAdmin(RecordAdmin):
    list_display = ("held_on", "agency", "level", "location", "instructor", "capacity", "cancelled_at")
    list_filter = ("agency", "level")
    date_hierarchy = "held_on"


@admin.register(Enrollment)
class EnrollmentAdmin(RecordAdmin):
    list_display = ("person", "certification_class", "attendance", "result", "is_recorded_in_leds", "withdrawn_at")
    list_filter = ("result", "is_recorded_in_leds", "certification_class__agency")
    search_fields = ("person__last_name", "person__employee_id")
