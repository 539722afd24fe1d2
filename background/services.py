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
