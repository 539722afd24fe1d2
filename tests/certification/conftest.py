"""Fixtures for the certification tests."""

from tests.compliance.seeding import seeded_tables  # noqa: F401
