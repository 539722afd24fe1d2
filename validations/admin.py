"""The admin of validations: the MKE table is edited here; the records are only looked at.

Lists, entries, contacts, amendments, the register and the procedure are written by the services (imports,
pages) with their rules and history reasons; an auditor may ask about any of them (R-VA-3, R-VA-4), so the
admin neither adds, changes nor deletes them. A mistaken contact or procedure is voided on its page.
"""

from django.contrib import admin

from common.admin import ConfigurationAdmin, RecordAdmin

from .models import (
    ContactLog,
    CycleAmendment,
    ProcedureDocument,
    RecordType,
    RegisteredEntry,
    ValidationCycle,
    ValidationEntry,
)


@admin.register(RecordType)
class RecordTypeAdmin(ConfigurationAdmin):
    """The MKE table is configuration: an administrator edits it, nobody deletes a type lists refer to."""

    list_display = ("mke", "name", "is_person_record", "is_contact_required", "is_active")
    list_editable = ("is_person_record", "is_contact_required", "is_active")
    search_fields = ("mke", "name")


@admin.register(ValidationCycle)
class ValidationCycleAdmin(RecordAdmin):
    list_display = ("agency", "received_on", "due_on", "certified_on", "certified_name", "source_filename")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    date_hierarchy = "received_on"
    search_fields = ("=entries__nic", "agency__ori", "agency__name")  # the list that carried a NIC


@admin.register(ValidationEntry)
class ValidationEntryAdmin(RecordAdmin):
    list_display = ("nic", "mke", "ori", "oca", "dte", "cycle", "validator", "outcome", "outcome_on")
    list_filter = ("outcome", "mke", "cycle__agency")
    list_select_related = ("cycle", "validator")
    search_fields = ("^nic", "oca", "subject")


@admin.register(RegisteredEntry)
class RegisteredEntryAdmin(RecordAdmin):
    list_display = ("nic", "record_type", "ori", "oca", "dte", "last_validated_on", "next_due_on", "cancelled_on",
                    "agency")
    list_filter = ("agency", "record_type")
    list_select_related = ("record_type", "agency")
    search_fields = ("^nic", "oca", "subject")


@admin.register(ContactLog)
class ContactLogAdmin(RecordAdmin):
    list_display = ("entry", "contacted_on", "who", "method", "result", "voided_at")
    list_select_related = ("entry",)
    search_fields = ("^entry__nic", "who")


@admin.register(CycleAmendment)
class CycleAmendmentAdmin(RecordAdmin):
    list_display = ("cycle", "entry", "amended_on", "amended_by", "reason")
    list_select_related = ("cycle", "entry", "amended_by")
    search_fields = ("^entry__nic", "reason")


@admin.register(ProcedureDocument)
class ProcedureDocumentAdmin(RecordAdmin):
    list_display = ("agency", "version", "title", "effective_on", "original_filename", "voided_at", "void_reason")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    search_fields = ("agency__ori", "version", "title")
    exclude = ("document",)  # the file is served only by the scoped download view, never by a media URL
