"""CSV and XLSX downloads of a table (headers + rows), shared by every export.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``). Every text cell we write is neutralised with a leading
``'`` (OWASP "CSV injection"), and XLSX cells are written as text unless they are our own numbers or dates, so a
person's name can never become a formula in the roster, the compliance export or any other table.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """True for text a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """A cell value safe to hand to a spreadsheet: text is neutralised, our numbers and dates stay as they are.

    Anything that is not a number, a date or None (a lazy label, a model, an enum) is written as its text.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def write_csv(handle, headers: Sequence, rows: Iterable[Sequence]) -> None:
    """Write ``headers`` and ``rows`` to a text ``handle`` as CSV, every cell neutralised."""
    writer = csv.writer(handle)
    writer.writerow(safe_row(headers))
    for row in rows:
        writer.writerow(safe_row(row))


def _xlsx_cell(sheet, value):
    """An openpyxl cell holding ``value``; text is stored as a string cell (data type "s"), never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
    return cell


def table_response(*, filename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Answer with ``rows`` as ``filename.csv`` or ``filename.xlsx`` (``fmt`` is "csv" or "xlsx")."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append([_xlsx_cell(sheet, value) for value in safe_row(headers)])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in safe_row(row)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # BOM, so spreadsheet programs read UTF-8
    write_csv(response, headers, rows)
    return response
