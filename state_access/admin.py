"""State systems are configuration; accounts, reviews and reset assists are read here with their history."""

from django.contrib import admin

from common.admin import ConfigurationAdmin, RecordAdmin

from .models import AccessReview, PasswordResetAssist, StateAccount, StateSystem


@admin.register(StateSystem)
class StateSystemAdmin(ConfigurationAdmin):
    list_display = ("name", "agency", "description")
    list_filter = ("agency",)


@admin.register(StateAccount)
class StateAccountAdmin(RecordAdmin):
    list_display = ("person", "system", "username", "status", "activated_at", "disabled_at", "last_login_on")
    list_filter = ("status", "system", "person__agency")
    search_fields = ("person__last_name", "person__employee_id", "username")


@admin.register(AccessReview)
class AccessReviewAdmin(RecordAdmin):
    list_display = ("agency", "started_at", "signed_on", "signed_by")
    list_filter = ("agency",)


@admin.register(PasswordResetAssist)
class PasswordResetAssistAdmin(RecordAdmin):
    list_display = ("person", "system", "reset_at", "reset_by")
    list_filter = ("system", "person__agency")
