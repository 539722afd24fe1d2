from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Membership, Person


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("ori", "name", "time_zone")
    search_fields = ("ori", "name")

    def has_delete_permission(self, request, obj=None):
        return False  # every record names its agency


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "employee_id", "agency", "status", "role_tier")
    list_filter = ("agency", "status", "role_tier")
    search_fields = ("last_name", "first_name", "employee_id")
    raw_id_fields = ("supervisor", "user")

    def has_delete_permission(self, request, obj=None):
        return False  # people are separated, never deleted (R-AU-2)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "role", "is_alternate")
    list_filter = ("role", "agency")
    raw_id_fields = ("user",)
