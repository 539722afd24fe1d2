import datetime

import pytest

from agreements.factories import AgreementFactory, AgreementPartyFactory, AgreementSignatoryFactory
from audit import services
from background.factories import FingerprintCheckFactory
from certification.factories import SecurityAwarenessCompletionFactory
from people.factories import PersonFactory


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Packets and documents go to a temporary MEDIA_ROOT, never the worktree's var/."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.AUDIT_PACKET_RENDER_WORKERS = 1  # one process: quick for small packets (a test covers two)


@pytest.fixture
def records(world):
    agency = world.agency
    world.chief = PersonFactory(agency=agency, first_name="Ada", last_name="Lovelace", employee_id="E-CHIEF")
    agreement = AgreementFactory(agency=agency, title="LEDS User Agreement 2024",
                                 effective_on=datetime.date(2024, 7, 1))
    AgreementPartyFactory(agreement=agreement, name="Marion County Sheriff", ori="OR0240000")
    AgreementSignatoryFactory(agreement=agreement, person=world.chief, signed_on=datetime.date(2024, 7, 1))
    FingerprintCheckFactory(person=world.chief, submitted_on=datetime.date(2025, 2, 3))
    SecurityAwarenessCompletionFactory(person=world.chief, completed_on=datetime.date(2026, 1, 5), tier=2)
    audit = services.record_audit(agency=agency, actor=None, audited_on=datetime.date(2024, 5, 14), auditor="osp")
    services.add_finding(audit=audit, actor=None, summary="Visitor log incomplete", due_on=datetime.date(2024, 8, 1))
    PersonFactory(agency=world.foreign_agency, first_name="Zed", last_name="Foreignperson")
    return world
