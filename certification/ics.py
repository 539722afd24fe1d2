"""The iCalendar file of an in-house certification class (R-CE-5), attached to the enrollment e-mail.

Written by the one calendar helper (common.ics), as training events are: a class is one block of time on one
day in the agency's zone.
"""

from __future__ import annotations

import datetime
import zoneinfo

from common.ics import CalendarEntry, calendar_file, one_line

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
    entry = CalendarEntry(
        uid=f"certification-class-{certification_class.pk}@leds-admin",
        summary=f"LEDS certification class ({certification_class.level})", starts_at=starts_at, ends_at=ends_at,
        location=certification_class.location,
        description=(f"Instructor: {one_line(certification_class.instructor)}\n"
                     f"Certification level taught: {one_line(certification_class.level)}\n"
                     f"{certification_class.notes}"))
    return calendar_file([entry], prodid=PRODID, cancelled=cancelled).decode()
