"""Table tests of the one verdict (R-PE-3), each naming the rule behind it."""

from dataclasses import replace
from datetime import date

import pytest

from background.defaults import DEFAULTS as BACKGROUND_DEFAULTS
from background.rules import CheckFacts, evaluate_background, evaluate_background_check
from certification.rules import Awareness, CertificationRecords, GuideIssue, Pass, evaluate_certification
from compliance.defaults import DEFAULT_RULES
from compliance.engine import (
    ELIGIBLE,
    MUST_BE_SUSPENDED,
    NOT_YET_ELIGIBLE,
    SEPARATED,
    PersonFacts,
    Rule,
    evaluate_person,
)

RULES = {o: Rule(o, rid, title, value, unit, tuple(lead)) for o, rid, title, value, unit, lead in DEFAULT_RULES}
RULES.update(BACKGROUND_DEFAULTS)
EVALUATORS = [("background", evaluate_background), ("background_check", evaluate_background_check),
              ("certification", evaluate_certification)]
TODAY = date(2026, 6, 1)
NEW_HIRE = PersonFacts(pk=1, employee_id="E1", name="Doe, Jo", assigned_on=date(2026, 5, 25), role_tier=2,
                       is_separated=False, status="pending")
VETERAN = replace(NEW_HIRE, assigned_on=date(2020, 1, 1), status="active")
CLEARED = CheckFacts(date(2020, 1, 10), "cleared", date(2020, 2, 1))
GOOD_RECORDS = CertificationRecords(passes=(Pass(date(2025, 1, 10), "Full Access", 90),),
                                    awareness=(Awareness(date(2026, 1, 5), 2),),
                                    guides=(GuideIssue(date(2020, 1, 5), date(2020, 2, 1)),))


def verdict(person, *, fingerprints=(), checks=(), records=None, today=TODAY):
    records = {"background": list(fingerprints), "background_check": list(checks), "certification": records}
    return evaluate_person(person, records, RULES, today, EVALUATORS).verdict


def test_r_pe_3_a_pending_new_hire_with_nothing_is_not_yet_eligible_listing_what_remains():
    result = verdict(NEW_HIRE)
    assert result.code == NOT_YET_ELIGIBLE
    assert result.reason_ids == ("R-BG-1", "R-SA-1")  # background cleared, security awareness: before access
    assert not result.eligible and result.applicable
    assert result.label == "Not yet eligible for LEDS access"


def test_r_pe_3_a_pending_new_hire_with_everything_before_access_is_ready_r_ce_3_certification_not_needed():
    checks = [CheckFacts(date(2026, 5, 26), "cleared", date(2026, 5, 30))]
    records = CertificationRecords(awareness=(Awareness(date(2026, 5, 27), 2),))
    result = verdict(NEW_HIRE, fingerprints=[date(2026, 5, 26)], checks=checks, records=records)
    assert (result.code, result.reasons) == (ELIGIBLE, ())
    assert result.label == "Eligible: ready for LEDS access"
    assert result.eligible


def test_r_bg_1_an_exception_granted_counts_as_cleared_before_access():
    checks = [CheckFacts(date(2026, 5, 26), "exception_granted", date(2026, 5, 31))]
    records = CertificationRecords(awareness=(Awareness(date(2026, 5, 27), 2),))
    assert verdict(NEW_HIRE, fingerprints=[date(2026, 5, 26)], checks=checks, records=records).code == ELIGIBLE


def test_r_pe_3_a_pending_person_with_something_suspending_overdue_is_not_yet_eligible_r_fp_1():
    person = replace(NEW_HIRE, assigned_on=date(2026, 3, 1))  # fingerprints were due 2026-03-31
    records = CertificationRecords(awareness=(Awareness(date(2026, 3, 1), 2),))
    result = verdict(person, records=records)
    assert result.code == NOT_YET_ELIGIBLE
    assert result.reason_ids == ("R-BG-1", "R-FP-1")


def test_r_pe_3_an_active_person_in_good_standing_is_eligible():
    result = verdict(VETERAN, fingerprints=[date(2020, 1, 10)], checks=[CLEARED], records=GOOD_RECORDS)
    assert (result.code, result.reason_ids, result.label) == (ELIGIBLE, (), "Eligible for LEDS access")


def test_r_pe_3_a_suspended_person_with_nothing_overdue_may_be_restored():
    person = replace(VETERAN, status="suspended")
    result = verdict(person, fingerprints=[date(2020, 1, 10)], checks=[CLEARED], records=GOOD_RECORDS)
    assert (result.code, result.label) == (ELIGIBLE, "Eligible: LEDS access may be restored")


@pytest.mark.parametrize(("rule_id", "records", "fingerprints"), [
    ("R-CE-4", replace(GOOD_RECORDS, passes=(Pass(date(2024, 1, 10), "Full Access", 90),)), [date(2020, 1, 10)]),
    ("R-SA-1", replace(GOOD_RECORDS, awareness=(Awareness(date(2025, 1, 5), 2),)), [date(2020, 1, 10)]),
    ("R-CE-3", replace(GOOD_RECORDS, passes=()), [date(2020, 1, 10)]),
    ("R-FP-1", GOOD_RECORDS, []),
], ids=["R-CE-4-recertification", "R-SA-1-security-awareness", "R-CE-3-initial-certification",
        "R-FP-1-fingerprints"])
@pytest.mark.parametrize("status", ["active", "suspended"])
def test_r_pe_3_an_active_or_suspended_person_with_a_suspending_obligation_overdue_must_be_suspended(
        rule_id, records, fingerprints, status):
    result = verdict(replace(VETERAN, status=status), fingerprints=fingerprints, checks=[CLEARED], records=records)
    assert result.code == MUST_BE_SUSPENDED
    assert rule_id in result.reason_ids
    assert result.label == "Access must be suspended"


def test_r_pe_3_a_separated_person_owes_nothing():
    person = replace(VETERAN, status="separated")
    result = verdict(person)
    assert (result.code, result.reasons, result.reason_ids) == (SEPARATED, (), ())
    assert not result.applicable and person.is_separated


def test_person_facts_without_a_status_read_is_separated():
    assert replace(VETERAN, status="").status == "active"
    assert PersonFacts(1, "E", "A, B", date(2026, 1, 1), 2, True).status == "separated"


def test_reason_ids_are_ordered_and_unique():
    records = replace(GOOD_RECORDS, awareness=())  # security awareness never done: overdue (R-SA-1)
    result = verdict(VETERAN, checks=[CLEARED], records=records)
    assert result.reason_ids == tuple(dict.fromkeys(o.rule_id for o in result.reasons))
    assert result.reason_ids == ("R-FP-1", "R-SA-1")


# --- R-BG-2: denials and the decision clock ---------------------------------------------------------------------

def background(checks, today=TODAY, person=VETERAN):
    from background.rules import background_check

    return background_check(person, checks, RULES, today)


DENIED = CheckFacts(date(2026, 3, 1), "denied", date(2026, 4, 1))


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_r_bg_2_a_denied_check_must_be_suspended_whatever_else_is_done(status):
    result = verdict(replace(VETERAN, status=status), fingerprints=[date(2020, 1, 10)], checks=[CLEARED, DENIED],
                     records=GOOD_RECORDS)
    assert (result.code, result.reason_ids) == (MUST_BE_SUSPENDED, ("R-BG-2",))
    [reason] = result.reasons
    assert (reason.obligation, reason.status, reason.is_sensitive) == ("background_check", "overdue", True)
    assert reason.reason.startswith("R-BG-2 — Background check denied Apr 1, 2026")
    assert reason.flag.startswith("Background check denied Apr 1, 2026 — R-BG-2")


def test_r_bg_2_a_pending_person_with_a_denied_check_is_not_yet_eligible_citing_r_bg_2():
    checks = [CheckFacts(date(2026, 5, 26), "denied", date(2026, 5, 30))]
    records = CertificationRecords(awareness=(Awareness(date(2026, 5, 27), 2),))
    result = verdict(NEW_HIRE, fingerprints=[date(2026, 5, 26)], checks=checks, records=records)
    assert (result.code, result.reason_ids) == (NOT_YET_ELIGIBLE, ("R-BG-2",))


def test_r_bg_2_denied_then_exception_granted_is_cleared():
    granted = CheckFacts(date(2026, 3, 1), "exception_granted", date(2026, 5, 1))
    result = verdict(VETERAN, fingerprints=[date(2020, 1, 10)], checks=[granted], records=GOOD_RECORDS)
    assert result.code == ELIGIBLE
    assert background([granted]).status == "done"


@pytest.mark.parametrize("outcome", ["exception_refused", "exception_requested"])
def test_r_bg_2_an_exception_refused_or_still_being_decided_leaves_the_denial_standing(outcome):
    check = CheckFacts(date(2026, 3, 1), outcome, date(2026, 5, 1))
    item = background([check])
    assert (item.status, item.rule_id, item.due) == ("overdue", "R-BG-2", date(2026, 5, 1))
    result = verdict(VETERAN, fingerprints=[date(2020, 1, 10)], checks=[check], records=GOOD_RECORDS)
    assert (result.code, result.reason_ids) == (MUST_BE_SUSPENDED, ("R-BG-2",))


def test_r_bg_2_a_later_clearance_ends_a_denial_and_a_later_denial_ends_a_clearance():
    later_clearance = CheckFacts(date(2026, 4, 10), "cleared", date(2026, 5, 10))
    assert background([DENIED, later_clearance]).status == "done"
    assert background([CLEARED, DENIED]).status == "overdue"
    assert background([DENIED], today=date(2026, 3, 31)).status != "overdue"  # not yet decided on that day


@pytest.mark.parametrize(("today", "status", "rule_id", "code"), [
    (date(2026, 4, 1), "open", "R-BG-1", ELIGIBLE),  # submitted 2026-03-01: decision due 2026-04-30
    (date(2026, 4, 16), "due_soon", "R-BG-1", ELIGIBLE),
    (date(2026, 4, 30), "due_soon", "R-BG-1", ELIGIBLE),
    (date(2026, 5, 1), "overdue", "R-BG-2", MUST_BE_SUSPENDED),
], ids=["within-the-clock", "window-opens", "due-day", "past-the-clock"])
def test_r_bg_2_a_check_with_no_decision_is_overdue_past_the_decision_clock(today, status, rule_id, code):
    pending = CheckFacts(date(2026, 3, 1), "pending")
    item = background([pending], today=today)
    assert (item.status, item.due, item.rule_id) == (status, date(2026, 4, 30), rule_id)
    records = replace(GOOD_RECORDS, awareness=(Awareness(today, 2),))
    assert verdict(VETERAN, fingerprints=[date(2020, 1, 10)], checks=[pending], records=records,
                   today=today).code == code


def test_r_bg_2_the_decision_clock_is_a_rule_table_row_marked_assumed():
    row = RULES["background_decision"]
    assert (row.rule_id, row.period_value, row.period_unit) == ("R-BG-2", 60, "days")
    assert "assumed" in row.title


def test_r_bg_4_a_masked_background_obligation_tells_nothing_of_a_denial():
    item = background([DENIED]).masked()
    assert (item.status, item.due, item.rule_id) == ("open", None, "R-BG-4")
    assert "denied" not in item.flag.lower() and "R-BG-2" not in item.flag
