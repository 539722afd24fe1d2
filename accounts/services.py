"""Writes about users that other apps need."""

from django.db import transaction

from common.history import stamp
from common.reference_data import ensure_periodic_tasks
from people.models import Person
from people.services import grant_role

from . import security_log
from .defaults import SCHEDULES
from .models import AccountLock, Invitation, SecurityEvent, SecurityLogReview, SignInFailure, User


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


# --- user administration for the LEDS Representative (CJIS AC-2) ---------------------------------------------

def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite_person(*, person, username: str, email: str, role: str, actor, invitation_url) -> tuple:
    """Give ``person`` a sign-in and e-mail them a link that works once to set a password (then enroll MFA).

    ``invitation_url``: a function token -> absolute URL. Returns (invitation, token). A person who already has
    a sign-in that was never used gets a fresh link (the old one stops working).
    """
    import secrets
    from datetime import timedelta

    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import timezone

    now = timezone.now()
    username = (username or "").strip()
    email = (email or "").strip()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_separated:
            raise ValidationError("A separated person cannot be invited.")
        user = person.user
        if user is None:
            if User.objects.filter(username__iexact=username).exists():
                raise ValidationError({"username": f'The user name "{username}" is taken; choose another.'})
            user = User(username=username, email=email, first_name=person.first_name, last_name=person.last_name)
            user.set_unusable_password()
            user.full_clean()
            user.save()
            person.user = user
            stamp(person, actor=actor, reason="Sign-in created by invitation")
            person.save(update_fields=["user", "updated_at"])
        elif user.has_usable_password() or user.last_login is not None:
            raise ValidationError("This person already signs in; reset their MFA or password instead.")
        else:
            user.email = email or user.email
            user.is_active = True
            user.save(update_fields=["email", "is_active"])
        Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            user=user, agency=person.agency, email=email or user.email, token_hash=_token_hash(token),
            invited_by=actor, created_at=now, expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        invitation.full_clean()
        stamp(invitation, actor=actor, reason="Invitation sent")
        invitation.save()
        if role:
            grant_role(user=user, agency=person.agency, role=role, actor=actor)
        security_log.record(
            event=SecurityEvent.Kind.INVITATION_SENT, actor=actor, agency=person.agency,
            target=f"user:{user.get_username()}", details={"email": invitation.email, "role": role},
        )
        context = {"person": person, "user": user, "url": invitation_url(token), "invitation": invitation,
                   "days": settings.INVITATION_DAYS, "site_name": settings.SITE_NAME}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
        recipient = invitation.email
        # sent only once the sign-in exists for sure (HOUSE_STYLE: no e-mail for a rolled-back write)
        transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
    return invitation, token


def invitation_for_token(token: str):
    """The open invitation for ``token``, or None when it is unknown, used, replaced or expired."""
    from django.utils import timezone

    return (
        Invitation.objects.select_related("user", "agency")
        .filter(token_hash=_token_hash(token or ""), accepted_at__isnull=True, revoked_at__isnull=True,
                expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )


def accept_invitation(*, token: str, password: str, request=None):
    """Set the invited person's password; the link then stops working. Returns the user."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    with transaction.atomic():
        found = invitation_for_token(token)
        if found is None:
            raise ValidationError("This invitation link has been used, replaced or has expired.")
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        if invitation.accepted_at is not None:  # a second click that raced the first
            raise ValidationError("This invitation link has been used, replaced or has expired.")
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        stamp(invitation, actor=user, reason="Invitation accepted")
        invitation.save()
        security_log.record(event=SecurityEvent.Kind.INVITATION_ACCEPTED, actor=user, request=request,
                            agency=invitation.agency, target=f"user:{user.get_username()}")
    return user


def reset_mfa(*, user, actor, agency=None, reason: str = ""):
    """Remove all of a person's second factors: at their next sign-in they enroll again (R-SEC-1)."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        types = sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
        Authenticator.objects.filter(user=user).delete()
        security_log.record(event=SecurityEvent.Kind.MFA_RESET, actor=actor, agency=agency, subject=user,
                            target=f"user:{user.get_username()}", details={"removed": types, "reason": reason})
    return types


def set_sign_in_active(*, user, actor, active: bool, reason: str, agency=None):
    """Deactivate (or reactivate) a sign-in. A deactivated user's open sessions end at their next request."""
    from django.core.exceptions import ValidationError

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why; the reason is kept in the security log."})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        user.is_active = active
        if active:
            user.must_change_password = True  # a sign-in back from deactivation starts with a new password
        user.save(update_fields=["is_active", "must_change_password"])
        kind = SecurityEvent.Kind.SIGN_IN_REACTIVATED if active else SecurityEvent.Kind.SIGN_IN_DEACTIVATED
        security_log.record(event=kind, actor=actor, agency=agency, subject=user,
                            target=f"user:{user.get_username()}", details={"reason": reason})
    return user


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the security log's schedule."""
    ensure_periodic_tasks(SCHEDULES, using=using)
