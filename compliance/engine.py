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

The verdict (R-PE-3), exactly one per person, from ``verdict_for`` alone:
  ``eligible``           pending: everything before access is met ("ready for access"); active: nothing that
                         suspends access is overdue; suspended: the same ("may be restored")
  ``not_yet_eligible``   pending, with something before access left or something suspending overdue
  ``must_be_suspended``  active or suspended, with an obligation that suspends access overdue (a background
                         denial, R-BG-2, is such an obligation: the background provider makes it ``overdue``)
  ``separated``          separated: owes nothing
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from common.dates import add_months, in_words

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


# the verdict codes (R-PE-3): stored in StoredObligation.verdict, printed by compliance_report
ELIGIBLE = "eligible"
NOT_YET_ELIGIBLE = "not_yet_eligible"
MUST_BE_SUSPENDED = "must_be_suspended"
SEPARATED = "separated"
VERDICTS = (MUST_BE_SUSPENDED, NOT_YET_ELIGIBLE, ELIGIBLE, SEPARATED)  # display order: who needs action first
# the worklist's order: who must be suspended, then who is not yet eligible, then the rest (R-PE-3)
VERDICT_RANK = {MUST_BE_SUSPENDED: 0, NOT_YET_ELIGIBLE: 1, ELIGIBLE: 2, SEPARATED: 2}
VERDICT_LABELS = {
    MUST_BE_SUSPENDED: "Must be suspended",
    NOT_YET_ELIGIBLE: "Not yet eligible",
    ELIGIBLE: "Eligible",
    SEPARATED: "Separated",
}

# the person statuses (R-PE-1), as people.models.Person.Status spells them (the engine imports no model)
PENDING = "pending"
ACTIVE = "active"
SUSPENDED = "suspended"


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
    guidance: str = ""  # what a reminder tells its reader to do, and where; empty: the code's default (registry)

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
    status: str = ""  # pending / active / suspended / separated (R-PE-1); empty: active

    def __post_init__(self):  # ``is_separated`` and ``status`` agree: either one saying separated wins
        if self.is_separated:
            object.__setattr__(self, "status", SEPARATED)
        elif self.status == SEPARATED:
            object.__setattr__(self, "is_separated", True)
        elif not self.status:
            object.__setattr__(self, "status", ACTIVE)


@dataclass(frozen=True)
class Obligation:
    obligation: str
    rule_id: str
    status: str
    due: date | None
    title: str = ""
    satisfied_by: str | None = None  # e.g. "certification passed 2025-03-01 (Full Access, 91)"
    satisfied_on: date | None = None
    suspends_access: bool = False  # overdue → "access must be suspended" (R-CE-3, R-CE-4, R-SA-1, R-FP-1, R-BG-2)
    before_access: bool = False  # a pending person must have it met to be ready for access (R-BG-1, R-SA-1)
    is_sensitive: bool = False  # the reason is shown only to the LASO and LEDS Representative (R-BG-4)
    key: str = ""  # the object it concerns, where there is one (an incident, an account)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_met(self) -> bool:
        """Satisfied for now: done, not required, or a recurring one with a record that is only coming due."""
        return self.status in (DONE, NOT_REQUIRED) or (self.status != OVERDUE and self.satisfied_on is not None)

    def masked(self) -> Obligation:
        """R-BG-4: what someone who may not read background records sees of a sensitive obligation: complete or
        pending, nothing of an outcome, a date or a rule that would tell a denial apart."""
        if not self.is_sensitive:
            return self
        done = self.status in (DONE, NOT_REQUIRED)
        return Obligation(self.obligation, "R-BG-4", DONE if done else OPEN, None,
                          "details only for the LASO and the LEDS Representative",
                          satisfied_by="complete" if done else None, suspends_access=self.suspends_access,
                          before_access=self.before_access, is_sensitive=True, key=self.key)

    @property
    def reason(self) -> str:
        """The obligation as a verdict's reason: rule ID, then a plain sentence ("R-SA-1 — security awareness
        training …: overdue since Mar 2, 2026")."""
        if self.extra.get("flag"):
            return f"{self.rule_id} — {self.extra['flag']} ({self.title})"
        if self.status == OVERDUE and self.due:
            state = f"overdue since {in_words(self.due + timedelta(days=1))}"
        elif self.due:
            state = f"due {in_words(self.due)}"
        else:
            state = "not done yet"
        return f"{self.rule_id} — {self.title}: {state}"

    @property
    def flag(self) -> str:
        """What the UI prints next to the status: "Overdue since Mar 1, 2026 — R-CE-4: …".

        A provider may name the state itself in ``extra["flag"]`` ("Background check denied Mar 1, 2026")."""
        reference = f"{self.rule_id}: {self.title}"
        if self.extra.get("flag"):
            return f"{self.extra['flag']} — {reference}"
        if self.status == OVERDUE and self.due:
            return f"Overdue since {in_words(self.due + timedelta(days=1))} — {reference}"
        if self.status == DUE_SOON and self.due:
            return f"Due {in_words(self.due)} — {reference}"
        if self.status == OPEN and self.due:
            return f"Due {in_words(self.due)} — {reference}"
        if self.status == DONE and self.due:
            return f"Done; next due {in_words(self.due)} — {reference}"
        if self.status == DONE:
            return f"Done — {reference}"
        if self.status == NOT_REQUIRED:
            return f"Not required — {reference}"
        return f"Open — {reference}"


@dataclass(frozen=True)
class Verdict:
    """A person's one verdict (R-PE-3): ``code`` is one of ELIGIBLE, NOT_YET_ELIGIBLE, MUST_BE_SUSPENDED, SEPARATED;
    ``reasons`` are the obligations behind a verdict other than eligible (empty for eligible and separated)."""

    code: str
    reasons: tuple[Obligation, ...] = ()
    person_status: str = ACTIVE

    @property
    def reason_ids(self) -> tuple[str, ...]:
        """The rule IDs behind the verdict, in the reasons' order, each once."""
        return tuple(dict.fromkeys(o.rule_id for o in self.reasons))

    @property
    def label(self) -> str:
        """The verdict in plain words, as every page, e-mail and report prints it."""
        if self.code == SEPARATED:
            return "No LEDS access (separated)"
        if self.code == MUST_BE_SUSPENDED:
            return "Access must be suspended"
        if self.code == NOT_YET_ELIGIBLE:
            return "Not yet eligible for LEDS access"
        if self.person_status == PENDING:
            return "Eligible: ready for LEDS access"
        if self.person_status == SUSPENDED:
            return "Eligible: LEDS access may be restored"
        return "Eligible for LEDS access"

    @property
    def short_label(self) -> str:
        return VERDICT_LABELS[self.code]

    @property
    def summary(self) -> str:
        """"Must be suspended — R-BG-2, R-SA-1": the label a list or a subject line prints."""
        ids = ", ".join(self.reason_ids)
        return f"{self.short_label} — {ids}" if ids else self.short_label

    # older callers: "eligible" meant "nothing must be suspended", "applicable" meant "not separated"
    @property
    def eligible(self) -> bool:
        return self.code == ELIGIBLE

    @property
    def applicable(self) -> bool:
        return self.code != SEPARATED


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
    """R-PE-3: the one verdict, from the person's status and the engine's obligations.

    * separated: owes nothing;
    * pending: eligible ("ready for access") when every before-access obligation is met (R-BG-1 background
      cleared or an exception granted, R-SA-1 security awareness done) and nothing that suspends access is
      overdue; otherwise not yet eligible, listing what remains (certification is not before access, R-CE-3);
    * active or suspended: must be suspended when an obligation that suspends access is overdue (a background
      denial is one, R-BG-2); otherwise eligible ("may be restored" for a suspended person).
    """
    if person.status == SEPARATED:
        return Verdict(SEPARATED, person_status=person.status)
    overdue = [o for o in obligations if o.suspends_access and o.status == OVERDUE]
    if person.status == PENDING:
        remaining = [o for o in obligations if o.before_access and not o.is_met]
        reasons = (*remaining, *(o for o in overdue if not any(o is r for r in remaining)))
        return Verdict(NOT_YET_ELIGIBLE if reasons else ELIGIBLE, reasons, person_status=person.status)
    return Verdict(MUST_BE_SUSPENDED if overdue else ELIGIBLE, tuple(overdue), person_status=person.status)


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
