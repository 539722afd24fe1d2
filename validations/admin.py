from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RecordType


@admin.register(RecordType)
class RecordTypeAdmin(SimpleHistoryAdmin):
    """The MKE table is configuration: an administrator edits it, nobody deletes a type lists refer to."""

    list_display = ("mke", "name", "is_person_record", "is_contact_required", "is_active")
    list_editable = ("is_person_record", "is_contact_required", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False
