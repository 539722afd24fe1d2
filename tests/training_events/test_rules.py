import datetime

import pytest

from training_events import rules

D = datetime.date


@pytest.mark.parametrize(("deadline", "today", "open_"), [
    (D(2027, 4, 20), D(2027, 4, 19), True),
    (D(2027, 4, 20), D(2027, 4, 20), True),
    (D(2027, 4, 20), D(2027, 4, 21), False),
], ids=["before", "deadline-day-inclusive", "after"])
def test_r_ev_2_registration_deadline_is_inclusive(deadline, today, open_):
    assert rules.registration_open(deadline_on=deadline, today_at_venue=today) is open_


@pytest.mark.parametrize(("confirmed", "cap", "placed"), [
    (0, 14, "confirmed"), (13, 14, "confirmed"), (14, 14, "waitlisted"), (20, 14, "waitlisted"),
], ids=["empty", "last-seat", "full", "over"])
def test_r_ev_2_placement_never_beyond_the_cap(confirmed, cap, placed):
    assert rules.placement(confirmed=confirmed, seat_cap=cap) == placed


@pytest.mark.parametrize(("confirmed", "waitlisted", "phrase"), [
    (0, 0, "14 seats available"), (13, 0, "1 seat available"), (14, 0, "Full — join the waitlist"),
    (14, 3, "Full — 3 on the waitlist"),
])
def test_r_ev_1_seats_phrase(confirmed, waitlisted, phrase):
    assert rules.seats_phrase(confirmed=confirmed, seat_cap=14, waitlisted=waitlisted) == phrase


@pytest.mark.parametrize(("today", "due"), [
    (D(2027, 4, 18), False), (D(2027, 4, 19), True), (D(2027, 4, 26), True), (D(2027, 4, 27), False),
], ids=["too-early", "lead-day", "event-day", "after"])
def test_r_ev_3_reminder_due_lead_days_before(today, due):
    assert rules.reminder_due(first_day_on=D(2027, 4, 26), today=today, lead_days=7) is due


def test_r_ev_3_attendance_only_after_the_day_begins():
    assert not rules.attendance_recordable(day_on=D(2027, 4, 26), today=D(2027, 4, 25))
    assert rules.attendance_recordable(day_on=D(2027, 4, 26), today=D(2027, 4, 26))
