"""Reads of audits, findings and packets: fixed numbers of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.engine import Rule
from compliance.selectors import rule_table

from . import rules
from .defaults import AUDIT_RULES
from .models import Audit, Finding


def audit_rule() -> Rule:
    defaults = {o: Rule(o, rid, title, value, unit, tuple(lead)) for o, rid, title, value, unit, lead in AUDIT_RULES}
    return rule_table().get(rules.STATE_AUDIT, defaults[rules.STATE_AUDIT])


@dataclass
class AuditStatus:
    last_audit: Audit | None  # the last state (OSP) audit
    next_due_on: date | None
    is_overdue: bool
    open_findings: list[Finding]
    rule: Rule
    today: date

    @property
    def overdue_findings(self) -> list[Finding]:
        return [f for f in self.open_findings if f.due_on and f.due_on < self.today]


def audit_status(*, audits, today: date) -> AuditStatus:
    """R-AU-1: the last state audit, the next one due (3 years later) and the open corrective actions.

    ``audits``: a scoped Audit queryset of one agency. Three queries (rule table, last audit, open findings).
    """
    rule = audit_rule()
    live = audits.filter(voided_at__isnull=True)
    last = live.filter(auditor=Audit.Auditor.OSP).order_by("-audited_on", "-pk").first()
    due = rules.next_audit_due(last_audited_on=last.audited_on if last else None, rule=rule)
    open_findings = list(
        Finding.objects.filter(audit__in=live, voided_at__isnull=True, completed_on__isnull=True)
        .select_related("audit").order_by("due_on", "pk")
    )
    return AuditStatus(last_audit=last, next_due_on=due, is_overdue=bool(due and due < today),
                       open_findings=open_findings, rule=rule, today=today)


def last_audit_on(*, agency) -> date | None:
    """The last audit of any kind (the packet's default period starts there, R-AU-1)."""
    last = Audit.objects.filter(agency=agency, voided_at__isnull=True).order_by("-audited_on").first()
    return last.audited_on if last else None
