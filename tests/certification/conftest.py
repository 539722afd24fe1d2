"""Fixtures for the certification tests."""

import importlib

import pytest

from tests.compliance.seeding import seeded_tables  # noqa: F401

RULE_MIGRATION = importlib.import_module("certification.migrations.0004_seed_leds_recording_rule")


def seed_class_rule() -> None:
    """Put back the R-CE-5 rule row the data migration seeded (a transactional test's flush removes it)."""
    from django.apps import apps

    RULE_MIGRATION.seed(apps, None)


@pytest.fixture(autouse=True)
def class_rule_seeded(request, seeded_tables):  # noqa: F811
    if {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        seed_class_rule()
