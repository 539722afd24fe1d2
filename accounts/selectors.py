"""Reads for the security log and sign-ins, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from people.models import Membership, Person

from . import rules
from .models import AccountLock, Invitation, SecurityEvent, SecurityLogReview


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


def agency_sign_ins(*, user, agency, query: str = ""):
    """The agency's people with their sign-in: MFA enrolled, locked, roles, open invitation. Three queries a page."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef, Prefetch, Q
    from django.utils import timezone

    people = (
        Person.objects.for_user(user).in_agency(agency).select_related("user")
        .annotate(
            has_mfa=Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"),
                                                        type__in=settings.MFA_REQUIRED_TYPES)),
            is_locked=Exists(AccountLock.objects.filter(user_id=OuterRef("user_id"), unlocked_at__isnull=True)),
            invitation_open=Exists(Invitation.objects.filter(
                user_id=OuterRef("user_id"), accepted_at__isnull=True, revoked_at__isnull=True,
                expires_at__gt=timezone.now())),
        )
        .prefetch_related(Prefetch("user__memberships", queryset=Membership.objects.filter(agency=agency),
                                   to_attr="agency_memberships"))
        .order_by("last_name", "first_name", "employee_id")
    )
    for word in (query or "").split():
        people = people.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word)
                               | Q(employee_id__icontains=word) | Q(user__username__icontains=word))
    return people


def open_locks(*, user, agency=None):
    """Locked user names the user may unlock: their agency's (LEDS Representative), or all (administrator)."""

    locks = AccountLock.objects.for_user(user).filter(unlocked_at__isnull=True).select_related("user", "agency")
    if agency is not None and not getattr(user, "is_superuser", False):
        locks = locks.in_agency(agency)
    return locks.order_by("-locked_at")
