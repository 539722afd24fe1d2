"""Pages of validations: import with preview, assignment, worklists, the entry form, certify and amend."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.factories import CertificationResultFactory
from notifications.models import OutboxMessage
from people.factories import PersonFactory, UserFactory
from tests.conftest import refresh_compliance
from validations.factories import (
    ContactLogFactory,
    RegisteredEntryFactory,
    ValidationCycleFactory,
    ValidationEntryFactory,
    record_type,
)
from validations.models import CycleAmendment, ValidationCycle, ValidationEntry

pytestmark = pytest.mark.django_db
LIST = ("NIC,ORI,OCA,MKE,DTE,SUBJECT,OPERATOR\n"
        "W123456789,OR0240200,26-1,EW,2026-08-20,\"DOE, JOHN\",OPR1\n"
        "V223456789,OR0240200,26-2,EV,20260805,2019 HONDA CIVIC,OPR1\n")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_import_in_the_browser_previews_then_confirms(world, login, client):
    login(world.users["leds_rep"])
    upload = SimpleUploadedFile("november.csv", LIST.encode())
    response = client.post(reverse("validations:import"), {"received_on": "2026-11-02", "file": upload})
    assert response.status_code == 200
    assert '2 entries received <time datetime="2026-11-02">Nov 2, 2026</time>' in response.text
    assert 'certification due <time datetime="2026-12-02">Dec 2, 2026</time>' in response.text
    assert not ValidationCycle.objects.exists()  # nothing written before the confirmation
    token = response.context["token"]
    response = client.post(reverse("validations:import_confirm"), {"token": token, "received_on": "2026-11-02"})
    cycle = ValidationCycle.objects.get()
    assert response.status_code == 302 and response.url == reverse("validations:cycle", args=[cycle.pk])
    assert cycle.entries.count() == 2 and cycle.history.first().history_user == world.users["leds_rep"]
    created = cycle.entries.first().history.get()  # written by one INSERT … SELECT (importers._insert_history)
    assert (created.history_type, created.history_user, created.nic) == ("+", world.users["leds_rep"], "W123456789")
    assert created.history_date is not None and created.registered_entry.history.get().history_type == "+"


def test_import_preview_lists_every_error(world, login, client):
    login(world.users["leds_rep"])
    bad = LIST + "W123456789,OR0240200,26-3,EQ,2026-02-30,X,\n"
    response = client.post(reverse("validations:import"),
                           {"received_on": "2026-11-02", "file": SimpleUploadedFile("bad.csv", bad.encode())})
    assert "line 4, column DTE: &quot;2026-02-30&quot; is not a date" in response.text
    assert "line 4, column MKE: &quot;EQ&quot; is not a known MKE" in response.text
    assert "nothing will be imported" in response.text and not response.context["token"]


def _certified_person(agency, **kwargs):
    person = PersonFactory(agency=agency, user=UserFactory(), email="v@example.org", **kwargs)
    CertificationResultFactory(person=person, passed_on=datetime.date(2025, 6, 1))
    return person


def test_bulk_assignment_by_type_and_by_tick(world, login, client):
    cycle = ValidationCycleFactory(agency=world.agency)
    guns = ValidationEntryFactory.create_batch(3, cycle=cycle, record_type=record_type("EG"))
    wanted = ValidationEntryFactory.create_batch(2, cycle=cycle)
    validator = _certified_person(world.agency)
    uncertified = PersonFactory(agency=world.agency, user=UserFactory())
    refresh_compliance()  # the refresh worker's run after the commit: the validator list reads the store (issue 23)
    login(world.users["leds_rep"])
    page = client.get(reverse("validations:cycle", args=[cycle.pk]))
    choices = [pk for pk, _label in page.context["form"].fields["validator"].choices if pk]
    assert validator.pk in [int(str(c)) for c in choices] and uncertified.pk not in [int(str(c)) for c in choices]
    url = reverse("validations:assign", args=[cycle.pk])
    client.post(url, {"validator": validator.pk, "scope": "unassigned", "mke": "EG", "limit": "2"})
    assert ValidationEntry.objects.filter(validator=validator).count() == 2
    client.post(url, {"validator": validator.pk, "scope": "selected", "entries": [wanted[0].pk, guns[2].pk]})
    assert ValidationEntry.objects.filter(validator=validator).count() == 4
    assert OutboxMessage.objects.filter(to=["v@example.org"]).count() == 2
    response = client.post(url, {"validator": validator.pk, "scope": "selected"})
    assert response.status_code == 400 and "Tick at least one entry" in response.text


def test_r_va_4_worklist_queries_do_not_grow_with_the_list(world, login, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    employee = world.people["employee"]
    cycle = ValidationCycleFactory(agency=world.agency)
    login(world.users["employee"])
    client.get(reverse("home"))  # the session's first page also records its second-factor check
    counts = []
    for size in (3, 60):
        ValidationEntryFactory.create_batch(size - cycle.entries.count(), cycle=cycle, validator=employee)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("validations:worklist"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(response.context["page"].object_list) == 50


def test_validator_sees_only_their_own_entries(world, login, client):
    cycle = ValidationCycleFactory(agency=world.agency)
    mine = ValidationEntryFactory(cycle=cycle, validator=world.people["employee"])
    other = ValidationEntryFactory(cycle=cycle, validator=world.people["supervisor"])
    login(world.users["employee"])
    response = client.get(reverse("validations:worklist"))
    assert [e.pk for e in response.context["page"].object_list] == [mine.pk]
    assert client.get(reverse("validations:entry", args=[other.pk])).status_code == 404
    login(world.users["supervisor"])  # the employee is in the supervisor's chain, yet not their entry
    assert client.get(reverse("validations:entry", args=[mine.pk])).status_code == 404


def test_r_va_4_entry_form_refuses_an_outcome_without_a_required_contact(world, login, client):
    entry = ValidationEntryFactory(cycle=ValidationCycleFactory(agency=world.agency), record_type=record_type("EPO"),
                                   validator=world.people["employee"])
    login(world.users["employee"])
    url = reverse("validations:entry", args=[entry.pk])
    data = {"is_reviewed_against_case_file": "on", "outcome": "validated", "outcome_on": "2026-11-20",
            "outcome_detail": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "R-VA-4: this record type needs a contact log entry" in response.text
    response = client.post(reverse("validations:contact_add", args=[entry.pk]),
                           {"who": "Petitioner", "method": "phone", "contacted_on": "2026-11-19",
                            "result": "Order still in force"})
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.outcome, entry.outcome_by) == ("validated", world.users["employee"])


def test_laso_reads_an_entry_but_cannot_record(world, login, client):
    entry = ValidationEntryFactory(cycle=ValidationCycleFactory(agency=world.agency))
    login(world.users["laso"])
    response = client.get(reverse("validations:entry", args=[entry.pk]))
    assert response.status_code == 200 and "outcome-form" not in response.text
    assert client.post(reverse("validations:entry", args=[entry.pk]), {"outcome": ""}).status_code == 403


def _finished_cycle(agency):
    cycle = ValidationCycleFactory(agency=agency)
    for entry in ValidationEntryFactory.create_batch(2, cycle=cycle):
        ContactLogFactory(entry=entry)
    cycle.entries.update(is_reviewed_against_case_file=True, outcome="validated",
                         outcome_on=datetime.date(2026, 11, 10))
    return cycle


def test_r_va_3_certify_then_download_the_pdf_then_amend(world, login, client):
    cycle = _finished_cycle(world.agency)
    login(world.users["leds_rep"])
    url = reverse("validations:certify", args=[cycle.pk])
    response = client.post(url, {"name": "Pat Rep", "title": "LEDS Representative", "signed_on": "2026-11-20"})
    assert response.status_code == 200 and "This field is required" in response.text  # the affirmation
    response = client.post(url, {"name": "Pat Rep", "title": "LEDS Representative", "signed_on": "2026-11-20",
                                 "is_affirmed": "on"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.is_certified
    pdf = client.get(reverse("validations:certification_pdf", args=[cycle.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    entry = cycle.entries.first()
    page = client.get(reverse("validations:entry", args=[entry.pk]))
    assert "outcome-form" not in page.text and "Correct this entry (amendment)" in page.text
    response = client.post(reverse("validations:amend", args=[entry.pk]),
                           {"outcome": "cancelled", "outcome_detail": "", "outcome_on": "2026-12-01",
                            "reason": "Record cancelled after the warrant was recalled"})
    assert response.status_code == 302
    assert CycleAmendment.objects.get().entry == entry
    assert "Record cancelled after the warrant was recalled" in client.get(
        reverse("validations:cycle", args=[cycle.pk])).text


def test_cycle_page_shows_progress_and_purge_risk(world, login, client):
    cycle = ValidationCycleFactory(agency=world.agency, received_on=datetime.date(2026, 9, 1))
    ValidationEntryFactory(cycle=cycle)
    login(world.users["agency_auditor"])
    response = client.get(reverse("validations:cycle", args=[cycle.pk]))
    assert "At risk of purge" in response.text and "assign-form" not in response.text
    assert "<strong>0</strong> validated · <strong>1</strong> remaining" in response.text


def test_dashboard_panel_shows_the_current_cycle(world, login, client):
    cycle = ValidationCycleFactory(agency=world.agency, received_on=datetime.date(2026, 11, 2))
    ValidationEntryFactory(cycle=cycle, validator=world.people["supervisor"])
    login(world.users["laso"])
    response = client.get(reverse("compliance:dashboard"))
    assert "validations-panel" in response.text
    assert 'List received <time datetime="2026-11-02">Nov 2, 2026</time>' in response.text
    login(world.users["supervisor"])
    response = client.get(reverse("compliance:dashboard"))
    assert "1 entry on your validation worklist" in response.text and "List received" not in response.text


def test_register_shows_next_due_dates(world, login, client):
    from compliance.selectors import agency_today

    dte = agency_today(world.agency) - datetime.timedelta(days=70)  # inside the DTE + 60..90 window (R-VA-2)
    RegisteredEntryFactory(agency=world.agency, nic="W100000001", dte=dte)
    RegisteredEntryFactory(agency=world.agency, nic="G100000002", record_type=record_type("EG"),
                           dte=datetime.date(2025, 1, 1), last_validated_on=datetime.date(2025, 3, 15))
    login(world.users["leds_rep"])
    response = client.get(reverse("validations:register"))
    rows = {r.nic: r.status for r in response.context["page"].object_list}
    assert rows["W100000001"].due == dte + datetime.timedelta(days=90) and rows["W100000001"].status == "due_soon"
    assert rows["G100000002"].status == "done"


def test_procedure_upload_and_scoped_download(world, login, client):
    login(world.users["leds_rep"])
    response = client.post(reverse("validations:procedure"),
                           {"title": "Validation procedure", "version": "2026.1", "effective_on": "2026-01-01",
                            "document": SimpleUploadedFile("procedure.pdf", b"%PDF-1.4 procedure")})
    assert response.status_code == 302
    page = client.get(reverse("validations:procedure"))
    document = page.context["current"]
    assert document.version == "2026.1"
    download = client.get(reverse("validations:procedure_download", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 procedure"
    login(world.users["foreign"])
    assert client.get(reverse("validations:procedure_download", args=[document.pk])).status_code == 404
    login(world.users["laso"])
    assert client.post(reverse("validations:procedure"), {}).status_code == 403


def test_r_va_2_an_entry_added_to_the_register_shows_its_first_due_date(world, login, client):
    login(world.users["leds_rep"])
    data = {"nic": "w555000111", "ori": "OR0240200", "oca": "26-77", "record_type": record_type("EM").pk,
            "dte": "2026-11-01", "subject": "BELL, SOPHIE", "operator": "OPR3"}
    assert client.post(reverse("validations:register_add"), data).status_code == 302
    entry = world.agency.registered_entries.get()
    assert (entry.nic, entry.next_due_on) == ("W555000111", datetime.date(2027, 1, 30))
    response = client.post(reverse("validations:register_add"), {**data, "ori": "OR9999999"})
    assert response.status_code == 400 and "holder-of-record" in response.text
    response = client.post(reverse("validations:register_add"), data)
    assert response.status_code == 400 and "already exists" in response.text


def test_outcome_without_review_is_refused_with_the_reason(world, login, client):
    entry = ValidationEntryFactory(cycle=ValidationCycleFactory(agency=world.agency), record_type=record_type("EG"))
    login(world.users["leds_rep"])
    response = client.post(reverse("validations:entry", args=[entry.pk]),
                           {"outcome": "modified", "outcome_on": "", "outcome_detail": ""})
    assert response.status_code == 400
    for message in ("Review the entry against the case file", "Give the date of the outcome", "Say what changed"):
        assert message in response.text
    assert response.context["form"]["outcome"].value() == "modified"  # what the user chose is kept


def test_the_rule_table_names_the_validation_rows(world, login, client):
    login(world.users["leds_rep"])
    response = client.get(reverse("compliance:rules"))
    assert "Validation list certified" in response.text and "R-VA-2" in response.text


def test_procedure_version_voided_from_the_page_after_confirmation(world, login, client):
    from validations.models import ProcedureDocument
    from validations.services import upload_procedure

    document = upload_procedure(agency=world.agency, title="Validation procedure", version="2026.1",
                                effective_on=datetime.date(2026, 1, 1), actor=None,
                                upload=SimpleUploadedFile("procedure.pdf", b"%PDF-1.4 procedure"))
    void_url = reverse("validations:procedure_void", args=[document.pk])
    login(world.users["leds_rep"])
    page = client.get(reverse("validations:procedure"))
    assert void_url in page.text
    confirm = client.get(void_url)
    assert confirm.status_code == 200 and "Void version 2026.1" in confirm.text
    assert not ProcedureDocument.objects.get(pk=document.pk).is_voided  # a GET changes nothing
    refused = client.post(void_url, {"reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.text
    assert client.post(void_url, {"reason": "Superseded draft uploaded by mistake"}).status_code == 302
    page = client.get(reverse("validations:procedure"))
    assert page.context["current"] is None
    row = page.text[page.text.index(f'id="procedure-{document.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "data-voided" in row and "Superseded draft uploaded by mistake" in row
    assert world.users["leds_rep"].username in row or str(world.users["leds_rep"]) in row
    assert void_url not in page.text  # a voided version offers no second void
    again = client.get(void_url)
    assert again.status_code == 302  # already voided: back to the list with a note
    # the other readers see the greyed version but no way to void it
    login(world.users["laso"])
    page = client.get(reverse("validations:procedure"))
    assert "Superseded draft uploaded by mistake" in page.text and void_url not in page.text
