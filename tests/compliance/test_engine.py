"""Table tests of the engine at each rule's edges, each naming its rule ID."""

from dataclasses import replace
from datetime import date

import pytest

from background.rules import evaluate_background
from certification.rules import Awareness, CertificationRecords, GuideIssue, Incident, Pass, evaluate_certification
from compliance.defaults import DEFAULT_RULES
from compliance.engine import PersonFacts, Rule, evaluate_person

RULES = {o: Rule(o, rid, title, value, unit, tuple(lead)) for o, rid, title, value, unit, lead in DEFAULT_RULES}
EVALUATORS = [("background", evaluate_background), ("certification", evaluate_certification)]
PERSON = PersonFacts(pk=1, employee_id="E1", name="Doe, Jo", assigned_on=date(2026, 1, 1), role_tier=2,
                     is_separated=False)


def run(today, person=PERSON, fingerprints=(), records=None, rules=RULES):
    result = evaluate_person(person, {"background": list(fingerprints), "certification": records}, rules, today,
                             EVALUATORS)
    return result


def status(result, obligation):
    [item] = [o for o in result.obligations if o.obligation == obligation]
    return item.status, item.due


# R-FP-1: due assignment + 30 days (2026-01-31); window opens 20 days before (2026-01-11)
@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 1, 10), "open"),
    (date(2026, 1, 11), "due_soon"),
    (date(2026, 1, 31), "due_soon"),
    (date(2026, 2, 1), "overdue"),
], ids=["day-before-window", "window-opens", "due-day", "day-after"])
def test_r_fp_1_fingerprints_within_30_days(today, expected):
    assert status(run(today), "fingerprints") == (expected, date(2026, 1, 31))


def test_r_fp_1_a_late_submission_still_satisfies_and_a_future_one_is_ignored():
    assert status(run(date(2026, 3, 1), fingerprints=[date(2026, 2, 20)]), "fingerprints")[0] == "done"
    assert status(run(date(2026, 3, 1), fingerprints=[date(2026, 3, 2)]), "fingerprints")[0] == "overdue"


# R-CE-2: issue within 10 days (2026-01-11, lead 5 → window from 2026-01-06)
@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 1, 5), "open"), (date(2026, 1, 6), "due_soon"), (date(2026, 1, 11), "due_soon"),
    (date(2026, 1, 12), "overdue"),
])
def test_r_ce_2_training_guide_issued_within_10_days(today, expected):
    assert status(run(today), "training_guide_issue") == (expected, date(2026, 1, 11))


def test_r_ce_2_completion_open_without_due_until_issued_then_60_days():
    assert status(run(date(2026, 1, 5)), "training_guide_completion") == ("open", None)
    records = CertificationRecords(guides=(GuideIssue(date(2026, 1, 8)),))
    assert status(run(date(2026, 2, 6), records=records), "training_guide_completion") == ("open", date(2026, 3, 9))
    assert status(run(date(2026, 2, 7), records=records), "training_guide_completion") == ("due_soon", date(2026, 3, 9))
    assert status(run(date(2026, 3, 10), records=records), "training_guide_completion")[0] == "overdue"
    done = CertificationRecords(guides=(GuideIssue(date(2026, 1, 8), date(2026, 3, 20)),))
    assert status(run(date(2026, 3, 21), records=done), "training_guide_completion")[0] == "done"
    assert status(run(date(2026, 3, 19), records=done), "training_guide_completion")[0] == "overdue"


# R-CE-3: initial certification within 6 months (2026-07-01), window 60 days (from 2026-05-02)
@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 5, 1), "open"), (date(2026, 5, 2), "due_soon"), (date(2026, 7, 1), "due_soon"),
    (date(2026, 7, 2), "overdue"),
])
def test_r_ce_3_initial_certification_within_6_months(today, expected):
    records = CertificationRecords(awareness=(Awareness(date(2025, 12, 20), 2),))
    result = run(today, fingerprints=[date(2026, 1, 5)], records=records)
    assert status(result, "initial_certification") == (expected, date(2026, 7, 1))
    assert result.verdict.eligible is (expected != "overdue")


# R-CE-4: a pass on P expires on P + 24 months, clamped; reminders 90/60/30/7 → window 90 days
@pytest.mark.parametrize(("passed_on", "today", "expected", "due"), [
    (date(2024, 3, 15), date(2025, 12, 14), "done", date(2026, 3, 15)),
    (date(2024, 3, 15), date(2025, 12, 15), "due_soon", date(2026, 3, 15)),
    (date(2024, 3, 15), date(2026, 3, 15), "due_soon", date(2026, 3, 15)),
    (date(2024, 3, 15), date(2026, 3, 16), "overdue", date(2026, 3, 15)),
    (date(2024, 2, 29), date(2026, 3, 1), "overdue", date(2026, 2, 28)),
    (date(2024, 8, 31), date(2026, 1, 1), "done", date(2026, 8, 31)),
], ids=["day-before-window", "window-opens", "due-day", "day-after", "leap-day", "month-end"])
def test_r_ce_4_recertification_every_24_months(passed_on, today, expected, due):
    person = replace(PERSON, assigned_on=date(2024, 1, 1))
    records = CertificationRecords(passes=(Pass(passed_on, "Full Access", 90),))
    assert status(run(today, person=person, fingerprints=[date(2024, 1, 5)], records=records),
                  "recertification") == (expected, due)


def test_r_ce_4_open_before_a_first_pass_and_a_later_pass_supersedes():
    assert status(run(date(2026, 2, 1)), "recertification") == ("open", None)
    records = CertificationRecords(passes=(Pass(date(2022, 1, 10), "Inquiry"), Pass(date(2025, 6, 1), "Full Access")))
    assert status(run(date(2026, 2, 1), records=records), "recertification") == ("done", date(2027, 6, 1))


def test_r_ce_4_expired_certification_suspends_access_with_the_rule():
    person = replace(PERSON, assigned_on=date(2020, 1, 1))
    records = CertificationRecords(passes=(Pass(date(2023, 1, 1), "Full Access"),),
                                   awareness=(Awareness(date(2025, 12, 1), 2),),
                                   guides=(GuideIssue(date(2020, 1, 5), date(2020, 2, 1)),))
    result = run(date(2026, 2, 1), person=person, fingerprints=[date(2020, 1, 10)], records=records)
    assert not result.verdict.eligible
    assert [o.rule_id for o in result.verdict.reasons] == ["R-CE-4"]
    assert result.verdict.reasons[0].flag == "Overdue since Jan 2, 2025 — R-CE-4: recertification every 24 months"


# R-SA-1: first due on the assignment date; then every 12 months; window 60 days
@pytest.mark.parametrize(("today", "completed", "expected", "due"), [
    (date(2025, 11, 1), None, "open", date(2026, 1, 1)),
    (date(2025, 11, 2), None, "due_soon", date(2026, 1, 1)),
    (date(2026, 1, 1), None, "due_soon", date(2026, 1, 1)),
    (date(2026, 1, 2), None, "overdue", date(2026, 1, 1)),
    (date(2026, 10, 31), date(2025, 12, 30), "due_soon", date(2026, 12, 30)),
    (date(2026, 10, 30), date(2025, 12, 30), "done", date(2026, 12, 30)),
    (date(2026, 12, 31), date(2025, 12, 30), "overdue", date(2026, 12, 30)),
])
def test_r_sa_1_security_awareness_before_access_then_every_12_months(today, completed, expected, due):
    records = CertificationRecords(awareness=(Awareness(completed, 2),) if completed else ())
    assert status(run(today, records=records), "security_awareness") == (expected, due)


def test_r_sa_1_retraining_within_30_days_of_an_incident():
    incident = Incident(7, date(2026, 3, 1), "Shared a password")
    records = CertificationRecords(incidents=(incident,), awareness=(Awareness(date(2026, 1, 1), 2),))
    item = [o for o in run(date(2026, 4, 1), records=records).obligations if o.obligation == "security_retraining"]
    assert [(o.status, o.due, o.key) for o in item] == [("overdue", date(2026, 3, 31), "incident:7")]
    retrained = replace(records, awareness=(*records.awareness, Awareness(date(2026, 3, 20), 2)))
    item = [o for o in run(date(2026, 4, 1), records=retrained).obligations if o.obligation == "security_retraining"]
    assert item[0].status == "done"


def test_separated_person_owes_nothing():
    person = replace(PERSON, is_separated=True)
    result = run(date(2027, 1, 1), person=person)
    assert {o.status for o in result.obligations} == {"not_required"}
    assert not result.verdict.applicable


def test_tier_1_needs_fingerprints_and_awareness_but_no_certification():
    person = replace(PERSON, role_tier=1)
    result = run(date(2026, 12, 1), person=person)
    statuses = {o.obligation: o.status for o in result.obligations}
    assert statuses["fingerprints"] == "overdue" and statuses["security_awareness"] == "overdue"
    for name in ("training_guide_issue", "training_guide_completion", "initial_certification", "recertification"):
        assert statuses[name] == "not_required"


def test_a_rule_number_changed_in_the_table_moves_the_deadline():
    changed = {**RULES, "recertification": replace(RULES["recertification"], period_value=12)}
    records = CertificationRecords(passes=(Pass(date(2025, 1, 10), "Full Access"),))
    assert status(run(date(2025, 6, 1), records=records, rules=changed), "recertification")[1] == date(2026, 1, 10)


def test_domain_apps_name_their_rule_table_rows():
    from compliance.templatetags.compliance import obligation_label

    assert obligation_label("class_pass_recorded_in_leds") == "Class pass recorded in LEDS"  # certification's label
    assert obligation_label("recertification") == "Recertification"
