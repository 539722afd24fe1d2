import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import AgencyFactory, PersonFactory

from .models import (
    CertificationClass,
    CertificationLevel,
    CertificationResult,
    Enrollment,
    SecurityAwarenessCompletion,
    TrainingGuideIssue,
)


class CertificationResultFactory(DjangoModelFactory):
    class Meta:
        model = CertificationResult

    person = factory.SubFactory(PersonFactory)
    passed_on = datetime.date(2025, 6, 1)
    level = factory.LazyFunction(lambda: CertificationLevel.objects.get(name="Full Access"))  # reference data
    score = 90


class TrainingGuideIssueFactory(DjangoModelFactory):
    class Meta:
        model = TrainingGuideIssue

    person = factory.SubFactory(PersonFactory)
    issued_on = datetime.date(2025, 1, 10)


class SecurityAwarenessCompletionFactory(DjangoModelFactory):
    class Meta:
        model = SecurityAwarenessCompletion

    person = factory.SubFactory(PersonFactory)
    completed_on = datetime.date(2026, 1, 5)
    tier = 2


def _level(name="Full Access"):
    return CertificationLevel.objects.get(name=name)  # reference data (certification/defaults.py)


class CertificationClassFactory(DjangoModelFactory):
    """An in-house class (R-CE-5); ``agency`` is usually given."""

    class Meta:
        model = CertificationClass

    agency = factory.SubFactory(AgencyFactory)
    held_on = datetime.date(2026, 12, 8)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(16, 0)
    location = "Salem PD training room, 333 Division St NE"
    instructor = "Pat Records"
    capacity = 12
    level = factory.LazyFunction(_level)


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    certification_class = factory.SubFactory(CertificationClassFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(agency=o.certification_class.agency))
