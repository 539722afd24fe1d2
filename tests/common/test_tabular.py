"""The shared import framework (common/tabular.py)."""

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
