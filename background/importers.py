"""The monthly account-activity import (R-AC-3) on common/tabular.py: ``username,last_login`` for one system.

Every user name must be an account of the agency on that system; all or nothing; a login older than the one
on file changes nothing, so importing the same file twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from common.signals import records_changed
from common.tabular import DateColumn, RowError, read_table, validate_rows

from .models import StateAccount, StateSystem

REQUIRED = ["username", "last_login"]


class ActivityRowForm(forms.Form):
    username = forms.CharField(max_length=80)
    last_login = DateColumn()


@dataclass
class ActivityPlan:
    agency: object
    system: StateSystem
    errors: list[RowError] = field(default_factory=list)
    updates: list[tuple[int, StateAccount, object]] = field(default_factory=list)  # (line, account, last login)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"{self.system}: last login updated for {len(self.updates)}, unchanged {self.unchanged}"


def find_system(*, agency, name: str) -> StateSystem | None:
    """A state system, or one of the agency's own, by name (case-insensitive)."""
    systems = StateSystem.objects.filter(name__iexact=name.strip())
    return systems.filter(agency__isnull=True).first() or systems.filter(agency=agency).first()


def plan_activity(*, agency, system: StateSystem, data: bytes, filename: str, today=None) -> ActivityPlan:
    table = read_table(data, filename, required=REQUIRED)
    cleaned, errors = validate_rows(table, ActivityRowForm)
    plan = ActivityPlan(agency=agency, system=system, errors=errors)
    accounts = {a.username.lower(): a for a in StateAccount.objects.filter(
        person__agency=agency, system=system, voided_at__isnull=True).exclude(username="").order_by("requested_at")}
    seen: dict[str, int] = {}
    for line, row in cleaned:
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
    if not plan.ok:
        raise ValueError("an activity plan with errors cannot be applied")
    accounts = []
    for _line, account, last_login in plan.updates:
        account.last_login_on = last_login
        accounts.append(account)
    with transaction.atomic():
        if accounts:
            bulk_update_with_history(accounts, StateAccount, ["last_login_on"], batch_size=1000,
                                     default_user=actor if getattr(actor, "pk", None) else None,
                                     default_change_reason=f"Account-activity import ({filename})"[:100])
            # a bulk write sends no history signal: mark the account holders stale (issue 23)
            records_changed.send(sender=StateAccount, person_ids={a.person_id for a in accounts})
    return plan
