"""Writes for background records (R-FP-1)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from common.history import stamp

from .models import FingerprintCheck


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


def adjudicate(*, check: FingerprintCheck, outcome: str, on: date, actor, denial_reason: str = "",
               notice_sent_on: date | None = None, reference: str = "") -> FingerprintCheck:
    """Record the next adjudication step of a check (R-BG-2); only dates, outcomes and references."""
    from django.core.exceptions import ValidationError

    from .rules import allowed_outcomes

    with transaction.atomic():
        check = FingerprintCheck.objects.select_for_update().get(pk=check.pk)
        if outcome not in allowed_outcomes(check.outcome):
            allowed = ", ".join(allowed_outcomes(check.outcome)) or "none: the adjudication is final"
            raise ValidationError({"outcome": f"A {check.get_outcome_display().lower()} check can become: {allowed}."})
        Outcome = FingerprintCheck.Outcome
        if outcome in (Outcome.CLEARED, Outcome.DENIED):
            check.result_on = on
        if outcome == Outcome.DENIED:
            errors = {}
            if denial_reason not in FingerprintCheck.DenialReason.values:
                errors["denial_reason"] = "Choose the reason from the rule's list (R-BG-2)."
            if notice_sent_on is None:
                errors["notice_sent_on"] = "A denial is sent in writing: give the date the notice went out."
            if errors:
                raise ValidationError(errors)
            check.denial_reason = denial_reason
            check.denial_notice_sent_on = notice_sent_on
        if outcome == Outcome.EXCEPTION_REQUESTED:
            check.exception_requested_on = on
        if outcome in (Outcome.EXCEPTION_GRANTED, Outcome.EXCEPTION_REFUSED):
            if not reference.strip():
                raise ValidationError({"reference": "Give the Superintendent's authorization reference."})
            check.exception_decided_on = on
            check.exception_reference = reference.strip()
        check.outcome = outcome
        check.full_clean()
        stamp(check, actor=actor, reason=f"Adjudication: {check.get_outcome_display()}")
        check.save()
    return check
