"""Wiring third-party hooks (Django auth, allauth, allauth MFA) to the security log (R-SEC-5)."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.utils import timezone

from . import security_log
from .lockout import count_second_factor_failure
from .models import SecurityEvent

Kind = SecurityEvent.Kind
SIGNED_IN_AT = "leds_signed_in_at"
LAST_ACTIVITY_AT = "leds_last_activity_at"
MFA_CHECKED_AT = "leds_mfa_checked_at"  # when this session last found a second factor (accounts.middleware)


def _user_target(user) -> str:
    return f"user:{user.get_username()}" if user is not None else ""


@receiver(auth_signals.user_logged_in, dispatch_uid="accounts_signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # login() has just cycled the session, so this is the start of the 12-hour limit (R-SEC-4)
        now = timezone.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVITY_AT] = now
    methods = []
    if request is not None and hasattr(request, "session"):
        records = request.session.get("account_authentication_methods", [])
        methods = [m.get("type") or m.get("method") for m in records]
        if any(m.get("method") == "mfa" and m.get("type") in settings.MFA_REQUIRED_TYPES for m in records):
            request.session[MFA_CHECKED_AT] = timezone.now().timestamp()  # a second factor was just used
    security_log.record(event=Kind.SIGN_IN, actor=user, request=request, subject=user, target=_user_target(user),
                        details={"methods": methods} if methods else {})


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None or getattr(request, "_leds_session_expired", False):
        return  # an expired session is logged as such by the middleware
    security_log.record(event=Kind.SIGN_OUT, actor=user, request=request, subject=user, target=_user_target(user))


def _password_event(kind, request, user):
    if getattr(user, "must_change_password", False):
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    security_log.record(event=kind, actor=user, request=request, subject=user, target=_user_target(user))


@receiver(account_signals.password_changed, dispatch_uid="accounts_password_changed")
def password_changed(sender, request, user, **kwargs):
    _password_event(Kind.PASSWORD_CHANGED, request, user)


@receiver(account_signals.password_set, dispatch_uid="accounts_password_set")
def password_set(sender, request, user, **kwargs):
    _password_event(Kind.PASSWORD_CHANGED, request, user)


@receiver(account_signals.password_reset, dispatch_uid="accounts_password_reset")
def password_reset(sender, request, user, **kwargs):
    _password_event(Kind.PASSWORD_RESET, request, user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_mfa_added")
def authenticator_added(sender, request, user, authenticator, **kwargs):
    security_log.record(event=Kind.MFA_ENABLED, actor=user, request=request, subject=user,
                        target=_user_target(user), details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_mfa_removed")
def authenticator_removed(sender, request, user, authenticator, **kwargs):
    security_log.record(event=Kind.MFA_REMOVED, actor=user, request=request, subject=user,
                        target=_user_target(user), details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_mfa_reset")
def authenticator_reset(sender, request, user, authenticator, **kwargs):
    security_log.record(event=Kind.RECOVERY_CODES, actor=user, request=request, subject=user,
                        target=_user_target(user), details={"action": "generated"})


@receiver(mfa_signals.authenticator_used, dispatch_uid="accounts_mfa_used")
def authenticator_used(sender, request, user, authenticator, **kwargs):
    if authenticator.type == "recovery_codes":
        security_log.record(event=Kind.RECOVERY_CODES, actor=user, request=request, subject=user,
                            target=_user_target(user), details={"action": "used"})


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_mfa_failed")
def mfa_failed(sender, request, user, authenticator=None, **kwargs):
    security_log.record(event=Kind.MFA_FAILED, actor=user, request=request, subject=user,
                        target=_user_target(user), outcome=SecurityEvent.Outcome.FAILURE,
                        details={"type": getattr(authenticator, "type", "")})
    if not kwargs.get("reauthentication"):
        count_second_factor_failure(user=user, request=request)  # R-SEC-3: wrong codes lock as passwords do


def _admin_entry_saved(sender, instance, created, **kwargs):
    """Every change made in the Django admin is an administrative action in the security log (R-SEC-5)."""
    if not created:
        return
    action = {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, str(instance.action_flag))
    security_log.record(
        event=Kind.ADMIN_ACTION, actor=instance.user,
        target=f"{instance.content_type.app_label}.{instance.content_type.model} {instance.object_repr}"[:200],
        details={"action": action, "object_id": instance.object_id, "change": instance.get_change_message()[:500]},
    )


def connect_admin_log():
    from django.contrib.admin.models import LogEntry
    from django.db.models.signals import post_save

    post_save.connect(_admin_entry_saved, sender=LogEntry, dispatch_uid="accounts_admin_action")
