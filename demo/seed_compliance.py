"""Demo records for the compliance engine: years of fingerprints, background decisions, guides, certifications
and security awareness of a well-run agency — everyone on time — with a few real problems in the first agency,
each for a different reason (issue 22: the demo tells the truth, so an evaluator believes the engine):

* a background check **denied** (R-BG-2) on a rescreening, a **lapsed recertification** (R-CE-4) and **lapsed
  security awareness** (R-SA-1): three people whose access must be suspended;
* a recent hire whose training guide is overdue (R-CE-2): something overdue that does not suspend access;
* two pending new hires, one ready for access, one not yet (fingerprints with the state, no security awareness).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from background.models import FingerprintCheck
from background.services import adjudicate, record_fingerprints_submitted
from certification.models import (
    CertificationLevel,
    CertificationResult,
    SecurityAwarenessCompletion,
    TrainingGuideIssue,
)
from common.dates import add_months
from people.models import Person

DENIED, LAPSED_RECERTIFICATION, LAPSED_AWARENESS, LATE_GUIDE = "denied", "recert", "awareness", "guide"
PROBLEMS = (DENIED, LAPSED_RECERTIFICATION, LAPSED_AWARENESS, LATE_GUIDE)


@dataclass
class Records:
    fingerprints: list = field(default_factory=list)
    guides: list = field(default_factory=list)
    passes: list = field(default_factory=list)
    awareness: list = field(default_factory=list)


def problem_people(agency) -> dict[str, Person]:
    """The first agency's people with a deliberate problem: active, no sign-in of their own, by employee ID (the
    agreements' signers are chosen among the others, demo/seed_audit.py)."""
    people = list(Person.objects.filter(agency=agency, status=Person.Status.ACTIVE, user__isnull=True,
                                        role_tier__gte=2).order_by("employee_id")[1:1 + len(PROBLEMS) * 3:3])
    return dict(zip(PROBLEMS, people, strict=False))


def _clean(person: Person, today: datetime.date, rng: random.Random, levels, out: Records,
           problem: str = "") -> None:
    """Everything on time up to today (or the separation): a good record, renewed before it expires."""
    start = person.assigned_on
    end = min(today, person.separated_at.date()) if person.separated_at else today
    submitted = start + timedelta(days=rng.randint(3, 18))
    while submitted <= end:  # R-FP-1, R-BG-1; R-BG-3: rescreened every 5 years
        result_on = submitted + timedelta(days=rng.randint(9, 30))
        decided = result_on <= end
        out.fingerprints.append(FingerprintCheck(
            person=person, taken_on=submitted - timedelta(days=rng.randint(1, 3)), submitted_on=submitted,
            outcome="cleared" if decided else "pending", result_on=result_on if decided else None))
        submitted = add_months(result_on, 60) - timedelta(days=rng.randint(30, 80))
    if person.role_tier >= 2:
        issued = start + timedelta(days=rng.randint(1, 7))
        if issued <= end:  # R-CE-2
            completed = issued + timedelta(days=rng.randint(12, 45))
            late = problem == LATE_GUIDE
            out.guides.append(TrainingGuideIssue(person=person, issued_on=issued,
                                                 completed_on=None if late or completed > end else completed))
        passed = start + timedelta(days=rng.randint(40, 150))
        while passed <= end:  # R-CE-3, R-CE-4: renewed 10 to 60 days before the pass expires
            out.passes.append(CertificationResult(person=person, passed_on=passed, level=rng.choice(levels),
                                                  score=rng.randint(74, 100)))
            passed = add_months(passed, 24) - timedelta(days=rng.randint(10, 60))
    done = start - timedelta(days=rng.randint(0, 4))
    while done <= end:  # R-SA-1: before access, then yearly, at the person's tier
        out.awareness.append(SecurityAwarenessCompletion(person=person, completed_on=done, tier=person.role_tier))
        done = add_months(done, 12) - timedelta(days=rng.randint(5, 30))
    if problem == LAPSED_RECERTIFICATION:  # the last renewal never happened: expired some weeks ago
        _lapse(out.passes, person, "passed_on", 24, CertificationResult(
            person=person, passed_on=add_months(today, -24) - timedelta(days=35), level=levels[-1], score=88), today)
    if problem == LAPSED_AWARENESS:  # this year's training was missed
        _lapse(out.awareness, person, "completed_on", 12, SecurityAwarenessCompletion(
            person=person, completed_on=add_months(today, -12) - timedelta(days=35), tier=person.role_tier), today)


def _lapse(rows: list, person: Person, on: str, months: int, fallback, today: datetime.date) -> None:
    """Drop the person's latest records until the last one expired at least three weeks before ``today``."""
    while True:
        mine = [r for r in rows if r.person is person]
        if not mine or add_months(getattr(mine[-1], on), months) < today - timedelta(days=20):
            break
        rows.remove(mine[-1])
    if not [r for r in rows if r.person is person]:
        rows.append(fallback)


def _new_hire(person: Person, today: datetime.date, ready: bool, out: Records) -> None:
    """A pending new hire (R-PE-3): ready for access, or waiting for the state and for security awareness."""
    start = person.assigned_on
    submitted = start + timedelta(days=2)
    out.fingerprints.append(FingerprintCheck(
        person=person, taken_on=start + timedelta(days=1), submitted_on=submitted,
        outcome="cleared" if ready else "pending", result_on=today - timedelta(days=2) if ready else None))
    if ready:
        out.awareness.append(SecurityAwarenessCompletion(person=person, completed_on=start + timedelta(days=1),
                                                         tier=person.role_tier))
        if person.role_tier >= 2:
            out.guides.append(TrainingGuideIssue(person=person, issued_on=start + timedelta(days=3)))


def _write(world, out: Records) -> None:
    for rows, model in ((out.fingerprints, FingerprintCheck), (out.guides, TrainingGuideIssue),
                        (out.passes, CertificationResult), (out.awareness, SecurityAwarenessCompletion)):
        bulk_create_with_history(rows, model, batch_size=500, default_user=world.actor,
                                 default_change_reason="Demo data")


def seed_records_for(world, people) -> None:
    """Records kept on time for people added by a later demo step (e.g. the trainees of the next class)."""
    rng = random.Random(7)
    levels = list(CertificationLevel.objects.all())
    out = Records()
    for person in people:
        _clean(person, world.today, rng, levels, out)
    _write(world, out)


def seed_compliance(world) -> None:
    rng = random.Random(4242)
    levels = list(CertificationLevel.objects.all())  # reference data (certification/defaults.py, R-CE-1)
    today = world.today
    chosen = problem_people(world.agencies[0]) if world.agencies else {}
    problems = {p.pk: kind for kind, p in chosen.items()}
    out = Records()
    people = Person.objects.filter(agency__in=world.agencies).exclude(
        pk__in=FingerprintCheck.objects.values("person_id")).order_by("agency_id", "employee_id")
    for person in people:
        if person.status == Person.Status.PENDING:
            _new_hire(person, today, ready=(today - person.assigned_on).days > 8, out=out)
        else:
            _clean(person, today, rng, levels, out, problems.get(person.pk, ""))
    _write(world, out)
    if DENIED in chosen:
        _deny_rescreening(world, chosen[DENIED])


def _deny_rescreening(world, person: Person) -> None:
    """R-BG-2: a rescreening four months ago came back denied (subject of a current prosecution), notice sent."""
    from django.contrib.auth import get_user_model

    if FingerprintCheck.objects.filter(person=person, outcome="denied").exists():
        return
    laso = get_user_model().objects.filter(username="laso").first() or world.actor
    check = record_fingerprints_submitted(person=person, submitted_on=world.today - timedelta(days=120),
                                          taken_on=world.today - timedelta(days=122), actor=laso)
    decided = world.today - timedelta(days=75)
    adjudicate(check=check, outcome="denied", on=decided, actor=laso, denial_reason="current_prosecution",
               notice_sent_on=decided + timedelta(days=1))
