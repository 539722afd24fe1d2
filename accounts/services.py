"""Writes about users that other apps need."""

from django.db import transaction

from .models import User


def get_system_user(*, name: str) -> User:
    """The non-interactive actor recorded in history for a command or task (e.g. ``system:import_roster``)."""
    username = name if name.startswith("system:") else f"system:{name}"
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_active": False, "is_system": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def resolve_actor(*, username: str | None, command: str) -> User:
    """The user a command acts as: ``--user USERNAME`` when given, else the system user named for it."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise ValueError(f'no user named "{username}"') from exc
    return get_system_user(name=command)


def sign_off_security_log_review(*, agency, reviewer, notes: str = "", now=None):
    """The LASO signs off that they reviewed the agency's security log since the last review (R-SEC-5)."""
    from django.utils import timezone

    from common.history import stamp

    from . import security_log
    from .models import SecurityEvent, SecurityLogReview

    now = now or timezone.now()
    with transaction.atomic():
        previous = (
            SecurityLogReview.objects.select_for_update().filter(agency=agency).order_by("-reviewed_at").first()
        )
        events = SecurityEvent.objects.filter(agency=agency, occurred_at__lte=now)
        if previous is not None:
            start = previous.period_end
            events = events.filter(occurred_at__gt=start)
        else:
            first = events.order_by("id").values_list("occurred_at", flat=True).first()
            start = first or now
        review = SecurityLogReview(
            agency=agency, reviewed_by=reviewer, reviewed_at=now, period_start=start, period_end=now,
            events_reviewed=events.count(), notes=(notes or "").strip(),
        )
        review.full_clean()
        stamp(review, actor=reviewer, reason="Security log review signed off")
        review.save()
        security_log.record(
            event=SecurityEvent.Kind.LOG_REVIEWED, actor=reviewer, agency=agency, target="security log",
            details={"review": review.pk, "events_reviewed": review.events_reviewed,
                     "period_start": start.isoformat(), "period_end": now.isoformat()},
        )
    return review


def unlock_account(*, lock, actor):
    """Unlock a locked user name (R-SEC-3): the lock is closed, the failures forgotten, the unlock logged."""
    from axes.utils import reset
    from django.utils import timezone

    from common.history import stamp

    from . import security_log
    from .models import AccountLock, SecurityEvent, SignInFailure

    with transaction.atomic():
        lock = AccountLock.objects.select_for_update().get(pk=lock.pk)
        if lock.unlocked_at is not None:
            return lock
        lock.unlocked_at = timezone.now()
        lock.unlocked_by = actor
        stamp(lock, actor=actor, reason="Unlocked")
        lock.save()
        SignInFailure.objects.filter(username=lock.username).delete()
        reset(username=lock.username)  # axes' attempt rows, so the next sign-in is not refused
        security_log.record(
            event=SecurityEvent.Kind.UNLOCKED, actor=actor, agency=lock.agency, target=f"user:{lock.username}",
            details={"locked_at": lock.locked_at.isoformat(), "failures": lock.failures},
        )
    return lock
