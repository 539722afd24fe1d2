from datetime import date

import pytest

from agreements import rules
from agreements.defaults import AGREEMENT_RULES
from compliance.engine import Rule

TABLE = {o: Rule(o, rid, title, value, unit, tuple(lead)) for o, rid, title, value, unit, lead in AGREEMENT_RULES}
REVIEW, RESIGN = TABLE[rules.REVIEW], TABLE[rules.RESIGN]


def _standing(today, *, reviewed=None, officials=(), ends_on=None, effective_on=date(2025, 1, 15)):
    facts = rules.AgreementFacts(effective_on=effective_on, ends_on=ends_on, last_reviewed_on=reviewed,
                                 signing_officials=tuple(officials))
    return rules.standing(facts, review_rule=REVIEW, resign_rule=RESIGN, today=today)


@pytest.mark.parametrize(("effective_on", "reviewed", "due"), [
    (date(2025, 1, 15), None, date(2026, 1, 15)),
    (date(2025, 1, 15), date(2025, 11, 2), date(2026, 11, 2)),
    (date(2024, 2, 29), None, date(2025, 2, 28)),
], ids=["from-start", "from-last-review", "leap-day"])
def test_r_agr_2_review_due_12_months_after_last_review(effective_on, reviewed, due):
    assert rules.review_due_on(effective_on=effective_on, last_reviewed_on=reviewed, rule=REVIEW) == due


@pytest.mark.parametrize(("today", "status"), [
    (date(2025, 12, 15), rules.IN_FORCE),
    (date(2025, 12, 16), rules.REVIEW_DUE_SOON),  # 30 days before 2026-01-15
    (date(2026, 1, 15), rules.REVIEW_DUE_SOON),
    (date(2026, 1, 16), rules.REVIEW_OVERDUE),
], ids=["quiet", "reminder-day", "due-day", "overdue"])
def test_r_agr_2_review_reminder_30_days_before(today, status):
    assert _standing(today).status == status


def test_r_agr_2_signing_official_leaving_starts_30_day_countdown():
    left = rules.SigningOfficial("Chief A", date(2025, 1, 10), separated_on=date(2026, 3, 1))
    standing = _standing(date(2026, 3, 5), reviewed=date(2025, 12, 1), officials=[left])
    assert standing.status == rules.RESIGN_NEEDED
    assert standing.resign_by == date(2026, 3, 31)
    assert standing.days_left(date(2026, 3, 5)) == 26
    assert standing.departed_official == "Chief A"


def test_r_agr_2_not_resigned_within_30_days_lapses():
    left = rules.SigningOfficial("Chief A", date(2025, 1, 10), separated_on=date(2026, 3, 1))
    assert _standing(date(2026, 4, 1), reviewed=date(2025, 12, 1), officials=[left]).status == rules.LAPSED


def test_r_agr_2_a_later_signing_official_ends_the_countdown():
    left = rules.SigningOfficial("Chief A", date(2025, 1, 10), separated_on=date(2026, 3, 1))
    new = rules.SigningOfficial("Chief B", date(2026, 3, 20), separated_on=None)
    standing = _standing(date(2026, 4, 1), reviewed=date(2025, 12, 1), officials=[left, new])
    assert standing.status == rules.IN_FORCE and standing.resign_by is None


def test_r_agr_1_ended_and_future_agreements():
    assert _standing(date(2026, 1, 1), ends_on=date(2025, 12, 31)).status == rules.ENDED
    assert _standing(date(2024, 1, 1)).status == rules.NOT_YET
