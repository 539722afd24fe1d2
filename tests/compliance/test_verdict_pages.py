"""The same verdict (R-PE-3) on the roster, dashboard, worklist, person page and compliance_report."""

import csv
import datetime
import io
import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from background.factories import ClearedFingerprintCheckFactory, FingerprintCheckFactory
from certification.factories import CertificationResultFactory, SecurityAwarenessCompletionFactory
from compliance.engine import ELIGIBLE, MUST_BE_SUSPENDED, NOT_YET_ELIGIBLE
from people.factories import PersonFactory
from tests.conftest import refresh_compliance

TODAY = datetime.date(2026, 11, 23)


def deny(person):
    """R-BG-2: a denial decided 2026-11-02, and everything else in good standing."""
    FingerprintCheckFactory(person=person, submitted_on=datetime.date(2025, 1, 20), outcome="denied",
                            denial_reason="current_prosecution", result_on=datetime.date(2026, 11, 2))
    CertificationResultFactory(person=person, passed_on=datetime.date(2025, 6, 1))
    SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2026, 1, 6))


def ready_new_hire(world):
    person = PersonFactory(agency=world.agency, status="pending", last_name="Newhire", first_name="Ready",
                           assigned_on=datetime.date(2026, 11, 16))
    ClearedFingerprintCheckFactory(person=person, submitted_on=datetime.date(2026, 11, 17),
                                   result_on=datetime.date(2026, 11, 20))
    SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2026, 11, 18))
    return person


def waiting_new_hire(world):
    return PersonFactory(agency=world.agency, status="pending", last_name="Newhire", first_name="Waiting",
                         assigned_on=datetime.date(2026, 11, 20))


def report(world):
    out = StringIO()
    call_command("compliance_report", "--agency", world.agency.ori, "--today", TODAY.isoformat(), stdout=out)
    return {p["employee_id"]: p for p in json.loads(out.getvalue())}


def test_r_pe_3_compliance_report_carries_the_verdict_and_its_rule_ids(world):
    deny(world.target)
    ready, waiting = ready_new_hire(world), waiting_new_hire(world)
    entries = report(world)
    assert (entries[world.target.employee_id]["verdict"], entries[world.target.employee_id]["reasons"]) == (
        MUST_BE_SUSPENDED, ["R-BG-2"])
    assert (entries[ready.employee_id]["verdict"], entries[ready.employee_id]["reasons"]) == (ELIGIBLE, [])
    assert entries[waiting.employee_id]["verdict"] == NOT_YET_ELIGIBLE
    assert entries[waiting.employee_id]["reasons"] == ["R-BG-1", "R-SA-1"]
    assert {"employee_id", "name", "eligible", "obligations"} <= set(entries[ready.employee_id])  # kept fields


def test_r_pe_3_compliance_report_csv_has_verdict_and_reasons_columns(world):
    deny(world.target)
    out = StringIO()
    call_command("compliance_report", "--agency", world.agency.ori, "--today", TODAY.isoformat(), "--format", "csv",
                 stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[-2:] == ["verdict", "reasons"]
    mine = {(r["verdict"], r["reasons"]) for r in rows if r["employee_id"] == world.target.employee_id}
    assert mine == {(MUST_BE_SUSPENDED, "R-BG-2")}


def test_r_pe_3_roster_verdict_column_and_filter_keep_the_other_filters(world, login):
    deny(world.target)
    ready_new_hire(world)
    refresh_compliance()  # the refresh worker's run after the commit (issue 23)
    client = login(world.users["leds_rep"])
    body = client.get(reverse("people:roster"), {"verdict": MUST_BE_SUSPENDED, "q": "Tester"}).content.decode()
    assert world.target.last_name in body and 'data-verdict="must_be_suspended"' in body
    assert 'data-reasons="R-BG-2"' in body and "Newhire" not in body
    ready = client.get(reverse("people:roster"), {"verdict": ELIGIBLE, "status": "pending"}).content.decode()
    assert "Newhire, Ready" in ready and 'data-verdict="eligible"' in ready and "Employee Tester" not in ready
    unfiltered = client.get(reverse("people:roster")).content.decode()
    assert "Newhire, Ready" in unfiltered and "Employee" in unfiltered


def test_r_bg_4_roster_and_worklist_name_a_background_reason_only_to_the_laso_and_rep(world, login):
    deny(world.target)
    refresh_compliance()
    supervisor = login(world.users["supervisor"])
    body = supervisor.get(reverse("people:roster"), {"verdict": MUST_BE_SUSPENDED}).content.decode()
    assert 'data-verdict="must_be_suspended"' in body and "R-BG-2" not in body
    worklist = supervisor.get(reverse("compliance:dashboard")).content.decode()
    assert "R-BG-2" not in worklist and "denied" not in worklist.lower()
    page = supervisor.get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert "R-BG-2" not in page and "denied" not in page.lower() and "Access must be suspended" in page


def test_r_pe_3_dashboard_counts_people_per_verdict_and_names_them_first(world, login):
    deny(world.target)
    ready_new_hire(world)
    waiting_new_hire(world)
    refresh_compliance()
    client = login(world.users["laso"])
    response = client.get(reverse("compliance:dashboard"))
    data = response.context["data"]
    assert data.verdict_counts[NOT_YET_ELIGIBLE] == 1 and data.verdict_counts[ELIGIBLE] == 1
    assert data.verdict_counts[MUST_BE_SUSPENDED] == data.suspended_count >= 1
    assert sum(data.verdict_counts.values()) == data.people_count
    body = response.content.decode()
    assert 'id="verdict-counts"' in body and 'id="not-yet-eligible-alert"' in body and "Newhire, Waiting" in body
    filtered = client.get(reverse("compliance:dashboard"), {"verdict": NOT_YET_ELIGIBLE}).context["page"]
    assert {row.person.last_name for row in filtered.object_list} == {"Newhire"}
    assert {row.verdict for row in filtered.object_list} == {NOT_YET_ELIGIBLE}


def test_r_pe_3_person_page_shows_the_verdict_with_rule_and_sentence(world, login):
    deny(world.target)
    body = login(world.users["laso"]).get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert 'data-verdict="must_be_suspended"' in body and "Access must be suspended" in body
    assert "R-BG-2 — Background check denied Nov 2, 2026" in body
