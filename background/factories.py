import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import PersonFactory

from .models import FingerprintCheck


class FingerprintCheckFactory(DjangoModelFactory):
    class Meta:
        model = FingerprintCheck

    person = factory.SubFactory(PersonFactory)
    submitted_on = datetime.date(2025, 1, 20)


class ClearedFingerprintCheckFactory(FingerprintCheckFactory):
    outcome = FingerprintCheck.Outcome.CLEARED
    result_on = datetime.date(2025, 2, 10)
