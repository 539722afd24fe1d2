"""Reads of in-house classes (R-CE-5): roster suggestions from the engine, the unrecorded passes, query counts."""

import datetime

import pytest

from certification import selectors, services
from certification.factories import CertificationClassFactory, CertificationResultFactory, EnrollmentFactory
from certification.rules import RECORDED_IN_LEDS
from common.reference_data import ensure_reference_data
from compliance.models import RuleSetting
from people.factories import PersonFactory
from people.scoping import get_access
from tests.conftest import refresh_compliance

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def rep(world):
    return world.users["leds_rep"]


def test_r_ce_5_suggestions_come_from_the_engine_soonest_due_first(world):
    agency = world.agency
    certification_class = CertificationClassFactory(agency=agency, held_on=datetime.date(2026, 12, 8))
    # everyone of the World was assigned 2025-01-06 and has no pass: initial certification overdue since 2025-07-07
    new_hire = PersonFactory(agency=agency, last_name="Newhire", assigned_on=datetime.date(2026, 10, 1))  # open
    expiring = PersonFactory(agency=agency, last_name="Expiring", assigned_on=datetime.date(2020, 1, 6))
    CertificationResultFactory(person=expiring, passed_on=datetime.date(2025, 1, 10))  # due 2027-01-10: due soon
    certified = PersonFactory(agency=agency, last_name="Certified", assigned_on=datetime.date(2020, 1, 6))
    CertificationResultFactory(person=certified, passed_on=datetime.date(2026, 3, 1))  # done until 2028
    PersonFactory(agency=agency, last_name="Physical", role_tier=1)  # tier 1 needs no certification
    enrolled = PersonFactory(agency=agency, last_name="Enrolled", assigned_on=datetime.date(2024, 1, 2))
    EnrollmentFactory(certification_class=certification_class, person=enrolled)
    PersonFactory(agency=world.foreign_agency, last_name="Foreigner", assigned_on=datetime.date(2024, 1, 2))
    refresh_compliance(TODAY)  # the refresh worker's run after the commit

    candidates, total = selectors.roster_candidates(certification_class=certification_class, today=TODAY)

    names = [c.person.last_name for c in candidates]
    assert "Certified" not in names and "Physical" not in names and "Enrolled" not in names
    assert "Foreigner" not in names
    assert names[-2:] == ["Expiring", "Newhire"]  # due 2027-01-10, then 2027-04-01
    by_name = {c.person.last_name: c for c in candidates}
    assert (by_name["Expiring"].obligation, by_name["Expiring"].status) == ("recertification", "due_soon")
    assert (by_name["Newhire"].obligation, by_name["Newhire"].status) == ("initial_certification", "open")
    assert by_name["Tester"].status == "overdue"  # the World's people, overdue, come first
    dues = [c.due for c in candidates]
    assert dues == sorted(dues)
    pks = [c.person.pk for c in candidates]
    assert len(pks) == len(set(pks))  # a person owing both obligations is offered once
    assert new_hire.pk in {c.person.pk for c in candidates}
    assert total == len(candidates)
    first_two, total = selectors.roster_candidates(certification_class=certification_class, today=TODAY, limit=2)
    assert first_two == candidates[:2] and total == len(candidates)


def test_r_ce_5_a_pass_in_the_class_removes_the_person_from_suggestions(world, rep):
    certification_class = CertificationClassFactory(agency=world.agency, held_on=TODAY)
    other = CertificationClassFactory(agency=world.agency, held_on=datetime.date(2027, 1, 12))
    person = PersonFactory(agency=world.agency, assigned_on=datetime.date(2024, 1, 2))
    (enrollment,) = services.enroll_people(class_id=certification_class.pk, people=[person], actor=rep, today=TODAY)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=TODAY)
    refresh_compliance(TODAY)
    offered = {c.person.pk for c in selectors.roster_candidates(certification_class=other, today=TODAY)[0]}
    assert person.pk not in offered


def test_r_ce_5_suggestions_note_another_pending_class(world):
    later = CertificationClassFactory(agency=world.agency, held_on=datetime.date(2027, 1, 12))
    sooner = CertificationClassFactory(agency=world.agency, held_on=datetime.date(2026, 12, 8))
    EnrollmentFactory(certification_class=sooner, person=world.target)
    refresh_compliance(TODAY)
    candidate = next(c for c in selectors.roster_candidates(certification_class=later, today=TODAY)[0]
                     if c.person == world.target)
    assert candidate.other_class_on == datetime.date(2026, 12, 8)


def _pass(certification_class, rep, **person):
    enrollment = EnrollmentFactory(certification_class=certification_class, **person)
    services.record_class_result(enrollment_id=enrollment.pk, attendance="attended", result="pass", score=90,
                                 level=None, actor=rep, today=certification_class.held_on)
    return enrollment


def test_r_ce_5_unrecorded_passes_oldest_first_flagged_past_the_rule_days(world, rep):
    five_days = CertificationClassFactory(agency=world.agency, held_on=TODAY - datetime.timedelta(days=5))
    six_days = CertificationClassFactory(agency=world.agency, held_on=TODAY - datetime.timedelta(days=6))
    on_edge = _pass(five_days, rep)
    past_edge = _pass(six_days, rep)
    recorded = _pass(six_days, rep)
    services.set_recorded_in_leds(enrollment_id=recorded.pk, is_recorded=True, actor=rep)
    failed = EnrollmentFactory(certification_class=six_days)
    services.record_class_result(enrollment_id=failed.pk, attendance="attended", result="fail", score=50,
                                 level=None, actor=rep, today=TODAY)

    passes, days = selectors.unrecorded_passes(user=rep, agency=world.agency, today=TODAY)

    assert days == 5  # the rule table's default (R-CE-5)
    assert [(e.pk, e.days_waiting, e.is_late) for e in passes] == [(past_edge.pk, 6, True), (on_edge.pk, 5, False)]


def test_r_ce_5_the_flag_follows_the_rule_table(world, rep):
    RuleSetting.objects.filter(obligation=RECORDED_IN_LEDS).update(period_value=10)
    certification_class = CertificationClassFactory(agency=world.agency, held_on=TODAY - datetime.timedelta(days=6))
    _pass(certification_class, rep)
    passes, days = selectors.unrecorded_passes(user=rep, agency=world.agency, today=TODAY)
    assert days == 10 and not passes[0].is_late


def test_r_ce_5_the_rule_row_is_reference_data():
    RuleSetting.objects.filter(obligation=RECORDED_IN_LEDS).delete()
    assert selectors.leds_recording_days() == 5  # no row: the RULES.md default
    ensure_reference_data()
    setting = RuleSetting.objects.get(obligation=RECORDED_IN_LEDS)
    assert (setting.rule_id, setting.period_value, setting.period_unit) == ("R-CE-5", 5, "days")


def test_unrecorded_passes_are_scoped(world, rep):
    certification_class = CertificationClassFactory(agency=world.agency, held_on=TODAY - datetime.timedelta(days=2))
    _pass(certification_class, rep, person=world.target)
    _pass(certification_class, rep, person=world.outsider)
    supervisor_sees, _ = selectors.unrecorded_passes(user=world.users["supervisor"], agency=world.agency, today=TODAY)
    foreign_sees, _ = selectors.unrecorded_passes(user=world.users["foreign"], agency=world.agency, today=TODAY)
    assert [e.person for e in supervisor_sees] == [world.target]
    assert foreign_sees == []


@pytest.mark.parametrize("size", [10, 60])
def test_class_reads_take_a_fixed_number_of_queries(world, rep, size, django_assert_num_queries):
    agency = world.agency
    certification_class = CertificationClassFactory(agency=agency, held_on=TODAY, capacity=size)
    past = CertificationClassFactory(agency=agency, held_on=TODAY - datetime.timedelta(days=9), capacity=size)
    people = [PersonFactory(agency=agency, assigned_on=datetime.date(2024, 1, 2)) for _ in range(size)]
    for person in people[: size // 2]:
        _pass(past, rep, person=person)
    services.enroll_people(class_id=certification_class.pk, people=people[size // 2:], actor=rep, today=TODAY)
    refresh_compliance(TODAY)  # the refresh worker's run after the commit
    get_access(rep)  # resolved once per request by the middleware
    with django_assert_num_queries(1):
        assert len(selectors.class_roster(certification_class=certification_class)) == size - size // 2
    with django_assert_num_queries(2):  # the rule's days + the passes
        passes, _ = selectors.unrecorded_passes(user=rep, agency=agency, today=TODAY)
    assert len(passes) == size // 2
    with django_assert_num_queries(3):  # count + obligations + other rosters; it never recomputes (issue 23)
        selectors.roster_candidates(certification_class=certification_class, today=TODAY)
