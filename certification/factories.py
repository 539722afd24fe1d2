import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import PersonFactory

from .models import CertificationLevel, CertificationResult, SecurityAwarenessCompletion, TrainingGuideIssue


class CertificationResultFactory(DjangoModelFactory):
    class Meta:
        model = CertificationResult

    person = factory.SubFactory(PersonFactory)
    passed_on = datetime.date(2025, 6, 1)
    # get_or_create: a transactional test's flush removes the levels the data migration seeded
    level = factory.LazyFunction(lambda: CertificationLevel.objects.get_or_create(name="Full Access")[0])
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
