"""Writes for certification records: one function per use case, history kept (R-AU-2)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.dates import in_words
from common.history import stamp, void_record
from common.reference_data import create_missing
from compliance.services import ensure_rule_rows

from . import notices, rules
from .defaults import CERTIFICATION_RULES, DEFAULT_LEVELS
from .models import (
    CertificationClass,
    CertificationLevel,
    CertificationResult,
    Enrollment,
    SecurityAwarenessCompletion,
    SecurityIncident,
    TrainingGuideCompletion,
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
        return add_guide_completion(guide=guide, completed_on=completed_on, actor=actor,
                                    reason="Training guide completed")


def add_guide_completion(*, guide: TrainingGuideIssue, completed_on: date, actor, reason: str) -> TrainingGuideIssue:
    """Keep a completion of ``guide`` without losing one already on file (R-CE-2).

    The guide's ``completed_on`` is its first completion; a later one is kept as a further completion, an
    earlier one takes the first place and the former first is kept as a further completion. A completion
    already on file (same guide, same date) changes nothing.
    """
    if completed_on < guide.issued_on:
        raise ValidationError({"completed_on": f"The guide was issued on {in_words(guide.issued_on)}; "
                                               "it cannot be completed before that."})
    with transaction.atomic():
        further = guide.further_completions.filter(voided_at__isnull=True)
        if guide.completed_on == completed_on or further.filter(completed_on=completed_on).exists():
            return guide
        if guide.completed_on is None:
            guide.completed_on = completed_on
            return _save(guide, actor=actor, reason=reason)
        kept_on = max(guide.completed_on, completed_on)
        _save(TrainingGuideCompletion(guide=guide, person_id=guide.person_id, completed_on=kept_on),
              actor=actor, reason=reason)
        if completed_on < guide.completed_on:
            guide.completed_on = completed_on
            _save(guide, actor=actor, reason=reason)
        return guide


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


# In-house certification classes (R-CE-5) ---------------------------------------------------------------------

CLASS_FIELDS = ("held_on", "start_time", "end_time", "location", "instructor", "capacity", "level", "notes")


def schedule_class(*, agency, actor, **fields) -> CertificationClass:
    """R-CE-5: the LEDS Representative schedules a class (date and times, place, instructor, seats, level)."""
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown class fields: {sorted(unknown)}")
    with transaction.atomic():
        return _save(CertificationClass(agency=agency, created_by=actor, **fields), actor=actor,
                     reason="Certification class scheduled")


def _refuse_if_cancelled(certification_class: CertificationClass) -> None:
    if certification_class.is_cancelled:
        cancelled_on = timezone.localdate(certification_class.cancelled_at)
        raise ValidationError(f"The class was cancelled on {in_words(cancelled_on)}; it is kept as it was. Schedule a "
                              "new class instead.")


NOTIFIED_FIELDS = ("held_on", "start_time", "end_time", "location")  # what an enrolled person must hear of


def update_class(*, class_id: int, actor, **fields) -> CertificationClass:
    """Change a class's details; the capacity never drops below the people already on the roster.

    A new date, time or place is e-mailed to everyone on the roster, with the updated .ics file.
    """
    with transaction.atomic():
        certification_class = (CertificationClass.objects.select_for_update(of=("self",))  # as enrolling does
                               .select_related("agency", "level").get(pk=class_id))
        _refuse_if_cancelled(certification_class)
        before = [getattr(certification_class, name) for name in NOTIFIED_FIELDS]
        for name, value in fields.items():
            if name not in CLASS_FIELDS:
                raise TypeError(f"unknown class field: {name}")
            setattr(certification_class, name, value)
        if certification_class.held_on != before[0] and certification_class.enrollments.exclude(result="").exists():
            # a pass's certification record carries the class day (R-CE-4); moving the class would orphan it
            raise ValidationError({"held_on": "Results are recorded for this class; its date cannot change."})
        taken = certification_class.enrollments.filter(withdrawn_at__isnull=True).count()
        if certification_class.capacity < taken:
            raise ValidationError({"capacity": f"{taken} people are on the roster; withdraw some before lowering "
                                               f"the capacity to {certification_class.capacity}."})
        _save(certification_class, actor=actor, reason="Certification class changed")
        if before != [getattr(certification_class, name) for name in NOTIFIED_FIELDS]:
            change = certification_class.history.values_list("history_id", flat=True).first()
            for enrollment in certification_class.enrollments.filter(withdrawn_at__isnull=True).select_related(
                    "person"):
                enrollment.certification_class = certification_class
                notices.queue_class_notice(enrollment=enrollment, kind=notices.CHANGED,
                                           key=f"certification-class-change:{enrollment.pk}:{change}")
        return certification_class


def cancel_class(*, class_id: int, reason: str, actor) -> CertificationClass:
    """Call a class off before any attendance or result is recorded; it is kept, with its roster, as cancelled.

    Everyone on the roster is e-mailed, with an .ics file that removes the class from their calendar. The
    people stay on the (now closed) roster for the record and remain in the suggestions for the next class.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the class is cancelled; the reason is kept and e-mailed to the "
                                         "people on the roster."})
    with transaction.atomic():
        certification_class = (CertificationClass.objects.select_for_update(of=("self",))
                               .select_related("agency", "level").get(pk=class_id))
        _refuse_if_cancelled(certification_class)
        live = certification_class.enrollments.filter(withdrawn_at__isnull=True)
        if live.exclude(attendance="").exists():
            raise ValidationError("Attendance is recorded for this class, so it was held; correct the results "
                                  "instead of cancelling it.")
        certification_class.cancelled_at = timezone.now()
        certification_class.cancelled_by = actor
        certification_class.cancel_reason = reason[:300]
        _save(certification_class, actor=actor, reason=f"Certification class cancelled: {reason[:200]}")
        for enrollment in live.select_related("person"):
            enrollment.certification_class = certification_class
            notices.queue_class_notice(enrollment=enrollment, kind=notices.CANCELLED,
                                       key=f"certification-class-cancelled:{enrollment.pk}")
        return certification_class


def enroll_people(*, class_id: int, people, actor, today: date) -> list[Enrollment]:
    """R-CE-5: put people on a class roster in one action, never beyond its capacity; each is e-mailed.

    All or nothing: if the chosen people do not all fit, nobody is added and the error says how many seats
    are left.
    """
    people = list(people)
    if not people:
        raise ValidationError("Choose at least one person to enroll.")
    with transaction.atomic():
        # Lock the class row before counting: every enrollment of this class queues here, so two
        # simultaneous additions can never both take the last seat (the training_events pattern, R-EV-2).
        certification_class = (CertificationClass.objects.select_for_update(of=("self",))
                               .select_related("agency", "level").get(pk=class_id))
        _refuse_if_cancelled(certification_class)
        if today > certification_class.held_on:
            raise ValidationError(f"The class was on {in_words(certification_class.held_on)}; people are added "
                                  "on or before the class day.")
        problems = [f"{p} belongs to another agency." for p in people
                    if p.agency_id != certification_class.agency_id]
        problems += [f"{p} is separated." for p in people if p.status == p.Status.SEPARATED]
        live = certification_class.enrollments.filter(withdrawn_at__isnull=True)
        already = set(live.filter(person__in=people).values_list("person_id", flat=True))
        problems += [f"{p} is already on the roster." for p in people if p.pk in already]
        if problems:
            raise ValidationError(problems)
        left = rules.seats_left(capacity=certification_class.capacity, taken=live.count())
        if len(people) > left:
            raise ValidationError(
                f"The class has {left} {'seat' if left == 1 else 'seats'} left; you chose {len(people)}. "
                "Choose fewer people, or raise the capacity.")
        enrollments = []
        for person in people:
            enrollment = Enrollment(certification_class=certification_class, person=person, enrolled_by=actor)
            enrollment.full_clean(validate_constraints=False)  # the lock decided; constraints stay in the DB
            stamp(enrollment, actor=actor, reason="Enrolled in a certification class")
            enrollment.save()
            notices.queue_enrollment_notice(enrollment=enrollment)
            enrollments.append(enrollment)
    return enrollments


def withdraw_enrollment(*, enrollment_id: int, actor) -> Enrollment:
    """Take a person off a roster before any result: withdrawn, never deleted; the seat is free again.

    The person is told, with an .ics file that cancels the calendar entry.
    """
    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update(of=("self",))
                      .select_related("person", "certification_class__agency", "certification_class__level")
                      .get(pk=enrollment_id))
        _refuse_if_cancelled(enrollment.certification_class)
        if enrollment.is_withdrawn:
            raise ValidationError("This person was already taken off the roster.")
        if enrollment.attendance or enrollment.result:
            raise ValidationError("Attendance or a result is recorded; correct it instead of withdrawing.")
        enrollment.withdrawn_at = timezone.now()
        _save(enrollment, actor=actor, reason="Taken off the class roster")
        notices.queue_class_notice(enrollment=enrollment, kind=notices.WITHDRAWN,
                                   key=f"certification-class-withdrawal:{enrollment.pk}")
        return enrollment


def record_class_result(*, enrollment_id: int, attendance: str, result: str, score: int | None,
                        level: CertificationLevel | None, actor, today: date) -> Enrollment:
    """R-CE-5: attendance and result of one attendee, recorded on or after the class day.

    A pass becomes the person's certification record (R-CE-3, R-CE-4: it restarts the recertification clock);
    a fail or an absence does not. Correcting a pass voids the record it made (kept in history).
    """
    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update(of=("self",))
                      .select_related("certification_class", "person", "certification").get(pk=enrollment_id))
        certification_class = enrollment.certification_class
        _refuse_if_cancelled(certification_class)
        if enrollment.is_withdrawn:
            raise ValidationError("This person was taken off the roster.")
        if not rules.results_recordable(held_on=certification_class.held_on, today=today):
            raise ValidationError(f"Results are recorded on or after the class day "
                                  f"({in_words(certification_class.held_on)}).")
        if attendance != Enrollment.Attendance.ATTENDED:
            result, score, level = "", None, None  # an absent person has no result
        if result != Enrollment.Result.PASSED:
            level = None
        elif level is None:
            level = certification_class.level
        if enrollment.is_recorded_in_leds and (result, score, level) != (
                enrollment.result, enrollment.score, enrollment.passed_level):
            raise ValidationError("This pass is already recorded in LEDS; untick \"recorded in LEDS\" before "
                                  "changing it.")
        previous = enrollment.certification
        if previous is not None and previous.is_voided:
            previous = enrollment.certification = None  # voided elsewhere: a pass now makes a new record
        unchanged_pass = (previous is not None and result == Enrollment.Result.PASSED
                          and previous.level_id == level.pk and previous.score == score
                          and previous.passed_on == certification_class.held_on)
        if previous is not None and not unchanged_pass:
            void_record(record=previous, actor=actor, reason="Class result corrected")
            enrollment.certification = None
        if result == Enrollment.Result.PASSED and not unchanged_pass:
            enrollment.certification = record_certification_result(
                person=enrollment.person, passed_on=certification_class.held_on, level=level, score=score,
                actor=actor, source=CertificationResult.Source.CLASS)
        enrollment.attendance, enrollment.result, enrollment.score = attendance, result, score
        enrollment.passed_level = level
        enrollment.result_recorded_at = timezone.now()
        enrollment.result_recorded_by = actor
        outcome = enrollment.get_result_display() if result else enrollment.get_attendance_display()
        return _save(enrollment, actor=actor, reason=f"Class result recorded: {outcome or 'cleared'}")


def set_recorded_in_leds(*, enrollment_id: int, is_recorded: bool, actor) -> Enrollment:
    """R-CE-5: tick (or untick, to correct) "recorded in LEDS" for a pass; who and when are kept."""
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment_id)
        if not enrollment.is_pass:
            raise ValidationError("Only a pass is recorded in LEDS.")
        if enrollment.is_recorded_in_leds == is_recorded:
            return enrollment  # a repeated click changes nothing
        enrollment.is_recorded_in_leds = is_recorded
        enrollment.recorded_in_leds_at = timezone.now() if is_recorded else None
        enrollment.recorded_in_leds_by = actor if is_recorded else None
        return _save(enrollment, actor=actor,
                     reason="Recorded in LEDS" if is_recorded else "Recorded-in-LEDS tick removed")


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the levels (R-CE-1) and R-CE-5's rule row."""
    create_missing(CertificationLevel, key=["name"], using=using, rows=(
        {"name": name, "sort_order": order} for order, name in enumerate(DEFAULT_LEVELS)))
    ensure_rule_rows(CERTIFICATION_RULES, using=using)
