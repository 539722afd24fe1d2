"""A real browser: the packet page polls its progress (htmx) and offers the download when the worker is done."""

import datetime
import hashlib
from pathlib import Path

import pytest

from audit import services
from audit.models import AuditPacket
from tests.browser.test_compliance_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_packet_page_polls_until_ready_then_downloads(world, live_server, page):
    sign_in(page, live_server, world.users["agency_auditor"])
    page.goto(f"{live_server.url}/audit/packets/")
    assert page.input_value("input[name=period_start_on]")  # the default period is filled in
    # a packet waiting for a worker: the page shows its progress and polls
    packet = AuditPacket.objects.create(agency=world.agency, requested_by=world.users["agency_auditor"],
                                        period_start_on=datetime.date(2025, 1, 1),
                                        period_end_on=datetime.date(2026, 11, 1), step="Waiting for a worker")
    page.goto(f"{live_server.url}/audit/packets/{packet.pk}/")
    assert page.get_attribute("#packet-bar", "value") == "0"
    assert "Waiting for a worker" in page.inner_text("#packet-progress")
    services.build_packet(packet_id=packet.pk)  # the worker
    page.wait_for_selector("text=Download the packet", timeout=15_000)
    packet.refresh_from_db()
    assert packet.sha256 in page.inner_text("#packet-progress")
    with page.expect_download() as download:
        page.click("text=Download the packet")
    content = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == packet.sha256
