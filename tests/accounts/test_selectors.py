"""The sign-ins and security-log pages read in a fixed number of queries, at 10 rows and at 1,000."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.paginator import Paginator
from django.utils import timezone

from accounts import selectors
from accounts.models import AccountLock, SecurityEvent
from people.factories import MembershipFactory, PersonFactory, UserFactory


def _people_with_sign_ins(world, n):
    users = UserFactory.create_batch(n)
    for index, user in enumerate(users):
        PersonFactory(agency=world.agency, user=user)
        MembershipFactory(user=user, agency=world.agency, role="employee")
        if index % 7 == 0:
            AccountLock.objects.create(username=user.username, user=user, agency=world.agency,
                                       locked_at=timezone.now(), failures=5)
    Authenticator.objects.filter(user__in=users[::3]).delete()


def _events(world, n):
    now = timezone.now()
    SecurityEvent.objects.bulk_create([
        SecurityEvent(occurred_at=now, event="sign_in", actor=world.users["employee"], actor_username="employee",
                      agency=world.agency, prev_hash="0" * 64, hash=f"{i:064x}") for i in range(n)
    ])


@pytest.mark.parametrize("n", [10, 1000])
def test_sign_ins_page_in_a_fixed_number_of_queries(world, n, django_assert_num_queries):
    _people_with_sign_ins(world, n)
    user = world.users["leds_rep"]
    with django_assert_num_queries(5):  # the scoping (memberships, own person), count, page, roles
        people = selectors.agency_sign_ins(user=user, agency=world.agency)
        page = Paginator(people, 10).get_page(1)
        rows = [(p.user.username, p.has_mfa, p.is_locked, [str(m.role) for m in p.user.agency_memberships])
                if p.user else (p.employee_id,) for p in page.object_list]
    assert len(rows) == 10


@pytest.mark.parametrize("n", [10, 1000])
def test_security_log_page_in_a_fixed_number_of_queries(world, n, django_assert_num_queries):
    _events(world, n)
    user = world.users["laso"]
    with django_assert_num_queries(4):  # the scoping (memberships, own person), count, page
        events = selectors.security_events(user=user, agency=world.agency).select_related("actor")
        page = Paginator(events, 50).get_page(1)
        rows = [(e.actor_username, e.actor.username, e.get_event_display()) for e in page.object_list]
    assert len(rows) == min(n, 50)
