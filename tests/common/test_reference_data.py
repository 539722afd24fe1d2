"""Reference data in code (DESIGN.md): ensured after migrate and flush, created when missing, never overwritten."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from agreements.defaults import AGREEMENT_RULES
from audit.defaults import AUDIT_RULES
from background.defaults import BACKGROUND_RULES
from certification.defaults import CERTIFICATION_RULES, DEFAULT_LEVELS
from certification.models import CertificationLevel
from common.reference_data import ensure_reference_data
from compliance.defaults import DEFAULT_RULES
from compliance.models import RuleSetting
from paperwork.defaults import OSP_REPLY
from state_access.defaults import ACCOUNT_RULES, STATE_SYSTEMS
from state_access.models import StateSystem
from validations.defaults import RECORD_TYPES, VALIDATION_RULES
from validations.models import RecordType

DECLARED_TASKS = {"accounts.verify_security_log", "accounts.prune_security_log", "agreements.send_agreement_reminders",
                  "compliance.refresh_obligations", "reminders.sweep", "notifications.deliver_outbox",
                  "training_events.send_event_reminders", "training_events.training_unit_digest"}


def _counts():
    return (RuleSetting.objects.count(), CertificationLevel.objects.count(), StateSystem.objects.count(),
            RecordType.objects.count(), PeriodicTask.objects.count())


def _assert_everything_declared_is_there():
    declared = [*DEFAULT_RULES, *CERTIFICATION_RULES, *BACKGROUND_RULES, *ACCOUNT_RULES, *VALIDATION_RULES,
                *AGREEMENT_RULES, *AUDIT_RULES, OSP_REPLY]
    assert set(RuleSetting.objects.values_list("obligation", flat=True)) >= {row[0] for row in declared}
    assert set(CertificationLevel.objects.values_list("name", flat=True)) >= set(DEFAULT_LEVELS)
    assert set(StateSystem.objects.filter(agency=None).values_list("name", flat=True)) >= {
        name for name, _ in STATE_SYSTEMS}
    assert set(RecordType.objects.values_list("mke", flat=True)) >= {row[0] for row in RECORD_TYPES}
    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= DECLARED_TASKS


@pytest.mark.django_db
def test_the_test_database_holds_every_declared_row_and_a_second_run_makes_none():
    _assert_everything_declared_is_there()
    before = _counts()
    ensure_reference_data()
    assert _counts() == before


@pytest.mark.django_db
def test_missing_rows_come_back_and_an_administrators_edits_stay():
    RuleSetting.objects.filter(obligation="recertification").update(period_value=36, lead_days=[30])
    RuleSetting.objects.filter(obligation="fingerprints").delete()
    RecordType.objects.filter(mke="EW").update(name="Wanted person (edited)")
    CertificationLevel.objects.filter(name="Inquiry").update(is_active=False, sort_order=9)
    PeriodicTask.objects.filter(task="reminders.sweep").update(name="Morning sweep", enabled=False)
    ensure_reference_data()
    edited = RuleSetting.objects.get(obligation="recertification")
    assert (edited.period_value, edited.lead_days) == (36, [30])
    assert RuleSetting.objects.get(obligation="fingerprints").rule_id == "R-FP-1"
    assert RecordType.objects.get(mke="EW").name == "Wanted person (edited)"
    assert CertificationLevel.objects.get(name="Inquiry").sort_order == 9
    sweep = PeriodicTask.objects.get(task="reminders.sweep")
    assert (sweep.name, sweep.enabled) == ("Morning sweep", False)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_reference_data_in_place():
    """What every transactional test does at its end: the post_migrate receiver puts the defaults back."""
    call_command("flush", interactive=False, verbosity=0)
    _assert_everything_declared_is_there()


def test_no_migration_seeds_reference_data():
    """Data migrations only move data: a migration that imports an app's defaults (or runs another migration's
    function) would seed with today's code at an old schema, and miss every row added later."""
    root = Path(__file__).resolve().parent.parent.parent
    seeding = [str(path.relative_to(root)) for path in sorted(root.glob("*/migrations/0*.py"))
               if ".defaults import" in path.read_text() or "import_module(" in path.read_text()]
    assert seeding == []
