"""Demo records for the compliance engine: five years of fingerprints, guides, certifications and
security awareness, with enough gaps that the dashboard shows every status."""

from __future__ import annotations

import random
from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from background.models import FingerprintCheck
from certification.models import (
    CertificationLevel,
    CertificationResult,
    SecurityAwarenessCompletion,
    TrainingGuideIssue,
)
from common.dates import add_months
from people.models import Person


def seed_compliance(world) -> None:
    rng = random.Random(4242)
    levels = list(CertificationLevel.objects.all())  # reference data (certification/defaults.py, R-CE-1)
    today = world.today
    people = list(Person.objects.filter(agency__in=world.agencies).exclude(
        pk__in=FingerprintCheck.objects.values("person_id")))
    fingerprints, guides, passes, awareness = [], [], [], []
    for person in people:
        start = person.assigned_on
        if rng.random() < 0.93:
            fingerprints.append(FingerprintCheck(person=person, taken_on=start + timedelta(days=rng.randint(1, 10)),
                                                 submitted_on=start + timedelta(days=rng.randint(10, 35))))
        if person.role_tier >= 2:
            if rng.random() < 0.9:
                issued = start + timedelta(days=rng.randint(2, 14))
                completed = issued + timedelta(days=rng.randint(10, 70)) if rng.random() < 0.85 else None
                if issued <= today:
                    guides.append(TrainingGuideIssue(person=person, issued_on=issued,
                                                     completed_on=completed if completed and completed <= today
                                                     else None))
            passed = start + timedelta(days=rng.randint(30, 200))
            while passed <= today and rng.random() < 0.92:
                passes.append(CertificationResult(person=person, passed_on=passed, level=rng.choice(levels),
                                                  score=rng.randint(72, 100)))
                passed = add_months(passed, 24) - timedelta(days=rng.randint(-20, 60))
        done = start - timedelta(days=rng.randint(0, 5))
        while done <= today and rng.random() < 0.93:
            awareness.append(SecurityAwarenessCompletion(person=person, completed_on=done, tier=person.role_tier))
            done = add_months(done, 12) - timedelta(days=rng.randint(-10, 40))
    for rows, model in ((fingerprints, FingerprintCheck), (guides, TrainingGuideIssue),
                        (passes, CertificationResult), (awareness, SecurityAwarenessCompletion)):
        for row in rows:
            row._change_reason = "Demo data"
        bulk_create_with_history(rows, model, batch_size=500, default_user=world.actor,
                                 default_change_reason="Demo data")
