"""The shared import framework (common/tabular.py)."""

import io
from datetime import date

import pytest

from common.tabular import RowError, TabularError, keep_upload, load_upload, parse_date, read_table


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-23", date(2026, 11, 23)), ("11/23/2026", date(2026, 11, 23)), ("1/5/2026", date(2026, 1, 5)),
    (date(2026, 2, 1), date(2026, 2, 1)),
])
def test_parse_date_accepts_the_named_formats(text, expected):
    assert parse_date(text) == expected


def test_parse_date_names_the_value_and_the_formats():
    with pytest.raises(ValueError, match=r'"2026-02-30" is not a date \(YYYY-MM-DD or M/D/YYYY\)'):
        parse_date("2026-02-30")
    assert parse_date("20260105", ("%Y%m%d",)) == date(2026, 1, 5)


def test_row_error_reads_as_line_and_column():
    assert str(RowError(14, "DTE", '"13/45/2024" is not a date')) == 'line 14, column DTE: "13/45/2024" is not a date'


def test_blank_lines_are_skipped_and_lines_keep_their_file_numbers():
    table = read_table(b"a,b\n\n1,2\n", "x.csv", required=["a"])
    assert table.rows == [(3, {"a": "1"})]


def test_missing_required_column_is_one_message():
    with pytest.raises(TabularError, match="lacks the required column b"):
        read_table(b"a\n1\n", "x.csv", required=["a", "b"])


def test_a_kept_upload_is_returned_only_to_its_user_and_agency(world):
    token = keep_upload(b"data", "hr.csv", user=world.users["leds_rep"], agency=world.agency)
    assert load_upload(token, user=world.users["leds_rep"], agency=world.agency) == (b"data", "hr.csv")
    with pytest.raises(TabularError, match="expired"):
        load_upload(token, user=world.users["laso"], agency=world.agency)
    with pytest.raises(TabularError, match="expired"):
        load_upload("../../etc/passwd", user=world.users["leds_rep"], agency=world.agency)


def test_cells_that_look_like_formulas_are_warned_about_with_their_place():
    table = read_table(b"a,b\n=1+1,x\nok,@SUM(A1)\n", "x.csv", required=["a", "b"])
    assert [(w.line, w.column) for w in table.warnings] == [(2, "a"), (3, "b")]
    assert "would run as a formula" in str(table.warnings[0])
    assert table.rows[0][1]["a"] == "=1+1"  # kept as typed


@pytest.mark.parametrize("header", [b"a,b,a", b"a,b,A ", b"Last  Name,last name,a"])
def test_a_column_named_twice_refuses_the_file_naming_it(header):
    with pytest.raises(TabularError, match=r'names the column "(a|last name)" twice'):
        read_table(header + b"\n1,2,3\n", "x.csv", required=["a"])


def test_header_matching_folds_case_and_spaces():
    table = read_table(b" Last   NAME ,a\nLee,1\n", "x.csv", required=["last name", "a"])
    assert table.rows == [(2, {"last name": "Lee", "a": "1"})]


def test_a_non_utf8_file_names_its_first_bad_line():
    data = b"a,b\n1,2\n3,4\n" + b"\x81\x8d\x00,5\n"  # not UTF-8 and not text in Windows-1252
    with pytest.raises(TabularError, match=r"line 4 is the first .* Save it as CSV UTF-8"):
        read_table(data, "x.csv", required=["a"])


def test_a_windows_1252_file_is_read_and_says_so():
    data = "a,b\nJosé,“quoted”\nRenée,x\n".encode("cp1252")
    table = read_table(data, "x.csv", required=["a", "b"])
    assert [r["a"] for _, r in table.rows] == ["José", "Renée"] and table.rows[0][1]["b"] == "“quoted”"
    assert "read as Windows-1252" in table.warnings[0] and "line 2" in table.warnings[0]


def test_a_csv_read_row_by_row_keeps_its_line_numbers_bom_line_endings_and_quoted_line_breaks():
    """Issue 17: the rows are decoded from the bytes as they are read; lines count as in the file."""
    data = ("\ufeffa,b\r\nLee,1\r\n\r\n\"Ng\nWu\",2\rKim,3\n").encode()
    table = read_table(data, "x.csv", required=["a", "b"])
    assert table.rows == [(2, {"a": "Lee", "b": "1"}), (5, {"a": "Ng\nWu", "b": "2"}), (6, {"a": "Kim", "b": "3"})]


def test_a_utf8_file_with_a_nul_byte_is_not_a_csv():
    with pytest.raises(TabularError, match="not a CSV text file"):
        read_table(b"a,b\n1,\x002\n", "x.csv", required=["a"])


def test_more_rows_than_the_cap_are_refused_with_a_clear_message(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_table(b"a\n1\n2\n\n3\n", "x.csv", required=["a"]).rows) == 3  # blank lines do not count
    with pytest.raises(TabularError, match="more than 3 rows, the most one import takes"):
        read_table(b"a\n1\n2\n3\n4\n", "x.csv", required=["a"])


def test_more_xlsx_rows_than_the_cap_are_refused(settings):
    from openpyxl import Workbook

    settings.IMPORT_MAX_ROWS = 2
    book = Workbook()
    for row in (["a"], [1], [2], [3]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TabularError, match="more than 2 rows"):
        read_table(buffer.getvalue(), "x.xlsx", required=["a"])


def test_the_default_row_cap_is_100000():
    from django.conf import settings

    assert settings.IMPORT_MAX_ROWS == 100_000
