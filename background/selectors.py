"""Reads of background records for whole agencies, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from .models import FingerprintCheck


def load_fingerprints(agency_ids: list[int], person_ids: list[int] | None = None) -> dict[int, list]:
    """Submission dates per person (one query) for R-FP-1."""
    checks = FingerprintCheck.objects.filter(person__agency_id__in=agency_ids, voided_at__isnull=True)
    if person_ids is not None:
        checks = checks.filter(person__in=person_ids)
    submitted = defaultdict(list)
    for pid, submitted_on in checks.values_list("person_id", "submitted_on"):
        submitted[pid].append(submitted_on)
    return dict(submitted)
