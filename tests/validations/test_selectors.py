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
