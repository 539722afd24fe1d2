"""Reads of certification records for whole agencies, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from .models import (
    CertificationLevel,
    CertificationResult,
    SecurityAwarenessCompletion,
    SecurityIncident,
    TrainingGuideIssue,
)
from .rules import Awareness, CertificationRecords, GuideIssue, Incident, Pass


def load_certification_records(
    agency_ids: list[int], person_ids: list[int] | None = None
) -> dict[int, CertificationRecords]:
    """Plain data per person for the engine: four queries whatever the number of people."""
    def scoped(qs, path="person", voided="voided_at"):
        qs = qs.filter(**{f"{path}__agency_id__in": agency_ids, f"{voided}__isnull": True})
        return qs.filter(**{f"{path}__in": person_ids}) if person_ids is not None else qs

    passes, guides, awareness, incidents = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for pid, passed_on, level, score in scoped(CertificationResult.objects).values_list(
            "person_id", "passed_on", "level__name", "score"):
        passes[pid].append(Pass(passed_on, level, score))
    for pid, issued_on, completed_on in scoped(TrainingGuideIssue.objects).values_list(
            "person_id", "issued_on", "completed_on"):
        guides[pid].append(GuideIssue(issued_on, completed_on))
    for pid, completed_on, tier in scoped(SecurityAwarenessCompletion.objects).values_list(
            "person_id", "completed_on", "tier"):
        awareness[pid].append(Awareness(completed_on, tier))
    for pid, pk, occurred_on, summary in scoped(
            SecurityIncident.people.through.objects, "person", "securityincident__voided_at").values_list(
            "person_id", "securityincident_id", "securityincident__occurred_on", "securityincident__summary"):
        incidents[pid].append(Incident(pk, occurred_on, summary))
    people = set(passes) | set(guides) | set(awareness) | set(incidents)
    return {
        pid: CertificationRecords(tuple(passes[pid]), tuple(guides[pid]), tuple(awareness[pid]), tuple(incidents[pid]))
        for pid in people
    }


def person_records(*, person) -> dict:
    """One person's records for their page, newest first (voided ones included, marked)."""
    return {
        "certifications": list(person.certifications.select_related("level").all()),
        "training_guides": list(person.training_guides.all()),
        "security_awareness": list(person.security_awareness.all()),
        "incidents": list(person.security_incidents.all()),
    }


def active_levels():
    return CertificationLevel.objects.filter(is_active=True)
