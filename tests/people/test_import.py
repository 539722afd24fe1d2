"""The roster import: all or nothing, every error with its line and column (R-PE-1, R-AU-2)."""

import io
import pickle

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from people import importers
from people.factories import AgencyFactory, PersonFactory
from people.importers import Change
from people.models import Person

HEADER = "employee_id,last_name,first_name,email,position,assignment_date,role_tier,supervisor_employee_id,status"
GOOD = f"""{HEADER}
E1,Ames,Ada,ada@example.org,Sergeant,2024-01-15,3,,active
E2,Brook,Ben,,Officer,3/5/2025,2,E1,
E3,Cole,Cy,,Dispatcher,2025-06-01,2,E4,active
E4,Dunn,Di,,Lieutenant,2020-01-01,3,,active
"""


@pytest.fixture
def roster_agency(db):
    return AgencyFactory(ori="OR0340400", name="Example Police")


def run(agency, content, *args, filename="roster.csv"):
    path = io.BytesIO()
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    target = folder / filename
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    out, err = io.StringIO(), io.StringIO()
    del path
    call_command("import_roster", "--agency", agency.ori, str(target), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_file_imports_with_supervisors_later_in_the_file(roster_agency):
    out, _ = run(roster_agency, GOOD)
    assert out.strip().endswith("created 4, updated 0, unchanged 0")
    people = {p.employee_id: p for p in Person.objects.filter(agency=roster_agency)}
    assert people["E2"].supervisor == people["E1"] and people["E3"].supervisor == people["E4"]
    assert str(people["E2"].assigned_on) == "2025-03-05"
    record = people["E1"].history.get()
    assert record.history_user.username == "system:import_roster"
    assert record.history_change_reason == "Roster import (roster.csv)"


def test_reimport_changes_nothing_not_even_history(roster_agency):
    from people.models import Person as P

    run(roster_agency, GOOD)
    before = P.history.count()
    out, _ = run(roster_agency, GOOD)
    assert out.strip().endswith("created 0, updated 0, unchanged 4")
    assert P.history.count() == before


def test_one_changed_field_updates_one_person(roster_agency):
    run(roster_agency, GOOD)
    out, _ = run(roster_agency, GOOD.replace("E2,Brook,Ben,,Officer", "E2,Brook,Ben,,Detective"))
    assert out.strip().endswith("created 0, updated 1, unchanged 3")
    person = Person.objects.get(employee_id="E2")
    assert person.position == "Detective"
    assert person.history.first().diff_against(person.history.all()[1]).changed_fields == ["position"]


def test_every_bad_row_is_reported_at_once_and_nothing_is_imported(roster_agency):
    bad = f"""{HEADER}
E1,Ames,Ada,not-an-email,Sergeant,2026-13-45,5,,active
E2,,Ben,,Officer,2025-03-05,2,E9,retired
E2,Brook,Ben,,Officer,2025-03-05,2,,
E5,Eve,Ed,,Officer,2025-03-05,2,E6,
E6,Fox,Fi,,Officer,2025-03-05,2,E5,
E7,Gray,Gu,,Officer,2025-03-05,2,,separated
"""
    with pytest.raises(CommandError, match="nothing imported"):
        run(roster_agency, bad)
    assert not Person.objects.filter(agency=roster_agency).exists()
    _, err = _errors(roster_agency, bad)
    lines = err.splitlines()
    assert 'line 2, column assignment_date: "2026-13-45" is not a date (YYYY-MM-DD or M/D/YYYY)' in lines
    assert any(line.startswith("line 2, column email:") for line in lines)
    assert 'line 2, column role_tier: "5": must be 1, 2, 3 or 4' in lines
    assert "line 3, column last_name: is required" in lines
    assert any(line.startswith("line 3, column status:") and "retired" in line for line in lines)
    assert 'line 4, column employee_id: "E2" appears again (first on line 3)' in lines
    assert "line 5, column supervisor_employee_id: creates a loop in the supervisor chain" in lines
    assert "line 6, column supervisor_employee_id: creates a loop in the supervisor chain" in lines
    assert "line 7, column separation_date: is required when status is separated" in lines


def _errors(agency, content):
    try:
        return run(agency, content)
    except CommandError:
        pass
    import tempfile
    from pathlib import Path

    target = Path(tempfile.mkdtemp()) / "roster.csv"
    target.write_text(content)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", "--agency", agency.ori, str(target), stderr=err, stdout=io.StringIO())
    return "", err.getvalue()


def test_unknown_supervisor_is_an_error(roster_agency):
    content = f"{HEADER}\nE1,Ames,Ada,,x,2024-01-15,3,NOPE,active\n"
    _, err = _errors(roster_agency, content)
    assert 'line 2, column supervisor_employee_id: no person with employee ID "NOPE" in this file or the agency' in err


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "roster.csv", "The file is empty."),
    (b"\xff\xfe\x00bad", "roster.csv", "not UTF-8"),
    (b"employee_id,last_name\nE1,Ames\n", "roster.csv",
     "lacks the required columns first_name, assignment_date, role_tier"),
    (b"hello", "roster.pdf", "is not a CSV or XLSX file"),
    (b"PK\x03\x04broken", "roster.xlsx", "not a readable XLSX workbook"),
    (HEADER.encode() + b"\n", "roster.csv", "has a header but no rows"),
])
def test_unreadable_files_get_one_clear_message(roster_agency, content, filename, message):
    with pytest.raises(CommandError, match=message):
        run(roster_agency, content, filename=filename)


def test_bom_crlf_header_case_order_and_extra_columns(roster_agency):
    content = ("\ufeffRole_Tier , LAST_NAME,Employee_ID,First_Name,Assignment_Date,Shoe_Size\r\n"
               "2,Ames,E1,Ada,2024-01-15,42\r\n")
    out, _ = run(roster_agency, content.encode("utf-8"))
    assert out.strip().endswith("created 1, updated 0, unchanged 0")
    person = Person.objects.get(employee_id="E1")
    assert (person.last_name, person.role_tier, person.status) == ("Ames", 2, "active")


def test_xlsx_with_date_cells(roster_agency):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["employee_id", "last_name", "first_name", "assignment_date", "role_tier"])
    sheet.append(["X1", "Xu", "Xi", datetime.datetime(2025, 2, 3), 2])
    sheet.append([1002, "Yo", "Yi", "4/1/2025", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    out, _ = run(roster_agency, buffer.getvalue(), filename="roster.xlsx")
    assert out.strip().endswith("created 2, updated 0, unchanged 0")
    assert str(Person.objects.get(employee_id="X1").assigned_on) == "2025-02-03"
    assert Person.objects.get(employee_id="1002").role_tier == 3


def test_dry_run_writes_nothing_and_people_not_in_file_are_listed(roster_agency):
    PersonFactory(agency=roster_agency, employee_id="OLD1")
    out, _ = run(roster_agency, GOOD, "--dry-run")
    assert "1 people of the agency are not in this file" in out
    assert "dry run" in out
    assert Person.objects.filter(agency=roster_agency).count() == 1


def test_separation_in_the_file_counts_from_the_end_of_that_day(roster_agency):
    content = f"{HEADER},separation_date\nE1,Ames,Ada,,x,2024-01-15,3,,separated,2026-11-20\n"
    run(roster_agency, content)
    moment = Person.objects.get(employee_id="E1").separated_at.astimezone(roster_agency.zone)
    assert (moment.date().isoformat(), moment.hour, moment.minute) == ("2026-11-20", 23, 59)


def test_web_preview_then_confirm_without_a_second_upload(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["leds_rep"])
    content = GOOD.replace("E4,Dunn", "E4,Dunn")
    preview = client.post(reverse("people:import"), {"file": SimpleUploadedFile("hr.csv", content.encode())})
    body = preview.content.decode()
    assert "4 to create" in body and "Confirm and import" in body
    assert not Person.objects.filter(agency=world.agency, employee_id="E1").exists()
    token = preview.context["token"]
    response = client.post(reverse("people:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Person.objects.filter(agency=world.agency, employee_id__in=["E1", "E2", "E3", "E4"]).count() == 4
    # the token is single use, and another user cannot use it
    again = client.post(reverse("people:import_confirm"), {"token": token})
    assert again.status_code == 302 and again.url == reverse("people:import")


def test_web_preview_lists_errors_and_offers_no_confirm(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["leds_rep"])
    bad = f"{HEADER}\nE1,Ames,Ada,,x,2026-13-45,3,,active\n"
    body = client.post(reverse("people:import"), {"file": SimpleUploadedFile("hr.csv", bad.encode())}).content.decode()
    assert "line 2, column assignment_date: &quot;2026-13-45&quot; is not a date" in body
    assert "Confirm and import" not in body


def test_history_page_shows_field_differences_with_user_and_reason(world, login):
    from people.services import update_person

    person = world.target
    update_person(person=person, actor=world.users["leds_rep"], data={"position": "Watch Commander"},
                  reason="Promotion")
    body = login(world.users["leds_rep"]).get(reverse("people:history", args=[person.pk])).content.decode()
    assert "Watch Commander" in body and "Promotion" in body
    assert "Position:" in body and "→" in body
    assert world.users["leds_rep"].get_full_name() in body


def test_web_preview_warns_about_cells_that_look_like_formulas(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["leds_rep"])
    content = GOOD.replace("E2,Brook,Ben", 'E2,"=HYPERLINK(""http://x"")",Ben').replace("Dispatcher", "@SUM(A1)")
    preview = client.post(reverse("people:import"), {"file": SimpleUploadedFile("hr.csv", content.encode())})
    body = preview.content.decode()
    assert 'id="import-warnings"' in body and "2 warnings: check before you import" in body
    assert "line 3, column last_name" in body and "line 4, column position" in body
    assert "Confirm and import" in body  # a warning, not an error: the names are kept as typed
    client.post(reverse("people:import_confirm"), {"token": preview.context["token"]})
    assert Person.objects.get(agency=world.agency, employee_id="E2").last_name == '=HYPERLINK("http://x")'


def test_web_upload_with_a_column_named_twice_is_refused_naming_it(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["leds_rep"])
    content = GOOD.replace("first_name,email", "Last_Name ,email", 1)
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("hr.csv", content.encode())})
    body = response.content.decode()
    assert "names the column &quot;last_name&quot; twice" in body
    assert not Person.objects.filter(agency=world.agency, employee_id="E1").exists()


def test_r_pe_2_a_separation_dated_in_the_future_counts_as_active_until_that_date(roster_agency):
    from datetime import date

    from compliance.selectors import person_compliance

    content = f"{HEADER},separation_date\nE1,Ames,Ada,,x,2024-01-15,3,,separated,2099-06-30\n"
    out, _ = run(roster_agency, content)
    person = Person.objects.get(employee_id="E1")
    assert person.status == Person.Status.ACTIVE
    assert person.separated_at.astimezone(roster_agency.zone).date() == date(2099, 6, 30)
    assert person_compliance(person=person, today=date(2099, 6, 30)).verdict.applicable  # still owes everything
    assert not person_compliance(person=person, today=date(2099, 7, 1)).verdict.applicable  # separated from then
    out, _ = run(roster_agency, content)
    assert out.strip().endswith("created 0, updated 0, unchanged 1")  # re-import changes nothing


def test_history_page_query_count_does_not_grow_with_the_persons_records(world, login):
    """Issue 23: each history row's object is named from foreign keys loaded once per record kind, not a query
    per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from state_access.factories import StateAccountFactory, state_system

    client = login(world.users["leds_rep"])
    url = reverse("people:history", args=[world.target.pk])
    StateAccountFactory(person=world.target, system=state_system("WebLEDS"))
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for name in ("nexTEST", "CJIS Online", "LEDS 20/20 / eAgent"):
        StateAccountFactory(person=world.target, system=state_system(name))
    assert queries() == one


def test_history_page_query_count_does_not_depend_on_which_records_the_person_has(world, login):
    """Issue 23 (bench/pages.py: ``queries_grow``): one query per kind of record whether the person has such
    records or not, and a changed key's old and new records come with the history rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.services import update_person
    from state_access.factories import StateAccountFactory, state_system
    from training_events.factories import TrainingEventFactory
    from training_events.services import register_for_event

    client = login(world.users["leds_rep"])
    bare = PersonFactory(agency=world.agency)
    client.get(reverse("people:history", args=[bare.pk]))

    def queries(person):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("people:history", args=[person.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    alone, _ = queries(bare)
    busy = PersonFactory(agency=world.agency)
    StateAccountFactory(person=busy, system=state_system("WebLEDS"))
    register_for_event(event_id=TrainingEventFactory().pk, person=busy)
    old_supervisor, new_supervisor = world.people["supervisor"], world.people["leds_rep"]
    update_person(person=busy, actor=world.users["leds_rep"], data={"supervisor": old_supervisor}, reason="Team")
    update_person(person=busy, actor=world.users["leds_rep"], data={"supervisor": new_supervisor}, reason="Moved")
    count, body = queries(busy)
    assert count == alone
    assert f"{old_supervisor}" in body and f"{new_supervisor}" in body and "Moved" in body


def test_people_are_written_in_batches_with_their_supervisors_and_history(roster_agency, monkeypatch):
    """Issue 17: creates and updates go WRITE_BATCH at a time (3 here); a supervisor new in the file is written in
    an earlier batch than the people below them, and every person gets one history row per write."""
    monkeypatch.setattr(importers, "WRITE_BATCH", 3)
    rows = [f"S{i},Lead{i},Lee,,Sergeant,2024-01-15,3,,active" for i in range(4)]
    rows += [f"P{i},Staff{i},Sam,,Officer,2024-01-15,2,S{i % 4},active" for i in range(8)]
    out, _ = run(roster_agency, "\n".join([HEADER, *reversed(rows)]) + "\n")  # the people before their leads
    assert out.strip().endswith("created 12, updated 0, unchanged 0")
    people = {p.employee_id: p for p in Person.objects.filter(agency=roster_agency).select_related("supervisor")}
    assert {eid: p.supervisor.employee_id for eid, p in people.items() if p.supervisor} == {
        f"P{i}": f"S{i % 4}" for i in range(8)}
    assert Person.history.filter(agency=roster_agency).count() == 12
    changed = [row.replace("Officer", "Detective") for row in rows[4:11]]  # 7 updates: three batches
    out, _ = run(roster_agency, "\n".join([HEADER, *rows[:4], *changed, rows[11]]) + "\n")
    assert out.strip().endswith("created 0, updated 7, unchanged 5")
    assert Person.objects.filter(agency=roster_agency, position="Detective").count() == 7
    assert Person.history.filter(agency=roster_agency, position="Detective").count() == 7


def test_a_preview_stored_with_the_old_shape_of_a_change_still_opens():
    """A job's preview pickled before Change had slots (its state a dict) loads, as a new one does."""
    change = Change(7, "E7", "Ames, Ada", [("position", "Officer", "Sergeant")])
    assert pickle.loads(pickle.dumps(change)) == change  # noqa: S301 — bytes made on the line itself
    old = Change.__new__(Change)
    old.__setstate__({"line": 7, "employee_id": "E7", "name": "Ames, Ada",
                      "changes": [("position", "Officer", "Sergeant")]})
    assert old == change
