"""Pure rules for training guides, certification and security awareness (R-CE-2..4, R-SA-1).

Each function takes one person's records as plain data, the rule table and ``today``; no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from common.dates import in_words
from compliance.engine import (
    Obligation,
    PersonFacts,
    Rule,
    latest_on_or_before,
    not_required,
    status_for,
)


@dataclass(frozen=True)
class Pass:
    passed_on: date
    level: str
    score: int | None = None


@dataclass(frozen=True)
class GuideIssue:
    issued_on: date
    completed_on: date | None = None


@dataclass(frozen=True)
class Awareness:
    completed_on: date
    tier: int


@dataclass(frozen=True)
class Incident:
    pk: int
    occurred_on: date
    summary: str


@dataclass(frozen=True)
class CertificationRecords:
    passes: tuple[Pass, ...] = ()
    guides: tuple[GuideIssue, ...] = ()
    awareness: tuple[Awareness, ...] = ()
    incidents: tuple[Incident, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)


EMPTY = CertificationRecords()


def needs_leds_certification(tier: int) -> bool:
    """Tier 1 (physical access only) needs fingerprints and security awareness, but no certification
    or training guide."""
    return tier >= 2


def training_guide_issue(person: PersonFacts, guides, rule: Rule, today: date) -> Obligation:
    """R-CE-2: the guide is issued within 10 days of the person first needing access (assignment)."""
    due = rule.add_period(person.assigned_on)
    issued = latest_on_or_before((g.issued_on for g in guides), today)
    status = status_for(due=due, satisfied=issued is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"issued {in_words(issued)}" if issued else None, satisfied_on=issued)


def training_guide_completion(person: PersonFacts, guides, rule: Rule, today: date) -> Obligation:
    """R-CE-2: completed within 60 days of issue; ``open`` with no due date until a guide is issued."""
    issued = [g for g in guides if g.issued_on <= today]
    if not issued:
        return Obligation(rule.obligation, rule.rule_id, status_for(due=None, satisfied=False, today=today, rule=rule),
                          None, rule.title)
    latest = max(issued, key=lambda g: g.issued_on)  # a later issue supersedes an earlier one
    due = rule.add_period(latest.issued_on)
    done_on = latest.completed_on if latest.completed_on and latest.completed_on <= today else None
    status = status_for(due=due, satisfied=done_on is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"completed {in_words(done_on)}" if done_on else None, satisfied_on=done_on)


def _describe(p: Pass) -> str:
    score = f", score {p.score}" if p.score is not None else ""
    return f"passed {in_words(p.passed_on)} ({p.level}{score})"


def initial_certification(person: PersonFacts, passes, rule: Rule, today: date) -> Obligation:
    """R-CE-3: a first pass within 6 months of assignment; a late pass still satisfies it."""
    due = rule.add_period(person.assigned_on)
    usable = [p for p in passes if p.passed_on <= today]
    first = min(usable, key=lambda p: p.passed_on) if usable else None
    status = status_for(due=due, satisfied=first is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=_describe(first) if first else None,
                      satisfied_on=first.passed_on if first else None, suspends_access=True)


def recertification(person: PersonFacts, passes, rule: Rule, today: date) -> Obligation:
    """R-CE-4: a pass on P expires on P + 24 months (clamped to month end); ``open`` before a first pass."""
    usable = [p for p in passes if p.passed_on <= today]
    if not usable:
        return Obligation(rule.obligation, rule.rule_id, "open", None, rule.title, suspends_access=True)
    latest = max(usable, key=lambda p: p.passed_on)
    due = rule.add_period(latest.passed_on)
    status = status_for(due=due, satisfied=True, today=today, rule=rule, recurring=True)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title, satisfied_by=_describe(latest),
                      satisfied_on=latest.passed_on, suspends_access=True)


def at_tier(person: PersonFacts, awareness) -> list[Awareness]:
    """R-SA-1: training at the person's role tier; a completion at a lower tier does not count, a higher one does."""
    return [a for a in awareness if a.tier >= person.role_tier]


def security_awareness(person: PersonFacts, awareness, rule: Rule, today: date) -> Obligation:
    """R-SA-1: before access (due on the assignment date), then every 12 months from the last completion at
    the person's role tier (or above)."""
    latest = latest_on_or_before((a.completed_on for a in at_tier(person, awareness)), today)
    due = rule.add_period(latest) if latest else person.assigned_on
    status = status_for(due=due, satisfied=latest is not None, today=today, rule=rule, recurring=True)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"completed {in_words(latest)}" if latest else None, satisfied_on=latest,
                      suspends_access=True, before_access=True)


def security_retraining(person: PersonFacts, incident: Incident, awareness, rule: Rule, today: date) -> Obligation:
    """R-SA-1: retraining within 30 days of a security incident the person was involved in; a security
    awareness completion at the person's tier (or above) on or after the incident date satisfies it."""
    due = incident.occurred_on + timedelta(days=rule.period_value) if rule.period_unit == "days" \
        else rule.add_period(incident.occurred_on)
    after = latest_on_or_before((a.completed_on for a in at_tier(person, awareness)
                                 if a.completed_on >= incident.occurred_on), today)
    status = status_for(due=due, satisfied=after is not None, today=today, rule=rule)
    return Obligation(rule.obligation, rule.rule_id, status, due, rule.title,
                      satisfied_by=f"completed {in_words(after)}" if after else None, satisfied_on=after,
                      key=f"incident:{incident.pk}", extra={"incident": incident.summary})


def evaluate_certification(person: PersonFacts, records: CertificationRecords | None, rules: Mapping[str, Rule],
                           today: date) -> list[Obligation]:
    """Every training/certification obligation of one person (the certification provider)."""
    records = records or EMPTY
    names = ["training_guide_issue", "training_guide_completion", "initial_certification", "recertification",
             "security_awareness"]
    if person.is_separated:
        result = [not_required(rules[n]) for n in names]
        result += [not_required(rules["security_retraining"], key=f"incident:{i.pk}") for i in records.incidents]
        return result
    certified = needs_leds_certification(person.role_tier)
    result = []
    if certified:
        result.append(training_guide_issue(person, records.guides, rules["training_guide_issue"], today))
        result.append(training_guide_completion(person, records.guides, rules["training_guide_completion"], today))
        result.append(initial_certification(person, records.passes, rules["initial_certification"], today))
        result.append(recertification(person, records.passes, rules["recertification"], today))
    else:
        result += [not_required(rules[n]) for n in names[:4]]
    result.append(security_awareness(person, records.awareness, rules["security_awareness"], today))
    for incident in sorted(records.incidents, key=lambda i: i.occurred_on):
        if incident.occurred_on <= today:
            result.append(security_retraining(person, incident, records.awareness, rules["security_retraining"], today))
    return result




# In-house certification classes (R-CE-5) ---------------------------------------------------------------------

RECORDED_IN_LEDS = "class_pass_recorded_in_leds"  # the rule-table row (certification/migrations/0004)
RECORDED_IN_LEDS_DEFAULT_DAYS = 5


def seats_left(*, capacity: int, taken: int) -> int:
    """R-CE-5: seats still free on a class roster (never negative)."""
    return max(capacity - taken, 0)


def results_recordable(*, held_on: date, today: date) -> bool:
    """R-CE-5: attendance and results are recorded on or after the class day, not before."""
    return today >= held_on


def days_unrecorded(*, passed_on: date, today: date) -> int:
    """R-CE-5: how many days a class pass has waited to be recorded in LEDS."""
    return max((today - passed_on).days, 0)


def leds_recording_late(*, passed_on: date, today: date, days: int) -> bool:
    """R-CE-5: a pass not recorded in LEDS for more than ``days`` days (rule table, default 5) is flagged."""
    return days_unrecorded(passed_on=passed_on, today=today) > days
