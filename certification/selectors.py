"""Reads of certification records for whole agencies, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q

from compliance import engine
from compliance.models import StoredObligation
from compliance.selectors import rule_table
from people.models import Person

from . import rules
from .models import (
    CertificationClass,
    CertificationLevel,
    CertificationResult,
    Enrollment,
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


# In-house certification classes (R-CE-5) ---------------------------------------------------------------------

LIVE = Q(enrollments__withdrawn_at__isnull=True)
NEEDS_CLASS = ("initial_certification", "recertification")


def classes_for(*, user, agency):
    """The agency's classes the user may read, newest first, with roster counts (one query)."""
    return (CertificationClass.objects.for_user(user).in_agency(agency).select_related("level")
            .annotate(enrolled=Count("enrollments", filter=LIVE),
                      passed=Count("enrollments", filter=LIVE & Q(enrollments__result=Enrollment.Result.PASSED)),
                      unrecorded=Count("enrollments", filter=LIVE & Q(
                          enrollments__result=Enrollment.Result.PASSED, enrollments__is_recorded_in_leds=False)))
            .order_by("-held_on", "-start_time", "-pk"))


def class_with_counts(*, user, pk: int) -> CertificationClass:
    """One class the user may read, with ``enrolled`` and ``seats_left``; DoesNotExist for anyone else's."""
    certification_class = (CertificationClass.objects.for_user(user).select_related("agency", "level", "cancelled_by")
                           .annotate(enrolled=Count("enrollments", filter=LIVE)).get(pk=pk))
    certification_class.seats_left = rules.seats_left(capacity=certification_class.capacity,
                                                      taken=certification_class.enrolled)
    return certification_class


def class_roster(*, certification_class) -> list[Enrollment]:
    """The live roster, by name, with everything the grid shows (one query)."""
    return list(certification_class.enrollments.filter(withdrawn_at__isnull=True)
                .select_related("person", "passed_level", "result_recorded_by", "recorded_in_leds_by")
                .order_by("person__last_name", "person__first_name", "pk"))


@dataclass(frozen=True)
class Candidate:
    person: Person
    obligation: str
    status: str
    due: date | None
    other_class_on: date | None  # already on another class's roster that has no result yet


SUGGESTION_LIMIT = 100  # far more than a classroom holds; a search finds anyone else (a bounded page, issue 23)


def roster_candidates(*, certification_class, today: date,
                      limit: int = SUGGESTION_LIMIT) -> tuple[list[Candidate], int]:
    """R-CE-5: everyone whose initial certification or recertification is open, due soon or overdue, from the
    compliance engine's stored obligations, soonest due first; people already on this roster left out.

    Returns the first ``limit`` candidates and how many there are in all. A fixed number of queries whatever
    the size of the agency (the obligations, their count, the other rosters); it reads what is stored, never
    recomputes (issue 23).
    """

    agency = certification_class.agency
    on_roster = certification_class.enrollments.filter(withdrawn_at__isnull=True).values("person_id")
    needing = (StoredObligation.objects.filter(agency=agency, obligation__in=NEEDS_CLASS,
                                               status__in=[engine.OPEN, engine.DUE_SOON, engine.OVERDUE])
               .exclude(person__status=Person.Status.SEPARATED).exclude(person_id__in=on_roster))
    total = needing.values("person_id").distinct().count()
    # a person owes at most both obligations, so twice the limit in rows holds the first ``limit`` people
    rows = needing.select_related("person").order_by(F("due").asc(nulls_last=True), "person__last_name",
                                                     "person__first_name", "pk")[: 2 * limit]
    seen, candidates = set(), []
    for row in rows:  # a person without a pass owes both; the earlier due date (initial) comes first
        if row.person_id in seen:
            continue
        seen.add(row.person_id)
        candidates.append(Candidate(row.person, row.obligation, row.status, row.due, None))
        if len(candidates) == limit:
            break
    pending = dict(Enrollment.objects.filter(
        person_id__in=seen, withdrawn_at__isnull=True, result="", certification_class__held_on__gte=today,
        certification_class__cancelled_at__isnull=True)
        .exclude(certification_class=certification_class).values_list("person_id", "certification_class__held_on"))
    if pending:
        candidates = [Candidate(c.person, c.obligation, c.status, c.due, pending.get(c.person.pk)) for c in candidates]
    return candidates, total


def search_people(*, user, agency, query: str, certification_class, limit: int = 20):
    """People of the agency matching a name or employee ID, not separated and not already on the roster."""
    query = query.strip()
    if not query:
        return Person.objects.none()
    on_roster = certification_class.enrollments.filter(withdrawn_at__isnull=True).values("person_id")
    matches = Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(employee_id__iexact=query)
    return (Person.objects.for_user(user).in_agency(agency).filter(matches)
            .exclude(status=Person.Status.SEPARATED).exclude(pk__in=on_roster)
            .order_by("last_name", "first_name")[:limit])


def leds_recording_days() -> int:
    """R-CE-5: the days a class pass may wait to be recorded in LEDS (rule table; default 5)."""

    setting = rule_table().get(rules.RECORDED_IN_LEDS)  # the request's one read of the table (issue 23)
    return setting.period_value if setting else rules.RECORDED_IN_LEDS_DEFAULT_DAYS


def unrecorded_passes(*, user, agency, today: date) -> tuple[list[Enrollment], int]:
    """R-CE-5: class passes not yet recorded in LEDS, oldest first, each with ``days_waiting`` and
    ``is_late`` (more than the rule's days). Two queries."""
    days = leds_recording_days()
    passes = list(Enrollment.objects.for_user(user).in_agency(agency)
                  .filter(withdrawn_at__isnull=True, result=Enrollment.Result.PASSED, is_recorded_in_leds=False)
                  .select_related("person", "certification_class", "passed_level")
                  .order_by("certification_class__held_on", "person__last_name", "person__first_name", "pk"))
    for enrollment in passes:
        held_on = enrollment.certification_class.held_on
        enrollment.days_waiting = rules.days_unrecorded(passed_on=held_on, today=today)
        enrollment.is_late = rules.leds_recording_late(passed_on=held_on, today=today, days=days)
    return passes, days


def person_enrollments(*, user, person) -> list[Enrollment]:
    """A person's class enrollments the user may see (their own, their people's, or the agency's)."""
    return list(Enrollment.objects.for_user(user).filter(person=person, withdrawn_at__isnull=True)
                .select_related("certification_class", "certification_class__level", "passed_level")
                .order_by("-certification_class__held_on", "-pk"))
