"""Table tests of the reminder stage (issue 9, lead days 90/60/30/7 then weekly while overdue)."""

from datetime import date, timedelta

import pytest

from reminders.rules import reminder_stage

DUE = date(2026, 12, 31)
LEAD = (90, 60, 30, 7)


@pytest.mark.parametrize(("days_before", "stage"), [
    (120, None), (91, None), (90, "lead-90"), (61, "lead-90"), (60, "lead-60"), (45, "lead-60"),
    (30, "lead-30"), (8, "lead-30"), (7, "lead-7"), (0, "lead-7"),
    (-1, "overdue-0"), (-7, "overdue-0"), (-8, "overdue-1"), (-15, "overdue-2"),
])
def test_stage_table(days_before, stage):
    assert reminder_stage(due=DUE, today=DUE - timedelta(days=days_before), lead_days=LEAD) == stage


def test_catch_up_after_missed_days_gives_only_the_current_stage():
    # beat down from 95 to 50 days before: the next run sends lead-60 (current), never lead-90 (stale)
    assert reminder_stage(due=DUE, today=DUE - timedelta(days=50), lead_days=LEAD) == "lead-60"


def test_satisfied_or_undated_gets_no_reminder():
    assert reminder_stage(due=DUE, today=DUE, lead_days=LEAD, satisfied=True) is None
    assert reminder_stage(due=None, today=DUE, lead_days=LEAD) is None
