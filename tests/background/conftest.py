import pytest

from tests.compliance.seeding import seed_default_tables, seeded_tables  # noqa: F401


def seed_background_tables() -> None:
    """Put back what background's data migration seeded (the state's systems, this app's rule rows), in case a
    transactional test elsewhere flushed them (see tests/compliance/seeding.py)."""
    from importlib import import_module

    from django.apps import apps

    from background.models import StateSystem

    if not StateSystem.objects.filter(agency__isnull=True).exists():
        seed_default_tables()
        import_module("background.migrations.0004_seed_systems_and_rules").seed(apps, None)


@pytest.fixture(autouse=True)
def seeded_background(request, seeded_tables):  # noqa: F811
    if {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        seed_background_tables()
