"""The compliance engine: pure functions (records, rule table, date) → obligations.

Nothing here touches the database or the clock: callers pass plain data and ``today``. Every flag a
user sees — the dashboard, the person page, ``compliance_report``, reminders, the audit packet — comes
from ``evaluate_person`` / ``evaluate_agency`` below, through the providers the domain apps register
(compliance/registry.py).

Status vocabulary (exactly these words):
  ``done``          satisfied, and nothing due within its reminder window
  ``open``          outstanding, not yet in its reminder window (or nothing due yet: ``due`` is None)
  ``due_soon``      outstanding or expiring, within the window that opens on due - largest lead day (inclusive)
  ``overdue``       past due: something due on day D is overdue from D + 1
  ``not_required``  the person is separated, or their tier does not need it
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from common.dates import add_months

DONE = "done"
OPEN = "open"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NOT_REQUIRED = "not_required"
STATUSES = (OVERDUE, DUE_SOON, OPEN, DONE, NOT_REQUIRED)
STATUS_LABELS = {
    OVERDUE: "Overdue",
    DUE_SOON: "Due soon",
    OPEN: "Open",
    DONE: "Done",
    NOT_REQUIRED: "Not required",
}


@dataclass(frozen=True)
class Rule:
    """One row of the rule table (compliance.models.RuleSetting as plain data)."""

    obligation: str
    rule_id: str
    title: str
    period_value: int
    period_unit: str = "days"  # "days" or "months"
    lead_days: tuple[int, ...] = ()
    overdue_repeat_days: int = 7
    enabled: bool = True  # an administrator may switch a rule off (e.g. R-BG-3 rescreening, only recommended)

    def add_period(self, start: date) -> date:
        if self.period_unit == "months":
            return add_months(start, self.period_value)
        return start + timedelta(days=self.period_value)

    @property
    def window_days(self) -> int:
        return max(self.lead_days) if self.lead_days else 0


@dataclass(frozen=True)
class PersonFacts:
    """What the engine needs to know of a person."""

    pk: int
    employee_id: str
    name: str  # "Last, First"
    assigned_on: date
    role_tier: int
    is_separated: bool
    supervisor_id: int | None = None


@dataclass(frozen=True)
class Obligation:
    obligation: str
    rule_id: str
    status: str
    due: date | None
    title: str = ""
    satisfied_by: str | None = None  # e.g. "certification passed 2025-03-01 (Full Access, 91)"
    satisfied_on: date | None = None
    suspends_access: bool = False  # overdue → "access must be suspended" (R-CE-3, R-CE-4, R-SA-1, R-FP-1)
    is_sensitive: bool = False  # the reason is shown only to the LASO and LEDS Representative (R-BG-4)
    key: str = ""  # the object it concerns, where there is one (an incident, an account)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def flag(self) -> str:
        """What the UI prints next to the status: "Overdue since 2026-03-01 — R-CE-4: …"."""
        reference = f"{self.rule_id}: {self.title}"
        if self.status == OVERDUE and self.due:
            return f"Overdue since {self.due + timedelta(days=1):%Y-%m-%d} — {reference}"
        if self.status == DUE_SOON and self.due:
            return f"Due {self.due:%Y-%m-%d} — {reference}"
        if self.status == OPEN and self.due:
            return f"Due {self.due:%Y-%m-%d} — {reference}"
        if self.status == DONE and self.due:
            return f"Done; next due {self.due:%Y-%m-%d} — {reference}"
        if self.status == DONE:
            return f"Done — {reference}"
        if self.status == NOT_REQUIRED:
            return f"Not required — {reference}"
        return f"Open — {reference}"


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[Obligation, ...] = ()
    applicable: bool = True  # False for a separated person

    @property
    def label(self) -> str:
        if not self.applicable:
            return "No LEDS access (separated)"
        return "Eligible for LEDS access" if self.eligible else "Access must be suspended"


@dataclass(frozen=True)
class PersonCompliance:
    person: PersonFacts
    obligations: tuple[Obligation, ...]
    verdict: Verdict

    def by_name(self) -> dict[str, list[Obligation]]:
        grouped: dict[str, list[Obligation]] = {}
        for item in self.obligations:
            grouped.setdefault(item.obligation, []).append(item)
        return grouped


def status_for(*, due: date | None, satisfied: bool, today: date, rule: Rule, recurring: bool = False) -> str:
    """The status of one obligation on ``today`` (the rules in this module's docstring).

    One-shot obligations (fingerprints, initial certification) are ``done`` once satisfied. Recurring
    ones (recertification, security awareness) carry the next due date of the latest record, so a
    satisfied one is ``done`` until its window opens, then ``due_soon``, then ``overdue``.
    """
    if satisfied and not recurring:
        return DONE
    if due is None:
        return OPEN
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=rule.window_days):
        return DUE_SOON
    return DONE if satisfied else OPEN


def not_required(rule: Rule, *, key: str = "", extra: Mapping[str, str] | None = None) -> Obligation:
    return Obligation(rule.obligation, rule.rule_id, NOT_REQUIRED, None, rule.title, key=key, extra=extra or {})


def _is_off(item: Obligation, rules: Mapping[str, Rule]) -> bool:
    rule = rules.get(item.obligation)
    return rule is not None and not rule.enabled and item.status != NOT_REQUIRED


def switched_off(item: Obligation, rule: Rule) -> Obligation:
    """A rule switched off in the rule table asks nothing of anyone: its obligations are not required."""
    return Obligation(item.obligation, rule.rule_id, NOT_REQUIRED, None, rule.title, key=item.key, extra=item.extra,
                      satisfied_by="rule switched off in the rule table")


def latest_on_or_before(dates: Iterable[date | None], today: date) -> date | None:
    """The latest date not after ``today``: records dated after the evaluation date are ignored."""
    usable = [d for d in dates if d is not None and d <= today]
    return max(usable) if usable else None


def verdict_for(person: PersonFacts, obligations: Sequence[Obligation]) -> Verdict:
    """Eligible for LEDS access, or access must be suspended with the rules that say so."""
    if person.is_separated:
        return Verdict(eligible=False, applicable=False)
    reasons = tuple(o for o in obligations if o.suspends_access and o.status == OVERDUE)
    return Verdict(eligible=not reasons, reasons=reasons)


def evaluate_person(
    person: PersonFacts,
    records: Mapping[str, object],
    rules: Mapping[str, Rule],
    today: date,
    evaluators: Sequence[tuple[str, object]],
) -> PersonCompliance:
    """Run every registered evaluator over one person's records.

    ``records`` maps a provider name to that provider's plain data for this person; ``evaluators`` is
    ``[(provider name, function(person, records, rules, today) -> list[Obligation])]``.
    """
    obligations: list[Obligation] = []
    for name, evaluate in evaluators:
        obligations.extend(evaluate(person, records.get(name), rules, today))
    obligations = [switched_off(item, rules[item.obligation]) if _is_off(item, rules) else item for item in obligations]
    return PersonCompliance(person=person, obligations=tuple(obligations), verdict=verdict_for(person, obligations))


def evaluate_agency(
    people: Sequence[PersonFacts],
    records_by_provider: Mapping[str, Mapping[int, object]],
    rules: Mapping[str, Rule],
    today: date,
    evaluators: Sequence[tuple[str, object]],
) -> list[PersonCompliance]:
    """Every person of an agency, from data loaded once for the whole agency."""
    results = []
    for person in people:
        records = {name: by_person.get(person.pk) for name, by_person in records_by_provider.items()}
        results.append(evaluate_person(person, records, rules, today, evaluators))
    return results
