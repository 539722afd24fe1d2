"""Save the date (issue 20): an event published before its venue and seats, "notify me", and completing it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from notifications.models import OutboxMessage
from training_events import services
from training_events.factories import TrainingEventFactory
from training_events.models import EventInterest, TrainingEvent

pytestmark = pytest.mark.django_db


def _publish_save_the_date(world, login):
    client = login(world.users["training_unit"])
    response = client.post(reverse("training_events:create"), {
        "title": "2027 LEDS Statewide Training", "kind": "statewide", "audience": "all", "description": "",
        "details_pending": "on", "venue_name": "", "venue_address": "", "time_zone": "America/Los_Angeles",
        "seat_cap": "", "registration_deadline_on": "", "contact_name": "CJIS Training Unit",
        "dates": "05/11/2099\n05/12/2099", "starts": "09:00", "ends": "16:00",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return TrainingEvent.objects.get(title="2027 LEDS Statewide Training")


def test_a_save_the_date_is_listed_and_in_the_feed_but_cannot_be_registered_for(world, login):
    event = _publish_save_the_date(world, login)
    assert event.details_pending
    assert (event.venue_name, event.seat_cap, event.registration_deadline_on) == ("", None, None)
    client = login(world.users["employee"])
    listing = client.get(reverse("training_events:list")).content.decode()
    assert "2027 LEDS Statewide Training" in listing
    assert "registration opens later" in listing
    detail = client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    assert 'id="notify-me"' in detail
    assert "Register</button>" not in detail
    with pytest.raises(ValidationError, match="registration opens"):
        services.register_for_event(event_id=event.pk, person=world.target, actor=world.users["employee"])
    response = client.post(reverse("training_events:register", args=[event.pk]))
    assert response.status_code == 302
    assert not event.registrations.exists()
    # in the statewide calendar feed, marked tentative
    login(world.users["leds_rep"]).post(reverse("training_events:statewide_feed_issue"))
    from training_events.models import StatewideCalendarFeed

    token = StatewideCalendarFeed.objects.get(user=world.users["leds_rep"], revoked_at__isnull=True).token
    calendar = Calendar.from_ical(client.get(reverse("training_events:statewide_feed", args=[token])).content)
    entries = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == event.title]
    assert len(entries) == 2
    assert str(entries[0]["status"]) == "TENTATIVE"


def test_a_complete_event_still_needs_venue_seats_and_deadline(world, login):
    response = login(world.users["training_unit"]).post(reverse("training_events:create"), {
        "title": "Incomplete", "kind": "regional", "audience": "all", "venue_name": "", "time_zone":
        "America/Los_Angeles", "seat_cap": "", "registration_deadline_on": "", "contact_name": "CJIS Training Unit",
        "dates": "05/11/2099", "starts": "09:00", "ends": "16:00",
    })
    assert response.status_code == 200
    assert "save-the-date" in response.content.decode()
    assert not TrainingEvent.objects.filter(title="Incomplete").exists()


def test_completing_it_opens_registration_and_emails_the_notify_me_list_once(world, login):
    event = _publish_save_the_date(world, login)
    for key in ("employee", "leds_rep"):
        world.users[key].email = f"{key}@agency.example"
        world.users[key].save()
        response = login(world.users[key]).post(reverse("training_events:notify_me", args=[event.pk]))
        assert response.status_code == 302
    login(world.users["employee"]).post(reverse("training_events:notify_me", args=[event.pk]))  # twice: one row
    assert EventInterest.objects.filter(event=event).count() == 2

    client = login(world.users["training_unit"])
    assert client.get(reverse("training_events:event_complete", args=[event.pk])).status_code == 200
    bad = client.post(reverse("training_events:event_complete", args=[event.pk]),
                      {"venue_name": "Salem Convention Center", "seat_cap": "200",
                       "registration_deadline_on": "2099-06-01"})
    assert bad.status_code == 400  # the deadline falls after the first day
    assert not OutboxMessage.objects.filter(key__startswith="training-registration-open:").exists()
    response = client.post(reverse("training_events:event_complete", args=[event.pk]),
                           {"venue_name": "Salem Convention Center", "venue_address": "200 Commercial St SE",
                            "seat_cap": "200", "registration_deadline_on": "2099-05-01"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.details_pending
    sent = OutboxMessage.objects.filter(key__startswith="training-registration-open:")
    assert sorted(m.to[0] for m in sent) == ["employee@agency.example", "leds_rep@agency.example"]
    assert "Salem Convention Center" in sent[0].context["body"]
    # completing again is refused and e-mails nobody twice
    with pytest.raises(ValidationError):
        services.complete_event_details(event_id=event.pk, actor=world.users["training_unit"], venue_name="X",
                                        seat_cap=5, registration_deadline_on=datetime.date(2099, 5, 1))
    assert sent.count() == 2
    registration = services.register_for_event(event_id=event.pk, person=world.target, actor=world.users["employee"])
    assert registration.status == "confirmed"
    # "notify me" after registration opened says to register instead
    with pytest.raises(ValidationError, match="already open"):
        services.ask_to_be_notified(event_id=event.pk, user=world.users["laso"])


def test_statewide_feed_lists_every_published_event_and_is_revocable(world, login):
    open_event = TrainingEventFactory(title="Open event")
    cancelled = TrainingEventFactory(title="Called off", status=TrainingEvent.Status.CANCELLED)
    client = login(world.users["leds_rep"])
    client.post(reverse("training_events:statewide_feed_issue"))
    page = client.get(reverse("training_events:my_calendar")).content.decode()
    assert 'id="statewide-feed-url"' in page
    from training_events.models import StatewideCalendarFeed

    feed = StatewideCalendarFeed.objects.get(user=world.users["leds_rep"], revoked_at__isnull=True)
    client.logout()
    body = client.get(reverse("training_events:statewide_feed", args=[feed.token])).content.decode()
    assert open_event.title in body
    assert cancelled.title not in body
    login(world.users["leds_rep"]).post(reverse("training_events:statewide_feed_revoke"))
    client.logout()
    assert client.get(reverse("training_events:statewide_feed", args=[feed.token])).status_code == 404
