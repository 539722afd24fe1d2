"""R-CE-5 rules of in-house classes: seats, when results are recorded, the recorded-in-LEDS flag."""

import datetime

import pytest

from certification.rules import days_unrecorded, leds_recording_late, results_recordable, seats_left

CLASS_DAY = datetime.date(2026, 11, 16)


@pytest.mark.parametrize(("capacity", "taken", "left"), [(12, 0, 12), (12, 11, 1), (12, 12, 0), (3, 5, 0)],
                         ids=["empty", "last-seat", "full", "over-after-a-capacity-edit"])
def test_r_ce_5_seats_left(capacity, taken, left):
    assert seats_left(capacity=capacity, taken=taken) == left


@pytest.mark.parametrize(("today", "recordable"), [
    (CLASS_DAY - datetime.timedelta(days=1), False),
    (CLASS_DAY, True),
    (CLASS_DAY + datetime.timedelta(days=30), True),
], ids=["day-before", "class-day", "a-month-later"])
def test_r_ce_5_results_recorded_from_the_class_day(today, recordable):
    assert results_recordable(held_on=CLASS_DAY, today=today) is recordable


@pytest.mark.parametrize(("days_after", "late"), [(0, False), (4, False), (5, False), (6, True), (40, True)],
                         ids=["class-day", "day-4", "day-5-edge", "day-6", "day-40"])
def test_r_ce_5_pass_unrecorded_more_than_rule_days_is_flagged(days_after, late):
    today = CLASS_DAY + datetime.timedelta(days=days_after)
    assert days_unrecorded(passed_on=CLASS_DAY, today=today) == days_after
    assert leds_recording_late(passed_on=CLASS_DAY, today=today, days=5) is late


def test_r_ce_5_flag_follows_the_rule_days():
    today = CLASS_DAY + datetime.timedelta(days=6)
    assert leds_recording_late(passed_on=CLASS_DAY, today=today, days=5)
    assert not leds_recording_late(passed_on=CLASS_DAY, today=today, days=10)
