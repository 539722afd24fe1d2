"""The agreements' deadlines (R-AGR-2): pure functions over plain data, "today" passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from compliance.engine import Rule

# the rule-table rows these functions read (seeded by agreements/migrations/0003_rule_rows.py)
REVIEW = "agreement_review"
RESIGN = "agreement_resign"

IN_FORCE = "in_force"
REVIEW_DUE_SOON = "review_due_soon"
REVIEW_OVERDUE = "review_overdue"
RESIGN_NEEDED = "resign_needed"
LAPSED = "lapsed"
ENDED = "ended"
NOT_YET = "not_yet"
VOIDED = "voided"

STANDING_LABELS = {
    IN_FORCE: "In force",
    REVIEW_DUE_SOON: "Review due soon",
    REVIEW_OVERDUE: "Review overdue",
    RESIGN_NEEDED: "Re-sign needed",
    LAPSED: "Lapsed",
    ENDED: "Ended",
    NOT_YET: "Not yet in force",
    VOIDED: "Voided",
}
# the status tag colours already in the stylesheet
STANDING_TAGS = {IN_FORCE: "done", REVIEW_DUE_SOON: "due_soon", REVIEW_OVERDUE: "overdue", RESIGN_NEEDED: "due_soon",
                 LAPSED: "overdue", ENDED: "not_required", NOT_YET: "open", VOIDED: "not_required"}


@dataclass(frozen=True)
class SigningOfficial:
    name: str
    signed_on: date
    separated_on: date | None  # the day the linked person separated (agency time), if they did


@dataclass(frozen=True)
class AgreementFacts:
    effective_on: date
    ends_on: date | None
    last_reviewed_on: date | None
    signing_officials: tuple[SigningOfficial, ...] = ()  # the agency's signing officials, any order
    is_voided: bool = False


@dataclass(frozen=True)
class Standing:
    status: str
    review_due_on: date | None
    remind_on: date | None
    resign_by: date | None  # set while (or since) the current signing official has left
    departed_official: str = ""

    @property
    def label(self) -> str:
        return STANDING_LABELS[self.status]

    @property
    def tag(self) -> str:
        return STANDING_TAGS[self.status]

    def days_left(self, today: date) -> int | None:
        return (self.resign_by - today).days if self.resign_by else None


def review_due_on(*, effective_on: date, last_reviewed_on: date | None, rule: Rule) -> date:
    """R-AGR-2: an agreement is reviewed every 12 months, counted from its last review (or its start)."""
    return rule.add_period(last_reviewed_on or effective_on)


def review_reminder_on(*, due_on: date, rule: Rule) -> date:
    """R-AGR-2: the reminder goes out 30 days (the rule's lead days) before the review is due."""
    return due_on - timedelta(days=rule.window_days)


def current_signing_official(officials: tuple[SigningOfficial, ...]) -> SigningOfficial | None:
    """The signing official who signed last: a later signature replaces an earlier one."""
    return max(officials, key=lambda o: o.signed_on, default=None)


def resign_by(*, separated_on: date, rule: Rule) -> date:
    """R-AGR-2: when the signing official leaves, the agreement must be re-signed within 30 days or it lapses."""
    return rule.add_period(separated_on)


def standing(facts: AgreementFacts, *, review_rule: Rule, resign_rule: Rule, today: date) -> Standing:
    """R-AGR-2: where an agreement stands on ``today`` (a re-sign countdown outranks the annual review)."""
    due = review_due_on(effective_on=facts.effective_on, last_reviewed_on=facts.last_reviewed_on, rule=review_rule)
    remind = review_reminder_on(due_on=due, rule=review_rule)
    official = current_signing_official(facts.signing_officials)
    deadline = None
    departed = ""
    if official is not None and official.separated_on is not None:
        deadline = resign_by(separated_on=official.separated_on, rule=resign_rule)
        departed = official.name
    if facts.is_voided:
        status = VOIDED
    elif facts.ends_on is not None and facts.ends_on < today:
        status = ENDED
    elif facts.effective_on > today:
        status = NOT_YET
    elif deadline is not None:
        status = LAPSED if today > deadline else RESIGN_NEEDED
    elif today > due:
        status = REVIEW_OVERDUE
    elif today >= remind:
        status = REVIEW_DUE_SOON
    else:
        status = IN_FORCE
    return Standing(status=status, review_due_on=due, remind_on=remind, resign_by=deadline, departed_official=departed)
