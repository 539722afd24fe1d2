"""Pure rules for fingerprints (R-FP-1) and background checks (R-BG-1..3); state accounts: state_access/rules.py.

No ORM and no clock: "today" (a date in the agency's zone) or "now" (an aware datetime) is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from common.dates import in_words
from compliance.engine import (
    DONE,
    OVERDUE,
    Obligation,
    PersonFacts,
    Rule,
    latest_on_or_before,
    not_required,
    status_for,
)

from .defaults import rule as rule_or_default


def fingerprints(person: PersonFacts, submitted: Sequence[date], rule: Rule, today: date) -> Obligation:
    """R-FP-1: a fingerprint-based check submitted within 30 days of assignment (reminders at day 10 and
    day 20, i.e. 20 and 10 days before the deadline; overdue from day 31)."""
    due = rule.add_period(person.assigned_on)
    done_on = latest_on_or_before(submitted, today)
    status = status_for(due=due, satisfied=done_on is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"submitted {in_words(done_on)}" if done_on else None, satisfied_on=done_on,
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


CLEARED_OUTCOMES = ("cleared", "exception_granted")


def is_cleared(outcome: str) -> bool:
    """R-BG-1 / R-BG-2: cleared outright, or by an exception the Superintendent granted."""
    return outcome in CLEARED_OUTCOMES


def may_activate_account(outcomes: Sequence[str]) -> bool:
    """R-BG-1: an account may become active only once one of the person's checks (not voided) is cleared."""
    return any(is_cleared(outcome) for outcome in outcomes)


# --- background_check (R-BG-1) ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckFacts:
    submitted_on: date
    outcome: str
    decided_on: date | None = None  # result date, or the exception decision's date


DENIED_OUTCOMES = ("denied", "exception_requested", "exception_refused")  # the denial stands (R-BG-2)
OUTCOME_WORDS = {"denied": "Background check denied", "exception_requested": "Background check denied, exception "
                 "requested", "exception_refused": "Exception refused"}


def latest_decision(checks: Sequence[CheckFacts], today: date) -> CheckFacts | None:
    """R-BG-2: the check whose decision is the latest on or before ``today`` (a decision dated later is not yet
    known on ``today``). Its outcome is what the background says: cleared, or denied."""
    decided = [c for c in checks if c.outcome != "pending" and c.submitted_on <= today
               and (c.decided_on or c.submitted_on) <= today]
    return max(decided, key=lambda c: (c.decided_on or c.submitted_on, c.submitted_on)) if decided else None


def is_denied(checks: Sequence[CheckFacts], today: date) -> bool:
    """R-BG-2: the latest decision is a denial or a refused exception (or a denial whose exception is still
    being decided), with no later clearance or granted exception."""
    latest = latest_decision(checks, today)
    return latest is not None and latest.outcome in DENIED_OUTCOMES


def background_check(person: PersonFacts, checks: Sequence[CheckFacts], rules: Mapping[str, Rule],
                     today: date) -> Obligation:
    """R-BG-1: open until a check is cleared (an exception granted counts). With no check on file the
    obligation runs on R-FP-1's clock (open, due soon, overdue). R-BG-2: a check with no decision runs on the
    decision clock (default 60 days from submission, assumed) and is overdue past it; a denial (the latest
    decision a denial or refused exception) makes it overdue citing R-BG-2, whatever the person's status.
    Sensitive (R-BG-4): others see only "complete" / "pending"."""
    rule = rule_or_default(rules, "background_check")
    if person.is_separated:
        return not_required(rule)
    made = {"rule_id": rule.rule_id, "title": rule.title, "is_sensitive": True, "suspends_access": True,
            "before_access": True}
    on_file = [c for c in checks if c.submitted_on <= today]
    latest = latest_decision(on_file, today)
    decision = rule_or_default(rules, "background_decision")
    if latest is not None and is_cleared(latest.outcome):
        return Obligation(rule.obligation, status=DONE, due=None, satisfied_by="background check complete",
                          satisfied_on=latest.decided_on or latest.submitted_on, **made)
    if latest is not None:  # R-BG-2: denied, with no later clearance or granted exception
        decided = latest.decided_on or latest.submitted_on
        return Obligation(rule.obligation, status=OVERDUE, due=decided, **{
            **made, "rule_id": decision.rule_id,
            "title": "denied, with no later clearance or exception granted (ineligible for LEDS access)",
            "extra": {"flag": f"{OUTCOME_WORDS[latest.outcome]} {in_words(decided)}", "outcome": latest.outcome}})
    if on_file:  # R-BG-2: awaiting a decision, on the decision clock from the latest submission
        submitted = max(c.submitted_on for c in on_file)
        due = decision.add_period(submitted)
        status = status_for(due=due, satisfied=False, today=today, rule=decision)
        cited = {**made, "rule_id": decision.rule_id, "title": decision.title} if status == OVERDUE else made
        return Obligation(rule.obligation, status=status, due=due, **cited)
    clock = rules["fingerprints"]
    due = clock.add_period(person.assigned_on)
    return Obligation(rule.obligation, status=status_for(due=due, satisfied=False, today=today, rule=clock), due=due,
                      **made)


def rescreening(person: PersonFacts, checks: Sequence[CheckFacts], rules: Mapping[str, Rule],
                today: date) -> Obligation:
    """R-BG-3: a new fingerprint-based check comes due a period (default 5 years) after the latest cleared one.

    Only recommended: it never suspends access, and the rule table may switch it off. Sensitive (R-BG-4).
    """
    rule = rule_or_default(rules, "background_rescreening")
    cleared = [c.decided_on or c.submitted_on for c in checks if c.submitted_on <= today and is_cleared(c.outcome)]
    if person.is_separated or not cleared:
        return not_required(rule)  # before the first clearance, background_check is what is owed
    last = max(cleared)
    due = rule.add_period(last)
    return Obligation(rule.obligation, rule.rule_id, status_for(due=due, satisfied=True, today=today, rule=rule,
                                                                recurring=True),
                      due, rule.title, satisfied_by=f"cleared {in_words(last)}", satisfied_on=last, is_sensitive=True)


def evaluate_background_check(person: PersonFacts, checks: Sequence[CheckFacts] | None, rules: Mapping[str, Rule],
                              today: date) -> list[Obligation]:
    return [background_check(person, checks or (), rules, today), rescreening(person, checks or (), rules, today)]
