"""seed_demo shows the agreements register and the audit panel with something to act on (issue 12)."""

import datetime

import pytest

from agreements import rules
from agreements.models import Agreement
from agreements.selectors import agreement_register
from audit.models import Audit
from demo.seed import seed_demo

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def test_demo_has_a_resign_countdown_a_review_due_and_an_open_finding(settings):
    from accounts.models import User

    settings.DEBUG = True
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=12, today=TODAY)
    agency = demo.agencies[0]
    standings = {row.agreement.kind: row.standing.status for row in agreement_register(
        agreements=Agreement.objects.filter(agency=agency), today=TODAY)}
    assert standings == {"leds_user": rules.REVIEW_DUE_SOON, "holder_of_record": rules.RESIGN_NEEDED,
                         "management_control": rules.IN_FORCE}
    audit = Audit.objects.get(agency=agency)
    assert [f.is_open for f in audit.findings.order_by("pk")] == [False, True]
    seed_demo(actor=demo.actor, agencies=1, people=12, today=TODAY)  # idempotent
    assert Agreement.objects.filter(agency=agency).count() == 3


def test_demo_agency_packet_builds_with_every_section_filled(settings):
    import io

    from pypdf import PdfReader

    from accounts.models import User
    from audit import services
    from audit.models import AuditPacket

    settings.DEBUG = True
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=12, today=TODAY)
    agency = demo.agencies[0]
    packet = services.request_packet(agency=agency, actor=demo.users["auditor"], period_start_on=datetime.date(
        2024, 9, 23), period_end_on=TODAY, today=TODAY, queue=False)
    packet = services.build_packet(packet_id=packet.pk)
    assert packet.status == AuditPacket.Status.DONE, packet.error
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(packet.file.read())).pages).split())
    for filled in ("Holder of record: Keizer PD", "List received", "State-system accounts", "Two terminals"):
        assert filled in text
