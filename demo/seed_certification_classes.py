"""Demo in-house certification classes (R-CE-5): two held classes with results, some passes not yet recorded in
LEDS (one past the rule's days, so the dashboard flags it), and an upcoming class with a roster."""

from __future__ import annotations

import datetime

from accounts.models import User
from certification import selectors, services
from certification.models import CertificationClass, CertificationLevel
from compliance.obligations import refresh_agency
from people.factories import PersonFactory

from .seed_compliance import problem_people


def _held_class(world, agency, rep, *, days_ago: int, results: list[tuple[str, str, int | None]],
                recorded: int, level: CertificationLevel):
    held_on = world.today - datetime.timedelta(days=days_ago)
    certification_class = services.schedule_class(
        agency=agency, actor=rep, held_on=held_on, start_time=datetime.time(8, 30), end_time=datetime.time(15, 30),
        location="Salem PD training room, 333 Division St NE", instructor="Records Manager", capacity=12,
        level=level, notes="Bring your LEDS Training Guide.")
    refresh_agency(agency.pk, held_on)  # the suggestions read the stored obligations (issue 23)
    candidates, _ = selectors.roster_candidates(certification_class=certification_class, today=held_on)

    kept = {p.pk for p in problem_people(agency).values()}  # the demo's lapsed recertification stays lapsed
    people = [c.person for c in candidates if c.other_class_on is None and c.person.pk not in kept][: len(results)]
    if not people:
        return certification_class  # a small demo may have nobody left to certify
    enrollments = services.enroll_people(class_id=certification_class.pk, people=people, actor=rep, today=held_on)
    passes = 0
    for enrollment, (attendance, result, score) in zip(enrollments, results, strict=False):
        services.record_class_result(enrollment_id=enrollment.pk, attendance=attendance, result=result, score=score,
                                     level=level if result == "pass" else None, actor=rep, today=world.today)
        if result == "pass" and passes < recorded:
            services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=True, actor=rep)
            passes += 1
    return certification_class


def seed_certification_classes(world) -> None:
    if not world.agencies or CertificationClass.objects.filter(agency=world.agencies[0]).exists():
        return
    agency = world.agencies[0]
    rep = User.objects.filter(username="rep").first() or world.actor
    full = CertificationLevel.objects.get(name="Full Access")
    # ten days ago: two of four passes recorded in LEDS; the other two are past the 5 days and flagged
    _held_class(world, agency, rep, days_ago=10, recorded=2, level=full, results=[
        ("attended", "pass", 94), ("attended", "pass", 88), ("attended", "pass", 91), ("attended", "pass", 85),
        ("attended", "fail", 62), ("absent", "", None)])
    # three days ago: two passes waiting, not yet flagged
    _held_class(world, agency, rep, days_ago=3, recorded=0, level=CertificationLevel.objects.get(name="Inquiry"),
                results=[("attended", "pass", 97), ("attended", "pass", 90), ("attended", "fail", 55)])
    # new hires, who need their initial certification (R-CE-3): the upcoming class is for them
    from .seed_compliance import seed_records_for

    trainees = [PersonFactory(agency=agency, employee_id=f"NH{number:03d}", position="Dispatcher trainee",
                              role_tier=2, assigned_on=world.today - datetime.timedelta(days=10 + 5 * number))
                for number in range(1, 7)]
    seed_records_for(world, trainees)  # fingerprints, guide and security awareness on time; certification next
    upcoming = services.schedule_class(
        agency=agency, actor=rep, held_on=world.today + datetime.timedelta(days=14), start_time=datetime.time(9),
        end_time=datetime.time(16), location="Salem PD training room, 333 Division St NE",
        instructor="Records Manager", capacity=10, level=full)
    refresh_agency(agency.pk, world.today)
    candidates, _ = selectors.roster_candidates(certification_class=upcoming, today=world.today)
    if candidates:
        services.enroll_people(class_id=upcoming.pk, people=[c.person for c in candidates[:6]], actor=rep,
                               today=world.today)
    # a class called off (the room was needed): kept with its reason, its people offered again for the next one
    called_off = services.schedule_class(
        agency=agency, actor=rep, held_on=world.today + datetime.timedelta(days=7), start_time=datetime.time(13),
        end_time=datetime.time(17), location="Keizer PD briefing room", instructor="Records Manager", capacity=6,
        level=CertificationLevel.objects.get(name="Inquiry"))
    services.cancel_class(class_id=called_off.pk, reason="The room is needed for an emergency operations drill",
                          actor=rep)
