"""The records import: every error by line and column, all or nothing, re-import adds nothing."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from background.models import FingerprintCheck
from certification.models import CertificationResult, SecurityAwarenessCompletion, TrainingGuideIssue
from people.factories import AgencyFactory, PersonFactory

GOOD = """employee_id,record,date,level,score,tier
R1,fingerprints_submitted,2025-01-20,,,
R1,training_guide_issued,2025-01-10,,,
R1,training_guide_completed,2/20/2025,,,
R1,certification_passed,2025-03-01,full access,91,
R1,security_awareness_completed,2025-01-05,,,3
"""


@pytest.fixture
def person(db):
    agency = AgencyFactory(ori="OR0340400")
    # assigned before every date the tests ask about (the factory's random date made R-SA-1 "open" at times)
    return PersonFactory(agency=agency, employee_id="R1", role_tier=3, assigned_on=datetime.date(2020, 1, 6))


def run(agency, content, *args):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "records.csv"
    path.write_text(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", "--agency", agency.ori, str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_good_file_adds_every_kind_and_reimport_adds_nothing(person):
    out, _, failure = run(person.agency, GOOD)
    assert failure is None and out.strip() == "added 5, already on file 0"
    assert FingerprintCheck.objects.get(person=person).submitted_on.isoformat() == "2025-01-20"
    guide = TrainingGuideIssue.objects.get(person=person)
    assert (guide.issued_on.isoformat(), guide.completed_on.isoformat()) == ("2025-01-10", "2025-02-20")
    result = CertificationResult.objects.get(person=person)
    assert (result.level.name, result.score, result.source) == ("Full Access", 91, "import")
    assert SecurityAwarenessCompletion.objects.get(person=person).tier == 3
    out, _, _ = run(person.agency, GOOD)
    assert out.strip() == "added 0, already on file 5"
    assert CertificationResult.objects.count() == 1
    assert result.history.get().history_change_reason == "Records import (records.csv)"


def test_every_bad_row_is_reported_and_nothing_is_imported(person):
    bad = """employee_id,record,date,level,score,tier
NOBODY,fingerprints_submitted,2025-01-20,,,
R1,passed_the_bar,2025-01-20,,,
R1,certification_passed,2025-01-20,Platinum,80,
R1,certification_passed,2025-13-45,Inquiry,101,
R1,training_guide_completed,2025-01-01,,,
R1,fingerprints_submitted,2025-01-21,,,
"""
    _, err, failure = run(person.agency, bad)
    assert failure == "6 errors; nothing imported"
    lines = err.splitlines()
    assert 'line 2, column employee_id: no person with employee ID "NOBODY" in OR0340400' in lines
    assert any(line.startswith('line 3, column record: "passed_the_bar" is not a record kind') for line in lines)
    assert any(line.startswith('line 4, column level: "Platinum" is not a certification level') for line in lines)
    assert 'line 5, column date: "2025-13-45" is not a date (YYYY-MM-DD or M/D/YYYY)' in lines
    assert 'line 5, column score: "101": must be 0 to 100' in lines
    assert any(line.startswith("line 6, column date: no training guide was issued") for line in lines)
    assert not FingerprintCheck.objects.exists()


def test_web_upload_preview_confirm(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["leds_rep"])
    content = GOOD.replace("R1", world.target.employee_id)
    preview = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("r.csv", content.encode())})
    assert "5 records to add" in preview.content.decode()
    response = client.post(reverse("certification:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert CertificationResult.objects.filter(person=world.target).count() == 1


def _status(person, obligation, on):
    from datetime import date

    from compliance.selectors import person_compliance

    result = person_compliance(person=person, today=date.fromisoformat(on))
    return next(o.status for o in result.obligations if o.obligation == obligation)


def test_two_completions_of_one_guide_are_both_kept_and_reimport_changes_nothing(person):
    content = """employee_id,record,date
R1,training_guide_issued,2025-01-10
R1,training_guide_completed,2025-02-20
R1,training_guide_completed,2025-06-01
"""
    out, _, failure = run(person.agency, content)
    assert failure is None and out.strip() == "added 3, already on file 0"
    guide = TrainingGuideIssue.objects.get(person=person)
    assert guide.completed_on.isoformat() == "2025-02-20"  # the first completion is the one R-CE-2 counts
    assert [c.completed_on.isoformat() for c in guide.further_completions.all()] == ["2025-06-01"]
    assert _status(person, "training_guide_completion", "2025-04-01") == "done"  # between the two: done
    history = TrainingGuideIssue.history.count()
    out, _, _ = run(person.agency, content)
    assert out.strip() == "added 0, already on file 3"
    assert TrainingGuideIssue.history.count() == history
    assert _status(person, "training_guide_completion", "2025-04-01") == "done"


def test_an_earlier_completion_imported_later_takes_the_first_place(person):
    run(person.agency, "employee_id,record,date\nR1,training_guide_issued,2025-01-10\n"
                       "R1,training_guide_completed,2025-06-01\n")
    out, _, _ = run(person.agency, "employee_id,record,date\nR1,training_guide_completed,2025-02-20\n")
    assert out.strip() == "added 1, already on file 0"
    guide = TrainingGuideIssue.objects.get(person=person)
    assert guide.completed_on.isoformat() == "2025-02-20"
    assert [c.completed_on.isoformat() for c in guide.further_completions.all()] == ["2025-06-01"]


def test_two_passes_on_one_day_at_different_levels_are_two_records(person):
    content = """employee_id,record,date,level,score
R1,certification_passed,2025-03-01,Inquiry,80
R1,certification_passed,2025-03-01,Full Access,91
"""
    out, _, failure = run(person.agency, content)
    assert failure is None and out.strip() == "added 2, already on file 0"
    assert sorted(CertificationResult.objects.filter(person=person).values_list("level__name", flat=True)) == [
        "Full Access", "Inquiry"]
    out, _, _ = run(person.agency, content)
    assert out.strip() == "added 0, already on file 2"
    assert CertificationResult.objects.filter(person=person).count() == 2


def test_r_sa_1_a_completion_below_the_persons_tier_does_not_count(person):
    """R-SA-1: "at the person's role tier": a lower tier does not count, a higher one does."""
    out, _, _ = run(person.agency, "employee_id,record,date,tier\nR1,security_awareness_completed,2025-01-05,2\n"
                                   "R1,security_awareness_completed,2025-01-05,3\n")
    assert out.strip() == "added 2, already on file 0"  # two tiers on one day: two records
    SecurityAwarenessCompletion.objects.filter(person=person, tier=3).delete()
    assert _status(person, "security_awareness", "2025-03-01") == "overdue"  # tier 2 < role tier 3
    SecurityAwarenessCompletion.objects.create(person=person, completed_on="2025-01-06", tier=4)
    assert _status(person, "security_awareness", "2025-03-01") == "done"  # tier 4 ≥ 3 counts


def test_a_file_larger_than_a_write_batch_imports_every_record_once_with_history(person, monkeypatch):
    """Issue 17: records written in bulk go WRITE_BATCH at a time (2 here): across the batches every record of
    the file is written once, for its own person, with its creation history row."""
    from certification import importers

    monkeypatch.setattr(importers, "WRITE_BATCH", 2)
    people = [person] + [PersonFactory(agency=person.agency, employee_id=f"R{i}", role_tier=2,
                                       assigned_on=datetime.date(2020, 1, 6)) for i in range(2, 6)]
    rows = "".join(f"R{i},fingerprints_submitted,2025-01-{i:02d},,,\nR{i},training_guide_issued,2025-02-{i:02d},,,\n"
                   f"R{i},certification_passed,2025-03-{i:02d},full access,9{i},\n"
                   f"R{i},security_awareness_completed,2025-04-{i:02d},,,{i % 4 + 1}\n" for i in range(1, 6))
    out, _, failure = run(person.agency, "employee_id,record,date,level,score,tier\n" + rows)
    assert failure is None and out.strip() == "added 20, already on file 0"
    for model, day in ((FingerprintCheck, "submitted_on"), (TrainingGuideIssue, "issued_on"),
                       (CertificationResult, "passed_on"), (SecurityAwarenessCompletion, "completed_on")):
        written = sorted((eid, on.day) for eid, on in model.objects.values_list("person__employee_id", day))
        assert written == [(p.employee_id, int(p.employee_id[1:])) for p in people], model  # R3's on the 3rd
        history = model.history.filter(history_type="+", history_change_reason="Records import (records.csv)")
        assert sorted(history.values_list("person__employee_id", flat=True)) == [p.employee_id for p in people]
    assert sorted(CertificationResult.objects.values_list("score", flat=True)) == [91, 92, 93, 94, 95]
