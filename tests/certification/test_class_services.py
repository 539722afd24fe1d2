"""In-house certification classes (R-CE-5): capacity, results, certification records, recorded in LEDS."""

import datetime
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from certification import services
from certification.factories import CertificationClassFactory, CertificationResultFactory, EnrollmentFactory
from certification.models import CertificationLevel, CertificationResult, Enrollment
from compliance.selectors import person_compliance
from notifications.models import OutboxMessage
from people.factories import PersonFactory

pytestmark = pytest.mark.django_db

CLASS_DAY = datetime.date(2026, 11, 16)


def _level(name="Full Access"):
    return CertificationLevel.objects.get(name=name)


@pytest.fixture
def rep(world):
    return world.users["leds_rep"]


@pytest.fixture
def held_class(world):
    return CertificationClassFactory(agency=world.agency, held_on=CLASS_DAY, capacity=4)


def _status(person, obligation, today):
    result = person_compliance(person=person, today=today)
    return next(o for o in result.obligations if o.obligation == obligation)


def test_r_ce_5_schedule_keeps_who_and_why(world, rep):
    certification_class = services.schedule_class(
        agency=world.agency, actor=rep, held_on=CLASS_DAY, start_time=datetime.time(8, 30),
        end_time=datetime.time(12, 0), location="Room 2", instructor="Pat Records", capacity=10,
        level=_level(), notes="")
    record = certification_class.history.first()
    assert (record.history_user, record.history_change_reason) == (rep, "Certification class scheduled")


def test_r_ce_5_capacity_is_enforced_all_or_nothing(world, rep, held_class):
    people = [PersonFactory(agency=world.agency) for _ in range(6)]
    services.enroll_people(class_id=held_class.pk, people=people[:3], actor=rep, today=CLASS_DAY)
    with pytest.raises(ValidationError, match="1 seat left; you chose 2"):
        services.enroll_people(class_id=held_class.pk, people=people[3:5], actor=rep, today=CLASS_DAY)
    assert Enrollment.objects.filter(certification_class=held_class).count() == 3  # nobody of the two added
    services.enroll_people(class_id=held_class.pk, people=people[3:4], actor=rep, today=CLASS_DAY)
    with pytest.raises(ValidationError, match="0 seats left"):
        services.enroll_people(class_id=held_class.pk, people=people[5:], actor=rep, today=CLASS_DAY)


def test_r_ce_5_withdrawing_frees_a_seat_and_keeps_the_row(world, rep, held_class):
    people = [PersonFactory(agency=world.agency) for _ in range(4)]
    first, *_ = services.enroll_people(class_id=held_class.pk, people=people, actor=rep, today=CLASS_DAY)
    services.withdraw_enrollment(enrollment_id=first.pk, actor=rep)
    late = PersonFactory(agency=world.agency)
    services.enroll_people(class_id=held_class.pk, people=[late], actor=rep, today=CLASS_DAY)
    assert Enrollment.objects.filter(certification_class=held_class).count() == 5  # withdrawn, not deleted
    # the withdrawn person may come back: one live place per person and class
    with pytest.raises(ValidationError, match="0 seats left"):
        services.enroll_people(class_id=held_class.pk, people=[people[0]], actor=rep, today=CLASS_DAY)


def test_r_ce_5_refuses_people_already_enrolled_separated_or_of_another_agency(world, rep, held_class):
    person = PersonFactory(agency=world.agency)
    services.enroll_people(class_id=held_class.pk, people=[person], actor=rep, today=CLASS_DAY)
    separated = PersonFactory(agency=world.agency, status="separated",
                              separated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError) as refused:
        services.enroll_people(class_id=held_class.pk, people=[person, separated, world.foreign_person], actor=rep,
                               today=CLASS_DAY)
    text = " ".join(refused.value.messages)
    assert "already on the roster" in text and "is separated" in text and "another agency" in text


def test_r_ce_5_no_enrolling_after_the_class_day(world, rep, held_class):
    with pytest.raises(ValidationError, match="people are added on or before the class day"):
        services.enroll_people(class_id=held_class.pk, people=[PersonFactory(agency=world.agency)], actor=rep,
                               today=CLASS_DAY + datetime.timedelta(days=1))


def test_r_ce_5_enrolled_person_is_emailed_with_an_ics_through_the_outbox(
        world, rep, held_class, django_capture_on_commit_callbacks):
    person = PersonFactory(agency=world.agency, email="dana.doe@example.org")
    nobody = PersonFactory(agency=world.agency, email="")
    with django_capture_on_commit_callbacks(execute=True):
        enrollment, _ = services.enroll_people(class_id=held_class.pk, people=[person, nobody], actor=rep,
                                               today=CLASS_DAY)
    row = OutboxMessage.objects.get(key=f"certification-class-enrollment:{enrollment.pk}")
    assert row.to == ["dana.doe@example.org"] and row.person == person
    assert OutboxMessage.objects.count() == 1  # no address, no message (the class shows on their page)
    assert [m.to for m in mail.outbox] == [["dana.doe@example.org"]]
    sent = mail.outbox[0]
    assert "Monday, November 16, 2026, 9:00 AM to 4:00 PM (America/Los_Angeles)" in sent.body
    assert held_class.location in sent.body
    name, content, mimetype = sent.attachments[0] if isinstance(sent.attachments[0], tuple) else (
        sent.attachments[0].get_filename(), sent.attachments[0].get_payload(decode=True),
        sent.attachments[0].get_content_type())
    assert name == "leds-class.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2026-11-16T09:00:00-08:00"
    assert str(event.get("uid")) == f"certification-class-{held_class.pk}@leds-admin"
    assert str(event.get("location")) == held_class.location
    assert message_from_bytes(sent.message().as_bytes()).is_multipart()


def test_r_ce_4_a_pass_becomes_the_certification_and_restarts_the_clock(world, rep, held_class):
    person = PersonFactory(agency=world.agency, assigned_on=datetime.date(2022, 1, 10))
    CertificationResultFactory(person=person, passed_on=datetime.date(2024, 10, 1))
    today = CLASS_DAY + datetime.timedelta(days=1)
    assert _status(person, "recertification", today).status == "overdue"  # expired 2026-10-01
    (enrollment,) = services.enroll_people(class_id=held_class.pk, people=[person], actor=rep, today=CLASS_DAY)

    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=88,
                                 level=_level("Less Than Full Access"), actor=rep, today=today)

    enrollment.refresh_from_db()
    record = enrollment.certification
    assert (record.passed_on, record.level.name, record.score, record.source) == (
        CLASS_DAY, "Less Than Full Access", 88, CertificationResult.Source.CLASS)
    recertification = _status(person, "recertification", today)
    assert (recertification.status, recertification.due) == ("done", datetime.date(2028, 11, 16))
    assert enrollment.result_recorded_by == rep


def test_r_ce_4_a_fail_does_not_certify(world, rep, held_class):
    person = PersonFactory(agency=world.agency, assigned_on=datetime.date(2026, 6, 1))
    before = _status(person, "initial_certification", CLASS_DAY)
    (enrollment,) = services.enroll_people(class_id=held_class.pk, people=[person], actor=rep, today=CLASS_DAY)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="fail", score=61,
                                 level=_level(), actor=rep, today=CLASS_DAY)
    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.score, enrollment.passed_level, enrollment.certification) == (
        "fail", 61, None, None)
    assert not CertificationResult.objects.filter(person=person).exists()
    after = _status(person, "initial_certification", CLASS_DAY)
    assert (after.status, after.due) == (before.status, before.due) == ("due_soon", datetime.date(2026, 12, 1))
    assert _status(person, "recertification", CLASS_DAY).status == "open"  # no pass: the clock never started


def test_r_ce_5_absent_has_no_result(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="absent", result="pass", score=90,
                                 level=_level(), actor=rep, today=CLASS_DAY)
    enrollment.refresh_from_db()
    assert (enrollment.attendance, enrollment.result, enrollment.certification) == ("absent", "", None)


def test_r_ce_5_no_results_before_the_class_day(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    with pytest.raises(ValidationError, match="on or after the class day"):
        services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                     level=None, actor=rep, today=CLASS_DAY - datetime.timedelta(days=1))


def test_r_ce_5_correcting_a_pass_voids_its_record(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=CLASS_DAY)
    enrollment.refresh_from_db()
    first = enrollment.certification
    assert first.level == held_class.level  # no level given: the level the class taught
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=CLASS_DAY)  # saved again unchanged: same record
    enrollment.refresh_from_db()
    assert enrollment.certification == first
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="fail", score=70,
                                 level=None, actor=rep, today=CLASS_DAY)
    first.refresh_from_db()
    enrollment.refresh_from_db()
    assert first.is_voided and first.void_reason == "Class result corrected"
    assert enrollment.certification is None
    assert not CertificationResult.objects.filter(person=enrollment.person, voided_at__isnull=True).exists()


def test_r_ce_5_recorded_in_leds_keeps_who_and_when_with_history(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    with pytest.raises(ValidationError, match="Only a pass"):
        services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=True, actor=rep)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=95,
                                 level=None, actor=rep, today=CLASS_DAY)

    services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=True, actor=rep)

    enrollment.refresh_from_db()
    assert enrollment.is_recorded_in_leds and enrollment.recorded_in_leds_by == rep
    assert enrollment.recorded_in_leds_at is not None
    ticked = enrollment.history.first()
    assert (ticked.history_user, ticked.history_change_reason, ticked.is_recorded_in_leds) == (
        rep, "Recorded in LEDS", True)
    # a result recorded in LEDS is not changed behind LEDS's back
    with pytest.raises(ValidationError, match="already recorded in LEDS"):
        services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="fail", score=40,
                                     level=None, actor=rep, today=CLASS_DAY)
    other = world.users["employee"]  # any user: the service does not check roles, the view does
    services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=False, actor=other)
    enrollment.refresh_from_db()
    assert (enrollment.is_recorded_in_leds, enrollment.recorded_in_leds_by, enrollment.recorded_in_leds_at) == (
        False, None, None)
    reasons = list(enrollment.history.values_list("history_change_reason", "history_user__username",
                                                  "recorded_in_leds_by__username"))
    assert reasons[:2] == [("Recorded-in-LEDS tick removed", "employee", None), ("Recorded in LEDS", "leds_rep",
                                                                                 "leds_rep")]


def test_r_ce_5_capacity_cannot_drop_below_the_roster(world, rep, held_class):
    services.enroll_people(class_id=held_class.pk, people=[PersonFactory(agency=world.agency) for _ in range(3)],
                           actor=rep, today=CLASS_DAY)
    with pytest.raises(ValidationError, match="3 people are on the roster"):
        services.update_class(class_id=held_class.pk, actor=rep, capacity=2)
    services.update_class(class_id=held_class.pk, actor=rep, capacity=3, location="Room 5")
    held_class.refresh_from_db()
    assert (held_class.capacity, held_class.location) == (3, "Room 5")


def test_r_ce_5_a_new_time_or_place_is_emailed_to_the_roster(world, rep, held_class,
                                                             django_capture_on_commit_callbacks):
    person = PersonFactory(agency=world.agency, email="lee.moss@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.enroll_people(class_id=held_class.pk, people=[person], actor=rep, today=CLASS_DAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_class(class_id=held_class.pk, actor=rep, capacity=8)  # nothing the person must hear of
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.update_class(class_id=held_class.pk, actor=rep, start_time=datetime.time(13, 0),
                              end_time=datetime.time(17, 0), location="Room 5")
    (sent,) = mail.outbox
    assert sent.subject == "Changed: LEDS certification class on Nov 16, 2026"
    assert "1:00 PM to 5:00 PM" in sent.body and "Room 5" in sent.body
    event = Calendar.from_ical(sent.attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("dtstart").hour == 13
    assert str(event.get("uid")) == f"certification-class-{held_class.pk}@leds-admin"  # the same calendar entry


def test_r_ce_5_withdrawal_is_emailed_with_a_cancelling_ics(world, rep, held_class,
                                                           django_capture_on_commit_callbacks):
    person = PersonFactory(agency=world.agency, email="kim.ash@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        (enrollment,) = services.enroll_people(class_id=held_class.pk, people=[person], actor=rep, today=CLASS_DAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_enrollment(enrollment_id=enrollment.pk, actor=rep)
    (sent,) = mail.outbox
    assert sent.subject.startswith("Taken off the roster") and "removes the class" in sent.body
    assert str(Calendar.from_ical(sent.attachments[0][1]).walk("VEVENT")[0].get("status")) == "CANCELLED"
    with pytest.raises(ValidationError, match="already taken off"):
        services.withdraw_enrollment(enrollment_id=enrollment.pk, actor=rep)


def test_r_ce_5_a_class_with_results_keeps_its_date(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=CLASS_DAY)
    with pytest.raises(ValidationError, match="its date cannot change"):
        services.update_class(class_id=held_class.pk, actor=rep, held_on=CLASS_DAY + datetime.timedelta(days=1))
    services.update_class(class_id=held_class.pk, actor=rep, instructor="Sam Lee")  # other details may change


def test_cancelling_a_class_tells_the_roster_keeps_everything_and_closes_it(
        world, rep, held_class, django_capture_on_commit_callbacks):
    people = [PersonFactory(agency=world.agency, email=f"p{i}@example.org") for i in range(2)]
    services.enroll_people(class_id=held_class.pk, people=people, actor=rep, today=CLASS_DAY - datetime.timedelta(1))
    with pytest.raises(ValidationError, match="Say why"):
        services.cancel_class(class_id=held_class.pk, reason="  ", actor=rep)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_class(class_id=held_class.pk, reason="Instructor out sick", actor=rep)
    held_class.refresh_from_db()
    assert held_class.is_cancelled
    assert (held_class.cancelled_by, held_class.cancel_reason) == (rep, "Instructor out sick")
    assert held_class.history.first().history_change_reason == "Certification class cancelled: Instructor out sick"
    assert Enrollment.objects.filter(certification_class=held_class, withdrawn_at=None).count() == 2  # kept
    notices = OutboxMessage.objects.filter(subject__startswith="Cancelled: LEDS certification class")
    assert sorted(m.to[0] for m in notices) == ["p0@example.org", "p1@example.org"]
    sent = [m for m in mail.outbox if m.subject.startswith("Cancelled:")]
    assert len(sent) == 2 and "is cancelled: Instructor out sick" in sent[0].body
    calendar = Calendar.from_ical(notices.first().attachments[0]["content"])
    assert [str(event["status"]) for event in calendar.walk("VEVENT")] == ["CANCELLED"]
    # closed: nothing more happens to it, and a second cancel is refused
    for attempt, match in [
        (lambda: services.cancel_class(class_id=held_class.pk, reason="again", actor=rep), "was cancelled"),
        (lambda: services.enroll_people(class_id=held_class.pk, people=[PersonFactory(agency=world.agency)],
                                        actor=rep, today=CLASS_DAY), "was cancelled"),
        (lambda: services.update_class(class_id=held_class.pk, actor=rep, location="Room 9"), "was cancelled"),
        (lambda: services.record_class_result(
            enrollment_id=Enrollment.objects.filter(certification_class=held_class).first().pk,
            attendance="attended", result="pass", score=90, level=None, actor=rep, today=CLASS_DAY), "was cancelled"),
    ]:
        with pytest.raises(ValidationError, match=match):
            attempt()


def test_a_class_with_attendance_cannot_be_cancelled(world, rep, held_class):
    enrollment = EnrollmentFactory(certification_class=held_class)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="absent", result="", score=None, level=None,
                                 actor=rep, today=CLASS_DAY)
    with pytest.raises(ValidationError, match="Attendance is recorded"):
        services.cancel_class(class_id=held_class.pk, reason="Moved", actor=rep)
    held_class.refresh_from_db()
    assert not held_class.is_cancelled
