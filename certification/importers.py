"""The records import for agencies moving from spreadsheets (R-FP-1, R-CE-2..4, R-SA-1), on common/tabular.py.

Header: ``employee_id,record,date,level,score,tier``; ``record`` is one of RECORD_KINDS. All or nothing;
re-importing the same file adds nothing (a record already on file — same person, kind and date — is skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from background.models import FingerprintCheck
from common.history import stamp
from common.signals import records_changed
from common.tabular import DateColumn, RowError, read_table, validate_rows
from people.models import Agency, Person

from .models import CertificationLevel, CertificationResult, SecurityAwarenessCompletion, TrainingGuideIssue

RECORD_KINDS = ("fingerprints_submitted", "training_guide_issued", "training_guide_completed",
                "certification_passed", "security_awareness_completed")
REQUIRED = ["employee_id", "record", "date"]
OPTIONAL = ["level", "score", "tier"]


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

    def __init__(self, *args, levels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels

    def clean_record(self):
        kind = self.cleaned_data["record"].strip().lower()
        if kind not in RECORD_KINDS:
            raise forms.ValidationError(f'"{kind}" is not a record kind ({", ".join(RECORD_KINDS)})')
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
    new: dict[str, list] = field(default_factory=dict)  # kind -> [(line, person, row)]
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def added(self) -> int:
        return sum(len(rows) for rows in self.new.values())

    def summary(self) -> str:
        return f"added {self.added}, already on file {self.skipped}"


def plan_records(*, agency: Agency, data: bytes, filename: str) -> RecordsPlan:
    table = read_table(data, filename, required=REQUIRED, known=OPTIONAL)
    level_objects = {lvl.name.lower(): lvl for lvl in CertificationLevel.objects.all()}
    cleaned, errors = validate_rows(table, RecordRowForm, levels={k: v.name for k, v in level_objects.items()})
    plan = RecordsPlan(agency=agency, errors=errors)
    people = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    existing = {
        "fingerprints_submitted": set(FingerprintCheck.objects.filter(person__agency=agency, voided_at__isnull=True)
                                      .values_list("person_id", "submitted_on")),
        "training_guide_issued": set(TrainingGuideIssue.objects.filter(person__agency=agency, voided_at__isnull=True)
                                     .values_list("person_id", "issued_on")),
        "training_guide_completed": set(TrainingGuideIssue.objects.filter(
            person__agency=agency, voided_at__isnull=True, completed_on__isnull=False,
        ).values_list("person_id", "completed_on")),
        "certification_passed": set(CertificationResult.objects.filter(person__agency=agency, voided_at__isnull=True)
                                    .values_list("person_id", "passed_on")),
        "security_awareness_completed": set(SecurityAwarenessCompletion.objects.filter(
            person__agency=agency, voided_at__isnull=True).values_list("person_id", "completed_on")),
    }
    issued: dict[int, list] = {}
    for pid, issued_on in existing["training_guide_issued"]:
        issued.setdefault(pid, []).append(issued_on)
    rows = []
    for line, row in cleaned:
        person = people.get(row["employee_id"])
        if person is None:
            plan.errors.append(RowError(line, "employee_id", f'no person with employee ID "{row["employee_id"]}" '
                                                             f"in {agency.ori}"))
            continue
        if row["record"] == "training_guide_issued":
            issued.setdefault(person.pk, []).append(row["date"])
        rows.append((line, person, row))
    for line, person, row in rows:
        if row["record"] == "training_guide_completed" and not any(
                d <= row["date"] for d in issued.get(person.pk, [])):
            plan.errors.append(RowError(line, "date", "no training guide was issued to this person on or before "
                                                      "this date (add a training_guide_issued row)"))
    plan.errors.sort(key=lambda e: (e.line, e.column))
    if plan.errors:
        return plan
    seen = set()
    for line, person, row in rows:
        key = (person.pk, row["date"])
        if key in existing[row["record"]] or (row["record"], key) in seen:
            plan.skipped += 1
            continue
        seen.add((row["record"], key))
        if row["record"] == "certification_passed":
            row = {**row, "level_object": level_objects[row["level"].strip().lower()]}
        plan.new.setdefault(row["record"], []).append((line, person, row))
    return plan


def apply_records(*, plan: RecordsPlan, actor, filename: str) -> RecordsPlan:
    if not plan.ok:
        raise ValueError("a records plan with errors cannot be applied")
    reason = f"Records import ({filename})"[:100]
    user = actor if getattr(actor, "pk", None) else None
    new = plan.new
    with transaction.atomic():
        bulk = [
            (FingerprintCheck, [FingerprintCheck(person=p, submitted_on=r["date"])
                                for _l, p, r in new.get("fingerprints_submitted", [])]),
            (TrainingGuideIssue, [TrainingGuideIssue(person=p, issued_on=r["date"])
                                  for _l, p, r in new.get("training_guide_issued", [])]),
            (CertificationResult, [CertificationResult(person=p, passed_on=r["date"], level=r["level_object"],
                                                       score=r["score"], source=CertificationResult.Source.IMPORT)
                                   for _l, p, r in new.get("certification_passed", [])]),
            (SecurityAwarenessCompletion, [SecurityAwarenessCompletion(person=p, completed_on=r["date"],
                                                                       tier=r["tier"] or p.role_tier)
                                           for _l, p, r in new.get("security_awareness_completed", [])]),
        ]
        for model, objects in bulk:
            if objects:
                bulk_create_with_history(objects, model, batch_size=1000, default_user=user,
                                         default_change_reason=reason)
                # a bulk write sends no history signal: mark these people's obligations stale (issue 23)
                records_changed.send(sender=model, person_ids={o.person_id for o in objects})
        for _line, person, row in sorted(new.get("training_guide_completed", []), key=lambda x: x[2]["date"]):
            guide = (TrainingGuideIssue.objects.select_for_update()
                     .filter(person=person, voided_at__isnull=True, issued_on__lte=row["date"])
                     .order_by("-issued_on").first())
            if guide is None:
                raise ValueError(f"no guide issued to {person} before {row['date']}")
            guide.completed_on = row["date"]
            stamp(guide, actor=user, reason=reason)
            guide.save()
    return plan
