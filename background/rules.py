"""Pure rules for fingerprints (R-FP-1), background checks (R-BG-1, R-BG-2) and state accounts (R-AC-2..4).

No ORM and no clock: "today" (a date in the agency's zone) or "now" (an aware datetime) is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from compliance.engine import (
    DONE,
    DUE_SOON,
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
            "extra": {"flag": f"{OUTCOME_WORDS[latest.outcome]} {decided:%Y-%m-%d}", "outcome": latest.outcome}})
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
                      due, rule.title, satisfied_by=f"cleared {last:%Y-%m-%d}", satisfied_on=last, is_sensitive=True)


def evaluate_background_check(person: PersonFacts, checks: Sequence[CheckFacts] | None, rules: Mapping[str, Rule],
                              today: date) -> list[Obligation]:
    return [background_check(person, checks or (), rules, today), rescreening(person, checks or (), rules, today)]


# --- state accounts (R-AC-2, R-AC-3) ------------------------------------------------------------------------

@dataclass(frozen=True)
class AccountFacts:
    pk: int
    system: str
    status: str
    requested_at: datetime
    activated_at: datetime | None = None
    disabled_at: datetime | None = None
    last_login_on: date | None = None

    @property
    def is_disabled(self) -> bool:
        return self.status == "disabled"

    @property
    def is_enabled(self) -> bool:
        return self.status in ("active", "disable_requested")


@dataclass(frozen=True)
class AccountRecords:
    """One person's accounts, their separation and transfers (if any) and the agency's zone."""

    accounts: tuple[AccountFacts, ...]
    separated_at: datetime | None
    transferred_at: tuple[datetime, ...]
    zone: tzinfo

    def ended_for(self, account: AccountFacts) -> datetime | None:
        return access_ended_at(self.separated_at, self.transferred_at, requested_at=account.requested_at)


def access_ended_at(separated_at: datetime | None, transferred_at: Sequence[datetime],
                    requested_at: datetime | None = None) -> datetime | None:
    """R-AC-2: the first moment the person no longer needed LEDS access: a separation or a transfer to duties
    that do not need it, whichever came first. A transfer before the account was requested does not count for
    it (the person came back to LEDS duties); a separation always does. (A date-only separation already counts
    from the end of that day in the agency's zone: people.services.separation_moment.)"""
    transfers = [t for t in transferred_at if requested_at is None or t >= requested_at]
    moments = [m for m in (separated_at, *transfers) if m is not None]
    return min(moments) if moments else None


def disablement_due_at(ended_at: datetime, rule: Rule) -> datetime:
    """R-AC-2: every account is due for disablement 24 *elapsed* hours later (the rule's period in days of 24
    hours). Counted in UTC so a daylight-saving change neither adds nor removes an hour."""
    return ended_at.astimezone(UTC) + timedelta(hours=24 * rule.period_value)


def hours_late(due_at: datetime | None, disabled_at: datetime | None, now: datetime) -> float:
    """R-AC-2: how many hours past due the account was (disabled late) or still is (not yet disabled)."""
    if due_at is None:
        return 0.0
    late = ((disabled_at or now) - due_at).total_seconds() / 3600
    return round(late, 1) if late > 0 else 0.0


def _key(account: AccountFacts) -> dict:
    return {"key": f"system:{account.system}", "extra": {"system": account.system}}


def account_disable(account: AccountFacts, ended_at: datetime | None, rule: Rule, zone: tzinfo,
                    today: date) -> Obligation:
    """R-AC-2: with access ended, the account is due for disablement 24 hours later; ``due`` is that moment's
    date in the agency's zone (the dashboard's account panel shows the exact hour and how late)."""
    if ended_at is None:
        return not_required(rule, **_key(account))
    due_at = disablement_due_at(ended_at, rule)
    due = due_at.astimezone(zone).date()
    made = dict(rule_id=rule.rule_id, title=rule.title, due=due, **_key(account))
    if account.is_disabled:
        late = hours_late(due_at, account.disabled_at, account.disabled_at)
        done = account.disabled_at.astimezone(zone)
        return Obligation(rule.obligation, status=DONE, satisfied_on=done.date(),
                          satisfied_by=f"disabled {done:%Y-%m-%d %H:%M}" + (f" ({late:g} h late)" if late else ""),
                          **made)
    return Obligation(rule.obligation, status=OVERDUE if today > due else DUE_SOON, **made)


def inactivity_since(account: AccountFacts, zone: tzinfo) -> date | None:
    """R-AC-3: the last recorded login, or the activation date when no login is recorded since."""
    activated = account.activated_at.astimezone(zone).date() if account.activated_at else None
    dates = [d for d in (account.last_login_on, activated) if d is not None]
    return max(dates) if dates else None


def account_inactive(account: AccountFacts, rules: Mapping[str, Rule], zone: tzinfo, today: date) -> Obligation:
    """R-AC-3: an account with no login for 90 days is flagged (due soon) and must be disabled within 7 days."""
    rule = rule_or_default(rules, "account_inactive")
    since = inactivity_since(account, zone)
    if not account.is_enabled or since is None:
        return not_required(rule, **_key(account))
    flagged_on = rule_or_default(rules, "account_inactivity").add_period(since)
    due = rule.add_period(flagged_on)
    status = DONE if today < flagged_on else DUE_SOON if today <= due else OVERDUE
    label = "last login" if account.last_login_on and account.last_login_on >= since else "active since"
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"{label} {since:%Y-%m-%d}" if status == DONE else None, **_key(account))


def evaluate_accounts(person: PersonFacts, records: AccountRecords | None, rules: Mapping[str, Rule],
                      today: date) -> list[Obligation]:
    """One ``account_disable`` and one ``account_inactive`` per account (key ``system:<name>``)."""
    if records is None:
        return []
    disable_rule = rule_or_default(rules, "account_disable")
    obligations = []
    for account in records.accounts:
        obligations.append(account_disable(account, records.ended_for(account), disable_rule, records.zone, today))
        obligations.append(account_inactive(account, rules, records.zone, today))
    return obligations


# --- the annual access review (R-AC-4) -----------------------------------------------------------------------

def access_review_due(*, last_signed_on: date | None, first_active_on: date | None, rule: Rule) -> date | None:
    """R-AC-4: a year after the last signed review; before the first, a year after the first account became
    active (nothing due while the agency has no account)."""
    start = last_signed_on or first_active_on
    return rule.add_period(start) if start else None


def access_review_status(*, due: date | None, today: date, rule: Rule) -> str:
    return status_for(due=due, satisfied=True, today=today, rule=rule, recurring=True) if due else DONE


# R-AC-1: the account lifecycle, requested → active → disable requested → disabled. A request that is never
# fulfilled may be withdrawn through "disable requested"; an account the LEDS Representative disables at once
# skips the request step.
ACCOUNT_STEPS = {
    "requested": ("active", "disable_requested"),
    "active": ("disable_requested", "disabled"),
    "disable_requested": ("disabled",),
    "disabled": (),
}


def allowed_account_steps(current: str) -> tuple[str, ...]:
    """R-AC-1: the statuses an account may move to from ``current``."""
    return ACCOUNT_STEPS.get(current, ())
