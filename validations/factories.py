"""factory-boy factories for validations (shared by tests, the benchmark and seed_demo)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import AgencyFactory

from .models import ContactLog, RecordType, RegisteredEntry, ValidationCycle, ValidationEntry


def record_type(mke: str) -> RecordType:
    """One of the MKE table's record types (reference data, validations/defaults.py)."""
    return RecordType.objects.get(mke=mke)


class ValidationCycleFactory(DjangoModelFactory):
    class Meta:
        model = ValidationCycle

    agency = factory.SubFactory(AgencyFactory)
    # one list per agency and day: each cycle made without a date is received a day before the last one
    received_on = factory.Sequence(lambda n: datetime.date(2026, 11, 2) - datetime.timedelta(days=n))
    due_on = factory.LazyAttribute(lambda o: o.received_on + datetime.timedelta(days=30))
    source_filename = "validation-list.csv"


class RegisteredEntryFactory(DjangoModelFactory):
    class Meta:
        model = RegisteredEntry

    agency = factory.SubFactory(AgencyFactory)
    nic = factory.Sequence(lambda n: f"W{n + 100000000:09d}")
    ori = factory.LazyAttribute(lambda o: o.agency.ori)
    oca = factory.Sequence(lambda n: f"26-{n:06d}")
    record_type = factory.LazyFunction(lambda: record_type("EW"))
    dte = datetime.date(2026, 8, 20)
    subject = factory.Sequence(lambda n: f"DOE, JOHN {n}")
    operator = "OPR12"


class ValidationEntryFactory(DjangoModelFactory):
    class Meta:
        model = ValidationEntry

    cycle = factory.SubFactory(ValidationCycleFactory)
    line = factory.Sequence(lambda n: n + 2)
    nic = factory.Sequence(lambda n: f"W{n + 200000000:09d}")
    ori = factory.LazyAttribute(lambda o: o.cycle.agency.ori)
    oca = factory.Sequence(lambda n: f"26-{n:06d}")
    record_type = factory.LazyFunction(lambda: record_type("EW"))
    mke = factory.LazyAttribute(lambda o: o.record_type.mke)
    dte = datetime.date(2026, 8, 20)
    subject = factory.Sequence(lambda n: f"DOE, JANE {n}")
    operator = "OPR12"


class ContactLogFactory(DjangoModelFactory):
    class Meta:
        model = ContactLog

    entry = factory.SubFactory(ValidationEntryFactory)
    contacted_on = datetime.date(2026, 11, 10)
    who = "Complainant (victim's mother)"
    method = ContactLog.Method.PHONE
    result = "Confirmed the person is still missing"
