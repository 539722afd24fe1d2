"""The monthly validation list import (R-VA-1, R-VA-3, R-VA-5), on the shared framework in common/tabular.py.

Columns ``NIC,ORI,OCA,MKE,DTE,SUBJECT`` and optional ``OPERATOR``, in any case and order, extra columns ignored.
All or nothing: a bad NIC, a bad date, an unknown MKE, a NIC twice in the file, or an ORI that is neither the
agency's nor covered by a holder-of-record agreement refuses the whole file with every error as
``line N, column NAME: reason``. A clean file becomes one ``ValidationCycle``; each entry is matched to the
agency's register by NIC (created or updated there), all in one transaction, in bulk, with history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db import connection, transaction
from simple_history.utils import bulk_update_with_history

from agreements.selectors import holder_of_record_oris
from common.batches import chunked
from common.dates import in_words
from common.history import stamp
from common.tabular import DateColumn, RowError, TabularError, iter_valid_rows, read_table
from people.models import ORI_VALIDATOR, Agency

from . import rules, selectors
from .models import NIC_VALIDATOR, RecordType, RegisteredEntry, ValidationCycle, ValidationEntry

REQUIRED = ["nic", "ori", "oca", "mke", "dte", "subject"]
OPTIONAL = ["operator"]
DTE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d")
REGISTER_FIELDS = ["ori", "oca", "record_type", "dte", "subject", "operator"]
WRITE_BATCH = 2000  # list rows (their register and list entries, with history) built and written at a time


class ListRowForm(forms.Form):
    """One row of the state's list. ``record_types`` (by MKE) and ``allowed_oris`` come from the plan."""

    nic = forms.CharField(max_length=10, strip=True)
    ori = forms.CharField(max_length=9, strip=True)
    oca = forms.CharField(max_length=20, strip=True)
    mke = forms.CharField(max_length=4, strip=True)
    dte = DateColumn(formats=DTE_FORMATS)
    subject = forms.CharField(max_length=200, strip=True)
    operator = forms.CharField(max_length=60, required=False, strip=True)

    def __init__(self, *args, record_types: dict[str, RecordType], allowed_oris: set[str], agency_ori: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.record_types = record_types
        self.allowed_oris = allowed_oris
        self.agency_ori = agency_ori

    def clean_nic(self):
        nic = self.cleaned_data["nic"].upper()
        try:
            NIC_VALIDATOR(nic)
        except forms.ValidationError:
            raise forms.ValidationError(f'"{nic}" is not a NIC (one letter and nine digits, e.g. W123456789)') from None
        return nic

    def clean_ori(self):
        ori = self.cleaned_data["ori"].upper()
        try:
            ORI_VALIDATOR(ori)
        except forms.ValidationError:
            raise forms.ValidationError(f'"{ori}" is not an ORI (2 letters and 7 letters or digits)') from None
        if ori not in self.allowed_oris:
            raise forms.ValidationError(
                f'"{ori}" is neither this agency\'s ORI ({self.agency_ori}) nor covered by a holder-of-record '
                "agreement in force (R-VA-5)")
        return ori

    def clean_mke(self):
        mke = self.cleaned_data["mke"].upper()
        if mke not in self.record_types:
            raise forms.ValidationError(
                f'"{mke}" is not a known MKE ({", ".join(sorted(self.record_types))})')
        return mke


class _SharedFields(dict):
    """The row form's fields, shared by every row rather than deep-copied for each of 20,000 rows.

    Cleaning never changes a field, so one set serves every row (half the time of a large list's checks).
    """

    def __deepcopy__(self, memo):
        return self


ListRowForm.base_fields = _SharedFields(ListRowForm.base_fields)


@dataclass
class ListPlan:
    agency: Agency
    received_on: date
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # formula-like cells (common.tabular)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    new_to_register: int = 0
    matched: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    due_on: date | None = None
    record_types: dict[str, RecordType] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (f"entries {len(self.rows)}, matched to the register {self.matched}, "
                f"new to the register {self.new_to_register}, certification due {in_words(self.due_on)}")


def plan_validation_list(*, agency: Agency, received_on: date, data: bytes, filename: str) -> ListPlan:
    """Read and check the whole list; nothing is written. TabularError when the file cannot be used at all."""
    if ValidationCycle.objects.filter(agency=agency, received_on=received_on).exists():
        raise TabularError(f"A validation list received on {in_words(received_on)} is already imported for "
                           f"{agency.ori}; open it under Validations.")
    table = read_table(data, filename, required=REQUIRED, known=OPTIONAL)
    types = selectors.record_types()
    allowed = {agency.ori} | holder_of_record_oris(agency=agency, on=received_on)
    plan = ListPlan(agency=agency, received_on=received_on, record_types=types)
    plan.warnings = table.warnings
    first_line: dict[str, int] = {}
    for line, record in table.rows:  # a repeat counts even when the first row has other errors
        first_line.setdefault(str(record.get("nic") or "").strip().upper(), line)
    errors: list[RowError] = []
    # each row's cells go once it is checked: a 100,000-row list is held about once (issue 17, within 300 MB)
    for line, row in iter_valid_rows(table, ListRowForm, errors, release=True, record_types=types,
                                     allowed_oris=allowed, agency_ori=agency.ori):
        first = first_line.get(row["nic"], line)
        if first != line:
            message = f'"{row["nic"]}" appears twice in the file (first on line {first})'
            errors.append(RowError(line, "NIC", message))
            continue
        plan.rows.append((line, row))
    del first_line
    plan.errors = sorted((RowError(e.line, e.column.upper(), e.message) for e in errors),
                         key=lambda e: (e.line, e.column))
    if plan.errors:
        return plan
    plan.due_on = rules.cycle_due_on(received_on, selectors.validation_rules()[rules.CERTIFICATION])
    known = set(RegisteredEntry.objects.filter(agency=agency).values_list("nic", flat=True))
    for _line, row in plan.rows:
        plan.by_type[row["mke"]] = plan.by_type.get(row["mke"], 0) + 1
        if row["nic"] in known:
            plan.matched += 1
        else:
            plan.new_to_register += 1
    return plan


def apply_validation_list(*, plan: ListPlan, actor, filename: str) -> ValidationCycle:
    """Write a clean plan in one transaction, in bulk, with history: the cycle, its entries, the register.

    The rows are written ``WRITE_BATCH`` at a time: their register entries (created or updated, with history),
    then their list entries; the entries' history is one INSERT … SELECT at the end. A 100,000-row list never holds
    more than one batch of model instances next to the plan (issue 17: a worker imports it within 300 MB)."""
    if not plan.ok:
        raise ValueError("a validation list with errors cannot be applied")
    agency, reason = plan.agency, f"Validation list import ({filename})"[:100]
    user = actor if getattr(actor, "pk", None) else None
    table = selectors.validation_rules()
    with transaction.atomic():
        cycle = ValidationCycle(agency=agency, received_on=plan.received_on, due_on=plan.due_on,
                                source_filename=filename[:200], imported_by=user)
        cycle.full_clean()
        stamp(cycle, actor=user, reason=reason)
        cycle.save()
        # the agency's register is locked up front, as before (one import at a time writes it): only the ids are
        # read here, the entries themselves a batch at a time below
        len(RegisteredEntry.objects.select_for_update().filter(agency=agency).values_list("pk", flat=True))
        for rows in chunked(plan.rows, WRITE_BATCH):
            register = {r.nic: r for r in RegisteredEntry.objects.filter(  # the type compared and read: one query
                agency=agency, nic__in=[row["nic"] for _line, row in rows]).select_related("record_type")}
            _write_register(rows, register, plan=plan, table=table, user=user, reason=reason)
            ValidationEntry.objects.bulk_create([
                ValidationEntry(cycle_id=cycle.pk, registered_entry_id=register[row["nic"]].pk, line=line,
                                nic=row["nic"], ori=row["ori"], oca=row["oca"], mke=row["mke"],
                                record_type_id=plan.record_types[row["mke"]].pk, dte=row["dte"],
                                subject=row["subject"], operator=row["operator"] or "")
                for line, row in rows], batch_size=WRITE_BATCH)
            del rows, register  # a batch's entries go before the next batch is built
        _insert_history(ValidationEntry, ValidationEntry.objects.filter(cycle=cycle), user=user, reason=reason)
    return cycle


def _write_register(rows, register: dict, *, plan: ListPlan, table, user, reason: str) -> None:
    """Create the batch's entries new to the register and update those that differ, with history; ``register``
    (the batch's entries on file, by NIC) gains the new ones."""
    new, changed = [], []
    for _line, row in rows:
        record_type = plan.record_types[row["mke"]]
        values = {"ori": row["ori"], "oca": row["oca"], "record_type": record_type, "dte": row["dte"],
                  "subject": row["subject"], "operator": row["operator"] or ""}
        entry = register.get(row["nic"])
        if entry is None:
            entry = RegisteredEntry(agency_id=plan.agency.pk, nic=row["nic"], **values)
            entry.next_due_on = _next_due(entry, table)
            new.append(entry)
            register[row["nic"]] = entry
            continue
        if any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            entry.next_due_on = _next_due(entry, table)
            changed.append(entry)
    if new:
        RegisteredEntry.objects.bulk_create(new, batch_size=WRITE_BATCH)
        created = RegisteredEntry.objects.filter(agency=plan.agency, nic__in=[r.nic for r in new])
        if any(r.pk is None for r in new):  # databases that return no keys from a bulk insert
            register.update({r.nic: r for r in created})
        _insert_history(RegisteredEntry, created, user=user, reason=reason)
    if changed:
        bulk_update_with_history(changed, RegisteredEntry, [*REGISTER_FIELDS, "next_due_on"],
                                 batch_size=WRITE_BATCH, default_user=user, default_change_reason=reason)


def _insert_history(model, rows, *, user, reason: str) -> None:
    """Write the creation ("+") history row of every row in ``rows`` with one INSERT … SELECT.

    The same rows simple-history's ``bulk_create_with_history`` writes (every tracked column, the date, the
    acting user and the reason), but built by the database instead of one Python object per row: a 20,000-entry
    list must import within seconds (issue 11 benchmark).
    """
    history = model.history.model
    fields = model._meta.concrete_fields
    select_sql, params = rows.order_by().values_list(*[f.attname for f in fields]).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields] + [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    # identifiers come from the models' metadata (quoted), values are parameters: nothing from the file is spliced
    sql = (f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
           f"SELECT src.*, CURRENT_TIMESTAMP, '+', CAST(%s AS BIGINT), CAST(%s AS VARCHAR(100)) "
           f"FROM ({select_sql}) src")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk if user else None, reason[:100], *params])


def _next_due(entry: RegisteredEntry, table) -> date | None:
    return rules.next_validation_due(dte=entry.dte, last_validated_on=entry.last_validated_on,
                                     is_person_record=entry.record_type.is_person_record, rules=table,
                                     cancelled_on=entry.cancelled_on)
