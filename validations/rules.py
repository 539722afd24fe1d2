"""The validation rules as pure functions (R-VA-2, R-VA-3, R-VA-4): plain data in, dates and verdicts out.

No ORM, no clock: "today" and the rule table's rows (``compliance.engine.Rule``) are passed in. The rule
table's validation rows are named in ``validations/defaults.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from common.dates import in_words
from compliance.engine import (
    DONE,
    DUE_SOON,
    NOT_REQUIRED,
    OPEN,
    OVERDUE,
    Obligation,
    PersonFacts,
    Rule,
    not_required,
    status_for,
)

from .defaults import VALIDATION_RULES

CERTIFICATION = "validation_certification"
WINDOW_OPENS = "validation_window_opens"
FIRST = "validation_first"
REPEAT = "validation_repeat"
WORKLIST = "validation_worklist"
# the rule table's row, as RULES.md seeds it, for an evaluation before the migration ran (tests, a fresh shell)
DEFAULT_WORKLIST_RULE = next(Rule(o, r, t, v, u, tuple(sorted(lead, reverse=True)))
                             for o, r, t, v, u, lead in VALIDATION_RULES if o == WORKLIST)

# the outcomes a validation counts for: the record stays in LEDS and has been validated (R-VA-2, R-VA-4)
VALIDATING_OUTCOMES = frozenset({"validated", "modified", "retained"})
CANCELLED = "cancelled"


def cycle_due_on(received_on: date, rule: Rule) -> date:
    """R-VA-3: the signed certification of a list is due ``rule`` (default 30 days) after receipt."""
    return rule.add_period(received_on)


def is_at_risk_of_purge(*, due_on: date, is_certified: bool, today: date) -> bool:
    """R-VA-3: a list not certified by its due date is at risk of purge from the day after."""
    return not is_certified and today > due_on


def first_validation_window(dte: date, rules: Mapping[str, Rule]) -> tuple[date, date]:
    """R-VA-2: the first validation falls between DTE + 60 and DTE + 90 days (both inclusive)."""
    return rules[WINDOW_OPENS].add_period(dte), rules[FIRST].add_period(dte)


def next_validation_due(*, dte: date, last_validated_on: date | None, is_person_record: bool,
                        rules: Mapping[str, Rule], cancelled_on: date | None = None) -> date | None:
    """R-VA-2: the next validation's due date, or None when none is due.

    Never validated: DTE + 90 days. Validated: person records every 12 months from the last validation;
    property records need only the first (the record type's flag). A cancelled record needs none.
    """
    if cancelled_on is not None:
        return None
    if last_validated_on is None:
        return first_validation_window(dte, rules)[1]
    if is_person_record:
        return rules[REPEAT].add_period(last_validated_on)
    return None


@dataclass(frozen=True)
class RegisterStatus:
    status: str  # the engine's vocabulary: open, due_soon, overdue, done, not_required (cancelled)
    due: date | None
    window_opens: date | None = None

    @property
    def label(self) -> str:
        if self.status == NOT_REQUIRED:
            return "Cancelled"
        if self.status == OPEN and self.window_opens:
            return f"Window opens {in_words(self.window_opens)}"
        return {DONE: "Done", OPEN: "Not yet due", DUE_SOON: "Due soon", OVERDUE: "Overdue"}[self.status]


def register_status(*, dte: date, last_validated_on: date | None, is_person_record: bool,
                    rules: Mapping[str, Rule], today: date, cancelled_on: date | None = None) -> RegisterStatus:
    """R-VA-2: where a registered entry stands on ``today``.

    First validation: ``open`` before DTE + 60, ``due_soon`` from DTE + 60 through DTE + 90, ``overdue`` after.
    Revalidation (person records): ``done`` until the rule's lead days before the due date, then ``due_soon``,
    ``overdue`` after it. A validated property record is ``done`` for good; a cancelled one ``not_required``.
    """
    if cancelled_on is not None:
        return RegisterStatus(NOT_REQUIRED, None)
    due = next_validation_due(dte=dte, last_validated_on=last_validated_on, is_person_record=is_person_record,
                              rules=rules)
    if due is None:
        return RegisterStatus(DONE, None)
    if today > due:
        return RegisterStatus(OVERDUE, due)
    if last_validated_on is None:
        opens = first_validation_window(dte, rules)[0]
        return RegisterStatus(DUE_SOON if today >= opens else OPEN, due, window_opens=opens)
    lead = rules[REPEAT].window_days
    return RegisterStatus(DUE_SOON if today >= due - timedelta(days=lead) else DONE, due)


def last_validated_after(*, previous: date | None, outcome: str, outcome_on: date | None) -> date | None:
    """R-VA-2: a validating outcome moves the last validation forward; others leave it."""
    if outcome in VALIDATING_OUTCOMES and outcome_on is not None:
        return max(previous, outcome_on) if previous else outcome_on
    return previous


def missing_contact(*, outcome: str, is_contact_required: bool, contact_count: int) -> str | None:
    """R-VA-4: the refusal message when an outcome needs a contact log entry and has none, else None.

    Wanted persons, missing persons, protection orders and vehicles need a contact with the complainant,
    victim, prosecutor or court before any outcome is recorded.
    """
    if outcome and is_contact_required and contact_count == 0:
        return ("R-VA-4: this record type needs a contact log entry (who, method, date, result) with the "
                "complainant, victim, prosecutor or court before an outcome is recorded.")
    return None


def can_certify(*, entry_count: int, with_outcome: int) -> bool:
    """R-VA-3: a list is certified only when every entry has an outcome."""
    return entry_count > 0 and with_outcome == entry_count


# --- the validator's worklist, an obligation of the engine (R-VA-3, R-VA-4) ----------------------------------

@dataclass(frozen=True)
class WorklistCycle:
    """One validator's share of one list: how many entries are assigned to them and how many lack an outcome."""

    cycle_pk: int
    received_on: date
    due_on: date
    assigned: int
    without_outcome: int
    last_outcome_on: date | None = None
    certified_on: date | None = None  # None while the list is not certified


def worklist_obligation(cycle: WorklistCycle, rule: Rule, today: date) -> Obligation:
    """R-VA-3: a validator's entries on a list all have an outcome by the list's due date.

    Open, then due soon inside the rule's largest lead day, overdue from the day after the due date, while any
    assigned entry lacks an outcome; done once every one has one, or once the list is certified.
    """
    key = f"cycle:{cycle.cycle_pk}"
    extra = {"received_on": in_words(cycle.received_on), "assigned": str(cycle.assigned),
             "without_outcome": str(cycle.without_outcome)}
    if cycle.certified_on is not None:
        return Obligation(rule.obligation, rule.rule_id, DONE, cycle.due_on, rule.title, key=key, extra=extra,
                          satisfied_by=f"list certified {in_words(cycle.certified_on)}",
                          satisfied_on=cycle.certified_on)
    satisfied = cycle.without_outcome == 0
    status = status_for(due=cycle.due_on, satisfied=satisfied, today=today, rule=rule)
    satisfied_by = None
    if satisfied:
        satisfied_by = ("the assigned entry has an outcome" if cycle.assigned == 1
                        else f"all {cycle.assigned} assigned entries have an outcome")
        if cycle.last_outcome_on:
            satisfied_by += f" (last {in_words(cycle.last_outcome_on)})"
    return Obligation(rule.obligation, rule.rule_id, status, cycle.due_on, rule.title, key=key, extra=extra,
                      satisfied_by=satisfied_by, satisfied_on=cycle.last_outcome_on if satisfied else None)


def evaluate_worklist(person: PersonFacts, records: Sequence[WorklistCycle] | None, rules: Mapping[str, Rule],
                      today: date) -> list[Obligation]:
    """One ``validation_worklist`` obligation per list with entries assigned to the person (key ``cycle:<pk>``).

    The provider loads only lists not yet certified, so a certified list's obligation drops out; a separated
    validator owes nothing (the LEDS Representative reassigns their entries).
    """
    if not records:
        return []
    rule = rules.get(WORKLIST) or DEFAULT_WORKLIST_RULE
    if person.is_separated:
        return [not_required(rule, key=f"cycle:{cycle.cycle_pk}") for cycle in records]
    return [worklist_obligation(cycle, rule, today) for cycle in records]
