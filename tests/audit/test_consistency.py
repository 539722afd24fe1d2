"""One verdict, the same figures everywhere (R-PE-3, issue 22): on the demo world and on a generated agency, the
dashboard's counts, the audit packet's cover figures (read back from the PDF's text) and compliance_report agree
for every obligation and status and for every verdict."""

import datetime
import io
import random
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from compliance import engine
from compliance.reports import compliance_report
from compliance.selectors import dashboard
from compliance.templatetags.compliance import obligation_label
from people.models import Person

TODAY = datetime.date(2026, 11, 23)
STATUS_ORDER = ("overdue", "due_soon", "open", "done", "not_required")  # the cover's columns
pytestmark = pytest.mark.django_db


def _packet_text(agency, actor) -> tuple[str, str]:
    from audit import services
    from audit.models import AuditPacket

    packet = services.request_packet(agency=agency, actor=actor, period_start_on=datetime.date(2024, 11, 23),
                                     period_end_on=TODAY, today=TODAY, queue=False)
    packet = services.build_packet(packet_id=packet.pk)
    assert packet.status == AuditPacket.Status.DONE, packet.error
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(packet.file.read())).pages]
    contents = next(i for i, page in enumerate(pages) if i and page.startswith("Contents"))
    return " ".join(pages[:contents]), " ".join(pages)


def _cover_figures(cover: str, obligations) -> tuple[dict, dict, int]:
    figures = {}
    for name in obligations:
        found = re.search(re.escape(obligation_label(name)) + r" (\d+) (\d+) (\d+) (\d+) (\d+)", cover)
        assert found, f"no row for {obligation_label(name)} on the cover"
        figures[name] = dict(zip(STATUS_ORDER, map(int, found.groups()), strict=True))
    table = cover[cover.index("Verdict (R-PE-3) People"):]
    verdicts = {code: int(re.search(re.escape(engine.VERDICT_LABELS[code]) + r" (\d+)", table).group(1))
                for code in engine.VERDICTS}
    suspended = int(re.search(r"(\d+) must have LEDS access suspended", cover).group(1))
    return figures, verdicts, suspended


def assert_everything_agrees(agency, actor):
    from compliance.obligations import refresh_agency

    refresh_agency(agency.pk, TODAY, force=True)  # what the refresh worker does after the records' commit (issue 23)
    board = dashboard(people=Person.objects.filter(agency=agency), agency=agency, today=TODAY, whole_agency=True)
    report = compliance_report(agency=agency, today=TODAY)
    reported = Counter((o["obligation"], o["status"]) for person in report for o in person["obligations"])
    report_verdicts = Counter(person["verdict"] for person in report)
    cover, whole = _packet_text(agency, actor)
    figures, verdicts, suspended = _cover_figures(cover, board.obligations)
    for name in board.obligations:
        for status in STATUS_ORDER:
            assert board.counts[name][status] == figures[name][status] == reported[(name, status)], (name, status)
    for code in engine.VERDICTS:
        assert board.verdict_counts[code] == verdicts[code] == report_verdicts[code], code
    assert suspended == board.suspended_count == report_verdicts[engine.MUST_BE_SUSPENDED]
    # the cover names everyone who must be suspended or is not yet eligible, with the rule IDs behind it
    squeezed = cover.replace(" ", "")  # a table cell may wrap anywhere
    for person in report:
        if person["verdict"] in (engine.MUST_BE_SUSPENDED, engine.NOT_YET_ELIGIBLE):
            assert f"({person['employee_id']})" in squeezed
            for rule_id in person["reasons"]:
                assert rule_id in squeezed
    return whole


def test_the_demo_world_agrees_everywhere(settings):
    from accounts.models import User
    from demo.seed import seed_demo

    settings.DEBUG = True
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=40, today=TODAY)
    whole = assert_everything_agrees(demo.agencies[0], demo.users["auditor"])
    # the roster shows verdicts; the history reads like the person history page
    assert "Assigned · status · verdict" in whole and "Eligible" in whole
    assert not re.search(r"Person #\d|Membership #\d|is_reviewed_against_case_file|person_id", whole)
    assert "Whitfield,Dana(D-REP)" in whole.replace(" ", "")


def _generated_agency(seed: int = 22):
    from background.models import FingerprintCheck
    from certification.models import (
        CertificationLevel,
        CertificationResult,
        SecurityAwarenessCompletion,
        TrainingGuideIssue,
    )
    from people.factories import AgencyFactory, PersonFactory, UserFactory

    rng = random.Random(seed)
    agency = AgencyFactory(ori="OR0990000", name="Generated County Sheriff's Office")
    level = CertificationLevel.objects.get_or_create(name="Full Access")[0]
    for index in range(60):
        status = rng.choice(["pending", "active", "active", "active", "suspended", "separated"])
        assigned = TODAY - datetime.timedelta(days=rng.randint(1, 2000))
        person = PersonFactory(agency=agency, employee_id=f"G{index:03d}", status=status, role_tier=rng.randint(1, 4),
                               assigned_on=assigned, separated_at=datetime.datetime(2026, 6, 1, 17, tzinfo=agency.zone)
                               if status == "separated" else None)
        if rng.random() < 0.85:
            outcome = rng.choice(["pending", "cleared", "cleared", "cleared", "denied", "exception_granted"])
            submitted = assigned + datetime.timedelta(days=rng.randint(0, 40))
            FingerprintCheck.objects.create(
                person=person, submitted_on=submitted, outcome=outcome,
                result_on=submitted + datetime.timedelta(days=20) if outcome != "pending" else None,
                denial_reason="current_prosecution" if outcome != "pending" and outcome != "cleared" else "")
        if rng.random() < 0.8:
            CertificationResult.objects.create(person=person, passed_on=TODAY - datetime.timedelta(
                days=rng.randint(0, 900)), level=level, score=rng.randint(70, 100))
        if rng.random() < 0.8:
            issued = assigned + datetime.timedelta(days=rng.randint(0, 20))
            TrainingGuideIssue.objects.create(person=person, issued_on=issued, completed_on=issued + datetime.timedelta(
                days=rng.randint(0, 90)) if rng.random() < 0.8 else None)
        if rng.random() < 0.8:
            SecurityAwarenessCompletion.objects.create(person=person, completed_on=TODAY - datetime.timedelta(
                days=rng.randint(0, 500)), tier=rng.randint(1, 4))
    auditor = UserFactory()
    return agency, auditor


def test_a_generated_agency_agrees_everywhere():
    agency, auditor = _generated_agency()
    assert_everything_agrees(agency, auditor)
