"""Reads of background records for whole agencies, in a fixed number of queries (accounts: state_access)."""

from __future__ import annotations

from collections import defaultdict

from .models import FingerprintCheck
from .rules import CheckFacts


def load_fingerprints(agency_ids: list[int], person_ids: list[int] | None = None) -> dict[int, list]:
    """Submission dates per person (one query) for R-FP-1."""
    checks = FingerprintCheck.objects.filter(person__agency_id__in=agency_ids, voided_at__isnull=True)
    if person_ids is not None:
        checks = checks.filter(person__in=person_ids)
    submitted = defaultdict(list)
    for pid, submitted_on in checks.values_list("person_id", "submitted_on"):
        submitted[pid].append(submitted_on)
    return dict(submitted)


def load_background_checks(agency_ids: list[int], person_ids: list[int] | None = None) -> dict[int, list]:
    """R-BG-1: each person's checks (not voided) as plain facts, in one query."""
    checks = FingerprintCheck.objects.filter(person__agency_id__in=agency_ids, voided_at__isnull=True)
    if person_ids is not None:
        checks = checks.filter(person__in=person_ids)
    facts = defaultdict(list)
    for pid, submitted_on, outcome, result_on, decided_on in checks.values_list(
            "person_id", "submitted_on", "outcome", "result_on", "exception_decided_on"):
        facts[pid].append(CheckFacts(submitted_on=submitted_on, outcome=outcome, decided_on=decided_on or result_on))
    return dict(facts)
