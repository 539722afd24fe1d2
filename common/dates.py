"""Date arithmetic every rule shares."""

import calendar
from datetime import date, datetime


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping to the month's end (2024-02-29 + 24 months = 2026-02-28)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def in_words(value) -> str:
    """A date in a sentence as people read it: "Jan 5, 2026" (a datetime: "Jan 5, 2026, 14:05").

    The one date format of text (issue 19), the same as the ``day``/``moment`` template filters; exports, file
    names and keys keep ISO. Pure (the engine uses it): give a datetime already in the reader's time zone."""
    if isinstance(value, datetime):
        return f"{value:%b} {value.day}, {value.year}, {value:%H:%M}"
    return f"{value:%b} {value.day}, {value.year}"


def lateness(hours: float) -> str:
    """How late, in plain words: "6 hours late" under two days, else "173 days late" (durations in days)."""
    if hours < 48:
        shown = f"{hours:g}"
        return f"{shown} hour{'' if shown == '1' else 's'} late"
    return f"{round(hours / 24)} days late"
