"""The one tabular import framework (DESIGN.md): CSV/XLSX → validated rows → all-or-nothing write.

Every importer (roster, certification records, account activity, validation lists) is built on it, from
the command line and from the web preview alike. How to build one:

1. Read the file: ``table = read_table(data, filename, required=[...], known=[...])``. It accepts CSV
   (UTF-8, with or without BOM, CRLF or LF) and XLSX (openpyxl; date cells arrive as ``date``), matches
   headers case-insensitively with surrounding spaces ignored, in any order, ignores extra columns, and
   raises ``TabularError`` with one clear message for an unreadable file (not CSV/XLSX, not UTF-8, empty,
   missing required columns). ``table.rows`` is ``[(line, {column: value})]``; the header is line 1 (in
   XLSX, the sheet row).
2. Validate every row with a Django form: ``cleaned, errors = validate_rows(table, MyRowForm)``. Use
   ``DateColumn`` for dates (``YYYY-MM-DD`` or ``M/D/YYYY`` by default, more formats on request). Errors
   are ``RowError`` objects whose ``str()`` is ``line 14, column assignment_date: "2026-13-45" is not a
   date (YYYY-MM-DD or M/D/YYYY)``. Cross-row checks (duplicates, references) append more ``RowError``.
3. Write nothing unless ``errors`` is empty; then write every row in one transaction, in bulk.
4. For the web: ``token = keep_upload(data, filename, user=..., agency=...)`` keeps the file for the
   preview → confirm flow (under MEDIA_ROOT/imports/, never served); ``load_upload(token, user=...,
   agency=...)`` gives it back to the same user and agency only. ``check_upload(file)`` limits size/type.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django import forms
from django.conf import settings

from common.exports import looks_like_formula

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".xlsx")
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
FORMAT_NAMES = {"%Y-%m-%d": "YYYY-MM-DD", "%m/%d/%Y": "M/D/YYYY", "%Y%m%d": "YYYYMMDD"}


class TabularError(Exception):
    """The file as a whole cannot be read; the message says why, plainly."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]
    warnings: list[RowError] = field(default_factory=list)  # cells a spreadsheet would run as a formula


def formula_warnings(rows: list[tuple[int, dict[str, object]]]) -> list[RowError]:
    """Every cell that starts like a formula (=, +, -, @, tab, CR): imported as text, exported with a leading '."""
    warnings = []
    for line, record in rows:
        for column, value in record.items():
            if looks_like_formula(value):
                shown = value if len(value) <= 40 else value[:39] + "…"
                warnings.append(RowError(line, column, f'"{shown}" starts with "{value[0]}" and would run as a '
                                                       "formula in a spreadsheet; it is kept as text and exported "
                                                       "with a leading '"))
    return warnings


def _normal(header) -> str:
    return str(header or "").strip().lower()


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            "The file is not UTF-8 text. Save it as CSV UTF-8 (or as XLSX) and upload it again."
        ) from exc
    if "\x00" in text:
        raise TabularError("The file is not a CSV text file. Upload a CSV (UTF-8) or an XLSX workbook.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise TabularError(f"The CSV file could not be read: {exc}.") from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise TabularError("The file is not a readable XLSX workbook. Upload a CSV (UTF-8) or an XLSX file.") from exc
    sheet = workbook.worksheets[0]
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = []
        for value in row:
            if isinstance(value, datetime):
                value = value.date()
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            values.append("" if value is None else value)
        rows.append((index, values))
    workbook.close()
    return rows


def read_table(data: bytes, filename: str, *, required: Sequence[str], known: Sequence[str] = ()) -> Table:
    """Parse a CSV or XLSX upload into rows keyed by lower-case column name (see the module docstring)."""
    suffix = Path(filename or "").suffix.lower()
    if not data:
        raise TabularError("The file is empty.")
    if suffix == ".xlsx" or data[:2] == b"PK":
        raw = _read_xlsx(data)
    elif suffix in ("", ".csv", ".txt"):
        raw = _read_csv(data)
    else:
        raise TabularError(f'"{filename}" is not a CSV or XLSX file.')
    raw = [(line, row) for line, row in raw if any(str(v).strip() for v in row)]
    if not raw:
        raise TabularError("The file is empty: it has no header row.")
    header_line, header = raw[0]
    columns = [_normal(h) for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise TabularError(
            f"The header (line {header_line}) lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Required: {', '.join(required)}."
        )
    wanted = set(required) | set(known)
    rows = []
    for line, values in raw[1:]:
        record = {}
        for index, column in enumerate(columns):
            if column in wanted and column not in record:
                value = values[index] if index < len(values) else ""
                record[column] = value.strip() if isinstance(value, str) else value
        rows.append((line, record))
    if not rows:
        raise TabularError("The file has a header but no rows.")
    return Table(columns=columns, rows=rows, warnings=formula_warnings(rows))


def parse_date(value, formats: Sequence[str] = DEFAULT_DATE_FORMATS) -> date:
    """A date from an XLSX cell or text in one of ``formats``; ValueError with the message to show."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    names = " or ".join(FORMAT_NAMES.get(f, f) for f in formats)
    raise ValueError(f'"{text}" is not a date ({names})')


class DateColumn(forms.Field):
    """A form field for a date column: XLSX date cells or text in the importer's formats."""

    def __init__(self, *args, formats: Sequence[str] = DEFAULT_DATE_FORMATS, **kwargs):
        self.formats = tuple(formats)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_date(value, self.formats)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_date") from exc


def validate_rows(table: Table, form_class, **form_kwargs) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Run ``form_class`` over every row; collect every error with its line and column."""
    cleaned, errors = [], []
    for line, record in table.rows:
        data = {k: ("" if v is None else v) for k, v in record.items()}
        form = form_class(data=data, **form_kwargs)
        if form.is_valid():
            cleaned.append((line, form.cleaned_data))
            continue
        for column, messages in form.errors.items():
            for message in messages:
                name = column if column != "__all__" else "-"
                errors.append(RowError(line, name, _plain(message, record.get(column))))
    return cleaned, errors


def _plain(message: str, value) -> str:
    """Django's generic messages, made to name the value the person typed."""
    if message == "This field is required.":
        return "is required"
    if value not in (None, "") and f'"{value}"' not in message:
        return f'"{value}": {message}'
    return message


# --- keeping an upload for preview → confirm ----------------------------------------------------------

def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_upload(upload) -> None:
    if upload is None:
        raise TabularError("Choose a file to upload.")
    if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise TabularError(f'"{upload.name}" is not a CSV or XLSX file.')
    if upload.size > MAX_UPLOAD_BYTES:
        raise TabularError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")


def keep_upload(data: bytes, filename: str, *, user, agency) -> str:
    token = secrets.token_urlsafe(24)
    folder = _imports_dir()
    (folder / f"{token}.data").write_bytes(data)
    meta = {"filename": Path(filename).name, "user": user.pk, "agency": agency.pk}
    (folder / f"{token}.json").write_text(json.dumps(meta))
    return token


def load_upload(token: str, *, user, agency) -> tuple[bytes, str]:
    """The kept upload, for the same user and agency only; TabularError when gone or not theirs."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        raise TabularError("The upload has expired. Upload the file again.")
    folder = _imports_dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.data").read_bytes()
    except (OSError, ValueError) as exc:
        raise TabularError("The upload has expired. Upload the file again.") from exc
    if meta.get("user") != user.pk or meta.get("agency") != agency.pk:
        raise TabularError("The upload has expired. Upload the file again.")
    return data, meta["filename"]


def discard_upload(token: str) -> None:
    for suffix in (".data", ".json"):
        (_imports_dir() / f"{token}{suffix}").unlink(missing_ok=True)
