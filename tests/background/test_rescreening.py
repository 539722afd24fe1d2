"""R-BG-3 rescreening, a rule switched off in the rule table, and who is reminded of background obligations."""

import dataclasses
import datetime
from datetime import timedelta

import pytest

from background.rules import CheckFacts, rescreening
from compliance.engine import DONE, DUE_SOON, NOT_REQUIRED, OVERDUE, evaluate_person
from tests.background.test_check_rules import RULES, person

CLEARED = CheckFacts(submitted_on=datetime.date(2021, 3, 1), outcome="cleared", decided_on=datetime.date(2021, 4, 15))


@pytest.mark.parametrize(("checks", "today", "status", "due"), [
    ((), datetime.date(2026, 5, 1), NOT_REQUIRED, None),  # nothing cleared yet: background_check is owed instead
    ((CheckFacts(datetime.date(2021, 3, 1), "pending"),), datetime.date(2026, 5, 1), NOT_REQUIRED, None),
    ((CLEARED,), datetime.date(2025, 12, 1), DONE, datetime.date(2026, 4, 15)),
    ((CLEARED,), datetime.date(2026, 1, 15), DUE_SOON, datetime.date(2026, 4, 15)),  # 90 days before
    ((CLEARED,), datetime.date(2026, 4, 15), DUE_SOON, datetime.date(2026, 4, 15)),
    ((CLEARED,), datetime.date(2026, 4, 16), OVERDUE, datetime.date(2026, 4, 15)),
    ((CLEARED, CheckFacts(datetime.date(2026, 3, 1), "exception_granted", datetime.date(2026, 3, 20))),
     datetime.date(2026, 4, 16), DONE, datetime.date(2031, 3, 20)),
], ids=["no-check", "pending", "done", "window-opens", "due-day", "overdue", "rescreened"])
def test_r_bg_3_rescreening_five_years_after_the_latest_clearance(checks, today, status, due):
    item = rescreening(person(), checks, RULES, today)
    assert (item.status, item.due) == (status, due)
    assert item.rule_id == "R-BG-3" and not item.suspends_access  # recommended, never a reason to suspend
    if status != NOT_REQUIRED:
        assert item.is_sensitive


def test_a_rule_switched_off_asks_nothing_of_anyone():
    rules = {**RULES, "background_rescreening": dataclasses.replace(RULES["background_rescreening"], enabled=False)}
    result = evaluate_person(person(), {"checks": (CLEARED,)}, rules, datetime.date(2026, 4, 16),
                             [("checks", lambda p, checks, r, today: [rescreening(p, checks, r, today)])])
    (item,) = result.obligations
    assert item.status == NOT_REQUIRED and item.satisfied_by == "rule switched off in the rule table"
    assert result.verdict.eligible


@pytest.mark.django_db
def test_the_person_is_not_e_mailed_about_accounts_or_background_checks(world):
    from compliance.registry import person_reminder_obligations
    from compliance.selectors import person_compliance
    from reminders.services import due_reminders
    from state_access.factories import StateAccountFactory
    from state_access.models import DutyTransfer
    from tests.conftest import TODAY

    theirs = person_reminder_obligations()
    assert {"fingerprints", "recertification"} <= theirs
    assert not theirs & {"background_check", "background_rescreening", "account_disable", "account_inactive"}
    target = world.target
    account = StateAccountFactory(person=target, status="active")
    DutyTransfer.objects.create(person=target, transferred_at=account.requested_at + timedelta(days=1))
    owed = person_compliance(person=target, today=TODAY).obligations
    assert any(o.obligation == "account_disable" and o.status == OVERDUE for o in owed)  # the engine flags it
    rows = due_reminders(agency=world.agency, today=TODAY)
    # issue 22: the LEDS Representative and the LASO are reminded of these on the person's behalf
    assert {row.obligation for row in rows if row.person_id == target.pk and target.email in row.to} <= theirs
    assert all(target.email not in row.to + row.cc for row in rows
               if row.obligation in {"background_check", "account_disable", "account_inactive"})
