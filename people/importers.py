"""The roster import from HR exports (R-PE-1), on the shared framework in common/tabular.py.

Upsert by employee_id within the agency; a supervisor may appear later in the same file; a supervisor
loop is an error; a file with any bad row imports nothing. Writes go in one transaction, in bulk, with
history rows (simple-history's bulk helpers) carrying the acting user and a change reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django import forms
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from common.signals import records_changed
from common.tabular import DateColumn, RowError, iter_valid_rows, read_table

from .models import Agency, Person

REQUIRED = ["employee_id", "last_name", "first_name", "assignment_date", "role_tier"]
OPTIONAL = ["email", "position", "supervisor_employee_id", "status", "separation_date"]
FIELDS = ["last_name", "first_name", "email", "position", "assigned_on", "role_tier", "status", "separated_at",
          "supervisor_id"]
VALUE_FIELDS = ("last_name", "first_name", "email", "position", "assigned_on", "role_tier", "status", "separated_at")
WRITE_BATCH = 1000  # people (and their history rows) built and written at a time
LABELS = {"assigned_on": "assignment date", "role_tier": "role tier", "separated_at": "separation date",
          "supervisor_id": "supervisor", "last_name": "last name", "first_name": "first name"}


class RosterRowForm(forms.Form):
    employee_id = forms.CharField(max_length=32)
    last_name = forms.CharField(max_length=100)
    first_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)
    position = forms.CharField(max_length=120, required=False)
    assignment_date = DateColumn()
    role_tier = forms.TypedChoiceField(choices=[(str(t), str(t)) for t in (1, 2, 3, 4)], coerce=int,
                                       error_messages={"invalid_choice": "must be 1, 2, 3 or 4"})
    supervisor_employee_id = forms.CharField(max_length=32, required=False)
    status = forms.CharField(required=False)
    separation_date = DateColumn(required=False)

    def clean_status(self):
        status = (self.cleaned_data.get("status") or "").strip().lower() or Person.Status.ACTIVE
        if status not in Person.Status.values:
            raise forms.ValidationError(f'"{status}" is not a status ({", ".join(Person.Status.values)})')
        return status

    def clean(self):
        data = super().clean()
        if data.get("status") == Person.Status.SEPARATED and not data.get("separation_date"):
            self.add_error("separation_date", "is required when status is separated")
        if data.get("supervisor_employee_id") and data.get("supervisor_employee_id") == data.get("employee_id"):
            self.add_error("supervisor_employee_id", "a person cannot be their own supervisor")
        return data


@dataclass(slots=True)  # a 100,000-row plan holds one per row: a third of the size without a __dict__ (issue 17)
class Change:
    line: int
    employee_id: str
    name: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (label, old, new)

    def __setstate__(self, state):
        """A stored preview (people.ImportJob.plan) pickled before Change had slots holds a dict."""
        if isinstance(state, tuple):
            state = {**(state[0] or {}), **state[1]}
        for name, value in state.items():
            setattr(self, name, value)


@dataclass
class RosterPlan:
    agency: Agency
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # formula-like cells (common.tabular)
    creates: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[Person] = field(default_factory=list)
    _rows: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"created {len(self.creates)}, updated {len(self.updates)}, unchanged {self.unchanged}"


def _separated_at(agency: Agency, separation_date: date | None, status: str) -> datetime | None:
    if status != Person.Status.SEPARATED or not separation_date:
        return None
    # a separation imported with a date only counts from the end of that day in the agency's zone (R-AC-2)
    return datetime.combine(separation_date, time(23, 59, 59), tzinfo=agency.zone)


def plan_roster(*, agency: Agency, data: bytes, filename: str) -> RosterPlan:
    """Read and check the whole file against the agency; nothing is written. TabularError if unreadable.

    Each clean row becomes at once what the import would write (``plan._rows``) and its checked form is let go, so
    a 100,000-row file is held about once (issue 17: a worker plans it within 300 MB)."""
    table = read_table(data, filename, required=REQUIRED, known=OPTIONAL)
    plan = RosterPlan(agency=agency)
    plan.warnings = table.warnings
    existing = {p.employee_id: p for p in Person.objects.filter(agency=agency)}
    first_line: dict[str, int] = {}
    for line, record in table.rows:  # duplicates count even when the first row has other errors
        first_line.setdefault(str(record.get("employee_id") or "").strip(), line)
    today = timezone.localdate(timezone=agency.zone)
    seen: dict[str, int] = {}
    rows = []  # (line, employee_id, values, supervisor's employee_id): what apply_roster writes; values is a tuple
    # in VALUE_FIELDS order, a third of the size of a dict
    for line, row in iter_valid_rows(table, RosterRowForm, plan.errors, release=True):
        if first_line.get(row["employee_id"], line) != line:
            message = f'"{row["employee_id"]}" appears again (first on line {first_line[row["employee_id"]]})'
            plan.errors.append(RowError(line, "employee_id", message))
            continue
        seen[row["employee_id"]] = line
        values = _values(agency, row, existing.get(row["employee_id"]), today)
        rows.append((line, row["employee_id"], tuple(values[name] for name in VALUE_FIELDS),
                     row["supervisor_employee_id"] or None))
    del first_line
    # supervisors: in this file, or already in the agency; no loops
    supervisor_of = {}
    for line, employee_id, _fields, boss in rows:
        if boss and boss not in seen and boss not in existing:
            plan.errors.append(RowError(line, "supervisor_employee_id",
                                        f'no person with employee ID "{boss}" in this file or the agency'))
        supervisor_of[employee_id] = boss
    chain_of = {p.employee_id: (p.supervisor.employee_id if p.supervisor_id else None)
                for p in Person.objects.filter(agency=agency).select_related("supervisor")}
    chain_of.update(supervisor_of)
    for line, start, _fields, _boss in rows:
        walk, visited = chain_of.get(start), {start}
        while walk:
            if walk == start:
                plan.errors.append(RowError(line, "supervisor_employee_id", "creates a loop in the supervisor chain"))
                break
            if walk in visited:
                break  # a loop further up, reported on its own rows
            visited.add(walk)
            walk = chain_of.get(walk)
    plan.errors.sort(key=lambda e: (e.line, e.column))
    if plan.errors:
        return plan
    employee_ids = {p.pk: p.employee_id for p in existing.values()}
    for line, employee_id, values, boss in rows:
        person = existing.get(employee_id)
        name = f"{values[0]}, {values[1]}"  # last_name, first_name
        if person is None:
            plan.creates.append(Change(line, employee_id, name))
        else:
            changes = _differences(agency, person, dict(zip(VALUE_FIELDS, values, strict=True)), boss, employee_ids)
            if changes:
                plan.updates.append(Change(line, employee_id, name, changes))
            else:
                plan.unchanged += 1
    plan._rows = rows
    plan.not_in_file = sorted((p for eid, p in existing.items() if eid not in seen),
                              key=lambda p: (p.last_name, p.first_name))
    return plan


def _values(agency: Agency, row: dict, person: Person | None, today: date) -> dict:
    """A person's fields as one clean row of the file sets them."""
    status = row["status"]
    if status == Person.Status.SEPARATED and row["separation_date"] and row["separation_date"] > today:
        # R-PE-2: a separation dated in the future takes effect on that date; until then the person is
        # treated as before (active when new), and the date is kept (the engine reads it)
        status = person.status if person and not person.is_separated else Person.Status.ACTIVE
    return {
        "last_name": row["last_name"], "first_name": row["first_name"], "email": row["email"],
        "position": row["position"], "assigned_on": row["assignment_date"], "role_tier": row["role_tier"],
        "status": status,
        "separated_at": _separated_at(agency, row["separation_date"], row["status"]),
    }


def _differences(agency, person: Person, values: dict, supervisor_eid, employee_ids) -> list:
    changes = []
    for field_name, new in values.items():
        old = getattr(person, field_name)
        if field_name == "separated_at":
            old_day = old.astimezone(agency.zone).date() if old else None
            new_day = new.astimezone(agency.zone).date() if new else None
            if old_day != new_day:
                changes.append((LABELS[field_name], old_day, new_day))
            continue
        if (old or "") != (new or ""):
            changes.append((LABELS.get(field_name, field_name), old, new))
    old_boss = employee_ids.get(person.supervisor_id) if person.supervisor_id else None
    if old_boss != supervisor_eid:
        changes.append(("supervisor", old_boss, supervisor_eid))
    return changes


def apply_roster(*, plan: RosterPlan, actor, filename: str) -> RosterPlan:
    """Write a clean plan in one transaction, in bulk, with history. Unchanged people are not touched.

    People are built and written ``WRITE_BATCH`` at a time (with their history rows), so a 100,000-row file never
    holds more than one batch of model instances next to the plan (issue 17: a worker imports it within 300 MB)."""
    if not plan.ok:
        raise ValueError("a roster plan with errors cannot be applied")
    agency = plan.agency
    reason = f"Roster import ({filename})"[:100]
    user = _user(actor)
    create_ids = {c.employee_id for c in plan.creates}
    update_ids = {c.employee_id for c in plan.updates}
    with transaction.atomic():
        people = {p.employee_id: p for p in Person.objects.select_for_update().filter(agency=agency)}
        pk_of = {eid: person.pk for eid, person in people.items()}  # new people are kept as their id only
        # create in levels so that a supervisor new in this file exists before the people below them
        pending = [r for r in plan._rows if r[1] in create_ids]
        while pending:
            ready, waiting = [], []
            for r in pending:
                (ready if not r[3] or r[3] in pk_of else waiting).append(r)
            if not ready:  # cannot happen after the loop check in plan_roster
                raise ValueError("unresolved supervisors in the roster")
            for start in range(0, len(ready), WRITE_BATCH):
                new = []
                for _line, eid, values, boss in ready[start:start + WRITE_BATCH]:
                    person = Person(agency=agency, employee_id=eid, **dict(zip(VALUE_FIELDS, values, strict=True)))
                    person.supervisor_id = pk_of[boss] if boss else None
                    new.append(person)
                created = bulk_create_with_history(new, Person, batch_size=WRITE_BATCH, default_user=user,
                                                   default_change_reason=reason)
                if any(p.pk is None for p in created):
                    created = Person.objects.filter(agency=agency, employee_id__in=[p.employee_id for p in new])
                pk_of.update({p.employee_id: p.pk for p in created})
                del new, created  # a batch's people and history go before the next batch is built
            pending = waiting
        del pending
        changed, separated = [], []
        for _line, eid, values, boss in plan._rows:
            if eid not in update_ids:
                continue
            person = people[eid]
            for name, value in zip(VALUE_FIELDS, values, strict=True):
                setattr(person, name, value)
            person.supervisor_id = pk_of[boss] if boss else None
            changed.append(person)
            if person.status == Person.Status.SEPARATED and person.user_id:
                separated.append(person.user_id)
            if len(changed) == WRITE_BATCH:
                bulk_update_with_history(changed, Person, FIELDS, batch_size=WRITE_BATCH, default_user=user,
                                         default_change_reason=reason)
                changed = []
        if changed:
            bulk_update_with_history(changed, Person, FIELDS, batch_size=WRITE_BATCH, default_user=user,
                                     default_change_reason=reason)
        if plan._rows:  # bulk writes send no history signal: the agency's obligations are stale (issue 23)
            records_changed.send(sender=Person, agency_ids=[agency.pk])
            if separated:
                User.objects.filter(pk__in=separated).update(is_active=False)  # separation stops sign-in
    return plan


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
