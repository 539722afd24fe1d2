"""One scoping mechanism: what each role sees (R-AG-1)."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from people.factories import PersonFactory
from people.models import Agency, Person
from people.scoping import acts_in_agency, get_managed_or_404


def visible(user):
    return set(Person.objects.for_user(user).values_list("pk", flat=True))


def test_agency_roles_see_their_whole_agency_and_nothing_else(world):
    own = set(Person.objects.filter(agency=world.agency).values_list("pk", flat=True))
    for key in ("leds_rep", "laso", "agency_auditor"):
        assert visible(world.users[key]) == own, key


def test_supervisor_sees_their_chain_and_themself_only(world):
    deeper = PersonFactory(agency=world.agency, supervisor=world.people["employee"])
    seen = visible(world.users["supervisor"])
    assert seen == {world.people["supervisor"].pk, world.people["employee"].pk, deeper.pk}
    assert world.outsider.pk not in seen


def test_employee_sees_only_themself(world):
    assert visible(world.users["employee"]) == {world.people["employee"].pk}


def test_state_auditor_sees_every_agency(world):
    assert visible(world.users["state_auditor"]) == set(Person.objects.values_list("pk", flat=True))
    assert Agency.objects.for_user(world.users["state_auditor"]).count() == Agency.objects.count()


def test_training_unit_sees_no_people(world):
    assert visible(world.users["training_unit"]) == set()


def test_foreign_agency_user_never_sees_our_people(world):
    seen = visible(world.users["foreign"])
    assert seen == set(Person.objects.filter(agency=world.foreign_agency).values_list("pk", flat=True))
    assert not seen & set(Person.objects.filter(agency=world.agency).values_list("pk", flat=True))


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.for_user(AnonymousUser()).exists()
    rep = world.users["leds_rep"]
    rep.is_active = False
    rep.save()
    rep.refresh_from_db()
    assert not Person.objects.for_user(rep).exists()


def test_a_user_holding_two_roles_gets_both(world):
    from people.factories import MembershipFactory
    from people.models import Membership

    employee = world.users["employee"]
    MembershipFactory(user=employee, agency=world.agency, role=Membership.Role.LASO)
    employee.refresh_from_db()
    assert visible(employee) == set(Person.objects.filter(agency=world.agency).values_list("pk", flat=True))


def _request(world, key, agency="own"):
    user = world.users[key]
    return SimpleNamespace(user=user, agency={"own": world.agency, "foreign": world.foreign_agency, None: None}[agency])


def test_get_managed_or_404_reaches_only_the_agency_the_request_acts_in(world):
    request = _request(world, "leds_rep")
    assert get_managed_or_404(Person, request, pk=world.target.pk) == world.target
    assert acts_in_agency(request, world.target)
    for pk in (world.foreign_person.pk, 0):
        with pytest.raises(Http404):
            get_managed_or_404(Person.objects.select_related("agency"), request, pk=pk)
    assert not acts_in_agency(request, world.foreign_person)


def test_a_state_auditor_reads_everywhere_but_manages_nothing_outside_the_agency_acted_in(world):
    request = _request(world, "state_auditor", agency="foreign")
    assert Person.objects.for_user(request.user).filter(pk=world.target.pk).exists()
    with pytest.raises(Http404):
        get_managed_or_404(Person, request, pk=world.target.pk)
    assert not acts_in_agency(request, world.target)
    nowhere = _request(world, "leds_rep", agency=None)
    assert not Person.objects.managed_by(nowhere).exists() and not acts_in_agency(nowhere, world.target)
