from datetime import date

import pytest

from audit import rules
from audit.defaults import AUDIT_RULES
from compliance.engine import Rule

RULE = Rule(*AUDIT_RULES[0][:5], tuple(AUDIT_RULES[0][5]))


@pytest.mark.parametrize(("last", "due"), [
    (date(2024, 5, 14), date(2027, 5, 14)),
    (date(2024, 2, 29), date(2027, 2, 28)),
    (None, None),
], ids=["plain", "leap-day", "never-audited"])
def test_r_au_1_next_audit_due_3_years_after_the_last(last, due):
    assert rules.next_audit_due(last_audited_on=last, rule=RULE) == due


@pytest.mark.parametrize(("last", "start"), [
    (date(2025, 3, 1), date(2025, 3, 1)),
    (date(2020, 3, 1), date(2023, 11, 23)),
    (None, date(2023, 11, 23)),
], ids=["since-last-audit", "capped-at-3-years", "never-audited"])
def test_r_au_1_packet_period_defaults_to_since_last_audit_at_most_3_years(last, start):
    assert rules.default_packet_period(last_audited_on=last, today=date(2026, 11, 23)) == (start, date(2026, 11, 23))


@pytest.mark.parametrize(("start", "end", "problem"), [
    (date(2025, 1, 1), date(2026, 11, 23), ""),
    (date(2026, 2, 1), date(2026, 1, 1), "start on or before"),
    (date(2025, 1, 1), date(2026, 12, 1), "future"),
    (date(2023, 11, 22), date(2026, 11, 23), "at most 3 years"),
], ids=["fine", "backwards", "future", "too-long"])
def test_r_au_1_packet_period_checks(start, end, problem):
    found = rules.packet_period_problem(start=start, end=end, today=date(2026, 11, 23))
    assert (problem in found) if problem else found == ""
