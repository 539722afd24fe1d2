"""Writes mark what they make stale in their own transaction; a Celery task refreshes it; pages never recompute
(issue 23, DESIGN.md "Reads never write")."""

import datetime

from django.urls import reverse

from certification import services as certification_services
from certification.factories import CertificationResultFactory
from certification.models import CertificationLevel
from compliance.models import AgencyComputation, RuleSetting, StaleMark, StoredObligation
from compliance.obligations import refresh_agency
from people.factories import PersonFactory, UserFactory
from tests.conftest import refresh_compliance
from validations import services as validation_services
from validations.factories import ValidationCycleFactory, ValidationEntryFactory

TODAY = datetime.date(2026, 11, 23)


def _marked(agency=None) -> set:
    marks = StaleMark.objects.all() if agency is None else StaleMark.objects.filter(agency=agency)
    return set(marks.values_list("person_id", flat=True))


def test_a_saved_record_marks_its_person_in_the_same_transaction(world):
    refresh_compliance()
    assert not StaleMark.objects.exists()
    level = CertificationLevel.objects.get_or_create(name="Full Access")[0]
    certification_services.record_certification_result(person=world.target, passed_on=TODAY, level=level, score=90,
                                                       actor=world.users["leds_rep"])
    # the test's transaction has not committed: the mark was written alongside the record
    assert _marked(world.agency) == {world.target.pk}
    assert _marked(world.foreign_agency) == set()


def test_an_m2m_change_through_a_service_marks_the_people_it_names(world):
    refresh_compliance()
    certification_services.record_security_incident(
        agency=world.agency, occurred_on=TODAY, summary="Password on a note", people=[world.target, world.outsider],
        actor=world.users["leds_rep"])
    assert {world.target.pk, world.outsider.pk} <= _marked(world.agency)
    refresh_compliance(TODAY)
    stored = StoredObligation.objects.filter(person=world.target, obligation="security_retraining")
    assert list(stored.values_list("status", flat=True)) == ["open"]
    incident = world.target.security_incidents.get()
    incident.people.remove(world.outsider)  # an m2m write anywhere (the admin, the shell) marks too
    assert world.outsider.pk in _marked(world.agency)


def test_a_bulk_update_through_a_service_marks_the_new_and_the_previous_validator(world):
    """assign_entries writes with bulk_update_with_history: no save(), no history signal — it says so itself."""
    cycle = ValidationCycleFactory(agency=world.agency)
    entries = ValidationEntryFactory.create_batch(2, cycle=cycle)
    first, second = (PersonFactory(agency=world.agency, user=UserFactory(), assigned_on=datetime.date(2020, 1, 6))
                     for _ in range(2))
    for person in (first, second):
        CertificationResultFactory(person=person, passed_on=TODAY - datetime.timedelta(days=30))
    actor = world.users["leds_rep"]
    validation_services.assign_entries(cycle_id=cycle.pk, entry_ids=[e.pk for e in entries], validator=first,
                                       actor=actor, today=TODAY)
    refresh_compliance(TODAY)
    assert StoredObligation.objects.filter(person=first, obligation="validation_worklist").exists()
    validation_services.assign_entries(cycle_id=cycle.pk, entry_ids=[e.pk for e in entries], validator=second,
                                       actor=actor, today=TODAY)
    assert {first.pk, second.pk} <= _marked(world.agency)
    refresh_compliance(TODAY)
    worklists = StoredObligation.objects.filter(obligation="validation_worklist")
    assert list(worklists.values_list("person_id", flat=True)) == [second.pk]


def test_a_queryset_update_says_what_it_changed(world):
    """An ``.update()`` sends no signal; the writer sends common.signals.records_changed, inside its transaction."""
    from common.signals import records_changed
    from people.models import Person

    refresh_compliance()
    Person.objects.filter(pk=world.target.pk).update(assigned_on=datetime.date(2026, 11, 1))
    records_changed.send(sender=Person, person_ids=[world.target.pk])
    assert _marked(world.agency) == {world.target.pk}
    refresh_compliance(TODAY)
    due = StoredObligation.objects.get(person=world.target, obligation="initial_certification").due
    assert due == datetime.date(2027, 5, 1)


def test_a_rule_table_edit_marks_every_agency(world):
    from compliance.services import update_rule

    refresh_compliance()
    update_rule(setting=RuleSetting.objects.get(obligation="fingerprints"), data={"period_value": 45},
                actor=world.users["leds_rep"])
    agencies = set(StaleMark.objects.filter(person__isnull=True).values_list("agency_id", flat=True))
    assert {world.agency.pk, world.foreign_agency.pk, world.state_agency.pk} <= agencies


def test_records_import_marks_the_people_it_wrote(world):
    """The records import writes with bulk_create_with_history (no per-row signal)."""
    from certification.importers import apply_records, plan_records

    refresh_compliance()
    person = world.target
    data = (f"employee_id,record,date,level,score,tier\n"
            f"{person.employee_id},certification_passed,2026-11-01,Full Access,91,\n").encode()
    plan = plan_records(agency=world.agency, data=data, filename="records.csv")
    assert plan.ok, plan.errors
    apply_records(plan=plan, actor=world.users["leds_rep"], filename="records.csv")
    assert person.pk in _marked(world.agency)


def test_the_task_is_queued_once_per_transaction_and_clears_the_marks(world):
    from django.db import connection

    refresh_compliance()
    CertificationResultFactory(person=world.target, passed_on=TODAY)
    CertificationResultFactory(person=world.outsider, passed_on=TODAY)
    pending = [func for _sids, func, _robust in connection.run_on_commit if func.__name__ == "_enqueue_refresh"]
    assert len(pending) == 1  # one task per transaction, however many writes
    pending[0]()  # what the commit does: the (eager) Celery task refreshes the marked people
    assert not StaleMark.objects.exists()
    assert StoredObligation.objects.get(person=world.target, obligation="recertification").status == "done"


def test_refresh_is_idempotent_and_a_new_day_recomputes_the_agency(world):
    refresh_compliance(TODAY)
    computed_at = AgencyComputation.objects.get(agency=world.agency).computed_at
    assert refresh_agency(world.agency.pk, TODAY) == 0
    assert AgencyComputation.objects.get(agency=world.agency).computed_at == computed_at  # nothing written
    refresh_agency(world.agency.pk, TODAY + datetime.timedelta(days=1))
    assert set(StoredObligation.objects.filter(agency=world.agency).values_list("computed_for", flat=True)) == {
        TODAY + datetime.timedelta(days=1)}


def test_the_dashboard_reads_what_is_stored_and_says_when(world, login):
    refresh_compliance()
    client = login(world.users["leds_rep"])
    body = client.get(reverse("compliance:dashboard")).content.decode()
    assert "Figures as of" in body and "refreshing" not in body
    CertificationResultFactory(person=world.target, passed_on=TODAY)
    before = StoredObligation.objects.filter(person=world.target).count()
    response = client.get(reverse("compliance:dashboard"))
    assert response.context["data"].freshness.is_pending and "refreshing…" in response.content.decode()
    assert StaleMark.objects.filter(person=world.target).exists()  # the GET left the marks to the worker
    assert StoredObligation.objects.filter(person=world.target).count() == before


def test_a_refresh_in_batches_stores_what_one_pass_stores(world, settings):
    """A large agency (a 100,000-person import) is computed and stored a batch of people at a time, so a worker's
    memory is one batch's (issue 23): the rows and the stored figures are the same as one pass's."""
    from compliance.obligations import refresh

    for n in range(7):
        person = PersonFactory(agency=world.agency, assigned_on=datetime.date(2020, 1, 6 + n))
        if n % 2:
            CertificationResultFactory(person=person, passed_on=TODAY - datetime.timedelta(days=30 * n))
    fields = ("person_id", "obligation", "rule_id", "status", "due", "key", "verdict", "verdict_rank",
              "person_last_name", "satisfied_by")

    def stored():
        rows = sorted(StoredObligation.objects.filter(agency=world.agency).values_list(*fields))
        figures = AgencyComputation.objects.filter(agency=world.agency).values(
            "verdict_counts", "worklist_counts", "overdue_count", "figures").get()
        return rows, figures

    settings.OBLIGATIONS_REFRESH_BATCH = 10_000
    refresh(agency=world.agency, today=TODAY)
    one_pass = stored()
    assert world.agency.people.count() > 9 and len(one_pass[0]) > 50
    settings.OBLIGATIONS_REFRESH_BATCH = 3
    StoredObligation.objects.filter(agency=world.agency).delete()
    refresh(agency=world.agency, today=TODAY)
    assert stored() == one_pass
    # some people in batches too (more marked than one batch holds)
    some = list(world.agency.people.order_by("pk").values_list("pk", flat=True)[:5])
    StoredObligation.objects.filter(person_id__in=some).delete()
    refresh(agency=world.agency, today=TODAY, person_ids=some)
    assert stored() == one_pass
