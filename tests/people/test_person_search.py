"""The person picker (issue 23): a search field fed by people:search, never a <select> of the whole agency."""

import re

from django.urls import reverse

from people.factories import PersonFactory
from people.models import Person


def _options(body: str) -> list[str]:
    return re.findall(r'data-value="(\d+)"', body)


def test_search_returns_at_most_20_matches_of_the_users_agency_only(world, login):
    PersonFactory.create_batch(25, agency=world.agency, last_name="Smithers")
    foreign = PersonFactory(agency=world.foreign_agency, last_name="Smithers")
    client = login(world.users["leds_rep"])
    response = client.get(reverse("people:search"), {"q": "smith"})
    options = _options(response.content.decode())
    assert response.status_code == 200 and len(options) == 20
    assert str(foreign.pk) not in options
    assert "Type more" in response.content.decode()
    assert _options(client.get(reverse("people:search"), {"q": ""}).content.decode()) == []


def test_search_is_scoped_like_every_read_and_by_the_named_scope(world, login):
    from django.utils import timezone

    separated = PersonFactory(agency=world.agency, last_name="Gone", status=Person.Status.SEPARATED,
                              separated_at=timezone.now())
    employee = login(world.users["employee"])
    assert _options(employee.get(reverse("people:search"), {"q": "Outside"}).content.decode()) == []  # not theirs
    rep = login(world.users["leds_rep"])
    assert _options(rep.get(reverse("people:search"), {"q": "Gone"}).content.decode()) == [str(separated.pk)]
    assert _options(rep.get(reverse("people:search"), {"q": "Gone", "scope": "active"}).content.decode()) == []
    assert _options(rep.get(reverse("people:search"), {"q": "Gone", "scope": "nonsense"}).content.decode()) == []
    supervisor = world.people["supervisor"]
    found = _options(rep.get(reverse("people:search"), {"q": "Tester", "scope": "supervisors"}).content.decode())
    assert found == [str(supervisor.pk)]
    by_id = _options(rep.get(reverse("people:search"), {"q": world.target.employee_id}).content.decode())
    assert by_id == [str(world.target.pk)]


def test_person_form_renders_only_the_chosen_supervisor_and_posts_the_same_field(world, login):
    PersonFactory.create_batch(30, agency=world.agency)
    client = login(world.users["leds_rep"])
    body = client.get(reverse("people:edit", args=[world.target.pk])).content.decode()
    assert "<select" not in body.split('id="id_supervisor"')[0].rsplit("<label", 1)[-1]
    supervisor = world.people["supervisor"]
    assert f'name="supervisor" value="{supervisor.pk}"' in body  # the chosen one, nobody else
    assert body.count("data-value=") == 0 and "data-person-search" in body
    other = world.people["laso"]
    response = client.post(reverse("people:edit", args=[world.target.pk]), {
        "employee_id": world.target.employee_id, "last_name": "Tester", "first_name": "Employee",
        "email": "", "position": "", "supervisor": other.pk, "assigned_on": "2025-01-06", "role_tier": 2,
        "status": "active"})
    assert response.status_code == 302
    world.target.refresh_from_db()
    assert world.target.supervisor_id == other.pk


def test_incident_form_picks_several_people_as_ticked_checkboxes(world, login):
    client = login(world.users["leds_rep"])
    page = client.get(reverse("certification:incident_create")).content.decode()
    assert "data-multiple" in page and 'name="people" value=' not in page  # nobody chosen yet, nobody listed
    people = [world.target.pk, world.outsider.pk]
    response = client.post(reverse("certification:incident_create"),
                           {"occurred_on": "2026-11-01", "summary": "", "people": people})
    body = response.content.decode()
    assert response.status_code == 200  # the summary is missing: the chosen people stay ticked
    assert all(f'name="people" value="{pk}"' in body for pk in people)
