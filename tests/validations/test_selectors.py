"""Selectors read whole cycles in a fixed number of queries (HOUSE_STYLE.md), for pages and the audit packet."""

import datetime

import pytest

from people.factories import PersonFactory
from validations import selectors
from validations.factories import ContactLogFactory, ValidationCycleFactory, ValidationEntryFactory
from validations.models import ValidationEntry

pytestmark = pytest.mark.django_db


def _cycles(agency, size):
    validator = PersonFactory(agency=agency)
    for month in (8, 9, 10):
        cycle = ValidationCycleFactory(agency=agency, received_on=datetime.date(2026, month, 3))
        for entry in ValidationEntryFactory.create_batch(size, cycle=cycle, validator=validator):
            ContactLogFactory(entry=entry)
    return validator


@pytest.mark.parametrize("size", [2, 20])
def test_cycles_for_audit_in_four_queries(agency, size, django_assert_num_queries):
    _cycles(agency, size)
    with django_assert_num_queries(4):
        cycles = selectors.cycles_for_audit(agency=agency, start=datetime.date(2026, 9, 1),
                                            end=datetime.date(2026, 10, 31))
        rows = [(c.entry_count, [(e.record_type.mke, e.validator_id, len(e.contacts.all())) for e in c.entries.all()],
                 list(c.amendments.all())) for c in cycles]
    assert [c.received_on.month for c in cycles] == [9, 10]
    assert rows[0][0] == size and len(rows[0][1]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_worklist_page_in_two_queries(agency, size, django_assert_num_queries):
    from django.core.paginator import Paginator

    validator = _cycles(agency, size)
    with django_assert_num_queries(2):
        page = Paginator(selectors.worklist(entries=ValidationEntry.objects.all(), validator=validator), 25).get_page(1)
        [(e.record_type.mke, e.cycle.due_on, e.contact_count) for e in page.object_list]


def test_current_cycle_is_the_oldest_uncertified(agency, today):
    ValidationCycleFactory(agency=agency, received_on=datetime.date(2026, 9, 1))
    older = ValidationCycleFactory(agency=agency, received_on=datetime.date(2026, 8, 1))
    ValidationEntryFactory(cycle=older)
    state = selectors.current_cycle(cycles=agency.validation_cycles.all(), today=today)
    assert state.cycle == older and state.remaining == 1
    assert state.is_at_risk_of_purge  # due 2026-08-31, today 2026-11-23 (R-VA-3)


@pytest.mark.parametrize("size", [2, 20])
def test_r_va_3_worklists_load_whole_agencies_in_one_query(agency, world, size, django_assert_num_queries):
    validator = _cycles(agency, size)  # three lists, every entry assigned to one validator
    cycles = list(agency.validation_cycles.order_by("received_on"))
    other = PersonFactory(agency=agency)
    ValidationEntryFactory(cycle=cycles[2], validator=other, is_reviewed_against_case_file=True,
                           outcome="validated", outcome_on=datetime.date(2026, 10, 20))
    ValidationEntryFactory(cycle=cycles[2])  # unassigned: nobody's worklist
    for entry in ValidationEntry.objects.filter(cycle=cycles[1], validator=validator)[:1]:
        entry.is_reviewed_against_case_file, entry.outcome = True, "validated"
        entry.outcome_on = datetime.date(2026, 9, 20)
        entry.save()
    cycles[0].certified_name, cycles[0].certified_title = "Pat Rep", "LEDS Representative"
    cycles[0].certified_on, cycles[0].certified_at = datetime.date(2026, 9, 1), datetime.datetime.now(datetime.UTC)
    cycles[0].save()  # a certified list is off everyone's worklist
    foreign_cycle = ValidationCycleFactory(agency=world.foreign_agency)
    ValidationEntryFactory(cycle=foreign_cycle, validator=world.foreign_person)
    with django_assert_num_queries(1):
        loaded = selectors.load_worklists([agency.pk])
    assert set(loaded) == {validator.pk, other.pk}
    assert [(c.cycle_pk, c.due_on, c.assigned, c.without_outcome, c.last_outcome_on) for c in loaded[validator.pk]] \
        == [(cycles[1].pk, cycles[1].due_on, size, size - 1, datetime.date(2026, 9, 20)),
            (cycles[2].pk, cycles[2].due_on, size, size, None)]
    assert [(c.cycle_pk, c.without_outcome) for c in loaded[other.pk]] == [(cycles[2].pk, 0)]
    with django_assert_num_queries(1):
        assert set(selectors.load_worklists([agency.pk], person_ids=[other.pk])) == {other.pk}
