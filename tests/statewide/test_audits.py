"""The triennial audit calendar (R-AU-1): overdue first; the state auditor records an audit from it."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Audit
from people.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_calendar_lists_never_audited_then_overdue_then_next_due(world, login):
    overdue = AgencyFactory(ori="OR0990011", name="Overdue PD")
    later = AgencyFactory(ori="OR0990012", name="Later PD")
    Audit.objects.create(agency=overdue, audited_on=datetime.date(2020, 3, 1))
    Audit.objects.create(agency=later, audited_on=datetime.date(2026, 3, 1))
    response = login(world.users["state_auditor"]).get(reverse("statewide:audits"))
    order = [r.pk for r in response.context["page"].object_list]
    never = [world.agency.pk, world.foreign_agency.pk, world.state_agency.pk]
    assert set(order[:3]) == set(never)
    assert order[3:] == [overdue.pk, later.pk]
    assert response.context["page"].object_list[3].audit_overdue


def test_state_auditor_records_an_audit_through_the_audit_service(world, login):
    client = login(world.users["state_auditor"])
    response = client.post(reverse("statewide:audit_record", args=[world.foreign_agency.pk]),
                           {"audited_on": "2026-11-02", "auditor_name": "J. Auditor"})
    assert response.status_code == 302
    audit = Audit.objects.get(agency=world.foreign_agency)
    assert (audit.audited_on, audit.auditor, audit.auditor_name) == (datetime.date(2026, 11, 2), "osp", "J. Auditor")
    assert audit.history.first().history_change_reason == "Audit recorded"
    assert audit.history.first().history_user == world.users["state_auditor"]
    response = client.get(reverse("statewide:audits"))
    row = next(r for r in response.context["page"].object_list if r.pk == world.foreign_agency.pk)
    assert row.next_audit_on == datetime.date(2029, 11, 2)


def test_a_bad_date_is_refused_and_nothing_recorded(world, login):
    response = login(world.users["state_auditor"]).post(
        reverse("statewide:audit_record", args=[world.agency.pk]), {"audited_on": "13/45/2026"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    response = login(world.users["state_auditor"]).post(
        reverse("statewide:audit_record", args=[world.agency.pk]), {"audited_on": "2099-01-01"})
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not Audit.objects.filter(agency=world.agency).exists()


def test_training_unit_reads_the_calendar_but_records_nothing(world, login):
    client = login(world.users["training_unit"])
    assert client.get(reverse("statewide:audits")).status_code == 200
    response = client.post(reverse("statewide:audit_record", args=[world.agency.pk]), {"audited_on": "2026-11-02"})
    assert response.status_code == 403
    assert not Audit.objects.exists()
