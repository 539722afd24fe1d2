"""factory-boy factories for agencies, people and users (shared by tests and seed_demo)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import User

from .models import Agency, Membership, Person


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("ori",)

    ori = factory.Sequence(lambda n: f"OR{n + 100000:07d}")
    name = factory.Sequence(lambda n: f"Example County Sheriff's Office {n}")
    time_zone = "America/Los_Angeles"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    employee_id = factory.Sequence(lambda n: f"E{n + 1000:05d}")
    last_name = factory.Faker("last_name")
    first_name = factory.Faker("first_name")
    email = factory.LazyAttribute(
        lambda p: f"{p.first_name}.{p.last_name}{p.employee_id[-3:]}@example.org".lower().replace(" ", "")
    )
    position = factory.Iterator(["Records Specialist", "Patrol Deputy", "Dispatcher", "Detective", "Clerk"])
    assigned_on = factory.Faker(
        "date_between", start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2026, 6, 30)
    )
    role_tier = 2
    status = Person.Status.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "agency", "role")

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.EMPLOYEE
