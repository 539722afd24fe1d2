"""Demo records for issue 8: adjudicated checks, state accounts in every step, a late disablement after a
separation and after a transfer, unused accounts, a signed access review and password-reset assists."""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from background.models import FingerprintCheck
from state_access import services as state_access_services
from state_access.models import (
    AccessReview,
    AccessReviewItem,
    DutyTransfer,
    PasswordResetAssist,
    StateAccount,
    StateSystem,
)

STATE_SYSTEMS = ["WebLEDS", "LEDS 20/20 / eAgent", "nexTEST", "CJIS Online"]


def _at(day: datetime.date, hour: int, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=zone)


def _keeper(world, agency_index: int):
    name = {0: "laso", 1: "malheur_rep"}.get(agency_index)
    return (User.objects.filter(username=name).first() if name else None) or world.actor


def seed_background(world) -> None:
    rng = random.Random(808)
    systems = {name: StateSystem.objects.get(agency=None, name=name) for name in STATE_SYSTEMS}
    for agency_index, agency in enumerate(world.agencies):
        if StateAccount.objects.filter(person__agency=agency).exists():
            continue
        zone, today = agency.zone, world.today
        keeper = _keeper(world, agency_index)  # who records accounts: the agency's LASO
        if agency_index == 0:
            StateSystem.objects.get_or_create(agency=agency, name="County RMS",
                                              defaults={"description": "The agency's records management system"})
        # accounts follow each person's first clearance (R-BG-1); pending new hires have none yet
        cleared = (FingerprintCheck.objects.filter(person__agency=agency, outcome="cleared", voided_at__isnull=True)
                   .exclude(person__status="pending").select_related("person")
                   .order_by("person__employee_id", "submitted_on"))
        accounts, late_separations, seen, unused = [], 0, set(), 0
        for check in cleared:
            person = check.person
            if person.pk in seen:
                continue
            seen.add(person.pk)
            start = _at(check.result_on + datetime.timedelta(days=2), 9, zone)
            names = ["CJIS Online"] + (["WebLEDS"] if person.role_tier >= 2 else []) + (
                ["nexTEST"] if person.role_tier >= 3 else [])
            for name in names:
                account = StateAccount(person=person, system=systems[name], username=f"{person.employee_id.lower()}",
                                       status="active", requested_at=start, requested_by=keeper,
                                       activated_at=start + datetime.timedelta(hours=rng.randint(4, 30)),
                                       activated_by=keeper)
                # R-AC-3: last logins from the monthly import; one WebLEDS account unused for 90 days
                days = rng.choice([1, 2, 3, 6, 9, 14, 20, 33])
                if (name == "WebLEDS" and not person.is_separated and person.user_id is None and unused == 0
                        and rng.random() < 0.2):
                    days, unused = 93, 1
                last_login = today - datetime.timedelta(days=days)
                if person.is_separated:  # nobody signs in after leaving
                    last_login = min(last_login, person.separated_at.date() - datetime.timedelta(days=days))
                account.last_login_on = last_login
                if person.is_separated:
                    account.disable_requested_at = person.separated_at + datetime.timedelta(hours=1)
                    account.disable_requested_by = keeper
                    if late_separations == 0:  # R-AC-2: still enabled past the 24 hours: red on the dashboard
                        account.status = "disable_requested"
                        late_separations += 1
                    else:
                        hours = 40 if late_separations == 1 else rng.randint(2, 20)
                        late_separations += 1
                        account.status = "disabled"
                        account.disabled_at = person.separated_at + datetime.timedelta(hours=hours)
                        account.disabled_by = keeper
                accounts.append(account)
        bulk_create_with_history(accounts, StateAccount, batch_size=500, default_user=keeper,
                                 default_change_reason="Demo data")
        # a transfer three days ago; the accounts were disabled the next morning (R-AC-2, in time)
        moved = (StateAccount.objects.filter(person__agency=agency, status="active", person__status="active",
                                             person__user__isnull=True)
                 .order_by("person__employee_id").values_list("person_id", flat=True).first())
        if moved:
            moved_at = _at(today - datetime.timedelta(days=3), 14, zone)
            DutyTransfer.objects.create(person_id=moved, transferred_at=moved_at,
                                        new_duties="Property and evidence", recorded_by=keeper)
            for account in StateAccount.objects.filter(person_id=moved, status="active"):
                state_access_services.request_disablement(account=account, actor=keeper,
                                                           at=moved_at + datetime.timedelta(hours=1))
                state_access_services.disable_account(account=account, actor=keeper,
                                                      at=moved_at + datetime.timedelta(hours=19))
        # R-AC-4: last year's review, signed; the next one falls due within the month
        signed_on = today - datetime.timedelta(days=350)
        review = AccessReview.objects.create(agency=agency, started_at=_at(signed_on, 10, zone),
                                             started_by=keeper, signed_on=signed_on,
                                             signed_at=_at(signed_on, 15, zone), signed_by=keeper)
        reviewed = StateAccount.objects.filter(person__agency=agency, activated_at__lt=review.started_at)
        AccessReviewItem.objects.bulk_create([
            AccessReviewItem(review=review, account=a, decision="confirmed", decided_at=review.signed_at,
                             decided_by=keeper) for a in reviewed])
        # R-AC-5: help with locked accounts
        for days, account in zip((4, 26), StateAccount.objects.filter(person__agency=agency, status="active")
                                 .order_by("pk")[:2], strict=False):
            PasswordResetAssist.objects.create(person=account.person, system=account.system,
                                               reset_at=_at(today - datetime.timedelta(days=days), 11, zone),
                                               reset_by=keeper)
