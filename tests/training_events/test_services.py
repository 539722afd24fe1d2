import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from icalendar import Calendar

from notifications.services import deliver_batch
from people.factories import PersonFactory
from training_events import ics, selectors, services
from training_events.factories import TrainingEventFactory
from training_events.models import Attendance, HostRequest, Registration

pytestmark = pytest.mark.django_db


def _people(agency, n):
    return [PersonFactory(agency=agency) for _ in range(n)]


def test_r_ev_2_seat_cap_then_waitlist_in_arrival_order(world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(seat_cap=2)
    people = _people(world.agency, 5)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.register_for_event(event_id=event.pk, person=p) for p in people]
    assert [r.status for r in registrations] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [selectors.waitlist_position(registration=r) for r in registrations[2:]] == [1, 2, 3]
    # confirmations carry a calendar file; waitlist notices say the position
    assert len(mail.outbox) == 5
    assert mail.outbox[0].attachments[0][0] == "event.ics"
    assert "waitlisted, position 3" in mail.outbox[4].body


def test_registration_writes_the_outbox_row_before_the_lock_and_the_worker_renders_it(
        world, django_capture_on_commit_callbacks):
    """Issue 23: the notice's row is written in the registration's transaction before the seat lock, which is held
    only to count and insert the registration; subject, e-mail and .ics are rendered by the delivery worker,
    neither under the lock nor in the request."""
    from django.test.signals import template_rendered

    from notifications.models import OutboxMessage
    from notifications.services import COMPOSE

    event = TrainingEventFactory(seat_cap=1)
    person = PersonFactory(agency=world.agency, email="reg@example.org")
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            registration = services.register_for_event(event_id=event.pk, person=person)
    finally:
        template_rendered.disconnect(record)
    assert rendered == []  # nothing rendered inside the transaction
    # after the commit the request only asks a worker to deliver (the test settings would run it eagerly)
    assert [callback.__name__ for callback in callbacks] == ["schedule_delivery"]
    message = OutboxMessage.objects.get(person=person)
    assert COMPOSE in message.context and message.to == ["reg@example.org"] and message.agency == world.agency
    deliver_batch()  # the worker composes, then sends
    message.refresh_from_db()
    assert COMPOSE not in message.context and "You are registered for" in message.context["body"]
    assert message.subject == f"Registered: {event.title}"
    assert message.key == f"training-registration:{registration.pk}:confirmed"
    assert [a["filename"] for a in message.attachments] == ["event.ics"]
    assert mail.outbox[-1].attachments[0][0] == "event.ics"


def test_registration_holds_the_seat_lock_for_one_count_and_the_inserts(world):
    """Issue 23: the lock is taken late: the notice's outbox row is written first, in the same transaction; under
    the event's row lock only the lock itself, one count and the registration with its history row — no look-up
    of rows already in hand."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = TrainingEventFactory(seat_cap=1)
    person = PersonFactory(agency=world.agency, email="lock@example.org")
    with CaptureQueriesContext(connection) as ctx:
        services.register_for_event(event_id=event.pk, person=person)
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    locked = next(n for n, sql in enumerate(statements) if sql.rstrip().endswith("FOR UPDATE"))
    kinds = [sql.split()[0] for sql in statements[locked + 1:]]
    assert kinds == ["SELECT", "INSERT", "INSERT"], statements[locked + 1:]
    assert "training_events_registration" in statements[locked + 2]
    outbox = [n for n, sql in enumerate(statements) if sql.startswith('INSERT INTO "notifications_')]
    assert len(outbox) == 1 and outbox[0] < locked  # the row (no history row of its creation), before the lock


def test_a_sign_up_cancelled_and_made_again_before_delivery_still_sends_both_notices(world):
    """The notice is composed from the person's newest registration for the event; a key the first row took is
    not given twice, and neither row is stuck."""
    from notifications.models import OutboxMessage

    event = TrainingEventFactory(seat_cap=5)
    person = PersonFactory(agency=world.agency, email="again@example.org")
    first = services.register_for_event(event_id=event.pk, person=person)
    services.cancel_registration(registration_id=first.pk, reason="Wrong week")
    second = services.register_for_event(event_id=event.pk, person=person)
    deliver_batch()
    rows = OutboxMessage.objects.filter(to=["again@example.org"], subject__startswith="Registered: ")
    assert rows.count() == 2 and set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert set(rows.values_list("key", flat=True)) == {None, f"training-registration:{second.pk}:confirmed"}


def test_a_row_nobody_composed_yet_is_composed_by_the_delivery_worker(world):
    from notifications.models import OutboxMessage

    event = TrainingEventFactory(seat_cap=1)
    person = PersonFactory(agency=world.agency, email="late@example.org")
    services.register_for_event(event_id=event.pk, person=person)  # its on-commit rendering never ran
    deliver_batch()
    [sent] = [m for m in mail.outbox if m.to == ["late@example.org"]]
    assert sent.attachments[0][0] == "event.ics" and event.title in sent.subject
    assert OutboxMessage.objects.get(to=["late@example.org"]).status == OutboxMessage.Status.SENT


def test_r_ev_2_cancellation_promotes_first_waitlisted_and_tells_them(world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(seat_cap=1)
    first, second, third = (services.register_for_event(event_id=event.pk, person=p)
                            for p in _people(world.agency, 3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration_id=first.pk, reason="shift conflict")
    second.refresh_from_db(), third.refresh_from_db(), first.refresh_from_db()
    assert (first.status, second.status, third.status) == ("cancelled", "confirmed", "waitlisted")
    assert selectors.waitlist_position(registration=third) == 1
    # the registration notices queued earlier go out in the same delivery run; one promotion, to the second
    opened = [m for m in mail.outbox if "A seat opened" in m.subject]
    assert [m.to for m in opened] == [[second.person.email]]
    assert first.history.first().history_change_reason == "Cancelled: shift conflict"  # voided, not deleted


def test_r_ev_2_cancelling_a_waitlisted_registration_promotes_nobody(world):
    event = TrainingEventFactory(seat_cap=1)
    first, second, third = (services.register_for_event(event_id=event.pk, person=p)
                            for p in _people(world.agency, 3))
    services.cancel_registration(registration_id=second.pk)
    first.refresh_from_db(), third.refresh_from_db()
    assert (first.status, third.status) == ("confirmed", "waitlisted")
    assert selectors.waitlist_position(registration=third) == 1
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_registration(registration_id=second.pk)


def test_r_ev_2_registration_after_the_deadline_is_refused_with_a_message(world):
    event = TrainingEventFactory(registration_deadline_on=datetime.date(2027, 4, 20))  # Mountain time venue
    # 23:30 in Boise on the deadline day is still open; 00:30 the next day is not
    on_deadline = datetime.datetime(2027, 4, 21, 5, 30, tzinfo=datetime.UTC)
    after = datetime.datetime(2027, 4, 21, 6, 30, tzinfo=datetime.UTC)
    person, late = _people(world.agency, 2)
    assert services.register_for_event(event_id=event.pk, person=person, now=on_deadline).status == "confirmed"
    with pytest.raises(ValidationError, match="Registration closed on Apr 20, 2027"):
        services.register_for_event(event_id=event.pk, person=late, now=after)


def test_r_ev_2_one_person_cannot_hold_two_registrations(world):
    event = TrainingEventFactory()
    person = world.target
    services.register_for_event(event_id=event.pk, person=person)
    with pytest.raises(ValidationError, match="already registered"):
        services.register_for_event(event_id=event.pk, person=person)
    # the database says so too, even bypassing the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, person=person, status="waitlisted", arrival=99)


def test_re_registering_after_cancelling_joins_the_end_of_the_line(world):
    event = TrainingEventFactory(seat_cap=1)
    a, b = _people(world.agency, 2)
    first = services.register_for_event(event_id=event.pk, person=a)
    services.register_for_event(event_id=event.pk, person=b)
    services.cancel_registration(registration_id=first.pk)
    again = services.register_for_event(event_id=event.pk, person=a)
    assert again.status == "waitlisted" and selectors.waitlist_position(registration=again) == 1


def test_r_ev_3_multi_day_attendance_per_day(world):
    event = TrainingEventFactory(kind="statewide", registration_deadline_on=datetime.date(2020, 4, 20), day_count=3)
    person = world.target
    registration = Registration.objects.create(event=event, person=person, status="confirmed", arrival=1)
    day1, day2, _day3 = event.days.all()
    actor = world.users["training_unit"]
    services.record_attendance(registration=registration, day=day1, outcome="attended", actor=actor)
    services.record_attendance(registration=registration, day=day2, outcome="no_show", actor=actor)
    services.record_attendance(registration=registration, day=day2, outcome="attended", actor=actor)  # corrected
    outcomes = dict(Attendance.objects.filter(registration=registration).values_list("day_id", "outcome"))
    assert outcomes == {day1.pk: "attended", day2.pk: "attended"}
    history = list(selectors.training_history(user=world.users["employee"], person=person))
    assert [a.outcome for a in history[0].attendances.all()] == ["attended", "attended"]
    assert Attendance.history.filter(registration=registration, day=day2).count() == 2


def test_r_ev_3_attendance_is_not_recorded_before_the_day(world):
    event = TrainingEventFactory()  # far in the future
    registration = Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    with pytest.raises(ValidationError, match="after the event day"):
        services.record_attendance(registration=registration, day=event.days.first(), outcome="attended",
                                   actor=None)


def test_r_ev_3_ics_parses_back_with_venue_time_zone(world):
    event = TrainingEventFactory(day_count=2)
    calendar = Calendar.from_ical(ics.event_ics(event))
    entries = calendar.walk("VEVENT")
    assert len(entries) == 2
    start = entries[0].decoded("dtstart")
    assert str(start.tzinfo) == "America/Boise" and start.hour == 9
    assert "does not certify" in str(entries[0]["description"])


def test_r_ev_3_feed_lists_confirmed_events_and_revocation(world, client):
    person = world.target
    mine, other = TrainingEventFactory(title="Mine"), TrainingEventFactory(title="Other")
    Registration.objects.create(event=mine, person=person, status="confirmed", arrival=1)
    feed = services.issue_calendar_feed(person=person)
    response = client.get(f"/training/feed/{feed.token}.ics")
    assert response.status_code == 200
    titles = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert titles == ["Mine"] and other.title not in titles
    services.revoke_calendar_feeds(person=person)
    assert client.get(f"/training/feed/{feed.token}.ics").status_code == 404


def test_r_ev_3_reminders_go_once(world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(registration_deadline_on=datetime.date(2027, 4, 20))  # first day 04-26
    Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    assert services.send_due_reminders(today=datetime.date(2027, 4, 18), lead_days=7) == 0
    assert services.send_due_reminders(today=datetime.date(2027, 4, 19), lead_days=7) == 1
    assert services.send_due_reminders(today=datetime.date(2027, 4, 20), lead_days=7) == 0
    deliver_batch()  # the reminder waits in the outbox until delivery
    assert [m.subject for m in mail.outbox] == [f"Reminder: {event.title}"]
    assert mail.outbox[0].attachments


def test_r_ev_4_host_request_answer_is_mailed(world, django_capture_on_commit_callbacks):
    rep = world.users["leds_rep"]
    offer = services.request_to_host(agency=world.agency, actor=rep, venue_name="Salem PD", venue_address="Salem",
                                     capacity=30, proposed_dates="May 2027")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_host_request(host_request_id=offer.pk, accept=False, actor=world.users["training_unit"],
                                     note="We are full in May.")
    assert HostRequest.objects.get(pk=offer.pk).status == "declined"
    assert mail.outbox[0].to == [rep.email] and "We are full in May." in mail.outbox[0].body
    with pytest.raises(ValidationError, match="already declined"):
        services.decide_host_request(host_request_id=offer.pk, accept=True, actor=None)


def test_registrations_are_scoped(world):
    event = TrainingEventFactory()
    services.register_for_event(event_id=event.pk, person=world.target)
    services.register_for_event(event_id=event.pk, person=world.outsider)
    services.register_for_event(event_id=event.pk, person=world.foreign_person)
    seen = {who: len(selectors.registrations_for(user=world.users[who], event=event))
            for who in ("training_unit", "leds_rep", "supervisor", "employee", "foreign")}
    assert seen == {"training_unit": 3, "leds_rep": 2, "supervisor": 1, "employee": 1, "foreign": 1}


def test_r_ev_2_per_day_caps_when_attendees_choose_days(world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(kind="statewide", attendees_choose_days=True, seat_cap=1, day_count=2)
    monday, tuesday = event.days.all()
    a, b, c = _people(world.agency, 3)
    first = services.register_for_event(event_id=event.pk, person=a, day_ids=[monday.pk])
    second = services.register_for_event(event_id=event.pk, person=b, day_ids=[monday.pk, tuesday.pk])
    third = services.register_for_event(event_id=event.pk, person=c, day_ids=[monday.pk])
    # b holds Tuesday's only seat and waits for Monday; c waits for Monday behind b
    assert (first.status, second.status, third.status) == ("confirmed", "confirmed", "waitlisted")
    places = {(p.registration.person_id, p.day_id): (p.status, p.position)
              for r in (second, third) for p in selectors.day_positions(registration=r)}
    assert places == {(b.pk, monday.pk): ("waitlisted", 1), (b.pk, tuesday.pk): ("confirmed", None),
                      (c.pk, monday.pk): ("waitlisted", 2)}
    with pytest.raises(ValidationError, match="Choose at least one day"):
        services.register_for_event(event_id=event.pk, person=world.outsider, day_ids=[])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration_id=first.pk)
    # Monday's freed seat goes to the first on Monday's waitlist (b), and b is told
    assert [p.status for p in selectors.day_positions(registration=second)] == ["confirmed", "confirmed"]
    assert [p.position for p in selectors.day_positions(registration=third)] == [1]
    # the registration notices queued earlier go out in the same delivery run; one promotion, to b
    assert [m.to for m in mail.outbox if "A seat opened" in m.subject] == [[b.email]]


def test_r_ev_3_attendance_only_on_days_with_a_seat(world):
    event = TrainingEventFactory(attendees_choose_days=True, registration_deadline_on=datetime.date(2020, 1, 1),
                                 day_count=2)
    monday, tuesday = event.days.all()
    registration = Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    registration.day_places.create(day=monday, status="confirmed", arrival=1)
    services.record_attendance(registration=registration, day=monday, outcome="attended", actor=None)
    with pytest.raises(ValidationError, match="held no seat"):
        services.record_attendance(registration=registration, day=tuesday, outcome="attended", actor=None)


def test_cancelling_an_event_cancels_every_registration_and_tells_each_person(
        world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(seat_cap=1)
    confirmed, waitlisted = (services.register_for_event(event_id=event.pk, person=p) for p in _people(world.agency, 2))
    unit = world.users["training_unit"]
    with pytest.raises(ValidationError, match="Say why"):
        services.cancel_event(event_id=event.pk, reason="", actor=unit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event_id=event.pk, reason="Venue closed for repairs", actor=unit)
    event.refresh_from_db(), confirmed.refresh_from_db(), waitlisted.refresh_from_db()
    assert (event.status, event.cancelled_by, event.cancel_reason) == ("cancelled", unit, "Venue closed for repairs")
    assert (confirmed.status, waitlisted.status) == ("cancelled", "cancelled")  # nobody promoted
    assert confirmed.cancel_reason == "The event was cancelled: Venue closed for repairs"
    cancelled = [m for m in mail.outbox if m.subject.startswith("Cancelled:")]
    assert sorted(m.to[0] for m in cancelled) == sorted([confirmed.person.email, waitlisted.person.email])
    assert "is cancelled: Venue closed for repairs" in cancelled[0].body
    calendar = Calendar.from_ical(cancelled[0].attachments[0][1])
    assert [str(e["status"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]
    with pytest.raises(ValidationError, match="cancelled; registration is closed"):
        services.register_for_event(event_id=event.pk, person=PersonFactory(agency=world.agency))
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_event(event_id=event.pk, reason="again", actor=unit)


def test_an_event_with_attendance_cannot_be_cancelled(world):
    event = TrainingEventFactory(seat_cap=2)
    registration = services.register_for_event(event_id=event.pk, person=PersonFactory(agency=world.agency))
    Attendance.objects.create(registration=registration, day=event.days.first(), outcome="attended")
    with pytest.raises(ValidationError, match="Attendance is recorded"):
        services.cancel_event(event_id=event.pk, reason="Too late", actor=world.users["training_unit"])


def test_raising_the_seat_cap_promotes_the_waitlist_and_lowering_it_below_the_confirmed_is_refused(
        world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(seat_cap=1)
    _first, second, third = (services.register_for_event(event_id=event.pk, person=p)
                            for p in _people(world.agency, 3))
    unit = world.users["training_unit"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event_id=event.pk, actor=unit, seat_cap=2)
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")  # arrival order, up to the new cap
    assert [m.to for m in mail.outbox if "A seat opened" in m.subject] == [[second.person.email]]
    with pytest.raises(ValidationError, match="2 people hold confirmed seats"):
        services.update_event(event_id=event.pk, actor=unit, seat_cap=1)
    event.refresh_from_db()
    assert event.seat_cap == 2 and event.history.first().history_change_reason == "Training event changed"


def test_a_new_venue_is_emailed_to_everyone_registered(world, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(seat_cap=1)
    confirmed, waitlisted = (services.register_for_event(event_id=event.pk, person=p) for p in _people(world.agency, 2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event_id=event.pk, actor=world.users["training_unit"], venue_name="Keizer Civic Center",
                              venue_address="930 Chemawa Rd NE")
        services.update_event(event_id=event.pk, actor=world.users["training_unit"], description="Bring a laptop.")
    changed = [m for m in mail.outbox if m.subject.startswith("Changed:")]
    assert sorted(m.to[0] for m in changed) == sorted([confirmed.person.email, waitlisted.person.email])
    assert "Keizer Civic Center, 930 Chemawa Rd NE" in changed[0].body
    calendar = Calendar.from_ical(changed[0].attachments[0][1])
    assert next(str(e["location"]) for e in calendar.walk("VEVENT")).startswith("Keizer Civic Center")
