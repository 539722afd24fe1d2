"""The admin of validations: the MKE table is editable; the records are only viewed, searched by NIC, never
deleted (R-VA-3, R-VA-4)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.factories import UserFactory
from validations import services
from validations.factories import (
    ContactLogFactory,
    RegisteredEntryFactory,
    ValidationCycleFactory,
    ValidationEntryFactory,
    record_type,
)
from validations.models import RecordType, ValidationEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_mke_table_is_edited_in_the_admin_but_never_deleted(admin_client):
    boat = record_type("EB")
    url = reverse("admin:validations_recordtype_change", args=[boat.pk])
    response = admin_client.post(url, {"mke": "EB", "name": "Boat or vessel", "is_active": "on"})
    assert response.status_code == 302
    boat.refresh_from_db()
    assert (boat.name, boat.is_person_record) == ("Boat or vessel", False)
    assert boat.history.first().history_user.username == "root"
    delete = admin_client.post(reverse("admin:validations_recordtype_delete", args=[boat.pk]), {"post": "yes"})
    assert delete.status_code == 403 and RecordType.objects.filter(pk=boat.pk).exists()


def test_entries_are_searched_by_nic_and_only_viewed(admin_client, agency):
    wanted = ValidationEntryFactory(cycle=ValidationCycleFactory(agency=agency), nic="W123456789")
    ValidationEntryFactory(cycle=wanted.cycle, nic="V987654321", record_type=record_type("EV"))
    changelist = reverse("admin:validations_validationentry_changelist")
    found = admin_client.get(changelist, {"q": "W1234"})
    assert found.status_code == 200
    assert [e.nic for e in found.context["cl"].result_list] == ["W123456789"]
    change = reverse("admin:validations_validationentry_change", args=[wanted.pk])
    assert admin_client.get(change).status_code == 200  # the view page
    assert admin_client.post(change, {"nic": "W000000000"}).status_code == 403
    assert admin_client.get(reverse("admin:validations_validationentry_add")).status_code == 403
    delete = reverse("admin:validations_validationentry_delete", args=[wanted.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ValidationEntry.objects.get(pk=wanted.pk).nic == "W123456789"
    history = reverse("admin:validations_validationentry_history", args=[wanted.pk])
    assert admin_client.get(history).status_code == 200


@pytest.mark.parametrize("model", ["validationcycle", "registeredentry", "contactlog", "cycleamendment",
                                   "proceduredocument"])
def test_every_record_list_opens_searches_and_refuses_delete(admin_client, agency, world, settings, tmp_path, model):
    settings.MEDIA_ROOT = tmp_path
    cycle = ValidationCycleFactory(agency=agency)
    entry = ValidationEntryFactory(cycle=cycle, nic="W123456789", validator=world.target,
                                   is_reviewed_against_case_file=True, outcome="validated",
                                   outcome_on=datetime.date(2026, 11, 10))
    contact = ContactLogFactory(entry=entry)
    registered = RegisteredEntryFactory(agency=agency, nic="W123456789")
    services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="LEDS Representative",
                           signed_on=datetime.date(2026, 11, 20), actor=None)
    amendment = services.amend_entry(entry_id=entry.pk, outcome="modified", outcome_detail="OCA corrected",
                                     outcome_on=datetime.date(2026, 11, 21), reason="Typo in the OCA", actor=None,
                                     amended_on=datetime.date(2026, 11, 21))
    procedure = services.upload_procedure(agency=agency, title="Validation procedure", version="1",
                                           effective_on=datetime.date(2025, 1, 1), actor=None,
                                           upload=SimpleUploadedFile("procedure.pdf", b"%PDF-1.4"))
    obj = {"validationcycle": cycle, "registeredentry": registered, "contactlog": contact,
           "cycleamendment": amendment, "proceduredocument": procedure}[model]
    query = agency.ori if model == "proceduredocument" else "W123456789"
    found = admin_client.get(reverse(f"admin:validations_{model}_changelist"), {"q": query})
    assert found.status_code == 200 and [o.pk for o in found.context["cl"].result_list] == [obj.pk]
    change = admin_client.get(reverse(f"admin:validations_{model}_change", args=[obj.pk]))
    assert change.status_code == 200
    assert "validations/procedures/" not in change.text  # uploaded files only through the scoped download
    assert admin_client.get(reverse(f"admin:validations_{model}_add")).status_code == 403
    delete = reverse(f"admin:validations_{model}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
