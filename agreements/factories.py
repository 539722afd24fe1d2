"""factory-boy factories for agreements (shared by tests and seed_demo)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import AgencyFactory, PersonFactory

from .models import Agreement, AgreementParty, AgreementReview, AgreementSignatory


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    agency = factory.SubFactory(AgencyFactory)
    kind = Agreement.Kind.LEDS_USER
    title = factory.LazyAttribute(lambda o: Agreement.Kind(o.kind).label)
    effective_on = datetime.date(2024, 7, 1)


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Partner Police Department {n}")
    ori = factory.Sequence(lambda n: f"OR{n + 900000:07d}")


class AgreementSignatoryFactory(DjangoModelFactory):
    """The agency's signing official, by default one of its people."""

    class Meta:
        model = AgreementSignatory

    agreement = factory.SubFactory(AgreementFactory)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..agreement.agency"))
    name = factory.LazyAttribute(lambda o: o.person.full_name if o.person else "Chief Example")
    signer_title = "Chief of Police"
    signed_on = datetime.date(2024, 7, 1)
    is_signing_official = True


class AgreementReviewFactory(DjangoModelFactory):
    class Meta:
        model = AgreementReview

    agreement = factory.SubFactory(AgreementFactory)
    reviewed_on = datetime.date(2025, 7, 1)
