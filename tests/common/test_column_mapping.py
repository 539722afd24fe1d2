"""Column mapping (issue 21): an agency's own export headers mapped once, saved, and used for next month's file."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from certification.models import CertificationResult
from common.tabular import read_table, remap
from people.factories import PersonFactory
from people.models import ColumnMapping, Person
from people.services import save_column_mapping

HR_HEADER = "Emp #,Last Name,First Name,E-mail,Job Title,Hire Date,Tier,Supervisor Emp #,Employment Status"
HR_COLUMNS = {"Emp #": "employee_id", "Last Name": "last_name", "First Name": "first_name", "E-mail": "email",
              "Job Title": "position", "Hire Date": "assignment_date", "Tier": "role_tier",
              "Supervisor Emp #": "supervisor_employee_id", "Employment Status": "status"}


def _run(command, agency, path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), "--agency", agency.ori, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_hr_export_imports_through_a_saved_mapping_and_next_months_file_unchanged(world, tmp_path):
    save_column_mapping(agency=world.agency, kind="roster", columns=HR_COLUMNS, actor=world.users["leds_rep"])
    november = tmp_path / "hr-2026-11.csv"
    november.write_text(f"{HR_HEADER}\nH-1,Ames,Ada,ada@example.org,Sergeant,01/15/2024,3,,Active\n"
                        "H-2,Brook,Ben,,Dispatcher,3/5/2025,2,H-1,active\n")
    out, _ = _run("import_roster", world.agency, november, "--mapping", "default")
    assert "created 2" in out
    assert Person.objects.get(agency=world.agency, employee_id="H-2").supervisor.employee_id == "H-1"

    december = tmp_path / "hr-2026-12.csv"  # same export, a new hire: no change to the mapping
    december.write_text(november.read_text() + "H-3,Cole,Cy,,Records Clerk,11/30/2026,2,H-1,active\n")
    out, _ = _run("import_roster", world.agency, december, "--mapping", "default")
    assert "created 1" in out and "unchanged 2" in out
    assert Person.objects.get(agency=world.agency, employee_id="H-3").position == "Records Clerk"


def test_a_nextest_export_imports_through_a_saved_mapping_with_a_constant_record_kind(world, tmp_path):
    person = PersonFactory(agency=world.agency, employee_id="4711")
    save_column_mapping(agency=world.agency, kind="records", name="nextest", actor=world.users["leds_rep"],
                        columns={"Emp #": "employee_id", "Test Date": "date", "Certification Level": "level",
                                 "Score": "score", "Student": ""},
                        constants={"record": "certification_passed"})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Student", "Emp #", "Test Date", "Certification Level", "Score"])
    sheet.append(["Doe, Jane", "4711", "2026-10-14", "Full Access", 92])
    path = tmp_path / "nextest-results.xlsx"
    workbook.save(path)
    out, _ = _run("import_records", world.agency, path, "--mapping", "nextest")
    assert "1" in out
    result = CertificationResult.objects.get(person=person)
    assert (str(result.passed_on), result.level.name, result.score) == ("2026-10-14", "Full Access", 92)


def test_errors_name_the_files_own_lines_under_a_mapping(world, tmp_path):
    save_column_mapping(agency=world.agency, kind="roster", columns=HR_COLUMNS, actor=world.users["leds_rep"])
    path = tmp_path / "hr.csv"
    path.write_text(f"{HR_HEADER}\nH-1,Ames,Ada,,Sergeant,01/15/2024,3,,active\n\nH-2,Brook,Ben,,Clerk,2025-13-45,2,,\n")
    with pytest.raises(CommandError, match="nothing imported"):
        _run("import_roster", world.agency, path, "--mapping", "default")
    assert not Person.objects.filter(employee_id__in=["H-1", "H-2"]).exists()


def test_an_unknown_mapping_name_is_a_clear_error(world, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(f"{HR_HEADER}\n")
    with pytest.raises(CommandError, match='no saved column mapping "monthly" for the roster import'):
        _run("import_roster", world.agency, path, "--mapping", "monthly")


def test_saving_the_same_mapping_twice_writes_one_history_row(world):
    for _ in range(2):
        save_column_mapping(agency=world.agency, kind="roster", columns=HR_COLUMNS, actor=world.users["leds_rep"])
    mapping = ColumnMapping.objects.get(agency=world.agency, kind="roster")
    assert mapping.columns["emp #"] == "employee_id"  # keys folded as headers are matched
    assert mapping.history.count() == 1


def test_remap_renames_drops_and_adds_columns():
    data, name = remap(b"Emp #,Junk,Test Date\n7,x,2026-01-02\n", "nextest.csv", {"emp #": "employee_id", "junk": "",
                                                                                 "test date": "date"},
                       {"record": "certification_passed"})
    assert name == "nextest.csv"
    table = read_table(data, name, required=["employee_id", "date", "record"])
    assert table.rows == [(2, {"employee_id": "7", "date": "2026-01-02", "record": "certification_passed"})]
