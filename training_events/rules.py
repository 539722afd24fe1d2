"""Training-event rules (R-EV-1..3) as plain functions; "today" is always an argument."""

from __future__ import annotations

import datetime

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"

# Rule table: reminders go out this many days before an event's first day (R-EV-3).
# settings.LEDS_EVENT_REMINDER_LEAD_DAYS overrides it.
REMINDER_LEAD_DAYS = 7


SAVE_THE_DATE_PHRASE = "Save the date — registration opens later"


def registration_open(*, deadline_on: datetime.date, today_at_venue: datetime.date) -> bool:
    """R-EV-2: registration is open through the deadline day, inclusive, counted in the venue's time zone."""
    return today_at_venue <= deadline_on


def placement(*, confirmed: int, seat_cap: int) -> str:
    """R-EV-2: a new sign-up is confirmed while a seat is free, else waitlisted; never beyond the cap."""
    return CONFIRMED if confirmed < seat_cap else WAITLISTED


def day_registration_status(day_placements: list[str]) -> str:
    """R-EV-2 (per-day caps): a registration is confirmed when it holds a seat on at least one chosen day."""
    return CONFIRMED if CONFIRMED in day_placements else WAITLISTED


def seats_left(*, confirmed: int, seat_cap: int) -> int:
    """R-EV-2: free seats (never negative)."""
    return max(seat_cap - confirmed, 0)


def seats_phrase(*, confirmed: int, seat_cap: int | None, waitlisted: int = 0) -> str:
    """R-EV-1: what the list page says, as the training unit's page does ("14 seats available").

    A save-the-date has no seats yet: "Registration opens later".
    """
    if seat_cap is None:
        return SAVE_THE_DATE_PHRASE
    left = seats_left(confirmed=confirmed, seat_cap=seat_cap)
    if left == 1:
        return "1 seat available"
    if left:
        return f"{left} seats available"
    return f"Full — {waitlisted} on the waitlist" if waitlisted else "Full — join the waitlist"


def reminder_due_on(*, first_day_on: datetime.date, lead_days: int = REMINDER_LEAD_DAYS) -> datetime.date:
    """R-EV-3: the day the reminder for an event starting on ``first_day_on`` is due."""
    return first_day_on - datetime.timedelta(days=lead_days)


def reminder_due(*, first_day_on: datetime.date, today: datetime.date, lead_days: int = REMINDER_LEAD_DAYS) -> bool:
    """R-EV-3: a reminder is due from its due day until the event starts (a late sweep still sends it)."""
    due_on = reminder_due_on(first_day_on=first_day_on, lead_days=lead_days)
    return due_on <= today <= first_day_on


def attendance_recordable(*, day_on: datetime.date, today: datetime.date) -> bool:
    """R-EV-3: attendance is recorded after the event day has begun, never in advance."""
    return day_on <= today
