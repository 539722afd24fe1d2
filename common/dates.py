"""Date arithmetic every rule shares."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping to the month's end (2024-02-29 + 24 months = 2026-02-28)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
