"""CSV and XLSX downloads of a table (headers + rows), shared by every export."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(*, filename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Answer with ``rows`` as ``filename.csv`` or ``filename.xlsx`` (``fmt`` is "csv" or "xlsx")."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append(["" if value is None else value for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # BOM, so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response
