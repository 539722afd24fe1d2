import datetime

import pytest
from django.urls import reverse

from people.factories import PersonFactory
from people.models import Person


def test_roster_search_sort_and_paginate(world, login, settings):
    settings.LEDS_ROSTER_PAGE_SIZE = 5
    for index in range(12):
        PersonFactory(agency=world.agency, last_name=f"Zimmer{index:02d}", first_name="Pat")
    client = login(world.users["leds_rep"])
    response = client.get(reverse("people:roster"), {"q": "zimmer", "sort": "-name"})
    assert response.status_code == 200
    names = [p.last_name for p in response.context["page"].object_list]
    assert names == ["Zimmer11", "Zimmer10", "Zimmer09", "Zimmer08", "Zimmer07"]
    assert response.context["page"].paginator.count == 12
    page3 = client.get(reverse("people:roster"), {"q": "zimmer", "sort": "-name", "page": 3})
    assert [p.last_name for p in page3.context["page"].object_list] == ["Zimmer01", "Zimmer00"]


def test_roster_htmx_request_gets_the_table_partial(world, login):
    client = login(world.users["leds_rep"])
    response = client.get(reverse("people:roster"), {"q": "Tester"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert 'id="roster-q"' not in response.content.decode()
    assert "Tester" in response.content.decode()


def test_roster_never_lists_another_agencys_people(world, login):
    client = login(world.users["foreign"])
    body = client.get(reverse("people:roster")).content.decode()
    assert "Elsewhere" in body
    assert "Outside" not in body and "Tester, Supervisor" not in body


def test_empty_search_shows_an_empty_state(world, login):
    client = login(world.users["leds_rep"])
    body = client.get(reverse("people:roster"), {"q": "nobody-has-this-name"}).content.decode()
    assert "Nobody matches this search" in body


def test_add_person_keeps_input_on_error_and_saves_with_history(world, login):
    client = login(world.users["leds_rep"])
    url = reverse("people:create")
    bad = client.post(url, {"employee_id": "E-77", "last_name": "Rivera", "first_name": "",
                            "assigned_on": "2026-13-45", "role_tier": "2", "status": "active"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert 'value="Rivera"' in body and "Enter a valid date" in body
    good = client.post(url, {"employee_id": "E-77", "last_name": "Rivera", "first_name": "Ana",
                             "assigned_on": "2026-10-01", "role_tier": "2", "status": "active"})
    person = Person.objects.get(agency=world.agency, employee_id="E-77")
    assert good.status_code == 302 and good.url == reverse("people:detail", args=[person.pk])
    record = person.history.get()
    assert record.history_user == world.users["leds_rep"] and record.history_change_reason == "Person added"


def test_duplicate_employee_id_is_refused_with_a_message(world, login):
    client = login(world.users["leds_rep"])
    existing = world.people["employee"].employee_id
    response = client.post(reverse("people:create"), {"employee_id": existing, "last_name": "Dup",
                                                      "first_name": "Li", "assigned_on": "2026-01-01",
                                                      "role_tier": "2", "status": "active"})
    assert response.status_code == 200
    assert f"Employee ID {existing} is already used in this agency." in response.content.decode()


def test_supervisor_loop_is_refused(world, login):
    client = login(world.users["leds_rep"])
    supervisor = world.people["supervisor"]
    employee = world.people["employee"]
    response = client.post(reverse("people:edit", args=[supervisor.pk]), {
        "employee_id": supervisor.employee_id, "last_name": supervisor.last_name,
        "first_name": supervisor.first_name, "assigned_on": "2025-01-06", "role_tier": "2",
        "status": "active", "supervisor": employee.pk})
    assert response.status_code == 200
    assert "loop" in response.content.decode()
    supervisor.refresh_from_db()
    assert supervisor.supervisor_id is None


def test_separate_person_needs_confirmation_keeps_the_record_and_stops_sign_in(world, login):
    client = login(world.users["leds_rep"])
    person = world.people["employee"]
    url = reverse("people:separate", args=[person.pk])
    assert "Confirm separation" in client.get(url).content.decode()
    missing_reason = client.post(url, {"separated_on": "2026-11-20", "reason": ""})
    assert missing_reason.status_code == 200
    response = client.post(url, {"separated_on": "2026-11-20", "separated_time": "", "reason": "Resigned"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Person.Status.SEPARATED
    local = person.separated_at.astimezone(world.agency.zone)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 11, 20), 23, 59)
    assert person.history.first().history_change_reason == "Separated: Resigned"
    person.user.refresh_from_db()
    assert person.user.is_active is False


def test_roster_export_csv_and_xlsx(world, login):
    client = login(world.users["leds_rep"])
    csv_body = client.get(reverse("people:roster_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("employee_id,last_name,first_name")
    assert world.people["employee"].employee_id in csv_body
    assert "Elsewhere" not in csv_body
    xlsx = client.get(reverse("people:roster_export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_agency_page_lists_role_holders_from_memberships(world, login):
    client = login(world.users["employee"])
    body = client.get(reverse("people:agency")).content.decode()
    assert "LEDS Representative" in body and world.users["leds_rep"].get_full_name() in body


def test_state_auditor_switches_agency_and_changes_nothing(world, login):
    client = login(world.users["state_auditor"])
    response = client.post(reverse("people:agency_select", args=[world.foreign_agency.pk]))
    assert response.status_code == 302
    body = client.get(reverse("people:roster")).content.decode()
    assert "Elsewhere" in body
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:edit", args=[world.foreign_person.pk]), {}).status_code == 403


@pytest.mark.parametrize("key", ["leds_rep", "employee", "state_auditor"])
def test_home_page_names_the_agency(world, login, key):
    body = login(world.users[key]).get(reverse("home")).content.decode()
    assert "LEDS Admin" in body


def test_a_new_person_starts_pending_on_the_add_form(world, login):
    """Issue 22: a new hire has no access to suspend; the form offers "pending" until access is granted."""
    client = login(world.users["leds_rep"])
    body = client.get(reverse("people:create")).content.decode()
    assert '<option value="pending" selected>' in body
