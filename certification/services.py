"""Writes for certification records: one function per use case, history kept (R-AU-2)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.history import stamp

from .models import (
    CertificationLevel,
    CertificationResult,
    SecurityAwarenessCompletion,
    SecurityIncident,
    TrainingGuideIssue,
)


def _save(record, *, actor, reason: str):
    record.full_clean()
    stamp(record, actor=actor, reason=reason)
    record.save()
    return record


def record_certification_result(*, person, passed_on: date, level: CertificationLevel, score: int | None,
                                actor, source: str = CertificationResult.Source.NEXTEST) -> CertificationResult:
    """A certification pass: restarts the person's 24-month recertification clock (R-CE-4)."""
    with transaction.atomic():
        return _save(CertificationResult(person=person, passed_on=passed_on, level=level, score=score, source=source),
                     actor=actor, reason=f"Certification passed ({level})")


def issue_training_guide(*, person, issued_on: date, actor) -> TrainingGuideIssue:
    """R-CE-2: the LEDS Representative issues the training guide."""
    with transaction.atomic():
        return _save(TrainingGuideIssue(person=person, issued_on=issued_on), actor=actor,
                     reason="Training guide issued")


def complete_training_guide(*, person, completed_on: date, actor) -> TrainingGuideIssue:
    """R-CE-2: completion is recorded on the latest guide issued to the person."""
    with transaction.atomic():
        guide = (TrainingGuideIssue.objects.select_for_update().filter(person=person, voided_at__isnull=True)
                 .order_by("-issued_on", "-pk").first())
        if guide is None:
            raise ValidationError({"completed_on": "No training guide has been issued to this person yet."})
        if completed_on < guide.issued_on:
            raise ValidationError({"completed_on": f"The guide was issued on {guide.issued_on:%Y-%m-%d}; "
                                                   "it cannot be completed before that."})
        guide.completed_on = completed_on
        return _save(guide, actor=actor, reason="Training guide completed")


def record_security_awareness(*, person, completed_on: date, tier: int, actor) -> SecurityAwarenessCompletion:
    """R-SA-1: a security awareness completion at the given tier."""
    with transaction.atomic():
        return _save(SecurityAwarenessCompletion(person=person, completed_on=completed_on, tier=tier), actor=actor,
                     reason=f"Security awareness completed (tier {tier})")


def record_security_incident(*, agency, occurred_on: date, summary: str, people, actor) -> SecurityIncident:
    """R-SA-1: everyone involved owes retraining within 30 days of the incident."""
    people = list(people)
    if not people:
        raise ValidationError({"people": "Name at least one person involved."})
    if any(p.agency_id != agency.pk for p in people):
        raise ValidationError({"people": "Everyone involved must belong to this agency."})
    with transaction.atomic():
        incident = _save(SecurityIncident(agency=agency, occurred_on=occurred_on, summary=summary), actor=actor,
                         reason="Security incident recorded")
        incident.people.set(people)
    return incident


def void_record(*, record, actor, reason: str):
    """Void a mistaken record: it stops counting but stays on file with its history (R-AU-2, R-SA-2)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is voided; the reason is kept."})
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        if record.is_voided:
            raise ValidationError("This record is already voided.")
        record.voided_at = timezone.now()
        record.voided_by = actor
        record.void_reason = reason
        return _save(record, actor=actor, reason=f"Voided: {reason}")
