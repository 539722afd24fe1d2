"""The pure rules of background checks (R-BG-1), as tables."""

import datetime

import pytest

from background.defaults import DEFAULTS
from background.rules import CheckFacts, background_check, may_activate_account
from compliance.defaults import DEFAULT_RULES
from compliance.engine import PersonFacts, Rule

RULES = {o: Rule(o, rid, title, value, unit, tuple(sorted(lead, reverse=True)))
         for o, rid, title, value, unit, lead in DEFAULT_RULES} | DEFAULTS


def person(**kwargs):
    return PersonFacts(**{"pk": 1, "employee_id": "E1", "name": "Doe, Jo", "assigned_on": datetime.date(2026, 10, 1),
                          "role_tier": 2, "is_separated": False, **kwargs})


@pytest.mark.parametrize(("outcomes", "may"), [
    ((), False), (("pending",), False), (("denied",), False), (("exception_requested",), False),
    (("exception_refused",), False), (("cleared",), True), (("exception_granted",), True),
    (("denied", "cleared"), True),
], ids=["no-check", "pending", "denied", "exception-requested", "exception-refused", "cleared",
        "exception-granted", "second-check-cleared"])
def test_r_bg_1_activation_needs_a_cleared_check(outcomes, may):
    assert may_activate_account(outcomes) is may


@pytest.mark.parametrize(("checks", "today", "status", "due"), [
    ((), datetime.date(2026, 10, 5), "open", datetime.date(2026, 10, 31)),
    ((), datetime.date(2026, 10, 21), "due_soon", datetime.date(2026, 10, 31)),
    ((), datetime.date(2026, 11, 1), "overdue", datetime.date(2026, 10, 31)),
    ((CheckFacts(datetime.date(2026, 10, 3), "pending"),), datetime.date(2026, 11, 17), "open",
     datetime.date(2026, 12, 2)),  # issue 22: a pending check runs on the R-BG-2 decision clock (60 days)
    ((CheckFacts(datetime.date(2026, 10, 3), "cleared", datetime.date(2026, 10, 20)),), datetime.date(2026, 12, 1),
     "done", None),
    ((CheckFacts(datetime.date(2026, 10, 3), "exception_granted", datetime.date(2026, 11, 2)),),
     datetime.date(2026, 12, 1), "done", None),
], ids=["no-check-open", "no-check-due-soon", "no-check-overdue", "pending", "cleared", "exception-granted"])
def test_r_bg_1_background_check_open_until_cleared_on_r_fp_1s_clock(checks, today, status, due):
    item = background_check(person(), checks, RULES, today)
    assert (item.status, item.due, item.rule_id, item.is_sensitive) == (status, due, "R-BG-1", True)
    assert item.satisfied_by in (None, "background check complete")  # never an outcome or a reason (R-BG-4)


def test_r_bg_1_background_check_not_required_once_separated():
    assert background_check(person(is_separated=True), (), RULES, datetime.date(2026, 12, 1)).status == "not_required"
