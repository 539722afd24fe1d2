"""The training unit's daily digest and inbox (issue 20, R-EV-4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from training_events import services
from training_events.digest import queue_training_unit_digest
from training_events.factories import TrainingEventFactory
from training_events.models import HostRequest, TrainingUnitDigest

pytestmark = pytest.mark.django_db


def _offer(world, venue):
    return services.request_to_host(agency=world.agency, actor=world.users["leds_rep"], venue_name=venue,
                                    venue_address="333 Division St NE", capacity=30, proposed_dates="May 2027")


def _morning():
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


def test_digest_is_queued_once_per_day_and_names_every_new_offer_and_registration(world, settings):
    settings.REMINDER_HOUR = 0  # any hour: the test runs at whatever time it is
    start = timezone.now() + datetime.timedelta(minutes=1)
    world.users["training_unit"].email = "unit@osp.example"
    world.users["training_unit"].save()
    before = timezone.now() - datetime.timedelta(hours=1)
    TrainingUnitDigest.objects.create(day=timezone.localdate(start) - datetime.timedelta(days=2),
                                      covered_from=before, covered_until=before)
    first = _offer(world, "Salem PD training room")
    second = _offer(world, "Keizer Civic Center")
    event = TrainingEventFactory(title="Regional LEDS update")
    registration = services.register_for_event(event_id=event.pk, person=world.target, actor=world.users["leds_rep"])

    digest = queue_training_unit_digest(now=start)
    assert (digest.offers, digest.registrations, digest.queued) == (2, 1, 1)
    message = OutboxMessage.objects.get(key__startswith="training-unit-digest:")
    assert message.to == ["unit@osp.example"]
    body = message.context["body"]
    assert first.venue_name in body
    assert second.venue_name in body
    assert "Regional LEDS update" in body
    assert f"{registration.person.first_name} {registration.person.last_name}" in body
    # a second tick the same day, and a second worker, queue nothing
    assert queue_training_unit_digest(now=start + datetime.timedelta(seconds=1)) is None
    assert OutboxMessage.objects.filter(key__startswith="training-unit-digest:").count() == 1
    # the next day names only what is new since
    third = _offer(world, "Woodburn PD")
    HostRequest.objects.filter(pk=third.pk).update(requested_at=start + datetime.timedelta(hours=3))
    digest = queue_training_unit_digest(now=start + datetime.timedelta(days=1))
    assert (digest.offers, digest.registrations) == (1, 0)
    latest = OutboxMessage.objects.filter(key__startswith="training-unit-digest:").order_by("-pk").first()
    assert third.venue_name in latest.context["body"]
    assert first.venue_name not in latest.context["body"]


def test_no_digest_before_the_reminder_hour_and_no_mail_when_nothing_is_new(world, settings):
    settings.REMINDER_HOUR = 6
    early = timezone.localtime().replace(hour=3, minute=0)
    assert queue_training_unit_digest(now=early) is None
    digest = queue_training_unit_digest(now=_morning())
    assert digest.queued == 0
    assert not OutboxMessage.objects.filter(key__startswith="training-unit-digest:").exists()


def test_inbox_counts_in_the_navigation_and_decline_from_the_inbox(world, login):
    offer = _offer(world, "Salem PD training room")
    client = login(world.users["training_unit"])
    page = client.get(reverse("training_events:inbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Salem PD training room" in html
    assert 'id="nav-inbox"' in html
    assert page.context["pending_count"] == 1
    response = client.post(reverse("training_events:host_request_decide", args=[offer.pk]),
                           {"decision": "decline", "note": "No dates left this spring", "next": "inbox"})
    assert response["Location"] == reverse("training_events:inbox")
    offer.refresh_from_db()
    assert offer.status == HostRequest.Status.DECLINED
    # accepting leads on to publishing the event at that venue (the existing flow)
    other = _offer(world, "Keizer Civic Center")
    response = client.post(reverse("training_events:host_request_decide", args=[other.pk]),
                           {"decision": "accept", "next": "inbox"})
    assert response["Location"] == f"{reverse('training_events:create')}?host_request={other.pk}"


def test_agency_roles_see_no_inbox_link(world, login):
    html = login(world.users["leds_rep"]).get(reverse("training_events:list")).content.decode()
    assert 'id="nav-inbox"' not in html


def test_offers_to_host_are_paged_by_50_with_a_note_field_per_offer(world, login):
    """Issue 19: the offers page pages past 50; each pending offer's note field is drawn by the form renderer
    with its own id, on the offers page and in the inbox."""
    offers = [_offer(world, f"Room {n}") for n in range(51)]
    client = login(world.users["training_unit"])
    first = client.get(reverse("training_events:host_requests")).content.decode()
    assert "Page 1 of 2" in first and f'id="offer-{offers[-1].pk}-note"' in first  # newest first
    second = client.get(reverse("training_events:host_requests"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and f'id="offer-{offers[0].pk}-note"' in second
    inbox = client.get(reverse("training_events:inbox")).content.decode()
    assert f'<label class="usa-label" for="offer-{offers[0].pk}-note">Note to the agency</label>' in inbox
