"""iCalendar files (R-EV-3): one per registration (attached to e-mails) and a person's feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from common.ics import multi_line, one_line

PRODID = "-//LEDS Admin//Training events//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", one_line(name))  # not escaped by icalendar
    return calendar


def _add_event(calendar: Calendar, event, *, cancelled: bool = False) -> None:
    stamp = timezone.now()
    for day in event.days.all():
        entry = Event()
        entry.add("uid", f"training-event-{event.pk}-day-{day.pk}@leds-admin")
        entry.add("summary", one_line(event.title))
        # the venue's local time with its zone (Ontario, OR keeps Mountain time)
        entry.add("dtstart", day.starts_at.astimezone(event.zone))
        entry.add("dtend", day.ends_at.astimezone(event.zone))
        entry.add("dtstamp", stamp)
        entry.add("location", one_line(", ".join(part for part in (event.venue_name, event.venue_address) if part)))
        note = "This training does not certify attendees." if not event.certifies else "Certifies attendees."
        if event.details_pending:
            note = f"Save the date: venue and seats to follow; registration opens later. {note}"
        entry.add("description", multi_line(f"{event.description}\n\n{note}".strip()))
        entry.add("status", "CANCELLED" if cancelled else "TENTATIVE" if event.details_pending else "CONFIRMED")
        calendar.add_component(entry)


def event_ics(event, *, cancelled: bool = False) -> bytes:
    calendar = _calendar(event.title)
    _add_event(calendar, event, cancelled=cancelled)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(events: Iterable, *, name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        _add_event(calendar, event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
