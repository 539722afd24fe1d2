"""iCalendar files (R-EV-3): one per registration (attached to e-mails) and a person's feed, written by the one
calendar helper (common.ics), as in-house classes are."""

from __future__ import annotations

from collections.abc import Iterable

from common.ics import CONFIRMED, TENTATIVE, CalendarEntry, calendar_file

PRODID = "-//LEDS Admin//Training events//EN"


def _entries(event) -> list[CalendarEntry]:
    """One entry per day of the event, in the venue's local time with its zone (Ontario, OR keeps Mountain time)."""
    note = "This training does not certify attendees." if not event.certifies else "Certifies attendees."
    if event.details_pending:
        note = f"Save the date: venue and seats to follow; registration opens later. {note}"
    return [CalendarEntry(
        uid=f"training-event-{event.pk}-day-{day.pk}@leds-admin", summary=event.title,
        starts_at=day.starts_at.astimezone(event.zone), ends_at=day.ends_at.astimezone(event.zone),
        location=", ".join(part for part in (event.venue_name, event.venue_address) if part),
        description=f"{event.description}\n\n{note}", status=TENTATIVE if event.details_pending else CONFIRMED,
    ) for day in event.days.all()]


def event_ics(event, *, cancelled: bool = False) -> bytes:
    return calendar_file(_entries(event), prodid=PRODID, name=event.title, cancelled=cancelled)


def feed_ics(events: Iterable, *, name: str) -> bytes:
    return calendar_file([entry for event in events for entry in _entries(event)], prodid=PRODID, name=name)
