"""Audit deadlines (R-AU-1): pure functions, "today" passed in."""

from __future__ import annotations

from datetime import date

from common.dates import add_months
from compliance.engine import Rule

STATE_AUDIT = "state_audit"  # the rule-table row (audit/migrations/0002_rule_row.py)
PACKET_MAX_MONTHS = 36  # R-AU-1: the packet covers at most one audit cycle, 3 years


def next_audit_due(*, last_audited_on: date | None, rule: Rule) -> date | None:
    """R-AU-1: the state audits each agency every 3 years, counted from the last audit."""
    return rule.add_period(last_audited_on) if last_audited_on else None


def default_packet_period(*, last_audited_on: date | None, today: date) -> tuple[date, date]:
    """R-AU-1: the packet covers the time since the last audit, and at most 3 years."""
    earliest = add_months(today, -PACKET_MAX_MONTHS)
    start = max(last_audited_on, earliest) if last_audited_on else earliest
    return min(start, today), today


def packet_period_problem(*, start: date, end: date, today: date) -> str:
    """Why a requested period cannot be built ("" when it can)."""
    if start > end:
        return "The period must start on or before its end."
    if end > today:
        return "The period cannot end in the future."
    if start < add_months(end, -PACKET_MAX_MONTHS):
        return "A packet covers at most 3 years (R-AU-1); choose a later start."
    return ""
