"""Fixtures for the certification tests."""

import importlib

RULE_MIGRATION = importlib.import_module("certification.migrations.0004_seed_leds_recording_rule")
