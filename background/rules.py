"""Pure rules for fingerprints (R-FP-1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from compliance.engine import Obligation, PersonFacts, Rule, latest_on_or_before, not_required, status_for


def fingerprints(person: PersonFacts, submitted: Sequence[date], rule: Rule, today: date) -> Obligation:
    """R-FP-1: a fingerprint-based check submitted within 30 days of assignment (reminders at day 10 and
    day 20, i.e. 20 and 10 days before the deadline; overdue from day 31)."""
    due = rule.add_period(person.assigned_on)
    done_on = latest_on_or_before(submitted, today)
    status = status_for(due=due, satisfied=done_on is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"submitted {done_on:%Y-%m-%d}" if done_on else None, satisfied_on=done_on,
                      suspends_access=True)


def evaluate_background(person: PersonFacts, submitted: Sequence[date] | None, rules: Mapping[str, Rule],
                        today: date) -> list[Obligation]:
    if person.is_separated:
        return [not_required(rules["fingerprints"])]
    return [fingerprints(person, submitted or (), rules["fingerprints"], today)]


# R-BG-2: the adjudication path. A denial may lead to an exception request to the Superintendent of State
# Police, which is granted or refused; a cleared check and a decided exception are final.
ADJUDICATION_STEPS = {
    "pending": ("cleared", "denied"),
    "denied": ("exception_requested",),
    "exception_requested": ("exception_granted", "exception_refused"),
    "cleared": (),
    "exception_granted": (),
    "exception_refused": (),
}


def allowed_outcomes(current: str) -> tuple[str, ...]:
    """R-BG-2: the outcomes a check may move to from ``current``."""
    return ADJUDICATION_STEPS.get(current, ())
