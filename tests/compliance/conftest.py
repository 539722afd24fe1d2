"""Fixtures for the compliance tests."""

from tests.compliance.seeding import seeded_tables  # noqa: F401
