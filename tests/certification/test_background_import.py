"""Background history through the records import (R-BG-2, R-BG-4): decisions dated with their decision date,
applied to the latest fingerprint submission on or before it, through the background services."""

import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import SecurityEvent
from background.factories import FingerprintCheckFactory
from background.models import FingerprintCheck
from people.factories import AgencyFactory, PersonFactory

HISTORY = """employee_id,record,date,reason,notice_sent_on,reference
B1,fingerprints_submitted,2021-03-01,,,
B1,background_denied,2021-04-15,,,
B1,exception_granted,2021-09-01,,,SUP-2021-17
B2,fingerprints_submitted,2022-01-10,,,
B2,background_denied,2022-02-01,current_prosecution,2022-02-03,
B2,exception_requested,2022-02-20,,,
B2,exception_refused,2022-05-01,,,SUP-2022-4
B3,background_cleared,2023-01-05,,,
"""


def run(agency, content):
    path = Path(tempfile.mkdtemp()) / "history.csv"
    path.write_text(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", "--agency", agency.ori, str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def _people(db=None):
    agency = AgencyFactory(ori="OR0340400")
    return agency, {eid: PersonFactory(agency=agency, employee_id=eid) for eid in ("B1", "B2", "B3")}


def test_history_is_applied_step_by_step_and_reimport_adds_nothing(db):
    agency, people = _people()
    FingerprintCheckFactory(person=people["B3"], submitted_on="2022-12-01")  # already on file
    out, err, failure = run(agency, HISTORY)
    assert failure is None, err
    assert out.strip() == "added 8, already on file 0"
    first = FingerprintCheck.objects.get(person=people["B1"])
    assert (first.outcome, first.denial_reason, first.result_on.isoformat()) == (
        "exception_granted", "not_recorded", "2021-04-15")
    assert (first.exception_decided_on.isoformat(), first.exception_reference) == ("2021-09-01", "SUP-2021-17")
    assert first.exception_requested_on is None  # never in the records: implied, not invented
    reasons = list(first.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[1:] == ["Adjudication: Denied — Records import (history.csv)",
                           "Adjudication: Exception requested (implied by the decision) — Records import (history.csv)",
                           "Adjudication: Exception granted — Records import (history.csv)"]
    second = FingerprintCheck.objects.get(person=people["B2"])
    assert (second.outcome, second.denial_reason, str(second.denial_notice_sent_on),
            str(second.exception_requested_on)) == ("exception_refused", "current_prosecution", "2022-02-03",
                                                    "2022-02-20")
    assert FingerprintCheck.objects.get(person=people["B3"]).outcome == "cleared"
    logged = SecurityEvent.objects.filter(event=SecurityEvent.Kind.ADMIN_ACTION, agency=agency)
    assert logged.count() == 1 and logged.get().details["decisions"] == 6
    history = FingerprintCheck.history.count()
    out, _, _ = run(agency, HISTORY)
    assert out.strip() == "added 0, already on file 8"
    assert FingerprintCheck.history.count() == history


def test_a_decision_goes_to_the_latest_submission_on_or_before_its_date(db):
    agency, people = _people()
    content = """employee_id,record,date
B1,fingerprints_submitted,2020-01-10
B1,fingerprints_submitted,2024-06-01
B1,background_cleared,2020-02-01
B1,background_denied,2024-07-01
"""
    _, err, failure = run(agency, content)
    assert failure is None, err
    outcomes = dict(FingerprintCheck.objects.filter(person=people["B1"]).values_list("submitted_on", "outcome"))
    assert {d.isoformat(): o for d, o in outcomes.items()} == {"2020-01-10": "cleared", "2024-06-01": "denied"}


def test_a_decision_without_a_submission_or_out_of_order_is_refused_with_line_and_column(db):
    agency, _ = _people()
    content = """employee_id,record,date
B1,background_cleared,2021-01-01
B2,fingerprints_submitted,2021-01-01
B2,background_cleared,2021-02-01
B2,background_denied,2021-03-01
B3,fingerprints_submitted,2021-01-01
B3,exception_granted,2021-02-01
"""
    _, err, failure = run(agency, content)
    assert failure == "3 errors; nothing imported"
    lines = err.splitlines()
    assert lines[0] == ("line 2, column date: no fingerprint submission for this person on or before this date "
                        "(add a fingerprints_submitted row)")
    assert lines[1] == ("line 5, column record: the check submitted Jan 1, 2021 is cleared; it cannot become denied "
                        "on Mar 1, 2021")
    assert lines[2].startswith("line 7, column record: the check submitted Jan 1, 2021 is pending")
    assert not FingerprintCheck.objects.exists()


def test_the_laso_imports_background_history_on_the_web_and_the_import_is_logged(world, login):
    client = login(world.users["laso"])
    eid = world.target.employee_id
    content = f"employee_id,record,date\n{eid},fingerprints_submitted,2021-03-01\n{eid},background_cleared,2021-04-01\n"
    preview = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("b.csv", content.encode())})
    assert "2 records to add" in preview.content.decode()
    response = client.post(reverse("certification:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert FingerprintCheck.objects.get(person=world.target).outcome == "cleared"
    event = SecurityEvent.objects.get(event=SecurityEvent.Kind.ADMIN_ACTION, target="background records import (b.csv)")
    assert event.actor == world.users["laso"] and event.agency == world.agency


def test_the_laso_may_not_import_training_records(world, login):
    client = login(world.users["laso"])
    content = f"employee_id,record,date,level\n{world.target.employee_id},certification_passed,2025-01-01,Inquiry\n"
    preview = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("c.csv", content.encode())})
    assert 'line 2, column record: &quot;certification_passed&quot; is imported by the LEDS Representative' in (
        preview.content.decode())
    assert preview.context["token"] == ""
