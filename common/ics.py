"""The one way to write an iCalendar file (RFC 5545), for in-house classes and training events alike.

Callers describe each calendar entry (``CalendarEntry``: a UID that never changes, so a calendar updates the one
entry rather than adding another; start and end as aware datetimes in the place's own zone) and ``calendar_file``
writes the file: PRODID, VERSION, ``METHOD:PUBLISH`` (the e-mail attachment says ``method=PUBLISH``; RFC 5545
§8.1 wants the two to agree), the entries, and every time zone they use. A cancellation is the same file with
``STATUS:CANCELLED`` on every entry, which removes it from the person's calendar.

Every text goes through ``one_line`` or ``multi_line`` here: icalendar escapes commas, semicolons and line feeds
in TEXT values, but not in every property (``x-wr-calname`` raised "Content line can not contain unescaped new
line characters" and a registration rolled back), and no property may carry other control characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from icalendar import Calendar, Event

CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"  # a download, a feed and an e-mail attachment
CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]{2,}")


def one_line(value) -> str:
    """For single-line properties (summary, location, x-wr-calname): line breaks and controls become one space."""
    text = _LINE_BREAKS.sub(" ", str(value or ""))
    text = _CONTROLS.sub(" ", text).replace("\t", " ")
    return _SPACES.sub(" ", text).strip()


def multi_line(value) -> str:
    """For a description: CRLF and lone CR become LF (icalendar escapes LF as \\n); other controls are dropped."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    return _CONTROLS.sub("", text.replace("\t", " ")).strip()


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT: a class, or one day of a training event. Texts as typed; ``calendar_file`` makes them safe."""

    uid: str
    summary: str
    starts_at: datetime  # aware, in the zone the file should show (the venue's, the agency's)
    ends_at: datetime
    location: str = ""
    description: str = ""
    status: str = CONFIRMED


def calendar_file(entries: Iterable[CalendarEntry], *, prodid: str, name: str = "", cancelled: bool = False) -> bytes:
    """The .ics file of ``entries`` (none is a valid, empty calendar: a feed with nothing booked).

    ``name`` becomes X-WR-CALNAME (a feed's or an event's title); ``cancelled`` marks every entry CANCELLED.
    """
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", one_line(name))  # not escaped by icalendar
    stamp = timezone.now()
    for item in entries:
        entry = Event()
        entry.add("uid", item.uid)
        entry.add("summary", one_line(item.summary))
        entry.add("dtstart", item.starts_at)
        entry.add("dtend", item.ends_at)
        entry.add("dtstamp", stamp)
        entry.add("location", one_line(item.location))
        entry.add("description", multi_line(item.description))
        entry.add("status", CANCELLED if cancelled else item.status)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
