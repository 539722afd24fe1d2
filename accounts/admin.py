from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import SecurityEvent, SecurityLogReview, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "is_system")
    list_filter = ("is_active", "is_superuser", "is_system")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("LEDS Admin", {"fields": ("is_system",)}))

    def has_delete_permission(self, request, obj=None):
        return False  # sign-ins are deactivated, never deleted: the security log names them (R-SEC-5)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The security log is append-only for every user, administrators included (R-SEC-5)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "event", "outcome", "actor_username", "agency", "ip_address", "target")
    list_filter = ("event", "outcome", "agency")
    search_fields = ("actor_username", "target", "ip_address")
    date_hierarchy = "occurred_at"


@admin.register(SecurityLogReview)
class SecurityLogReviewAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("agency", "reviewed_at", "reviewed_by", "events_reviewed")
    list_filter = ("agency",)
