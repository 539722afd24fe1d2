"""Put back what the data migrations seeded (rule table, certification levels).

A transactional test (browser tests) flushes every table when it ends, and ``--reuse-db`` keeps that
empty database for the next run; the rule table and the levels are then missing.
"""

import pytest


def seed_default_tables() -> None:
    from certification.models import CertificationLevel
    from compliance.defaults import DEFAULT_RULES
    from compliance.models import RuleSetting

    if RuleSetting.objects.count() < len(DEFAULT_RULES):
        for obligation, rule_id, title, value, unit, lead in DEFAULT_RULES:
            RuleSetting.objects.get_or_create(obligation=obligation, defaults={
                "rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit, "lead_days": lead})
    if not CertificationLevel.objects.exists():
        for order, name in enumerate(["Inquiry", "Less Than Full Access", "Full Access"]):
            CertificationLevel.objects.get_or_create(name=name, defaults={"sort_order": order})


@pytest.fixture(autouse=True)
def seeded_tables(request):
    if {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        seed_default_tables()
