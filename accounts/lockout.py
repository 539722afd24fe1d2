"""Account lockout (R-SEC-3, CJIS AC-7): 5 failed sign-ins within 15 minutes lock the user name until an
administrator or the agency's LEDS Representative unlocks it.

django-axes refuses sign-ins for a locked user name and shows our lockout page; this handler gives it a true
sliding window: one ``SignInFailure`` row per failure with its own time, and a lock (``AccountLock``) that stays
open until someone unlocks it. Failures older than the window never count, so 4 failures, 16 quiet minutes and
1 more failure do not lock.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils import timezone

from . import rules, security_log
from .models import AccountLock, SecurityEvent, SignInFailure, User

Kind = SecurityEvent.Kind


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The user name a lock is about, in lower case: allauth finds user names case-insensitively, so "EMPLOYEE"
    must count toward (and be refused by) the lock on "employee" (AXES_USERNAME_CALLABLE)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or request.POST
        value = data.get(field) or data.get("login")
    value = (value or "").strip().lower()
    return value or None


def window() -> timedelta:
    return timedelta(seconds=settings.LOCKOUT_WINDOW_SECONDS)


def is_locked(username: str) -> bool:
    return AccountLock.objects.filter(username=username, unlocked_at__isnull=True).exists()


class SlidingWindowHandler(AxesDatabaseHandler):
    """axes' database handler, counting failures in a sliding window and locking until an unlock."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        if is_locked(username):
            return settings.AXES_FAILURE_LIMIT
        now = timezone.now()
        times = list(
            SignInFailure.objects.filter(username=username, failed_at__gte=now - window())
            .values_list("failed_at", flat=True)
        )
        if rules.failures_lock(failure_times=times, now=now, limit=settings.AXES_FAILURE_LIMIT, window=window()):
            return settings.AXES_FAILURE_LIMIT
        return len(times)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return
        username = get_client_username(request, credentials)
        already_locked = bool(username) and is_locked(username)
        if username and not already_locked:
            SignInFailure.objects.create(
                username=username[:150], failed_at=timezone.now(), ip_address=security_log.client_ip(request)
            )
        user = User.objects.filter(username__iexact=username).first() if username else None
        security_log.record(
            event=Kind.SIGN_IN_FAILED, request=request, actor=user, actor_username=username or "",
            subject=user, outcome=SecurityEvent.Outcome.DENIED if already_locked else SecurityEvent.Outcome.FAILURE,
            target=f"user:{username}", details={"reason": "account locked" if already_locked else "bad credentials"},
        )
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if getattr(request, "axes_locked_out", False) and username and not already_locked:
            lock_account(username=username, user=user, request=request)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # the count is of failures since the last good sign-in (AXES_RESET_ON_SUCCESS)
        SignInFailure.objects.filter(username=user.get_username().lower()).delete()


def count_second_factor_failure(*, user: User, request=None) -> bool:
    """A wrong MFA code is an invalid sign-in attempt too (CJIS AC-7): it counts toward the same lock, which
    also stops a guessed code. Returns True when the account is now locked."""
    username = user.get_username().lower()
    if is_locked(username):
        return True
    SignInFailure.objects.create(username=username, failed_at=timezone.now(),
                                 ip_address=security_log.client_ip(request))
    now = timezone.now()
    times = list(SignInFailure.objects.filter(username=username, failed_at__gte=now - window())
                 .values_list("failed_at", flat=True))
    if rules.failures_lock(failure_times=times, now=now, limit=settings.AXES_FAILURE_LIMIT, window=window()):
        lock_account(username=username, user=user, request=request)
        return True
    return False


def lock_account(*, username: str, user: User | None, request=None) -> AccountLock | None:
    """Open a lock for ``username`` (idempotent) and log it."""
    agency = security_log._agency_of(user) if user else None
    failures = SignInFailure.objects.filter(username=username, failed_at__gte=timezone.now() - window()).count()
    try:
        with transaction.atomic():
            lock = AccountLock(
                username=username, user=user, agency=agency, locked_at=timezone.now(), failures=failures,
                ip_address=security_log.client_ip(request),
            )
            lock._change_reason = f"Locked after {failures} failed sign-ins (R-SEC-3)"
            lock.save()
            security_log.record(
                event=Kind.LOCKED_OUT, request=request, actor=None, actor_username=username, agency=agency,
                target=f"user:{username}", outcome=SecurityEvent.Outcome.DENIED,
                details={"failures": failures, "window_minutes": settings.LOCKOUT_WINDOW_SECONDS // 60},
            )
    except IntegrityError:  # a concurrent failure opened it first
        return AccountLock.objects.filter(username=username, unlocked_at__isnull=True).first()
    return lock


def lockout_response(request, original_response=None, credentials=None):
    """The same page for every user name, so nothing reveals whether it exists; it says whom to call."""
    return render(
        request,
        "account/locked_out.html",
        {"contact": settings.LOCKOUT_CONTACT, "limit": settings.AXES_FAILURE_LIMIT,
         "window_minutes": settings.LOCKOUT_WINDOW_SECONDS // 60},
        status=429,
    )
