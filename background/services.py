"""Writes for background records (R-FP-1, R-BG-1..2); state accounts: state_access.services."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from common.history import stamp
from compliance.services import ensure_rule_rows

from .defaults import BACKGROUND_RULES
from .models import FingerprintCheck
from .rules import allowed_outcomes, may_activate_account


def record_fingerprints_submitted(
    *, person, submitted_on: date, actor, taken_on: date | None = None
) -> FingerprintCheck:
    """R-FP-1: a fingerprint-based check submitted for the person."""
    with transaction.atomic():
        check = FingerprintCheck(person=person, submitted_on=submitted_on, taken_on=taken_on)
        check.full_clean()
        stamp(check, actor=actor, reason="Fingerprints submitted")
        check.save()
    return check


def record_fingerprints_imported(*, rows, actor, reason: str) -> list[FingerprintCheck]:
    """R-FP-1: many submissions at once (the records import), with history, inside the caller's transaction.
    ``rows`` are ``(person, submitted_on)``."""
    checks = [FingerprintCheck(person=person, submitted_on=submitted_on) for person, submitted_on in rows]
    if checks:
        bulk_create_with_history(checks, FingerprintCheck, batch_size=1000, default_user=actor,
                                 default_change_reason=reason)
    return checks


def adjudicate(*, check: FingerprintCheck, outcome: str, on: date, actor, denial_reason: str = "",
               notice_sent_on: date | None = None, reference: str = "", from_history: bool = False,
               implied: bool = False, reason: str = "") -> FingerprintCheck:
    """Record the next adjudication step of a check (R-BG-2); only dates, outcomes and references.

    ``from_history``: a decision loaded from an agency's old records (the records import), where the denial
    reason, the notice date and the Superintendent's reference are optional. ``implied``: an exception request
    the records never showed, recorded because a decided exception followed the denial directly.
    """
    with transaction.atomic():
        check = FingerprintCheck.objects.select_for_update().get(pk=check.pk)
        if outcome not in allowed_outcomes(check.outcome):
            allowed = ", ".join(allowed_outcomes(check.outcome)) or "none: the adjudication is final"
            raise ValidationError({"outcome": f"A {check.get_outcome_display().lower()} check can become: {allowed}."})
        Outcome = FingerprintCheck.Outcome
        Reason = FingerprintCheck.DenialReason
        if outcome in (Outcome.CLEARED, Outcome.DENIED):
            check.result_on = on
        if outcome == Outcome.DENIED:
            errors = {}
            if from_history and not denial_reason:
                denial_reason = Reason.NOT_RECORDED
            if denial_reason not in Reason.values or (denial_reason == Reason.NOT_RECORDED and not from_history):
                errors["denial_reason"] = "Choose the reason from the rule's list (R-BG-2)."
            if notice_sent_on is None and not from_history:
                errors["notice_sent_on"] = "A denial is sent in writing: give the date the notice went out."
            if errors:
                raise ValidationError(errors)
            check.denial_reason = denial_reason
            check.denial_notice_sent_on = notice_sent_on
        if outcome == Outcome.EXCEPTION_REQUESTED:
            check.exception_requested_on = None if implied else on
        if outcome in (Outcome.EXCEPTION_GRANTED, Outcome.EXCEPTION_REFUSED):
            if not reference.strip() and not from_history:
                raise ValidationError({"reference": "Give the Superintendent's authorization reference."})
            check.exception_decided_on = on
            check.exception_reference = reference.strip()
        check.outcome = outcome
        check.full_clean()
        label = check.get_outcome_display()
        if implied:
            label += " (implied by the decision)"
        stamp(check, actor=actor, reason=(f"Adjudication: {label}" + (f" — {reason}" if reason else ""))[:100])
        check.save()
    return check


def background_check_cleared(person) -> bool:
    """R-BG-1: whether one of the person's checks (not voided) is cleared."""
    outcomes = FingerprintCheck.objects.filter(person=person, voided_at__isnull=True).values_list("outcome", flat=True)
    return may_activate_account(list(outcomes))


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the rule rows."""
    ensure_rule_rows(BACKGROUND_RULES, using=using)
