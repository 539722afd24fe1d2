"""One date format in text (issue 19): ``{{ value|day }}`` → "Jan 5, 2026", ``{{ value|moment }}`` →
"Jan 5, 2026, 14:05", each in a ``<time datetime="…">`` that never wraps (ledsadmin.css); the words come from
``common.dates.in_words``, as in sentences built in code. Exports keep ISO.

Loaded everywhere (TEMPLATES builtins), like Django's own ``date`` filter they convert aware datetimes to the
current time zone first.
"""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

from common.dates import in_words, lateness

register = template.Library()

def _time(value, iso_fmt: str, *, with_time: bool):
    if not isinstance(value, (datetime.date, datetime.datetime)):
        return value if value not in (None, "") else ""
    shown = value if with_time or not isinstance(value, datetime.datetime) else value.date()
    return format_html('<time datetime="{}">{}</time>', date_filter(value, iso_fmt), in_words(shown))


@register.filter(expects_localtime=True)
def day(value):
    """A date (or the date of a datetime) as "Jan 5, 2026"."""
    return _time(value, "Y-m-d", with_time=False)


@register.filter(expects_localtime=True)
def moment(value):
    """A datetime as "Jan 5, 2026, 14:05" (a date alone as "Jan 5, 2026")."""
    if not isinstance(value, datetime.datetime):
        return day(value)
    return _time(value, "c", with_time=True)


@register.filter
def late(hours):
    """How late, in plain words: "6 hours late" under two days, else "173 days late" (durations in days)."""
    if hours in (None, ""):
        return ""
    return lateness(float(hours))
