"""Exports cannot carry a formula: every text cell that a spreadsheet would run is neutralised (issue 17)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.exports import safe_cell, table_response, write_csv
from compliance.reports import as_csv

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_numbers_and_dates_are_left_alone():
    assert safe_cell("O'Brien") == "O'Brien"
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5
    assert safe_cell(date(2026, 1, 2)) == date(2026, 1, 2)
    assert safe_cell(None) == ""


def test_csv_table_response_neutralises_every_text_cell():
    response = table_response(filename="t", fmt="csv", headers=["=h", "b"], rows=[[text, 1] for text in HOSTILE])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=h", "b"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]


def test_xlsx_cells_are_strings_never_formulas():
    response = table_response(filename="t", fmt="xlsx", headers=["name", "due", "n"],
                              rows=[[text, date(2026, 1, 2), 7] for text in [*HOSTILE, "#N/A"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2))
    for cell, text in zip((row[0] for row in cells), [*HOSTILE, "#N/A"], strict=True):
        assert cell.data_type == "s", cell.value
        assert cell.value.replace("\n", "\r") in ("'" + text, text)  # XML stores a lone CR as LF
        assert not str(cell.value).startswith(("=", "+", "-", "@"))
    assert cells[0][1].is_date and cells[0][2].value == 7


def test_write_csv_and_the_compliance_report_csv_are_neutralised():
    buffer = io.StringIO()
    write_csv(buffer, ["a"], [["=1+1"]])
    assert buffer.getvalue().splitlines()[1] == "'=1+1"
    report = [{"employee_id": "7", "name": "=HYPERLINK(\"x\")", "obligation": None, "verdict": "eligible",
               "reasons": [],
               "obligations": [{"rule": "R", "obligation": "o", "status": "open", "due": None}]}]
    assert "'=HYPERLINK" in as_csv(report)


def test_a_hostile_name_in_the_roster_export_is_neutralised(world, login):
    person = world.people["employee"]
    person.last_name = "=HYPERLINK(\"http://evil\",\"x\")"
    person.first_name = "@SUM(A1)"
    person.save()
    client = login(world.users["leds_rep"])
    body = client.get(reverse("people:roster_export"), {"format": "csv"}).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body, newline="")) for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells and "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
    xlsx = client.get(reverse("people:roster_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in values)
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in [cell.value for cell in values]


def test_a_hostile_name_in_the_worklist_export_is_neutralised(world, login):
    person = world.people["employee"]
    person.last_name = "+cmd|' /C calc'!A0"
    person.save()
    from compliance.obligations import refresh_agency

    refresh_agency(world.agency.pk, force=True)  # what the refresh worker does after the commit (issue 23)
    client = login(world.users["leds_rep"])
    body = client.get(reverse("compliance:export"), {"format": "csv"}).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body, newline="")) for cell in row]
    assert any("+cmd" in cell for cell in cells)
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
