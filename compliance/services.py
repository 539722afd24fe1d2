"""Writes to the rule table (history kept)."""

from django.db import transaction

from common.history import stamp
from common.reference_data import create_missing, ensure_periodic_tasks

from . import selectors
from .defaults import DEFAULT_RULES, SCHEDULES
from .models import RuleSetting


def update_rule(*, setting, data: dict, actor):
    with transaction.atomic():
        for field, value in data.items():
            setattr(setting, field, value)
        setting.full_clean()
        stamp(setting, actor=actor, reason="Rule table edited")
        setting.save()
    selectors.forget_rule_table()
    return setting


def ensure_rule_rows(rows, *, using: str) -> int:
    """Create the rule table's missing rows from ``(obligation, rule ID, title, period, unit, lead days)`` defaults
    (reference data in code; an existing row, perhaps edited by an administrator, is left as it is)."""
    return create_missing(RuleSetting, key=["obligation"], using=using, rows=(
        {"obligation": obligation, "rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
         "lead_days": lead, "overdue_repeat_days": 7}
        for obligation, rule_id, title, value, unit, lead in rows))


def ensure_defaults(*, using: str) -> None:
    ensure_rule_rows(DEFAULT_RULES, using=using)
    ensure_periodic_tasks(SCHEDULES, using=using)
