"""Which reminder stage an obligation is in on a given day (issue 9; lead days from RULES.md's rule table).

Pure functions: ``today`` is passed in. A stage is named so that the outbox's unique key
(person, obligation, object, due date, stage) lets each stage be queued once, and a missed day
(beat down) yields only the *current* stage on the next run, never the stale ones.
"""

from datetime import date, timedelta


def reminder_stage(*, due: date | None, today: date, lead_days: tuple[int, ...], overdue_repeat_days: int = 7,
                   satisfied: bool = False) -> str | None:
    """``"lead-90"`` … ``"lead-7"`` before the due date, ``"overdue-0"``, ``"overdue-1"`` … weekly after it.

    Before the due date the current stage is the smallest lead day not yet passed: with 90/60/30/7 and 45 days
    left the stage is ``lead-60``. After it, one stage per ``overdue_repeat_days`` from the first overdue day.
    """
    if due is None or satisfied:
        return None
    days_left = (due - today).days
    if days_left < 0:
        repeat = max(overdue_repeat_days, 1)
        return f"overdue-{(-days_left - 1) // repeat}"
    reached = [d for d in lead_days if days_left <= d]
    if not reached:
        return None
    return f"lead-{min(reached)}"


def digest_day(*, today: date, weekday: int) -> date:
    """The weekly digest's day in ``today``'s ISO week (0 = Monday): the digest is due from that day on."""
    return today - timedelta(days=today.weekday()) + timedelta(days=weekday)
