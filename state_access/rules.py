"""Pure rules for state accounts (R-AC-1..4).

No ORM and no clock: "today" (a date in the agency's zone) or "now" (an aware datetime) is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from common.dates import in_words, lateness
from compliance.engine import DONE, DUE_SOON, OVERDUE, Obligation, PersonFacts, Rule, not_required, status_for

from .defaults import rule as rule_or_default

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
                          satisfied_by=f"disabled {in_words(done)}" + (f" ({lateness(late)})" if late else ""),
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
                      satisfied_by=f"{label} {in_words(since)}" if status == DONE else None, **_key(account))


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
