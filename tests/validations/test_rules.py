"""The validation rules at their edges (R-VA-2, R-VA-3, R-VA-4)."""

from datetime import date

import pytest

from compliance.engine import DONE, DUE_SOON, NOT_REQUIRED, OPEN, OVERDUE, Rule
from validations import rules
from validations.defaults import VALIDATION_RULES

RULES = {o: Rule(o, rid, title, value, unit, tuple(sorted(lead, reverse=True)))
         for o, rid, title, value, unit, lead in VALIDATION_RULES}
DTE = date(2026, 1, 15)


@pytest.mark.parametrize(("received_on", "due"), [
    (date(2026, 11, 2), date(2026, 12, 2)),
    (date(2026, 12, 15), date(2027, 1, 14)),
    (date(2028, 2, 1), date(2028, 3, 2)),
], ids=["plain", "across-year", "leap-february"])
def test_r_va_3_certification_due_30_days_after_receipt(received_on, due):
    assert rules.cycle_due_on(received_on, RULES[rules.CERTIFICATION]) == due


def test_r_va_3_due_days_come_from_the_rule_table():
    assert rules.cycle_due_on(date(2026, 11, 2), Rule(rules.CERTIFICATION, "R-VA-3", "", 45)) == date(2026, 12, 17)


@pytest.mark.parametrize(("today", "is_certified", "at_risk"), [
    (date(2026, 12, 2), False, False),
    (date(2026, 12, 3), False, True),
    (date(2026, 12, 3), True, False),
], ids=["on-due-date", "day-after", "certified"])
def test_r_va_3_at_risk_of_purge_from_the_day_after_the_due_date(today, is_certified, at_risk):
    assert rules.is_at_risk_of_purge(due_on=date(2026, 12, 2), is_certified=is_certified, today=today) is at_risk


def test_r_va_2_first_validation_window_is_dte_plus_60_to_90():
    assert rules.first_validation_window(DTE, RULES) == (date(2026, 3, 16), date(2026, 4, 15))


@pytest.mark.parametrize(("last", "is_person", "cancelled", "due"), [
    (None, True, None, date(2026, 4, 15)),
    (None, False, None, date(2026, 4, 15)),
    (date(2026, 4, 1), True, None, date(2027, 4, 1)),
    (date(2026, 4, 1), False, None, None),
    (date(2024, 2, 29), True, None, date(2025, 2, 28)),
    (None, True, date(2026, 3, 1), None),
], ids=["person-first", "property-first", "person-yearly", "property-only-first", "leap-day-clamped", "cancelled"])
def test_r_va_2_next_validation_due_by_record_type(last, is_person, cancelled, due):
    assert rules.next_validation_due(dte=DTE, last_validated_on=last, is_person_record=is_person, rules=RULES,
                                     cancelled_on=cancelled) == due


@pytest.mark.parametrize(("today", "status"), [
    (date(2026, 3, 15), OPEN),       # DTE + 59
    (date(2026, 3, 16), DUE_SOON),   # DTE + 60: the window opens
    (date(2026, 4, 15), DUE_SOON),   # DTE + 90: the last day
    (date(2026, 4, 16), OVERDUE),    # DTE + 91
], ids=["day-59", "day-60", "day-90", "day-91"])
def test_r_va_2_first_validation_status_at_the_window_edges(today, status):
    assert rules.register_status(dte=DTE, last_validated_on=None, is_person_record=False, rules=RULES,
                                 today=today).status == status


@pytest.mark.parametrize(("today", "status"), [
    (date(2027, 3, 1), DONE),
    (date(2027, 3, 2), DUE_SOON),    # 30 lead days before 2027-04-01
    (date(2027, 4, 1), DUE_SOON),
    (date(2027, 4, 2), OVERDUE),
], ids=["before-lead", "lead-opens", "due-day", "day-after"])
def test_r_va_2_person_records_revalidated_every_12_months(today, status):
    assert rules.register_status(dte=DTE, last_validated_on=date(2026, 4, 1), is_person_record=True, rules=RULES,
                                 today=today).status == status


def test_r_va_2_property_records_need_only_the_first_validation():
    result = rules.register_status(dte=DTE, last_validated_on=date(2026, 4, 1), is_person_record=False, rules=RULES,
                                   today=date(2030, 1, 1))
    assert (result.status, result.due) == (DONE, None)


def test_r_va_2_cancelled_records_need_nothing():
    result = rules.register_status(dte=DTE, last_validated_on=None, is_person_record=True, rules=RULES,
                                   today=date(2030, 1, 1), cancelled_on=date(2026, 2, 1))
    assert (result.status, result.label) == (NOT_REQUIRED, "Cancelled")


@pytest.mark.parametrize(("previous", "outcome", "on", "expected"), [
    (None, "validated", date(2026, 4, 1), date(2026, 4, 1)),
    (date(2026, 4, 1), "retained", date(2027, 3, 1), date(2027, 3, 1)),
    (date(2027, 3, 1), "modified", date(2026, 4, 1), date(2027, 3, 1)),
    (date(2026, 4, 1), "cancelled", date(2027, 3, 1), date(2026, 4, 1)),
], ids=["first", "later", "older-kept", "cancel-is-not-a-validation"])
def test_r_va_2_last_validation_moves_with_validating_outcomes(previous, outcome, on, expected):
    assert rules.last_validated_after(previous=previous, outcome=outcome, outcome_on=on) == expected


@pytest.mark.parametrize(("outcome", "required", "contacts", "refused"), [
    ("validated", True, 0, True),
    ("retained", True, 0, True),
    ("validated", True, 1, False),
    ("validated", False, 0, False),
    ("", True, 0, False),
], ids=["required-missing", "retained-missing", "has-contact", "not-required", "no-outcome"])
def test_r_va_4_outcome_without_required_contact_is_refused(outcome, required, contacts, refused):
    message = rules.missing_contact(outcome=outcome, is_contact_required=required, contact_count=contacts)
    assert (message is not None) is refused
    if refused:
        assert message.startswith("R-VA-4")


@pytest.mark.parametrize(("total", "done", "ok"), [(3, 3, True), (3, 2, False), (0, 0, False)])
def test_r_va_3_certify_only_when_every_entry_has_an_outcome(total, done, ok):
    assert rules.can_certify(entry_count=total, with_outcome=done) is ok


# --- the validator's worklist (R-VA-3) ---------------------------------------------------------------------

WORKLIST_DUE = date(2026, 12, 2)  # a list received 2026-11-02


def _share(*, assigned=3, without_outcome=3, last_outcome_on=None, certified_on=None):
    return rules.WorklistCycle(cycle_pk=7, received_on=date(2026, 11, 2), due_on=WORKLIST_DUE, assigned=assigned,
                               without_outcome=without_outcome, last_outcome_on=last_outcome_on,
                               certified_on=certified_on)


def _person(is_separated=False):
    from compliance.engine import PersonFacts

    return PersonFacts(pk=1, employee_id="E1", name="Doe, Jane", assigned_on=date(2020, 1, 1), role_tier=2,
                       is_separated=is_separated)


@pytest.mark.parametrize(("share", "today", "status", "satisfied_by"), [
    (_share(), date(2026, 11, 17), OPEN, None),
    (_share(), date(2026, 11, 18), DUE_SOON, None),  # 14 days before: the largest lead day
    (_share(without_outcome=1, last_outcome_on=date(2026, 11, 20)), WORKLIST_DUE, DUE_SOON, None),
    (_share(without_outcome=1), date(2026, 12, 3), OVERDUE, None),
    (_share(without_outcome=0, last_outcome_on=date(2026, 11, 20)), date(2026, 11, 10), DONE,
     "all 3 assigned entries have an outcome (last Nov 20, 2026)"),
    (_share(assigned=1, without_outcome=0, last_outcome_on=date(2026, 12, 9)), date(2026, 12, 10), DONE,
     "the assigned entry has an outcome (last Dec 9, 2026)"),
    (_share(without_outcome=2, certified_on=date(2026, 12, 1)), date(2026, 12, 10), DONE,
     "list certified Dec 1, 2026"),
], ids=["before-window", "window-opens", "on-due-date", "day-after-due", "all-outcomes", "one-entry-late",
        "certified"])
def test_r_va_3_worklist_due_on_the_lists_due_date(share, today, status, satisfied_by):
    [item] = rules.evaluate_worklist(_person(), (share,), {rules.WORKLIST: rules.DEFAULT_WORKLIST_RULE}, today)
    assert (item.obligation, item.rule_id, item.key) == ("validation_worklist", "R-VA-3", "cycle:7")
    assert (item.status, item.due, item.satisfied_by) == (status, WORKLIST_DUE, satisfied_by)
    assert not item.suspends_access


def test_r_va_3_worklist_one_obligation_per_list_and_none_without_entries():
    later = rules.WorklistCycle(cycle_pk=8, received_on=date(2026, 12, 1), due_on=date(2026, 12, 31), assigned=2,
                                without_outcome=2)
    items = rules.evaluate_worklist(_person(), (_share(), later), RULES, date(2026, 11, 20))
    assert [(i.key, i.status, i.due) for i in items] == [("cycle:7", DUE_SOON, WORKLIST_DUE),
                                                          ("cycle:8", OPEN, date(2026, 12, 31))]
    assert rules.evaluate_worklist(_person(), None, RULES, date(2026, 11, 20)) == []


def test_r_va_3_worklist_not_required_of_a_separated_validator():
    [item] = rules.evaluate_worklist(_person(is_separated=True), (_share(),), RULES, date(2026, 12, 10))
    assert (item.status, item.key) == (NOT_REQUIRED, "cycle:7")


def test_r_va_3_worklist_lead_days_come_from_the_rule_table():
    rule = Rule(rules.WORKLIST, "R-VA-3", "entries given an outcome", 30, "days", (5,))
    [item] = rules.evaluate_worklist(_person(), (_share(),), {rules.WORKLIST: rule}, date(2026, 11, 26))
    assert (item.status, item.title) == (OPEN, "entries given an outcome")
    [item] = rules.evaluate_worklist(_person(), (_share(),), {rules.WORKLIST: rule}, date(2026, 11, 27))
    assert item.status == DUE_SOON


def test_r_va_3_worklist_rule_row_suits_a_30_day_list():
    rule = rules.DEFAULT_WORKLIST_RULE
    assert (rule.rule_id, rule.lead_days) == ("R-VA-3", (14, 7, 2))
    assert max(rule.lead_days) < RULES[rules.CERTIFICATION].period_value
