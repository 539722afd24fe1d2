"""Services of validations: assignment and e-mail, review, contacts, outcomes, certification, amendments."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from certification.factories import CertificationResultFactory
from notifications.models import OutboxMessage
from people.factories import PersonFactory, UserFactory
from validations import services
from validations.factories import (
    ContactLogFactory,
    RegisteredEntryFactory,
    ValidationCycleFactory,
    ValidationEntryFactory,
    record_type,
)
from validations.models import ContactLog, CycleAmendment, ValidationEntry

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 10)


def certified_validator(agency, **kwargs):
    person = PersonFactory(agency=agency, user=UserFactory(), email="validator@example.org", **kwargs)
    CertificationResultFactory(person=person, passed_on=datetime.date(2025, 6, 1))
    return person


@pytest.fixture
def cycle(agency):
    return ValidationCycleFactory(agency=agency)


def test_r_va_4_assignment_to_a_certified_validator_queues_one_email(cycle, agency, today, world):
    validator = certified_validator(agency)
    entries = ValidationEntryFactory.create_batch(3, cycle=cycle)
    ids = [e.pk for e in entries]
    assert services.assign_entries(cycle_id=cycle.pk, entry_ids=ids, validator=validator,
                                   actor=world.users["leds_rep"], today=today) == 3
    assert set(ValidationEntry.objects.filter(validator=validator).values_list("pk", flat=True)) == set(ids)
    message = OutboxMessage.objects.get()
    assert message.to == ["validator@example.org"]
    assert (message.context["count"], message.template) == (3, "email/validations/assignment")
    # the same assignment again (a retried request) queues nothing twice
    services.assign_entries(cycle_id=cycle.pk, entry_ids=ids, validator=validator, actor=None, today=today)
    assert OutboxMessage.objects.count() == 1
    assert entries[0].history.first().history_change_reason == f"Assigned to {validator}"


def test_r_va_4_uncertified_staff_cannot_be_assigned(cycle, agency, today):
    person = PersonFactory(agency=agency, user=UserFactory())
    entry = ValidationEntryFactory(cycle=cycle)
    with pytest.raises(ValidationError, match="LEDS-certified"):
        services.assign_entries(cycle_id=cycle.pk, entry_ids=[entry.pk], validator=person, actor=None, today=today)


def test_staff_of_another_agency_cannot_be_assigned(cycle, world, today):
    outsider = certified_validator(world.foreign_agency)
    entry = ValidationEntryFactory(cycle=cycle)
    with pytest.raises(ValidationError, match="not on the staff"):
        services.assign_entries(cycle_id=cycle.pk, entry_ids=[entry.pk], validator=outsider, actor=None, today=today)


def test_r_va_4_outcome_without_required_contact_is_refused_naming_the_rule(cycle):
    entry = ValidationEntryFactory(cycle=cycle, record_type=record_type("EM"))
    with pytest.raises(ValidationError) as error:
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON,
                                   actor=None)
    assert "R-VA-4" in error.value.message_dict["outcome"][0]
    services.add_contact(entry_id=entry.pk, contacted_on=ON, who="Reporting party", method="phone",
                         result="Still missing", actor=None)
    entry = services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON,
                                       actor=None)
    assert entry.outcome == "validated"


def test_property_record_needs_no_contact_but_a_review(cycle):
    entry = ValidationEntryFactory(cycle=cycle, record_type=record_type("EG"))
    with pytest.raises(ValidationError, match="case file"):
        services.record_validation(entry_id=entry.pk, is_reviewed=False, outcome="validated", outcome_on=ON,
                                   actor=None)
    services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON, actor=None)


@pytest.mark.parametrize(("outcome", "message"), [("modified", "what changed"), ("retained", "reason")])
def test_modified_and_retained_need_their_detail(cycle, outcome, message):
    entry = ValidationEntryFactory(cycle=cycle, record_type=record_type("EG"))
    with pytest.raises(ValidationError, match=message):
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome=outcome, outcome_on=ON, actor=None)


def test_r_va_2_outcome_updates_the_register(cycle, agency):
    register = RegisteredEntryFactory(agency=agency, record_type=record_type("EW"), dte=datetime.date(2026, 8, 20))
    entry = ValidationEntryFactory(cycle=cycle, registered_entry=register, nic=register.nic)
    ContactLogFactory(entry=entry)
    services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON, actor=None)
    register.refresh_from_db()
    assert (register.last_validated_on, register.next_due_on) == (ON, datetime.date(2027, 11, 10))
    services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="cancelled", outcome_on=ON, actor=None)
    register.refresh_from_db()
    assert (register.cancelled_on, register.next_due_on) == (ON, None)


def test_a_contact_an_outcome_rests_on_cannot_be_voided(cycle):
    entry = ValidationEntryFactory(cycle=cycle)
    contact = ContactLogFactory(entry=entry)
    services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON, actor=None)
    with pytest.raises(ValidationError, match="R-VA-4"):
        services.void_contact(contact_id=contact.pk, reason="typo", actor=None)
    ContactLogFactory(entry=entry)
    services.void_contact(contact_id=contact.pk, reason="wrong entry", actor=None)
    assert ContactLog.objects.get(pk=contact.pk).void_reason == "wrong entry"


def _finish(cycle):
    for entry in cycle.entries.all():
        ContactLogFactory(entry=entry)
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="validated", outcome_on=ON,
                                   actor=None)


def test_r_va_3_certify_only_when_every_entry_has_an_outcome_then_read_only(cycle, world):
    rep = world.users["leds_rep"]
    ValidationEntryFactory.create_batch(2, cycle=cycle)
    with pytest.raises(ValidationError, match="2 of 2 entries have no outcome"):
        services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="LEDS Representative", signed_on=ON,
                               actor=rep)
    _finish(cycle)
    certified = services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="LEDS Representative",
                                       signed_on=datetime.date(2026, 11, 20), actor=rep)
    assert certified.is_certified and certified.certified_by == rep
    entry = cycle.entries.first()
    with pytest.raises(ValidationError, match="amendment"):
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome="cancelled", outcome_on=ON,
                                   actor=rep)
    with pytest.raises(ValidationError, match="read-only"):
        services.add_contact(entry_id=entry.pk, contacted_on=ON, who="x", method="phone", result="y", actor=rep)
    with pytest.raises(ValidationError, match="read-only"):
        services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="Rep", signed_on=ON, actor=rep)


def test_r_va_3_a_correction_after_certification_is_a_logged_amendment(cycle, world):
    rep = world.users["leds_rep"]
    ValidationEntryFactory(cycle=cycle)
    _finish(cycle)
    services.certify_cycle(cycle_id=cycle.pk, name="Pat Rep", title="LEDS Representative", signed_on=ON, actor=rep)
    entry = cycle.entries.get()
    with pytest.raises(ValidationError):
        services.amend_entry(entry_id=entry.pk, outcome="cancelled", outcome_detail="", outcome_on=ON, reason="",
                             actor=rep, amended_on=ON)
    amendment = services.amend_entry(entry_id=entry.pk, outcome="cancelled", outcome_detail="",
                                     outcome_on=datetime.date(2026, 12, 5), reason="Warrant recalled after filing",
                                     actor=rep, amended_on=datetime.date(2026, 12, 5))
    assert CycleAmendment.objects.get() == amendment
    assert "Validated unchanged on Nov 10, 2026 → Cancelled (removed from LEDS) on Dec 5, 2026" in amendment.changes
    entry.refresh_from_db()
    assert entry.outcome == "cancelled"
    assert entry.history.first().history_change_reason == "Amendment: Warrant recalled after filing"
    cycle.refresh_from_db()
    assert cycle.certified_on == ON  # the certification stands


def test_procedure_upload_keeps_versions_and_refuses_other_types(agency, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from validations.selectors import current_procedure

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="PDF or Word"):
        services.upload_procedure(agency=agency, title="", version="1", effective_on=ON,
                                  upload=SimpleUploadedFile("proc.exe", b"MZ"), actor=None)
    services.upload_procedure(agency=agency, title="", version="1", effective_on=datetime.date(2025, 1, 1),
                              upload=SimpleUploadedFile("proc.pdf", b"%PDF-1.4 v1"), actor=None)
    second = services.upload_procedure(agency=agency, title="Validation procedure", version="2", effective_on=ON,
                                       upload=SimpleUploadedFile("proc.pdf", b"%PDF-1.4 v2"), actor=None)
    assert current_procedure(agency=agency, on=ON) == second
    assert current_procedure(agency=agency, on=datetime.date(2026, 1, 1)).version == "1"
    with pytest.raises(ValidationError):
        services.upload_procedure(agency=agency, title="", version="2", effective_on=ON,
                                  upload=SimpleUploadedFile("proc.pdf", b"%PDF"), actor=None)


def test_demo_seed_shows_a_certified_list_and_one_in_progress(db, settings, tmp_path):
    from accounts.models import User
    from demo.seed import seed_demo
    from validations.selectors import current_cycle

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=12,
                     today=datetime.date(2026, 11, 23))
    agency = demo.agencies[0]
    cycles = list(agency.validation_cycles.order_by("received_on"))
    assert [c.is_certified for c in cycles] == [True, False]
    state = current_cycle(cycles=agency.validation_cycles.all(), today=datetime.date(2026, 11, 23))
    assert state.cycle == cycles[1] and 0 < state.done_count < state.entry_count
    assert agency.validation_procedures.count() == 1


def _procedure(agency, version, effective_on):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.upload_procedure(agency=agency, title="Validation procedure", version=version,
                                     effective_on=effective_on,
                                     upload=SimpleUploadedFile("proc.pdf", f"%PDF-1.4 v{version}".encode()),
                                     actor=None)


def test_voiding_a_procedure_version_keeps_it_and_steps_back_to_the_previous(agency, world, settings, tmp_path):
    from validations.models import ProcedureDocument
    from validations.selectors import current_procedure

    settings.MEDIA_ROOT = tmp_path
    first = _procedure(agency, "1", datetime.date(2025, 1, 1))
    second = _procedure(agency, "2", datetime.date(2026, 1, 1))
    assert current_procedure(agency=agency, on=ON) == second
    actor = world.users["leds_rep"]
    voided = services.void_procedure(procedure_id=second.pk, reason="Uploaded the draft by mistake", actor=actor)
    assert (voided.voided_by, voided.void_reason) == (actor, "Uploaded the draft by mistake")
    assert voided.voided_at is not None
    assert current_procedure(agency=agency, on=ON) == first  # the voided version is never in effect
    assert ProcedureDocument.objects.filter(pk=second.pk).exists()  # never deleted
    latest = voided.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Voided: Uploaded the draft by mistake", actor)
    # the version number is free again for the corrected upload
    assert _procedure(agency, "2", datetime.date(2026, 1, 1)).version == "2"


def test_voiding_a_procedure_needs_a_reason_and_happens_once(agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _procedure(agency, "1", datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.void_procedure(procedure_id=document.pk, reason="   ", actor=None)
    assert "Say why" in error.value.message_dict["reason"][0]
    services.void_procedure(procedure_id=document.pk, reason="Wrong agency's file", actor=None)
    with pytest.raises(ValidationError, match="already voided"):
        services.void_procedure(procedure_id=document.pk, reason="Again", actor=None)
    document.refresh_from_db()
    assert document.void_reason == "Wrong agency's file"
