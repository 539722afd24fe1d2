import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from people.factories import PersonFactory

from .models import FingerprintCheck, StateAccount, StateSystem


class FingerprintCheckFactory(DjangoModelFactory):
    class Meta:
        model = FingerprintCheck

    person = factory.SubFactory(PersonFactory)
    submitted_on = datetime.date(2025, 1, 20)


class ClearedFingerprintCheckFactory(FingerprintCheckFactory):
    outcome = FingerprintCheck.Outcome.CLEARED
    result_on = datetime.date(2025, 2, 10)


class StateSystemFactory(DjangoModelFactory):
    """An agency's own system (the state's four are reference data, background/defaults.py)."""

    class Meta:
        model = StateSystem

    agency = None
    name = factory.Sequence(lambda n: f"Records system {n}")


def state_system(name: str = "WebLEDS") -> StateSystem:
    """One of the state's systems (reference data, background/defaults.py)."""
    return StateSystem.objects.get(agency=None, name=name)


class StateAccountFactory(DjangoModelFactory):
    """An active account (set ``status`` and the step times to build others)."""

    class Meta:
        model = StateAccount

    person = factory.SubFactory(PersonFactory)
    system = factory.LazyFunction(state_system)
    username = factory.Sequence(lambda n: f"user{n:04d}")
    status = StateAccount.Status.ACTIVE
    requested_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    activated_at = factory.LazyAttribute(lambda o: o.requested_at + datetime.timedelta(days=2)
                                         if o.status != StateAccount.Status.REQUESTED else None)
    disabled_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == StateAccount.Status.DISABLED else None)
