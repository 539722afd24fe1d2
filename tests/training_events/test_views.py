import csv
import datetime
import io

import pytest
from django.urls import reverse

from people.factories import PersonFactory
from training_events import services
from training_events.factories import TrainingEventFactory
from training_events.models import Attendance, Registration, TrainingEvent

pytestmark = pytest.mark.django_db


def test_list_shows_seats_left_and_no_certification_notice(world, login, client):
    event = TrainingEventFactory(title="Ontario regional", seat_cap=14)
    login(world.users["employee"])
    page = client.get(reverse("training_events:list")).content.decode()
    assert "Ontario regional" in page and "14 seats available" in page
    detail = client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    assert "does not certify" in detail and "cjis.training@example.org" in detail and "MDT" in detail  # Mountain venue


def test_register_full_event_says_waitlisted_position(world, login, client):
    event = TrainingEventFactory(seat_cap=1)
    Registration.objects.create(event=event, person=world.outsider, status="confirmed", arrival=1)
    login(world.users["employee"])
    response = client.post(reverse("training_events:register", args=[event.pk]), follow=True)
    assert "waitlisted, position 1" in response.content.decode()


def test_deadline_refusal_is_a_message_not_an_error(world, login, client):
    event = TrainingEventFactory(registration_deadline_on=datetime.date(2020, 1, 1))
    login(world.users["employee"])
    response = client.post(reverse("training_events:register", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert "Registration closed on Jan 1, 2020" in response.content.decode()
    assert not Registration.objects.exists()


def test_htmx_register_gets_the_panel_partial(world, login, client):
    event = TrainingEventFactory()
    login(world.users["employee"])
    response = client.post(reverse("training_events:register", args=[event.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "You are registered" in body and "<html" not in body


def test_leds_rep_registers_staff_but_not_another_agencys(world, login, client):
    event = TrainingEventFactory()
    login(world.users["leds_rep"])
    client.post(reverse("training_events:register", args=[event.pk]), {"person": world.outsider.pk})
    assert Registration.objects.filter(person=world.outsider).exists()
    response = client.post(reverse("training_events:register", args=[event.pk]), {"person": world.foreign_person.pk})
    assert response.status_code == 404


def test_employee_cannot_register_someone_else(world, login, client):
    event = TrainingEventFactory()
    login(world.users["employee"])
    response = client.post(reverse("training_events:register", args=[event.pk]), {"person": world.outsider.pk})
    assert response.status_code == 403


def test_training_unit_publishes_a_multi_day_event_in_venue_time(world, login, client):
    login(world.users["training_unit"])
    data = {"title": "Statewide LEDS conference", "kind": "statewide", "audience": "all", "venue_name": "Salem",
            "time_zone": "America/Boise", "seat_cap": "40", "registration_deadline_on": "2027-04-20",
            "contact_name": "CJIS Training Unit", "dates": "04/26/2027\n04/27/2027", "starts": "09:00",
            "ends": "16:00"}
    response = client.post(reverse("training_events:create"), data)
    event = TrainingEvent.objects.get()
    assert response.status_code == 302
    assert [d.starts_at.astimezone(event.zone).hour for d in event.days.all()] == [9, 9]
    bad = client.post(reverse("training_events:create"), {**data, "dates": "13/45/2027"})
    assert 'line 1: &quot;13/45/2027&quot; is not a date' in bad.content.decode()
    assert 'value="Statewide LEDS conference"' in bad.content.decode()  # keeps what was typed


def test_roster_export_csv(world, login, client):
    event = TrainingEventFactory()
    Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    Registration.objects.create(event=event, person=world.foreign_person, status="waitlisted", arrival=2)
    login(world.users["training_unit"])
    response = client.get(reverse("training_events:roster_export", args=[event.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["arrival", "status", "waitlist_position"]
    assert [r[1] for r in rows[1:]] == ["confirmed", "waitlisted"] and rows[2][2] == "1"
    login(world.users["leds_rep"])  # their agency's only
    rows = list(csv.reader(io.StringIO(client.get(reverse("training_events:roster_export", args=[event.pk]))
                                       .content.decode("utf-8-sig"))))
    assert len(rows) == 2
    xlsx = client.get(reverse("training_events:roster_export", args=[event.pk]) + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_attendance_recorded_per_day_by_the_training_unit(world, login, client):
    event = TrainingEventFactory(registration_deadline_on=datetime.date(2020, 1, 1), day_count=2)
    registration = Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    day1, day2 = event.days.all()
    login(world.users["training_unit"])
    client.post(reverse("training_events:attendance", args=[event.pk]),
                {f"a-{registration.pk}-{day1.pk}": "attended", f"a-{registration.pk}-{day2.pk}": "no_show"})
    assert dict(Attendance.objects.values_list("day_id", "outcome")) == {day1.pk: "attended", day2.pk: "no_show"}
    login(world.users["employee"])
    page = client.get(reverse("training_events:my_calendar")).content.decode()
    assert "Attended" in page and "No-show" in page


def test_list_query_count_does_not_grow(world, login, client, django_assert_max_num_queries):
    login(world.users["employee"])
    for _ in range(3):
        TrainingEventFactory(day_count=2)
    client.get(reverse("training_events:list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("training_events:list"))
    for _ in range(15):
        TrainingEventFactory(day_count=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("training_events:list"))


def test_attendance_appears_on_the_person_page(world, login, client):
    event = TrainingEventFactory(title="Ontario regional", registration_deadline_on=datetime.date(2020, 1, 1))
    registration = Registration.objects.create(event=event, person=world.target, status="confirmed", arrival=1)
    Attendance.objects.create(registration=registration, day=event.days.first(), outcome="no_show")
    login(world.users["leds_rep"])
    page = client.get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert "Ontario regional" in page and "No-show" in page


def test_choosing_days_on_the_page(world, login, client):
    event = TrainingEventFactory(attendees_choose_days=True, seat_cap=1, day_count=2)
    monday, tuesday = event.days.all()
    Registration.objects.create(event=event, person=world.outsider, status="confirmed", arrival=1).day_places.create(
        day=monday, status="confirmed", arrival=1)
    login(world.users["employee"])
    page = client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    assert 'name="day"' in page and "Full — join the waitlist" in page and "1 seat available" in page
    response = client.post(reverse("training_events:register", args=[event.pk]),
                           {"day": [monday.pk, tuesday.pk]}, follow=True)
    body = response.content.decode()
    assert "waitlisted, position 1" in body and "confirmed" in body


def test_training_unit_cancels_an_event_after_confirming_with_a_reason(world, login, client):
    event = TrainingEventFactory(seat_cap=5, title="Regional LEDS update")
    services.register_for_event(event_id=event.pk, person=world.target)
    login(world.users["training_unit"])
    url = reverse("training_events:event_cancel", args=[event.pk])
    assert url in client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    assert "The 1 person registered or waitlisted will be e-mailed" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    response = client.post(url, {"reason": "Instructor unavailable"})
    assert response.url == reverse("training_events:detail", args=[event.pk])
    page = client.get(response.url).content.decode()
    assert "This event was cancelled" in page and "Instructor unavailable" in page and url not in page
    assert "Regional LEDS update" not in client.get(reverse("training_events:list")).content.decode()


def test_accepting_an_offer_to_host_leads_to_publishing_the_event_at_that_venue(world, login, client):
    from training_events.models import HostRequest

    offer = HostRequest.objects.create(agency=world.agency, venue_name="Salem PD training room",
                                       venue_address="333 Division St NE, Salem", capacity=24,
                                       proposed_dates="April 26 or 27, 2027", requested_by=world.users["leds_rep"])
    login(world.users["training_unit"])
    response = client.post(reverse("training_events:host_request_decide", args=[offer.pk]), {"decision": "accept"})
    assert response.url == f"{reverse('training_events:create')}?host_request={offer.pk}"
    form = client.get(response.url).content.decode()
    assert 'value="Salem PD training room"' in form and 'value="24"' in form and "April 26 or 27, 2027" in form
    published = client.post(response.url, {
        "title": "Regional LEDS training", "kind": "regional", "audience": "all", "description": "",
        "venue_name": "Salem PD training room", "venue_address": "333 Division St NE, Salem",
        "time_zone": "America/Los_Angeles", "seat_cap": "24", "registration_deadline_on": "2027-04-20",
        "contact_name": "CJIS Training Unit", "dates": "04/26/2027", "starts": "09:00", "ends": "16:00"})
    event = TrainingEvent.objects.get(title="Regional LEDS training")
    assert published.url == reverse("training_events:detail", args=[event.pk])
    assert event.host_agency == world.agency


def test_training_unit_edits_an_event_and_a_refusal_keeps_what_was_typed(world, login, client):
    event = TrainingEventFactory(seat_cap=2, title="Regional LEDS update")
    for person in (world.target, PersonFactory(agency=world.agency)):
        services.register_for_event(event_id=event.pk, person=person)
    login(world.users["training_unit"])
    url = reverse("training_events:event_edit", args=[event.pk])
    assert url in client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    form = client.get(url).content.decode()
    assert 'value="Regional LEDS update"' in form and "The days stay as published" in form
    data = {"title": "Regional LEDS update (Salem)", "kind": event.kind, "audience": event.audience,
            "description": "", "venue_name": event.venue_name, "venue_address": event.venue_address,
            "seat_cap": "1", "registration_deadline_on": event.registration_deadline_on.isoformat(),
            "contact_name": event.contact_name, "contact_email": "", "contact_phone": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200 and 'value="Regional LEDS update (Salem)"' in refused.content.decode()
    assert "2 people hold confirmed seats; cancel registrations before lowering the seat cap to 1." in \
        refused.content.decode()
    response = client.post(url, {**data, "seat_cap": "30"})
    assert response.url == reverse("training_events:detail", args=[event.pk])
    event.refresh_from_db()
    assert (event.title, event.seat_cap) == ("Regional LEDS update (Salem)", 30)
