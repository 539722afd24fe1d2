"""Admin base classes every app shares.

Domain records are written through services (which hold the rules: R-BG-1's gate, capacities, certified
cycles); in the admin an administrator reads them, with their history, and changes only configuration
tables. Nothing an auditor may ask about is deleted, here either.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only, for everyone, administrators included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """A domain record: read with its change history; written only through the app's pages and services."""


class ConfigurationAdmin(SimpleHistoryAdmin):
    """A lookup table an administrator edits (levels, state systems, record types); rows are retired, not
    deleted, because records refer to them."""

    def has_delete_permission(self, request, obj=None):
        return False
