"""factory-boy factories for training events (tests and seed_demo)."""

import datetime
import zoneinfo

import factory
from factory.django import DjangoModelFactory

from .models import EventDay, TrainingEvent

MOUNTAIN = zoneinfo.ZoneInfo("America/Boise")


class TrainingEventFactory(DjangoModelFactory):
    class Meta:
        model = TrainingEvent
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"LEDS regional training {n}")
    kind = TrainingEvent.Kind.REGIONAL
    audience = TrainingEvent.Audience.ALL_USERS
    venue_name = "Four Rivers Cultural Center"
    venue_address = "676 SW 5th Ave, Ontario, OR 97914"
    time_zone = "America/Boise"  # Ontario, OR keeps Mountain time
    seat_cap = 14
    registration_deadline_on = datetime.date(2099, 4, 20)
    contact_email = "cjis.training@example.org"
    contact_phone = "503-555-0100"

    @factory.post_generation
    def day_count(obj, create, extracted, **kwargs):
        """One day (or ``day_count=n`` consecutive days) a week after the deadline, 9:00-16:00 venue time."""
        if not create:
            return
        first = (obj.registration_deadline_on or datetime.date(2099, 4, 20)) + datetime.timedelta(days=6)
        for offset in range(extracted or 1):
            day = first + datetime.timedelta(days=offset)
            EventDay.objects.create(
                event=obj,
                starts_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=obj.zone),
                ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=obj.zone),
            )
