"""The pure rules of state accounts (R-AC-1..4), as tables (R-BG-1's own: tests/background/test_check_rules.py)."""

import datetime
import zoneinfo
from datetime import UTC

import pytest

from compliance.defaults import DEFAULT_RULES
from compliance.engine import PersonFacts, Rule
from state_access.defaults import DEFAULTS
from state_access.rules import (
    AccountFacts,
    AccountRecords,
    access_ended_at,
    access_review_due,
    account_disable,
    account_inactive,
    allowed_account_steps,
    disablement_due_at,
    evaluate_accounts,
    hours_late,
)

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
RULES = {o: Rule(o, rid, title, value, unit, tuple(sorted(lead, reverse=True)))
         for o, rid, title, value, unit, lead in DEFAULT_RULES} | DEFAULTS
DISABLE = DEFAULTS["account_disable"]


def local(*args):
    return datetime.datetime(*args, tzinfo=PACIFIC)


def person(**kwargs):
    return PersonFacts(**{"pk": 1, "employee_id": "E1", "name": "Doe, Jo", "assigned_on": datetime.date(2026, 10, 1),
                          "role_tier": 2, "is_separated": False, **kwargs})


def account(**kwargs):
    return AccountFacts(**{"pk": 7, "system": "WebLEDS", "status": "active",
                           "requested_at": local(2026, 1, 5, 9, 0), "activated_at": local(2026, 1, 6, 9, 0),
                           **kwargs})


@pytest.mark.parametrize(("current", "allowed"), [
    ("requested", ("active", "disable_requested")),
    ("active", ("disable_requested", "disabled")),
    ("disable_requested", ("disabled",)),
    ("disabled", ()),
])
def test_r_ac_1_account_lifecycle_steps(current, allowed):
    assert allowed_account_steps(current) == allowed


@pytest.mark.parametrize(("ended", "due_utc", "due_local"), [
    # a Friday-evening separation is due Saturday evening: weekends are not skipped (elapsed hours)
    (local(2026, 11, 13, 17, 0), datetime.datetime(2026, 11, 15, 1, 0, tzinfo=UTC), local(2026, 11, 14, 17, 0)),
    # date-only separation on Saturday 2026-10-31 (end of day); clocks fall back on Sunday 11-01: 23 wall hours
    (local(2026, 10, 31, 23, 59, 59), datetime.datetime(2026, 11, 2, 6, 59, 59, tzinfo=UTC),
     local(2026, 11, 1, 22, 59, 59)),
    # date-only separation on Saturday 2026-03-07; clocks spring forward on Sunday 03-08: 25 wall hours
    (local(2026, 3, 7, 23, 59, 59), datetime.datetime(2026, 3, 9, 7, 59, 59, tzinfo=UTC),
     local(2026, 3, 9, 0, 59, 59)),
], ids=["weekend", "dst-fall-back", "dst-spring-forward"])
def test_r_ac_2_due_24_elapsed_hours_after_separation(ended, due_utc, due_local):
    due = disablement_due_at(ended, DISABLE)
    assert due == due_utc
    assert due.astimezone(PACIFIC).replace(tzinfo=None) == due_local.replace(tzinfo=None)
    assert (due - ended).total_seconds() == 24 * 3600


def test_r_ac_2_first_of_separation_and_transfers_counts():
    assert access_ended_at(None, []) is None
    assert access_ended_at(local(2026, 5, 2, 8, 0), [local(2026, 5, 1, 8, 0)]) == local(2026, 5, 1, 8, 0)
    assert access_ended_at(None, [local(2026, 5, 3, 8, 0), local(2026, 5, 1, 8, 0)]) == local(2026, 5, 1, 8, 0)


def test_r_ac_2_a_transfer_before_the_account_was_requested_does_not_count_for_it():
    transfers = [local(2026, 5, 1, 8, 0), local(2026, 9, 1, 8, 0)]
    assert access_ended_at(None, transfers, requested_at=local(2026, 6, 1, 8, 0)) == local(2026, 9, 1, 8, 0)
    assert access_ended_at(None, transfers[:1], requested_at=local(2026, 6, 1, 8, 0)) is None
    # a separation counts whatever the request date
    assert access_ended_at(local(2026, 5, 2, 8, 0), [], requested_at=local(2026, 6, 1, 8, 0)) == local(
        2026, 5, 2, 8, 0)
    records = AccountRecords(accounts=(account(requested_at=local(2026, 6, 1, 8, 0)),), separated_at=None,
                             transferred_at=tuple(transfers[:1]), zone=PACIFIC)
    [disable, _] = evaluate_accounts(person(), records, RULES, datetime.date(2026, 7, 1))
    assert disable.status == "not_required"


@pytest.mark.parametrize(("disabled_at", "now", "late"), [
    (None, local(2026, 11, 14, 16, 0), 0.0),  # not due yet
    (None, local(2026, 11, 16, 9, 0), 40.0),  # Monday morning: late from Saturday 17:00
    (local(2026, 11, 14, 16, 59), local(2026, 11, 20, 9, 0), 0.0),  # disabled in time
    (local(2026, 11, 15, 5, 30), local(2026, 11, 20, 9, 0), 12.5),  # disabled late: counted to the disablement
], ids=["not-yet-due", "still-active-monday", "in-time", "disabled-late"])
def test_r_ac_2_hours_late(disabled_at, now, late):
    due = disablement_due_at(local(2026, 11, 13, 17, 0), DISABLE)
    assert hours_late(due, disabled_at, now) == late


@pytest.mark.parametrize(("today", "status"), [
    (datetime.date(2026, 11, 13), "due_soon"), (datetime.date(2026, 11, 14), "due_soon"),
    (datetime.date(2026, 11, 15), "overdue"), (datetime.date(2026, 11, 16), "overdue"),
], ids=["friday", "saturday-due", "sunday", "monday"])
def test_r_ac_2_account_disable_obligation_across_a_weekend(today, status):
    item = account_disable(account(), local(2026, 11, 13, 17, 0), DISABLE, PACIFIC, today)
    assert (item.status, item.due, item.key, dict(item.extra)) == (
        status, datetime.date(2026, 11, 14), "system:WebLEDS", {"system": "WebLEDS"})


def test_r_ac_2_account_disable_dst_due_date_is_the_local_day():
    item = account_disable(account(), local(2026, 10, 31, 23, 59, 59), DISABLE, PACIFIC, datetime.date(2026, 11, 1))
    assert (item.status, item.due) == ("due_soon", datetime.date(2026, 11, 1))
    item = account_disable(account(), local(2026, 10, 31, 23, 59, 59), DISABLE, PACIFIC, datetime.date(2026, 11, 2))
    assert item.status == "overdue"


def test_r_ac_2_disabled_account_is_done_and_says_how_late():
    item = account_disable(account(status="disabled", disabled_at=local(2026, 11, 15, 5, 30)),
                           local(2026, 11, 13, 17, 0), DISABLE, PACIFIC, datetime.date(2026, 11, 20))
    assert item.status == "done"
    assert item.satisfied_by == "disabled Nov 15, 2026, 05:30 (12.5 hours late)"


def test_r_ac_2_no_separation_no_disablement_due():
    item = account_disable(account(), None, DISABLE, PACIFIC, datetime.date(2026, 11, 20))
    assert item.status == "not_required" and item.key == "system:WebLEDS"


@pytest.mark.parametrize(("last_login", "today", "status", "due"), [
    (datetime.date(2026, 8, 1), datetime.date(2026, 10, 29), "done", datetime.date(2026, 11, 6)),  # day 89
    (datetime.date(2026, 8, 1), datetime.date(2026, 10, 30), "due_soon", datetime.date(2026, 11, 6)),  # 90 days
    (datetime.date(2026, 8, 1), datetime.date(2026, 11, 6), "due_soon", datetime.date(2026, 11, 6)),
    (datetime.date(2026, 8, 1), datetime.date(2026, 11, 7), "overdue", datetime.date(2026, 11, 6)),
    (None, datetime.date(2026, 4, 6), "due_soon", datetime.date(2026, 4, 13)),  # never logged in: from activation
], ids=["day-89", "flagged-at-90", "last-day-to-disable", "overdue", "never-logged-in"])
def test_r_ac_3_no_login_for_90_days_disable_within_7(last_login, today, status, due):
    item = account_inactive(account(last_login_on=last_login), RULES, PACIFIC, today)
    assert (item.status, item.due) == (status, due)


def test_r_ac_3_only_enabled_accounts_count():
    for status in ("requested", "disabled"):
        item = account_inactive(account(status=status), RULES, PACIFIC, datetime.date(2027, 1, 1))
        assert item.status == "not_required"


def test_accounts_evaluate_one_pair_per_account():
    records = AccountRecords(accounts=(account(), account(pk=8, system="nexTEST")), separated_at=None,
                             transferred_at=(), zone=PACIFIC)
    items = evaluate_accounts(person(), records, RULES, datetime.date(2026, 2, 1))
    assert [(i.obligation, i.key) for i in items] == [
        ("account_disable", "system:WebLEDS"), ("account_inactive", "system:WebLEDS"),
        ("account_disable", "system:nexTEST"), ("account_inactive", "system:nexTEST")]
    assert evaluate_accounts(person(), None, RULES, datetime.date(2026, 2, 1)) == []


@pytest.mark.parametrize(("last", "first", "due"), [
    (None, None, None),
    (None, datetime.date(2026, 2, 10), datetime.date(2027, 2, 10)),
    (datetime.date(2026, 6, 30), datetime.date(2024, 2, 10), datetime.date(2027, 6, 30)),
], ids=["no-accounts", "first-review-a-year-after-first-account", "a-year-after-the-last-signed"])
def test_r_ac_4_access_review_due_annually(last, first, due):
    assert access_review_due(last_signed_on=last, first_active_on=first, rule=DEFAULTS["access_review"]) == due
