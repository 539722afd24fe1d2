import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit import services
from audit.models import AuditPacket
from background.factories import FingerprintCheckFactory
from certification.factories import SecurityAwarenessCompletionFactory
from people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _build(world, user="leds_rep", start=datetime.date(2024, 5, 14), end=None):
    end = end or timezone.localdate()
    packet = services.request_packet(agency=world.agency, actor=world.users[user], period_start_on=start,
                                     period_end_on=end, today=timezone.localdate(), queue=False)
    return services.build_packet(packet_id=packet.pk)


SECTION_TITLES = ["Agreements and their reviews", "Policies on file",
                  "Personnel roster, account status and disablement",
                  "Background checks (dates and outcomes)", "Certification and security-awareness records (3 years)",
                  "Validations of the last 12 months", "Access reviews", "Account requests to OSP and OSP's answers",
                  "Prior findings and corrective actions",
                  "Change history of compliance records"]


def test_r_au_1_packet_holds_every_section_and_the_agencys_people_only(records):
    packet = _build(records)
    assert packet.status == AuditPacket.Status.DONE, packet.error
    text = _text(packet.file.read())
    for number, title in enumerate(SECTION_TITLES, start=1):
        assert f"{number}. {title}" in text
    # summary page first
    first_page = PdfReader(packet.file.path).pages[0].extract_text()
    for fact in ("Salem Police Department", "OR0240200", "LEDS Representative", "Leds Rep Tester", "LASO",
                 "Laso Tester", "2024-05-14 to", "Generated at", "Compliance figures"):
        assert fact in first_page
    for fact in ("Ada Lovelace", "Lovelace, Ada", "E-CHIEF", "Marion County Sheriff", "Visitor log incomplete",
                 "Employee Tester" if False else "Tester, Employee", "Jan 5, 2026 (tier 2)"):
        assert fact in text
    # sections whose data does not exist yet say so
    flat = " ".join(text.split())
    assert "No access review was started or signed from May 14, 2024" in flat
    assert "No validation cycles were received from" in flat
    assert "No state-system accounts are recorded in LEDS Admin for these people" in flat
    # another agency's people never appear
    assert "Foreignperson" not in text and "Elsewhere" not in text and "OR0230000" not in text


def test_r_au_1_pages_numbered_across_the_packet_and_contents_give_start_pages(records):
    packet = _build(records)
    reader = PdfReader(packet.file.path)
    total = len(reader.pages)
    assert packet.pages == total
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]  # headings may wrap
    for index, page in enumerate(pages, start=1):
        assert f"Page {index} of {total}" in page
    at = next(i for i, page in enumerate(reader.pages) if i and page.extract_text().startswith("Contents"))
    contents = reader.pages[at].extract_text()  # after the summary (which may run over a page)
    for number, title in enumerate(SECTION_TITLES, start=1):
        line = next(line for line in contents.splitlines() if line.startswith(f"{number}. {title}"))
        start_page = int(line.rsplit(" ", 1)[1])
        assert f"{number}. {title}" in pages[start_page - 1]
        if start_page > at + 2:  # the section starts on that page, not before (the contents list them all)
            assert f"{number}. {title}" not in pages[start_page - 2]


def test_r_au_1_recorded_hash_matches_the_downloaded_file(records, login, client):
    packet = _build(records)
    login(records.users["agency_auditor"])
    response = client.get(reverse("audit:packet_download", args=[packet.pk]))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == packet.sha256 == AuditPacket.objects.get().sha256
    from accounts.models import SecurityEvent

    logged = SecurityEvent.objects.filter(details__action="audit_packet_downloaded").get()
    assert logged.actor == records.users["agency_auditor"] and logged.details["sha256"] == packet.sha256
    # a background read whatever the route (R-BG-4), naming the packet and its period
    assert logged.event == SecurityEvent.Kind.BACKGROUND_RECORD_READ
    assert logged.details["view"] == "audit_packet_download"
    assert logged.target.startswith(f"audit packet {packet.pk} (background checks of the agency")


def test_r_au_2_history_past_the_limit_travels_as_an_attached_csv(records, settings):
    settings.AUDIT_PACKET_HISTORY_ROWS = 3
    packet = _build(records)
    reader = PdfReader(packet.file.path)
    names = list(reader.attachments)
    assert len(names) == 1 and names[0].startswith("change-history-OR0240200")
    csv_text = reader.attachments[names[0]][0].decode()
    assert csv_text.splitlines()[0] == "when,who,record,record_id,person,change,fields,reason"
    assert "Lovelace, Ada" in csv_text and "Foreignperson" not in csv_text
    text = _text(packet.file.read())
    assert "attached inside this PDF" in " ".join(text.split())
    assert hashlib.sha256(csv_text.encode()).hexdigest() in "".join(text.split())


def test_r_au_2_short_history_is_printed_in_the_packet(records):
    text = " ".join(_text(_build(records).file.read()).split())
    assert "Finding recorded" in text and "Audit recorded" in text


def test_progress_endpoint_reports_progress_and_completion(records, login, client,
                                                           django_capture_on_commit_callbacks):
    login(records.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=False):  # no worker yet
        response = client.post(reverse("audit:packet_build"), {"period_start_on": "2024-05-14",
                                                               "period_end_on": "2026-01-31"})
    packet = AuditPacket.objects.get()
    assert response.status_code == 302 and response.url == reverse("audit:packet_detail", args=[packet.pk])
    url = reverse("audit:packet_progress", args=[packet.pk])
    assert client.get(url).json() == {"status": "queued", "progress": 0, "step": "Waiting for a worker",
                                      "pages": None, "sha256": None, "download": None}
    AuditPacket.objects.filter(pk=packet.pk).update(status="building")
    services._progress(packet.pk)(42, "Section 4 of 9: Background checks")
    assert client.get(url).json()["progress"] == 42
    poll = client.get(reverse("audit:packet_detail", args=[packet.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in poll and 'value="42"' in poll and "Section 4 of 9" in poll
    AuditPacket.objects.filter(pk=packet.pk).update(status="queued")
    services.build_packet(packet_id=packet.pk)
    done = client.get(url).json()
    assert done["status"] == "done" and done["progress"] == 100 and done["pages"] > 9
    assert done["download"] == reverse("audit:packet_download", args=[packet.pk])
    poll = client.get(reverse("audit:packet_detail", args=[packet.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in poll and "Download the packet" in poll


def test_build_is_idempotent(records):
    packet = _build(records)
    assert services.build_packet(packet_id=packet.pk) is None  # already done: nothing claimed
    assert AuditPacket.objects.get().sha256 == packet.sha256


def _history_counts():
    from simple_history.models import registered_models

    return {m._meta.label: m.history.model.objects.count() for m in registered_models.values()
            if hasattr(m, "history")}


def test_auditor_can_build_but_changes_nothing(records, login, client, django_capture_on_commit_callbacks):
    before = _history_counts()
    login(records.users["agency_auditor"])
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) Celery task builds it
        response = client.post(reverse("audit:packet_build"), {"period_start_on": "2024-05-14",
                                                               "period_end_on": "2026-01-31"})
    packet = AuditPacket.objects.get()
    assert response.status_code == 302 and packet.status == "done" and packet.requested_by == records.users[
        "agency_auditor"]
    assert client.get(reverse("audit:packet_download", args=[packet.pk])).status_code == 200
    assert client.post(reverse("audit:create"), {"audited_on": "2026-01-01", "auditor": "osp"}).status_code == 403
    assert client.post(reverse("agreements:create"), {"kind": "leds_user", "title": "x",
                                                      "effective_on": "2026-01-01"}).status_code == 403
    assert _history_counts() == before


def test_packet_period_is_checked(records, login, client):
    login(records.users["leds_rep"])
    response = client.post(reverse("audit:packet_build"), {"period_start_on": "2020-01-01",
                                                           "period_end_on": "2026-01-31"})
    assert response.status_code == 400 and "at most 3 years" in response.content.decode()
    assert not AuditPacket.objects.exists()


def test_default_period_starts_at_the_last_audit(records, login, client):
    login(records.users["leds_rep"])
    page = client.get(reverse("audit:packets")).content.decode()
    assert 'value="2024-05-14"' in page


def test_command_prints_the_recorded_sha256(records, tmp_path):
    out = io.StringIO()
    target = tmp_path / "packet.pdf"
    call_command("audit_packet", "--agency", "OR0240200", "--since", "2024-06-01", "--out", str(target), stdout=out)
    packet = AuditPacket.objects.get()
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert out.getvalue().strip().splitlines()[-1] == f"SHA-256 {digest}" and packet.sha256 == digest
    assert packet.period_start_on == datetime.date(2024, 6, 1) and packet.requested_by.username.startswith("system")



def _section_queries(scope_agency, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.sections import SECTIONS, PacketScope

    scope = PacketScope(agency=scope_agency, start=datetime.date(2024, 5, 14), end=datetime.date(2026, 11, 23),
                        generated_at=timezone.now(), workdir=tmp_path, chunk_rows=4)
    counts = {}
    for section in SECTIONS:
        with CaptureQueriesContext(connection) as ctx:
            parts = list(section.parts(scope))
        counts[section.key] = (len(ctx.captured_queries), len(parts))
    return counts


def test_sections_read_the_agency_in_a_fixed_number_of_queries(records, tmp_path):
    small = _section_queries(records.agency, tmp_path)
    for _n in range(30):
        person = PersonFactory(agency=records.agency)
        FingerprintCheckFactory(person=person, submitted_on=datetime.date(2025, 3, 1))
        SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2025, 3, 2), tier=2)
    large = _section_queries(records.agency, tmp_path)
    assert {k: q for k, (q, _) in small.items()} == {k: q for k, (q, _) in large.items()}
    assert large["roster"][1] > small["roster"][1]  # more people: more parts, not more queries


def test_parts_rendered_in_two_processes_make_the_same_packet(records, settings):
    settings.AUDIT_PACKET_CHUNK_ROWS = 3  # several parts per section
    one = _build(records)
    settings.AUDIT_PACKET_RENDER_WORKERS = 2
    two = _build(records)
    assert two.status == AuditPacket.Status.DONE, two.error
    assert two.pages == one.pages
    first, second = PdfReader(one.file.path), PdfReader(two.file.path)
    for a, b in zip(first.pages[2:], second.pages[2:], strict=True):  # the front page's generated-at differs
        assert a.extract_text() == b.extract_text()


def test_a_packet_left_waiting_by_a_broker_outage_is_built_by_the_minute_tick_once(records):
    """Issue 18: with the broker down the request still answers; beat's tick builds what was left waiting."""
    from audit.services import _dispatch_build, build_waiting_packets

    class BrokerDown:
        def apply_async(self, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    packet = services.request_packet(agency=records.agency, actor=records.users["leds_rep"],
                                     period_start_on=datetime.date(2024, 5, 14), period_end_on=timezone.localdate(),
                                     today=timezone.localdate(), queue=False)
    _dispatch_build(BrokerDown(), packet.pk)  # logs and returns: the request is not failed
    assert build_waiting_packets(now=timezone.now()) == 0  # not yet a minute old: the worker may still take it
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert build_waiting_packets(now=later) == 1
    packet.refresh_from_db()
    assert packet.status == "done" and packet.sha256
    assert build_waiting_packets(now=later) == 0  # built once
