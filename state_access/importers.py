"""The monthly account-activity import (R-AC-3) on common/tabular.py: ``username,last_login`` for one system.

Every user name must be an account of the agency on that system; all or nothing; a login older than the one
on file changes nothing, so importing the same file twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django import forms
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.batches import chunked
from common.signals import records_changed
from common.tabular import DateColumn, RowError, iter_valid_rows, read_table
from people.models import Person

from .models import StateAccount, StateSystem

REQUIRED = ["username", "last_login"]
WRITE_BATCH = 1000  # accounts (and their history rows) written at a time (issue 17)
PREVIEW_ROWS = 200  # updates a preview lists (the summary counts them all), as the other imports' previews


class ActivityRowForm(forms.Form):
    username = forms.CharField(max_length=80)
    last_login = DateColumn()


@dataclass
class ActivityPlan:
    agency: object
    system: StateSystem
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # formula-like cells (common.tabular)
    updates: list[tuple[int, StateAccount, object]] = field(default_factory=list)  # (line, account, last login)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"{self.system}: last login updated for {len(self.updates)}, unchanged {self.unchanged}"

    def preview_updates(self) -> list[tuple[int, StateAccount, Person, object]]:
        """The first ``PREVIEW_ROWS`` updates with their holders, read in one query (the plan keeps only the
        holder's id)."""
        shown = self.updates[:PREVIEW_ROWS]
        holders = Person.objects.in_bulk({account.person_id for _line, account, _last_login in shown})
        return [(line, account, holders.get(account.person_id), last_login) for line, account, last_login in shown]


def find_system(*, agency, name: str) -> StateSystem | None:
    """A state system, or one of the agency's own, by name (case-insensitive)."""
    systems = StateSystem.objects.filter(name__iexact=name.strip())
    return systems.filter(agency__isnull=True).first() or systems.filter(agency=agency).first()


def plan_activity(*, agency, system: StateSystem, data: bytes, filename: str, today=None) -> ActivityPlan:
    table = read_table(data, filename, required=REQUIRED)
    plan = ActivityPlan(agency=agency, system=system)
    plan.warnings = table.warnings
    # what the plan and the preview read of each account: a 100,000-account system held as a third of its model
    # instances (issue 17); apply_activity reads the whole accounts again, a batch at a time
    accounts = {a.username.lower(): a for a in StateAccount.objects.filter(
        person__agency=agency, system=system, voided_at__isnull=True).exclude(username="").order_by(
        "requested_at").only("pk", "username", "person_id", "last_login_on")}
    seen: dict[str, int] = {}
    # each row's cells go once it is checked: the file is held about once (issue 17)
    for line, row in iter_valid_rows(table, ActivityRowForm, plan.errors, release=True):
        name = row["username"].strip().lower()
        if name in seen:
            plan.errors.append(RowError(line, "username", f'"{row["username"]}" is listed twice (first on line '
                                                          f"{seen[name]})"))
            continue
        seen[name] = line
        account = accounts.get(name)
        if account is None:
            plan.errors.append(RowError(line, "username", f'no {system} account with user name "{row["username"]}" '
                                                          f"in {agency.ori}"))
            continue
        if today is not None and row["last_login"] > today:
            plan.errors.append(RowError(line, "last_login", f'"{row["last_login"]:%Y-%m-%d}" is in the future'))
            continue
        if account.last_login_on and account.last_login_on >= row["last_login"]:
            plan.unchanged += 1
            continue
        plan.updates.append((line, account, row["last_login"]))
    plan.errors.sort(key=lambda e: (e.line, e.column))
    return plan


def apply_activity(*, plan: ActivityPlan, actor, filename: str) -> ActivityPlan:
    """Write the new last logins in one transaction, ``WRITE_BATCH`` accounts (read whole, written with their
    history rows) at a time, so a 100,000-row file never holds more than one batch of them next to the plan
    (issue 17: a worker imports it within 300 MB)."""
    if not plan.ok:
        raise ValueError("an activity plan with errors cannot be applied")
    user = actor if getattr(actor, "pk", None) else None
    reason = f"Account-activity import ({filename})"[:100]
    holders = set()
    with transaction.atomic():
        for batch in chunked(plan.updates, WRITE_BATCH):
            accounts = StateAccount.objects.in_bulk([account.pk for _line, account, _last_login in batch])
            for _line, account, last_login in batch:
                account.last_login_on = last_login
                if account.pk in accounts:  # an account gone since the plan is skipped, as bulk_update skips it
                    accounts[account.pk].last_login_on = last_login
            bulk_update_with_history(list(accounts.values()), StateAccount, ["last_login_on"],
                                     batch_size=WRITE_BATCH, default_user=user, default_change_reason=reason)
            holders.update(a.person_id for a in accounts.values())
            del batch, accounts  # the batch's accounts and history rows go before the next batch is read
        if holders:  # a bulk write sends no history signal: mark the account holders stale (issue 23)
            records_changed.send(sender=StateAccount, person_ids=holders)
    return plan


# Onboarding: the accounts an agency already has (issue 21) ------------------------------------------------

ACCOUNT_REQUIRED = ["system", "username", "employee_id", "status", "created_on"]
ACCOUNT_KNOWN = ["last_login"]
STATUS_WORDS = {**{value: value for value in StateAccount.Status.values},
                **{label.lower(): value for value, label in StateAccount.Status.choices},
                "enabled": "active", "disable requested": "disable_requested", "terminated": "disabled"}


class StateAccountRowForm(forms.Form):
    system = forms.CharField(max_length=60)
    username = forms.CharField(max_length=80)
    employee_id = forms.CharField(max_length=32)
    status = forms.CharField(max_length=30)
    created_on = DateColumn()
    last_login = DateColumn(required=False)

    def clean_status(self):
        word = " ".join(self.cleaned_data["status"].replace("_", " ").lower().split())
        status = STATUS_WORDS.get(word) or STATUS_WORDS.get(word.replace(" ", "_"))
        if status is None:
            raise forms.ValidationError(f'"{self.cleaned_data["status"]}" is not a status (requested, active, '
                                        f"disable requested or disabled)")
        return status


@dataclass(slots=True)  # a 100,000-row plan holds one per row: a tenth of the size of a model instance (issue 17)
class NewAccount:
    """An account the file adds, as the plan and its preview keep it; apply_state_accounts builds the
    StateAccount (with the step times the file implies) a batch at a time."""

    person: Person
    system: StateSystem
    username: str
    status: str
    created_on: date
    last_login_on: date | None

    def get_status_display(self) -> str:
        return StateAccount.Status(self.status).label

    def account(self, zone) -> StateAccount:
        account = StateAccount(person=self.person, system=self.system, username=self.username)
        _steps(account, self.status, self.created_on, self.last_login_on, zone)
        account.last_login_on = self.last_login_on
        return account


@dataclass
class StateAccountPlan:
    agency: object
    errors: list[RowError] = field(default_factory=list)
    creates: list[NewAccount] = field(default_factory=list)
    updates: list[StateAccount] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (f"state accounts: added {len(self.creates)}, updated {len(self.updates)}, "
                f"unchanged {self.unchanged}")


def _moment(day, zone):
    return datetime.combine(day, time(12, 0), tzinfo=zone)


def _steps(account: StateAccount, status: str, created_on, last_login, zone) -> None:
    """The step times the file implies: the account existed from ``created_on``; a disablement is dated at the
    last login (or the creation) since the file gives no date for it."""
    account.status = status
    account.requested_at = account.requested_at or _moment(created_on, zone)
    if status != StateAccount.Status.REQUESTED and account.activated_at is None:
        account.activated_at = _moment(created_on, zone)
    ended = _moment(max(d for d in (created_on, last_login) if d), zone)
    if status in (StateAccount.Status.DISABLE_REQUESTED, StateAccount.Status.DISABLED):
        account.disable_requested_at = account.disable_requested_at or ended
    if status == StateAccount.Status.DISABLED:
        account.disabled_at = account.disabled_at or ended


def plan_state_accounts(*, agency, data: bytes, filename: str, today) -> StateAccountPlan:
    """Every row checked; existing user names (per system, any case) are updated, never duplicated."""
    table = read_table(data, filename, required=ACCOUNT_REQUIRED, known=ACCOUNT_KNOWN)
    plan = StateAccountPlan(agency=agency)
    zone = agency.zone
    people = {p.employee_id.lower(): p for p in Person.objects.filter(agency=agency)}
    systems: dict[str, StateSystem | None] = {}
    existing = {(a.system_id, a.username.lower()): a for a in StateAccount.objects.filter(
        person__agency=agency, voided_at__isnull=True).exclude(username="").select_related("system")}
    open_by_person = {(a.person_id, a.system_id): a for a in existing.values()
                      if a.status != StateAccount.Status.DISABLED}
    seen: dict[tuple, int] = {}
    # each row's cells go once it is checked: the file is held about once (issue 17)
    for line, row in iter_valid_rows(table, StateAccountRowForm, plan.errors, release=True):
        name = row["system"].strip()
        if name.lower() not in systems:
            systems[name.lower()] = find_system(agency=agency, name=name)
        system = systems[name.lower()]
        if system is None:
            plan.errors.append(RowError(line, "system", f'"{name}" is not a state system or one of {agency.ori}\'s'))
            continue
        person = people.get(row["employee_id"].strip().lower())
        if person is None:
            plan.errors.append(RowError(line, "employee_id", f'no person with employee ID "{row["employee_id"]}" '
                                                             f"in {agency.ori}"))
            continue
        key = (system.pk, row["username"].strip().lower())
        if key in seen:
            plan.errors.append(RowError(line, "username", f'"{row["username"]}" on {system} is listed twice '
                                                          f"(first on line {seen[key]})"))
            continue
        seen[key] = line
        for column in ("created_on", "last_login"):
            if row[column] and row[column] > today:
                plan.errors.append(RowError(line, column, f'"{row[column]:%Y-%m-%d}" is in the future'))
        if row["last_login"] and row["last_login"] < row["created_on"]:
            plan.errors.append(RowError(line, "last_login", "is before created_on"))
        account = existing.get(key)
        if account is not None and account.person_id != person.pk:
            plan.errors.append(RowError(line, "username", f'"{row["username"]}" on {system} is the account of '
                                                          f"{account.person}, not {person}"))
            continue
        if account is None:
            other = open_by_person.get((person.pk, system.pk))
            if other is not None and row["status"] != StateAccount.Status.DISABLED:
                plan.errors.append(RowError(line, "username", f"{person} already has an open {system} account "
                                                              f'("{other.username}")'))
                continue
            account = NewAccount(person, system, row["username"].strip(), row["status"], row["created_on"],
                                 row["last_login"])
            if row["status"] != StateAccount.Status.DISABLED:
                open_by_person[(person.pk, system.pk)] = account
            plan.creates.append(account)
            continue
        before = (account.status, account.last_login_on)
        if row["status"] != account.status:
            _steps(account, row["status"], row["created_on"], row["last_login"], zone)
        if row["last_login"] and (account.last_login_on is None or row["last_login"] > account.last_login_on):
            account.last_login_on = row["last_login"]
        if (account.status, account.last_login_on) == before:
            plan.unchanged += 1
        else:
            plan.updates.append(account)
    plan.errors.sort(key=lambda e: (e.line, e.column))
    return plan


def apply_state_accounts(*, plan: StateAccountPlan, actor, filename: str) -> StateAccountPlan:
    """Write the plan in one transaction, ``WRITE_BATCH`` accounts (built, and written with their history rows)
    at a time, so a 100,000-row file never holds more than one batch of them next to the plan (issue 17)."""
    if not plan.ok:
        raise ValueError("a state-account plan with errors cannot be applied")
    reason = f"State-account import ({filename})"[:100]
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        zone = plan.agency.zone
        for batch in chunked(plan.creates, WRITE_BATCH):
            accounts = [new.account(zone) for new in batch]
            bulk_create_with_history(accounts, StateAccount, batch_size=WRITE_BATCH, default_user=user,
                                     default_change_reason=reason)
            del batch, accounts  # the batch's accounts and history rows go before the next batch is built
        for batch in chunked(plan.updates, WRITE_BATCH):
            bulk_update_with_history(batch, StateAccount, [
                "status", "requested_at", "activated_at", "disable_requested_at", "disabled_at", "last_login_on"],
                batch_size=WRITE_BATCH, default_user=user, default_change_reason=reason)
    return plan
