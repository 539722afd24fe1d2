"""The records import for agencies moving from spreadsheets (R-FP-1, R-CE-2..4, R-SA-1), on common/tabular.py.

Header: ``employee_id,record,date,level,score,tier``; ``record`` is one of RECORD_KINDS. All or nothing;
every record the file holds is kept, and re-importing the same file adds nothing and changes nothing (a record
already on file — same person, kind and date, and the same level for a pass or tier for security awareness —
is skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts import security_log
from accounts.models import SecurityEvent
from background.models import FingerprintCheck
from background.rules import allowed_outcomes
from background.services import adjudicate, record_fingerprints_imported
from common.batches import chunked
from common.dates import in_words
from common.signals import records_changed
from common.tabular import DateColumn, RowError, iter_valid_rows, read_table
from people.models import Agency, Person

from .models import (
    CertificationLevel,
    CertificationResult,
    SecurityAwarenessCompletion,
    TrainingGuideCompletion,
    TrainingGuideIssue,
)
from .services import add_guide_completion

# R-BG-2: a background decision, dated with its decision date, applied to the person's latest fingerprint
# submission on or before that date; the step each kind records
BACKGROUND_KINDS = {
    "background_cleared": "cleared",
    "background_denied": "denied",
    "exception_requested": "exception_requested",
    "exception_granted": "exception_granted",
    "exception_refused": "exception_refused",
}
STEP_ORDER = {"cleared": 0, "denied": 0, "exception_requested": 1, "exception_granted": 2, "exception_refused": 2}
RECORD_KINDS = ("fingerprints_submitted", "training_guide_issued", "training_guide_completed",
                "certification_passed", "security_awareness_completed", *BACKGROUND_KINDS)
# what the LASO may import on the web (R-BG-4: background records are the LASO's and the LEDS Representative's)
LASO_KINDS = frozenset({"fingerprints_submitted", *BACKGROUND_KINDS})
REQUIRED = ["employee_id", "record", "date"]
OPTIONAL = ["level", "score", "tier", "reason", "notice_sent_on", "reference"]


class RecordRowForm(forms.Form):
    employee_id = forms.CharField(max_length=32)
    record = forms.CharField()
    date = DateColumn()
    level = forms.CharField(required=False)
    score = forms.IntegerField(required=False, min_value=0, max_value=100,
                               error_messages={"min_value": "must be 0 to 100", "max_value": "must be 0 to 100",
                                               "invalid": "must be a whole number from 0 to 100"})
    tier = forms.TypedChoiceField(required=False, choices=[("", "")] + [(str(t), str(t)) for t in (1, 2, 3, 4)],
                                  coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": "must be 1, 2, 3 or 4"})

    reason = forms.CharField(required=False)
    notice_sent_on = DateColumn(required=False)
    reference = forms.CharField(required=False, max_length=80)

    def __init__(self, *args, levels: dict, kinds=RECORD_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.kinds = kinds

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            return ""
        choices = {value: value for value in FingerprintCheck.DenialReason.values}
        choices.update((label.lower(), value) for value, label in FingerprintCheck.DenialReason.choices)
        value = choices.get(reason.lower().replace(" ", "_")) or choices.get(reason.lower())
        if value is None:
            raise forms.ValidationError(f'"{reason}" is not a denial reason '
                                        f'({", ".join(FingerprintCheck.DenialReason.values)})')
        return value

    def clean_record(self):
        kind = self.cleaned_data["record"].strip().lower()
        if kind not in RECORD_KINDS:
            raise forms.ValidationError(f'"{kind}" is not a record kind ({", ".join(RECORD_KINDS)})')
        if kind not in self.kinds:
            raise forms.ValidationError(f'"{kind}" is imported by the LEDS Representative; you may import '
                                        f'{", ".join(k for k in RECORD_KINDS if k in self.kinds)}')
        return kind

    def clean(self):
        data = super().clean()
        if data.get("record") == "certification_passed":
            name = (data.get("level") or "").strip()
            if not name:
                self.add_error("level", "is required for certification_passed")
            elif name.lower() not in self.levels:
                self.add_error("level", f'"{name}" is not a certification level ({", ".join(self.levels.values())})')
        return data


@dataclass
class RecordsPlan:
    agency: Agency
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # formula-like cells (common.tabular)
    new: dict[str, list] = field(default_factory=dict)  # kind -> [(line, person, row)]
    skipped: int = 0
    background: list = field(default_factory=list)  # [(line, person, row)] decisions, in the order applied

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def added(self) -> int:
        return sum(len(rows) for rows in self.new.values()) + len(self.background)

    def summary(self) -> str:
        return f"added {self.added}, already on file {self.skipped}"


def _keys(agency: Agency) -> dict[str, set]:
    """What is already on file, by the key that makes two rows the same record (person, kind, date, and the
    level of a pass or the tier of a security-awareness completion)."""
    live = {"person__agency": agency, "voided_at__isnull": True}
    completed = set(TrainingGuideIssue.objects.filter(**live, completed_on__isnull=False)
                    .values_list("person_id", "completed_on"))
    completed |= set(TrainingGuideCompletion.objects.filter(guide__voided_at__isnull=True, **live)
                     .values_list("person_id", "completed_on"))
    return {
        "fingerprints_submitted": set(FingerprintCheck.objects.filter(**live).values_list("person_id",
                                                                                          "submitted_on")),
        "training_guide_issued": set(TrainingGuideIssue.objects.filter(**live).values_list("person_id",
                                                                                           "issued_on")),
        "training_guide_completed": completed,
        "certification_passed": set(CertificationResult.objects.filter(**live).values_list(
            "person_id", "passed_on", "level_id")),
        "security_awareness_completed": set(SecurityAwarenessCompletion.objects.filter(**live).values_list(
            "person_id", "completed_on", "tier")),
    }


def _key(person: Person, row: dict) -> tuple:
    kind = row["record"]
    if kind == "certification_passed":
        return (person.pk, row["date"], row["level_object"].pk)
    if kind == "security_awareness_completed":
        return (person.pk, row["date"], row["tier"] or person.role_tier)
    return (person.pk, row["date"])


@dataclass
class _Check:
    """A fingerprint check as the plan sees it: on file or new in this file, with its adjudication so far."""

    submitted_on: object
    outcome: str = "pending"
    result_on: object = None
    requested_on: object = None
    decided_on: object = None


def _on_file(check: _Check, step: str, on) -> bool:
    if step == "cleared":
        return check.outcome == "cleared" and check.result_on == on
    if step == "denied":
        return check.result_on == on and check.outcome not in ("pending", "cleared")
    if step == "exception_requested":
        return check.requested_on == on
    return check.outcome == step and check.decided_on == on


def _plan_background(plan: RecordsPlan, rows: list, agency: Agency) -> None:
    """R-BG-2: each decision goes to the person's latest fingerprint submission on or before its date (in this
    file or on file); the steps must follow the adjudication path, except that a decided exception may follow a
    denial directly (the request is then implied)."""

    label = dict(FingerprintCheck.Outcome.choices)
    checks: dict[int, list[_Check]] = {}
    for check in (FingerprintCheck.objects.filter(person__agency=agency, voided_at__isnull=True)
                  .order_by("submitted_on", "pk")):
        checks.setdefault(check.person_id, []).append(_Check(
            check.submitted_on, check.outcome, check.result_on, check.exception_requested_on,
            check.exception_decided_on))
    for _line, person, row in rows:
        if row["record"] == "fingerprints_submitted" and row["date"] not in {
                c.submitted_on for c in checks.get(person.pk, [])}:
            checks.setdefault(person.pk, []).append(_Check(row["date"]))
    decisions = sorted(((line, person, row) for line, person, row in rows if row["record"] in BACKGROUND_KINDS),
                       key=lambda r: (r[2]["date"], STEP_ORDER[BACKGROUND_KINDS[r[2]["record"]]], r[0]))
    seen = set()
    for line, person, row in decisions:
        step, on = BACKGROUND_KINDS[row["record"]], row["date"]
        earlier = [c for c in checks.get(person.pk, []) if c.submitted_on <= on]
        if not earlier:
            plan.errors.append(RowError(line, "date", "no fingerprint submission for this person on or before "
                                                      "this date (add a fingerprints_submitted row)"))
            continue
        check = max(earlier, key=lambda c: c.submitted_on)
        if _on_file(check, step, on) or (person.pk, step, on) in seen:
            plan.skipped += 1
            continue
        implied = step in ("exception_granted", "exception_refused") and check.outcome == "denied"
        if step not in allowed_outcomes(check.outcome) and not implied:
            plan.errors.append(RowError(line, "record", f"the check submitted {in_words(check.submitted_on)} is "
                                                        f"{label[check.outcome].lower()}; it cannot become "
                                                        f"{label[step].lower()} on {in_words(on)}"))
            continue
        seen.add((person.pk, step, on))
        check.outcome = step
        if step in ("cleared", "denied"):
            check.result_on = on
        elif step == "exception_requested":
            check.requested_on = on
        else:
            check.decided_on = on
        plan.background.append((line, person, row))


def plan_records(*, agency: Agency, data: bytes, filename: str, kinds=RECORD_KINDS) -> RecordsPlan:
    """Check the whole file; nothing is written. Every record the file holds is kept: two passes on one day
    at different levels are two records, a second completion of a guide is kept beside the first."""
    table = read_table(data, filename, required=REQUIRED, known=OPTIONAL)
    level_objects = {lvl.name.lower(): lvl for lvl in CertificationLevel.objects.all()}
    plan = RecordsPlan(agency=agency)
    plan.warnings = table.warnings
    people = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    existing = _keys(agency)
    issued: dict[int, list] = {}
    for pid, issued_on in existing["training_guide_issued"]:
        issued.setdefault(pid, []).append(issued_on)
    rows = []
    # each row's cells go once it is checked: a 100,000-row file is held about once (issue 17, within 300 MB)
    for line, row in iter_valid_rows(table, RecordRowForm, plan.errors, release=True,
                                     levels={k: v.name for k, v in level_objects.items()}, kinds=kinds):
        person = people.get(row["employee_id"])
        if person is None:
            plan.errors.append(RowError(line, "employee_id", f'no person with employee ID "{row["employee_id"]}" '
                                                             f"in {agency.ori}"))
            continue
        if row["record"] == "training_guide_issued":
            issued.setdefault(person.pk, []).append(row["date"])
        if row["record"] == "certification_passed":
            row = {**row, "level_object": level_objects[row["level"].strip().lower()]}
        rows.append((line, person, row))
    for line, person, row in rows:
        if row["record"] == "training_guide_completed" and not any(
                d <= row["date"] for d in issued.get(person.pk, [])):
            plan.errors.append(RowError(line, "date", "no training guide was issued to this person on or before "
                                                      "this date (add a training_guide_issued row)"))
    _plan_background(plan, rows, agency)
    plan.errors.sort(key=lambda e: (e.line, e.column))
    if plan.errors:
        return plan
    seen = set()
    for line, person, row in rows:
        if row["record"] in BACKGROUND_KINDS:
            continue
        key = _key(person, row)
        if key in existing[row["record"]] or (row["record"], key) in seen:
            plan.skipped += 1
            continue
        seen.add((row["record"], key))
        plan.new.setdefault(row["record"], []).append((line, person, row))
    return plan


WRITE_BATCH = 1000  # records (and their history rows) built and written at a time (issue 17)
# the kinds written in bulk with history, in this order after the fingerprint submissions: (model, row -> record)
BULK_KINDS = {
    "training_guide_issued": (TrainingGuideIssue, lambda p, r: TrainingGuideIssue(person=p, issued_on=r["date"])),
    "certification_passed": (CertificationResult, lambda p, r: CertificationResult(
        person=p, passed_on=r["date"], level=r["level_object"], score=r["score"],
        source=CertificationResult.Source.IMPORT)),
    "security_awareness_completed": (SecurityAwarenessCompletion, lambda p, r: SecurityAwarenessCompletion(
        person=p, completed_on=r["date"], tier=r["tier"] or p.role_tier)),
}


def apply_records(*, plan: RecordsPlan, actor, filename: str, request=None) -> RecordsPlan:
    """Write a clean plan in one transaction. Background decisions go through the background services, one
    step at a time (R-BG-2), and an import holding any writes one security-log row (R-BG-4).

    Records written in bulk are built and written ``WRITE_BATCH`` at a time (with their history rows), so a
    100,000-row file never holds more than one batch of them next to the plan (issue 17: within 300 MB)."""
    if not plan.ok:
        raise ValueError("a records plan with errors cannot be applied")

    reason = f"Records import ({filename})"[:100]
    user = actor if getattr(actor, "pk", None) else None
    new = plan.new
    with transaction.atomic():
        # background's records through its services
        for rows in chunked(new.get("fingerprints_submitted", []), WRITE_BATCH):
            record_fingerprints_imported(rows=[(p, r["date"]) for _l, p, r in rows], actor=user, reason=reason)
        for kind, (model, build) in BULK_KINDS.items():
            people = set()
            for rows in chunked(new.get(kind, []), WRITE_BATCH):
                bulk_create_with_history([build(p, r) for _l, p, r in rows], model, batch_size=WRITE_BATCH,
                                         default_user=user, default_change_reason=reason)
                people.update(p.pk for _l, p, _r in rows)
            if people:  # a bulk write sends no history signal: mark these people's obligations stale (issue 23)
                records_changed.send(sender=model, person_ids=people)
        for _line, person, row in sorted(new.get("training_guide_completed", []), key=lambda x: x[2]["date"]):
            guide = (TrainingGuideIssue.objects.select_for_update()
                     .filter(person=person, voided_at__isnull=True, issued_on__lte=row["date"])
                     .order_by("-issued_on", "-pk").first())
            if guide is None:
                raise ValueError(f"no guide issued to {person} before {row['date']}")
            add_guide_completion(guide=guide, completed_on=row["date"], actor=user, reason=reason)
        for _line, person, row in plan.background:
            step, on = BACKGROUND_KINDS[row["record"]], row["date"]
            check = (FingerprintCheck.objects.filter(person=person, voided_at__isnull=True, submitted_on__lte=on)
                     .order_by("-submitted_on", "-pk").first())
            if step in ("exception_granted", "exception_refused") and check.outcome == "denied":
                check = adjudicate(check=check, outcome="exception_requested", on=on, actor=user, from_history=True,
                                   implied=True, reason=reason)
            adjudicate(check=check, outcome=step, on=on, actor=user, from_history=True, reason=reason,
                       denial_reason=row.get("reason") or "", notice_sent_on=row.get("notice_sent_on"),
                       reference=row.get("reference") or "")
        if plan.background:

            security_log.record(event=SecurityEvent.Kind.ADMIN_ACTION, actor=user, request=request,
                                agency=plan.agency, target=f"background records import ({filename})"[:200],
                                details={"action": "background records imported", "file": filename,
                                         "decisions": len(plan.background),
                                         "people": len({p.pk for _l, p, _r in plan.background})})
    return plan
