"""The packet's sections fed by the state-system accounts and access reviews (issue 8) and the validations
(issue 11): the right people and entries, another agency's never."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditPacket
from people.factories import PersonFactory
from state_access import services as state_access
from state_access.factories import StateAccountFactory
from tests.audit.test_packet import _build, _text
from validations.factories import ContactLogFactory, ValidationCycleFactory, ValidationEntryFactory
from validations.models import ProcedureDocument

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def accounts(records):
    agency = records.agency
    leaver = PersonFactory(agency=agency, first_name="Grace", last_name="Hopper", employee_id="E-LEAVER")
    account = StateAccountFactory(person=leaver, username="ghopper")
    left_at = timezone.now() - datetime.timedelta(days=20)
    leaver.status, leaver.separated_at = leaver.Status.SEPARATED, left_at
    leaver.save()
    account.status, account.disabled_at = "disabled", left_at + datetime.timedelta(hours=30)  # 6 hours late
    account.save()
    StateAccountFactory(person=records.chief, username="alovelace")
    StateAccountFactory(person=records.foreign_person, username="foreigner")
    review = state_access.start_access_review(agency=agency, actor=records.users["laso"])
    items = {item.pk: "confirmed" for item in review.items.all()}
    state_access.decide_review_items(review=review, decisions=items, actor=records.users["laso"])
    state_access.sign_access_review(review=review, actor=records.users["laso"])
    return records


def test_r_au_1_roster_lists_state_accounts_with_disablement_timing(accounts):
    text = _flat(_text(_build(accounts).file.read()))
    assert "State-system accounts" in text and "Hopper, Grace" in text and "6.0 h LATE" in text
    assert "Lovelace, Ada" in text and "foreigner" not in text and "Elsewhere" not in text
    assert "No state-system accounts are recorded" not in text


def test_r_au_1_access_reviews_section(accounts):
    text = _flat(_text(_build(accounts).file.read()))
    start = text.index("7. Access reviews The annual reviews")
    section = text[start:text.index("8. Account requests to OSP", start)]
    assert "Laso Tester" in section or "laso" in section
    assert "No access review was started" not in section


def test_r_au_1_validations_of_the_last_12_months_with_outcomes_and_contacts(records):
    agency = records.agency
    recent = ValidationCycleFactory(agency=agency, received_on=datetime.date(2026, 6, 1))
    entry = ValidationEntryFactory(cycle=recent, nic="W123456789", oca="26-000777", validator=records.chief,
                                   is_reviewed_against_case_file=True, outcome="validated",
                                   outcome_on=datetime.date(2026, 6, 10))
    ContactLogFactory(entry=entry, who="Victim's mother", result="Confirmed still missing")
    old = ValidationCycleFactory(agency=agency, received_on=datetime.date(2025, 6, 1))  # more than 12 months
    ValidationEntryFactory(cycle=old, nic="W999999999")
    foreign = ValidationCycleFactory(agency=records.foreign_agency, received_on=datetime.date(2026, 6, 1))
    ValidationEntryFactory(cycle=foreign, nic="W555555555")
    packet = _build(records, end=datetime.date(2026, 11, 23))
    assert packet.status == AuditPacket.Status.DONE, packet.error
    text = _flat(_text(packet.file.read()))
    assert "W123456789" in text and "Confirmed still missing" in text and "Validated unchanged" in text
    assert "List received 2026-06-01" in text
    assert "W999999999" not in text and "W555555555" not in text


def test_r_au_1_policies_name_the_validation_procedure(records, settings, tmp_path):
    from django.core.files.base import ContentFile

    procedure = ProcedureDocument(agency=records.agency, version="3.1", effective_on=datetime.date(2025, 1, 1),
                                  original_filename="validation-procedure.pdf", content_type="application/pdf")
    procedure.document.save("p.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    text = _flat(_text(_build(records).file.read()))
    assert "Validation procedure, version 3.1" in text and "validation-procedure.pdf" in text


def test_r_au_1_policies_skip_a_voided_procedure_version(records, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from validations import services

    settings.MEDIA_ROOT = tmp_path

    def upload(version, effective_on, filename):
        return services.upload_procedure(agency=records.agency, title="Validation procedure", version=version,
                                         effective_on=effective_on, actor=None,
                                         upload=SimpleUploadedFile(filename, b"%PDF-1.7\n"))

    upload("3.0", datetime.date(2024, 1, 1), "procedure-3-0.pdf")
    mistaken = upload("3.1", datetime.date(2025, 1, 1), "procedure-3-1-draft.pdf")
    services.void_procedure(procedure_id=mistaken.pk, reason="Draft uploaded by mistake", actor=None)
    text = _flat(_text(_build(records).file.read()))
    start = text.index("2. Policies on file", text.index("3. Personnel roster"))  # past the contents page
    policies = text[start:text.index("3. Personnel roster", start)]
    assert "Validation procedure, version 3.0" in policies and "procedure-3-0.pdf" in policies
    assert "version 3.1" not in policies and "procedure-3-1-draft.pdf" not in policies
    # the void itself is in the change history, with its reason
    assert "Voided: Draft uploaded by mistake" in text[start:]


def test_account_requests_to_osp_are_in_the_packet_with_their_answers(accounts):
    from paperwork import services as paperwork

    person = PersonFactory(agency=accounts.agency, first_name="Kay", last_name="Batch", employee_id="E-OSP")
    requested = StateAccountFactory(person=person, status="requested", username="kbatch")
    foreign = StateAccountFactory(person=PersonFactory(agency=accounts.foreign_agency), status="requested",
                                  username="osp-foreign")
    today = timezone.localdate()
    paperwork.produce_request_batch(agency=accounts.agency, tokens=[f"create:{requested.pk}"],
                                    actor=accounts.users["leds_rep"], today=today)
    paperwork.produce_request_batch(agency=accounts.foreign_agency, tokens=[f"create:{foreign.pk}"],
                                    actor=accounts.users["foreign"], today=today)
    paperwork.record_osp_answer(account=requested, action="create", outcome="rejected", answered_on=today,
                                reason="Name does not match the fingerprint card", actor=accounts.users["leds_rep"])
    text = _flat(_text(_build(accounts).file.read()))
    start = text.index("8. Account requests to OSP and OSP's answers Requests")
    section = text[start:text.index("9. Prior findings", start)]
    assert "Batch, Kay" in section and "kbatch" in section and "Create account" in section
    assert "Rejected" in section and "Name does not match the fingerprint card" in section
    assert "osp-foreign" not in text
