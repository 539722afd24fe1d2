"""Reads for the security log and sign-ins, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from . import rules
from .models import SecurityEvent, SecurityLogReview


def security_events(*, user, agency, filters: dict | None = None) -> QuerySet[SecurityEvent]:
    """The agency's security-log rows ``user`` may read, newest first, narrowed by the filter form's values."""
    events = SecurityEvent.objects.for_user(user).in_agency(agency).order_by("-id")
    filters = filters or {}
    if filters.get("event"):
        events = events.filter(event=filters["event"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    if filters.get("username"):
        events = events.filter(actor_username__icontains=filters["username"].strip())
    if filters.get("target"):
        events = events.filter(target__icontains=filters["target"].strip())
    if filters.get("ip_address"):
        events = events.filter(ip_address=filters["ip_address"])
    if filters.get("since"):
        events = events.filter(occurred_at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(occurred_at__date__lte=filters["until"])
    return events


def last_review(*, user, agency) -> SecurityLogReview | None:
    return (
        SecurityLogReview.objects.for_user(user).in_agency(agency).select_related("reviewed_by")
        .order_by("-reviewed_at").first()
    )


def review_status(*, user, agency, now: datetime) -> dict:
    """The weekly review's state for the dashboard (R-SEC-5): the last review, when the next is due, overdue."""
    review = last_review(user=user, agency=agency)
    every = settings.SECURITY_LOG_REVIEW_DAYS
    last_at = review.reviewed_at if review else None
    return {
        "review": review,
        "due_at": rules.next_review_due(last_reviewed_at=last_at, every_days=every),
        "overdue": rules.review_overdue(last_reviewed_at=last_at, now=now, every_days=every),
        "every_days": every,
    }
