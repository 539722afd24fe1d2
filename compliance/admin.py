from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RuleSetting


@admin.register(RuleSetting)
class RuleSettingAdmin(SimpleHistoryAdmin):
    list_display = ("rule_id", "obligation", "period_value", "period_unit", "lead_days", "overdue_repeat_days",
                    "effective_guidance")

    def has_delete_permission(self, request, obj=None):
        return False
