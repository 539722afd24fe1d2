"""Writes for state-system accounts (R-AC-1..5): requests and steps, transfers, reviews and reset assists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from background.services import background_check_cleared
from common.dates import in_words
from common.history import stamp
from common.reference_data import create_missing
from compliance.engine import MUST_BE_SUSPENDED
from compliance.services import ensure_rule_rows

from .defaults import ACCOUNT_RULES, STATE_SYSTEMS
from .models import AccessReview, AccessReviewItem, DutyTransfer, PasswordResetAssist, StateAccount, StateSystem
from .rules import allowed_account_steps


def add_state_system(*, agency, name: str, actor, description: str = ""):
    """R-AC-1: a system the agency adds to the state's list."""
    name = name.strip()
    with transaction.atomic():
        if StateSystem.objects.filter(agency__isnull=True, name__iexact=name).exists() or \
                StateSystem.objects.filter(agency=agency, name__iexact=name).exists():
            raise ValidationError({"name": f'"{name}" is already on the list of systems.'})
        system = StateSystem(agency=agency, name=name, description=description.strip())
        system.full_clean()
        stamp(system, actor=actor, reason="State system added")
        system.save()
    return system


def _check_moment(at: datetime, *, after: datetime | None, field: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if at > now + timedelta(minutes=5):
        raise ValidationError({field: "A step cannot be recorded in the future."})
    if after is not None and at < after:
        previous = in_words(timezone.localtime(after))
        raise ValidationError({field: f"This step cannot come before the previous one ({previous})."})


def request_account(*, person, system, actor, requested_at: datetime | None = None, username: str = ""):
    """R-AC-1: the LEDS Representative requests an account for the person on a state system."""
    requested_at = requested_at or timezone.now()
    with transaction.atomic():
        if person.is_separated:
            raise ValidationError("A separated person cannot be given an account.")
        if system.agency_id not in (None, person.agency_id):
            raise ValidationError({"system": "That system belongs to another agency."})
        if StateAccount.objects.filter(person=person, system=system, voided_at__isnull=True).exclude(
                status=StateAccount.Status.DISABLED).exists():
            raise ValidationError({"system": f"{person} already has an open {system} account."})
        _check_moment(requested_at, after=None, field="at")
        account = StateAccount(person=person, system=system, username=username.strip(), requested_at=requested_at,
                               requested_by=actor)
        account.full_clean()
        stamp(account, actor=actor, reason=f"{system} account requested")
        account.save()
    return account


NOT_CLEARED = ("This account cannot become active: the person's background check is not cleared (R-BG-1). "
               "Record the cleared fingerprint-based check first.")

STEP_FIELDS = {"active": ("activated_at", "activated_by"), "disable_requested": ("disable_requested_at",
               "disable_requested_by"), "disabled": ("disabled_at", "disabled_by")}
STEP_REASONS = {"active": "activated", "disable_requested": "disablement requested", "disabled": "disabled"}


def advance_account(*, account, to: str, actor, at: datetime | None = None, username: str = "", why: str = ""):
    """R-AC-1: the account's next step, dated and with who. Activation needs a cleared check (R-BG-1).
    ``why`` is added to the history reason (e.g. the verdict that asked for it)."""
    at = at or timezone.now()
    with transaction.atomic():
        account = StateAccount.objects.select_for_update().select_related("person", "system").get(pk=account.pk)
        if account.is_voided:
            raise ValidationError("This account record is voided.")
        if to not in allowed_account_steps(account.status):
            allowed = ", ".join(allowed_account_steps(account.status)) or "none: it is disabled"
            raise ValidationError({"to": f"A {account.get_status_display().lower()} account can become: {allowed}."})
        if to == StateAccount.Status.ACTIVE:
            if not background_check_cleared(account.person):  # R-BG-1, in the service, not only the form
                raise ValidationError({"to": NOT_CLEARED})
            if account.person.is_separated:
                raise ValidationError({"to": "A separated person's account cannot become active."})
            if username.strip():
                account.username = username.strip()
        previous = max(m for m in (account.requested_at, account.activated_at, account.disable_requested_at) if m)
        _check_moment(at, after=previous, field="at")
        at_field, by_field = STEP_FIELDS[to]
        setattr(account, at_field, at)
        setattr(account, by_field, actor)
        account.status = to
        account.full_clean()
        stamp(account, actor=actor, reason=f"{account.system} account {STEP_REASONS[to]}" + (f": {why}" if why else ""))
        account.save()
    return account


def activate_account(*, account, actor, at: datetime | None = None, username: str = ""):
    return advance_account(account=account, to="active", actor=actor, at=at, username=username)


def request_disablement(*, account, actor, at: datetime | None = None):
    return advance_account(account=account, to="disable_requested", actor=actor, at=at)


def disable_account(*, account, actor, at: datetime | None = None):
    return advance_account(account=account, to="disabled", actor=actor, at=at)


def accounts_to_disable(person):
    """The person's active state-system accounts (not voided), for "Request disablement" (R-AC-1)."""
    return (StateAccount.objects.filter(person=person, status=StateAccount.Status.ACTIVE, voided_at__isnull=True)
            .select_related("system").order_by("system__name", "pk"))


def request_disablement_of_accounts(*, person, actor, verdict, at: datetime | None = None) -> list:
    """R-AC-1, R-PE-3: a person who must be suspended has every active account moved to "disable requested", in
    one transaction, each step in the account's history with the verdict's rule IDs as the reason.

    ``verdict`` is the engine's (compliance.engine.Verdict) for the person today: anything but "must be
    suspended" is refused, so a stale page cannot disable a person who has since become eligible.
    """
    if verdict.code != MUST_BE_SUSPENDED:
        raise ValidationError("This person's LEDS access need not be suspended: nothing was requested.")
    why = f"LEDS access must be suspended ({', '.join(verdict.reason_ids)})"
    with transaction.atomic():
        accounts = list(accounts_to_disable(person).select_for_update(of=("self",)))
        return [advance_account(account=account, to="disable_requested", actor=actor, at=at, why=why)
                for account in accounts]


def record_transfer(*, person, transferred_at: datetime, actor, new_duties: str = ""):
    """R-AC-2: a transfer to duties that no longer need LEDS access; every account falls due 24 hours later."""
    with transaction.atomic():
        if person.is_separated:
            raise ValidationError("This person is separated; the separation already ends their access.")
        _check_moment(transferred_at, after=None, field="transferred_at")
        transfer = DutyTransfer(person=person, transferred_at=transferred_at, new_duties=new_duties.strip(),
                                recorded_by=actor)
        transfer.full_clean()
        stamp(transfer, actor=actor, reason="Transfer to duties without LEDS access")
        transfer.save()
    return transfer


def record_password_reset(*, person, system, reset_at: datetime, reset_by):
    """R-AC-5: help with a locked state account's password: who asked, who reset, when, which system."""
    with transaction.atomic():
        if system.agency_id not in (None, person.agency_id):
            raise ValidationError({"system": "That system belongs to another agency."})
        _check_moment(reset_at, after=None, field="reset_at")
        assist = PasswordResetAssist(person=person, system=system, reset_at=reset_at, reset_by=reset_by)
        assist.full_clean()
        stamp(assist, actor=reset_by, reason=f"{system} password reset assisted")
        assist.save()
    return assist


# --- the annual access review (R-AC-4) ---------------------------------------------------------------------------

def start_access_review(*, agency, actor, now: datetime | None = None):
    """R-AC-4: a checklist of every active account of the agency, to confirm or mark for disablement."""
    now = now or timezone.now()
    with transaction.atomic():
        if AccessReview.objects.filter(agency=agency, signed_at__isnull=True).exists():
            raise ValidationError("An access review is already open: finish and sign it first.")
        review = AccessReview(agency=agency, started_at=now, started_by=actor)
        review.full_clean()
        stamp(review, actor=actor, reason="Access review started")
        review.save()
        accounts = StateAccount.objects.filter(person__agency=agency, voided_at__isnull=True,
                                               status=StateAccount.Status.ACTIVE)
        bulk_create_with_history([AccessReviewItem(review=review, account=a) for a in accounts], AccessReviewItem,
                                 default_user=actor, default_change_reason="Access review started")
    return review


def decide_review_items(*, review, decisions: dict, actor, now: datetime | None = None) -> int:
    """R-AC-4: confirm an account, or mark it for disablement; a signed review cannot change."""
    now = now or timezone.now()
    allowed = {AccessReviewItem.Decision.CONFIRMED, AccessReviewItem.Decision.DISABLE}
    with transaction.atomic():
        review = AccessReview.objects.select_for_update().get(pk=review.pk)
        if review.is_signed:
            raise ValidationError("This access review is signed and can no longer change.")
        changed = 0
        for item in review.items.filter(pk__in=list(decisions)):
            decision = decisions[item.pk]
            if decision not in allowed or decision == item.decision:
                continue
            item.decision, item.decided_at, item.decided_by = decision, now, actor
            stamp(item, actor=actor, reason=f"Access review: {item.get_decision_display().lower()}")
            item.save()
            changed += 1
    return changed


def sign_access_review(*, review, actor, now: datetime | None = None):
    """R-AC-4: the LEDS Representative signs the finished review; it is then read-only and kept. Every account
    marked for disablement gets its disablement requested, dated and with who (R-AC-1)."""
    now = now or timezone.now()
    with transaction.atomic():
        review = AccessReview.objects.select_for_update().select_related("agency").get(pk=review.pk)
        if review.is_signed:
            raise ValidationError("This access review is already signed.")
        pending = review.items.filter(decision=AccessReviewItem.Decision.PENDING).count()
        if pending:
            raise ValidationError(f"{pending} account{'s are' if pending != 1 else ' is'} not yet reviewed: confirm "
                                  "each or mark it for disablement before signing.")
        review.signed_at, review.signed_by = now, actor
        review.signed_on = now.astimezone(review.agency.zone).date()
        stamp(review, actor=actor, reason="Access review signed")
        review.save()
        marked = review.items.filter(decision=AccessReviewItem.Decision.DISABLE,
                                     account__status=StateAccount.Status.ACTIVE).select_related("account")
        for item in marked:
            advance_account(account=item.account, to="disable_requested", actor=actor, at=now)
    return review


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the state's systems (R-AC-1) and the rule rows."""
    create_missing(StateSystem, key=["agency", "name"], using=using, rows=(
        {"agency": None, "name": name, "description": description} for name, description in STATE_SYSTEMS))
    ensure_rule_rows(ACCOUNT_RULES, using=using)
