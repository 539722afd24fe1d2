"""Demo training events: the Training Unit's regional trainings, a multi-day statewide event, registrations
with a waitlist, and one agency's offer to host (R-EV-1..4)."""

from __future__ import annotations

import datetime
import zoneinfo

from accounts.models import User
from people.models import Person
from training_events import services
from training_events.models import HostRequest, TrainingEvent


def _event(world, title, *, days_out, seats, venue, address, zone="America/Los_Angeles", kind="regional",
           day_count=1, audience="all"):
    event = TrainingEvent.objects.filter(title=title).first()
    if event:
        return event
    first = world.today + datetime.timedelta(days=days_out)
    while any((first + datetime.timedelta(days=i)).weekday() >= 5 for i in range(day_count)):
        first += datetime.timedelta(days=1)  # trainings run on weekdays
    tz = zoneinfo.ZoneInfo(zone)
    days = [(datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(9), tzinfo=tz),
             datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(16), tzinfo=tz))
            for i in range(day_count)]
    return services.publish_event(
        actor=world.actor, days=days, title=title, kind=kind, audience=audience, venue_name=venue,
        venue_address=address, time_zone=zone, seat_cap=seats,
        registration_deadline_on=first - datetime.timedelta(days=5), certifies=False,
        contact_name="CJIS Training Unit", contact_email="cjis.training@example.org", contact_phone="503-555-0100",
    )


def seed_training_events(world) -> None:
    ontario = _event(world, "LEDS regional training — Ontario", days_out=40, seats=14,
                     venue="Four Rivers Cultural Center", address="676 SW 5th Ave, Ontario, OR 97914",
                     zone="America/Boise")
    _event(world, "LEDS regional training — Bend", days_out=60, seats=20, venue="Deschutes County Sheriff's Office",
           address="63333 W Highway 20, Bend, OR 97703")
    _event(world, "Statewide LEDS training event", days_out=90, seats=120, venue="Salem Convention Center",
           address="200 Commercial St SE, Salem, OR 97301", kind="statewide", day_count=2)
    _event(world, "LEDS TAC 101 (webinar)", days_out=25, seats=100, venue="Online", address="", kind="tac_101",
           audience="leds_reps")
    if not TrainingEvent.objects.filter(details_pending=True).exists():
        # "SAVE THE DATE! … Planning is currently underway": dates and title now, venue and seats later (issue 20)
        first = world.today + datetime.timedelta(days=150)
        tz = zoneinfo.ZoneInfo("America/Los_Angeles")
        services.publish_event(
            actor=world.actor, title="LEDS Statewide Training Conference — save the date", kind="statewide",
            audience="all", details_pending=True, time_zone="America/Los_Angeles", certifies=False,
            contact_name="CJIS Training Unit", contact_email="cjis.training@example.org",
            description="Planning is under way; the venue and registration follow.",
            days=[(datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(8), tzinfo=tz),
                   datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(17), tzinfo=tz))
                  for i in range(2)])
    if not ontario.registrations.exists():
        # more sign-ups than seats, so the demo shows a waitlist
        for person in Person.objects.filter(agency__in=world.agencies, status="active").order_by("pk")[:17]:
            services.register_for_event(event_id=ontario.pk, person=person, actor=world.actor)
    if world.agencies and not HostRequest.objects.exists():
        rep = User.objects.filter(username="rep").first() or world.actor
        services.request_to_host(agency=world.agencies[0], actor=rep, venue_name="Salem PD training room",
                                 venue_address="333 Division St NE, Salem, OR 97301", capacity=30,
                                 proposed_dates="May 12 or 13, next year")
