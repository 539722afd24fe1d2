"""Pure rules for sign-in and the security log: no ORM, no clock (``now`` is passed in)."""

from __future__ import annotations

from datetime import datetime, timedelta


def next_review_due(*, last_reviewed_at: datetime | None, every_days: int = 7) -> datetime | None:
    """R-SEC-5: the LASO reviews the security log weekly; the next review is due ``every_days`` after the last.

    None when there has never been a review (it is due now).
    """
    if last_reviewed_at is None:
        return None
    return last_reviewed_at + timedelta(days=every_days)


def review_overdue(*, last_reviewed_at: datetime | None, now: datetime, every_days: int = 7) -> bool:
    """R-SEC-5: overdue when no review was ever signed off, or the last is more than ``every_days`` old."""
    due = next_review_due(last_reviewed_at=last_reviewed_at, every_days=every_days)
    return due is None or now > due


def failures_lock(*, failure_times: list[datetime], now: datetime, limit: int = 5,
                  window: timedelta = timedelta(minutes=15)) -> bool:
    """R-SEC-3: ``limit`` failed sign-ins within ``window`` (sliding, ending ``now``) lock the account."""
    recent = [t for t in failure_times if now - window <= t <= now]
    return len(recent) >= limit


def session_expired(*, signed_in_at: float | None, last_activity_at: float | None, now: float,
                    idle_seconds: int, absolute_seconds: int) -> str | None:
    """R-SEC-4: "idle" after ``idle_seconds`` without activity, "absolute" after ``absolute_seconds`` since sign-in.

    Times are POSIX seconds. None while the session may go on.
    """
    if signed_in_at is not None and now - signed_in_at >= absolute_seconds:
        return "absolute"
    if last_activity_at is not None and now - last_activity_at >= idle_seconds:
        return "idle"
    return None
