"""The iCalendar file of an in-house certification class (R-CE-5), attached to the enrollment e-mail.

Built the way training_events/ics.py builds an event's file (the icalendar library, local time with its
zone, the zone added to the file), for a class that is one block of time on one day in the agency's zone.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone
from icalendar import Calendar, Event

from common.ics import multi_line, one_line

PRODID = "-//LEDS Admin//Certification classes//EN"


def class_times(certification_class) -> tuple[datetime.datetime, datetime.datetime]:
    """The class's start and end as aware datetimes in the agency's time zone."""
    zone = zoneinfo.ZoneInfo(certification_class.agency.time_zone)
    day = certification_class.held_on
    return (datetime.datetime.combine(day, certification_class.start_time, tzinfo=zone),
            datetime.datetime.combine(day, certification_class.end_time, tzinfo=zone))


def class_ics(certification_class, *, cancelled: bool = False) -> str:
    """One VEVENT for the class; the same UID every time, so a calendar updates rather than duplicates."""
    starts_at, ends_at = class_times(certification_class)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = Event()
    entry.add("uid", f"certification-class-{certification_class.pk}@leds-admin")
    entry.add("summary", one_line(f"LEDS certification class ({certification_class.level})"))
    entry.add("dtstart", starts_at)
    entry.add("dtend", ends_at)
    entry.add("dtstamp", timezone.now())
    entry.add("location", one_line(certification_class.location))
    entry.add("description", multi_line(f"Instructor: {one_line(certification_class.instructor)}\n"
                                        f"Certification level taught: {one_line(certification_class.level)}\n"
                                        f"{certification_class.notes}"))
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
