import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from people.factories import PersonFactory

from .models import StateAccount, StateSystem


class StateSystemFactory(DjangoModelFactory):
    """An agency's own system (the state's four are reference data, state_access/defaults.py)."""

    class Meta:
        model = StateSystem

    agency = None
    name = factory.Sequence(lambda n: f"Records system {n}")


def state_system(name: str = "WebLEDS") -> StateSystem:
    """One of the state's systems (reference data, state_access/defaults.py)."""
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
