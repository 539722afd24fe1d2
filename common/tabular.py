"""The one tabular import framework (DESIGN.md): CSV/XLSX → validated rows → all-or-nothing write.

Every importer (roster, certification records, account activity, validation lists) is built on it, from
the command line and from the web preview alike. How to build one:

1. Read the file: ``table = read_table(data, filename, required=[...], known=[...])``. It accepts CSV
   (UTF-8, with or without BOM, CRLF or LF; Windows-1252 when the bytes say so, with a warning) and XLSX
   (openpyxl; date cells arrive as ``date``), matches headers ignoring case and spaces, in any order,
   ignores extra columns, and raises ``TabularError`` with one clear message for an unreadable file (not
   CSV/XLSX, not UTF-8 — naming the first bad line, empty, a column named twice, missing required columns,
   more rows than ``settings.IMPORT_MAX_ROWS``). ``table.warnings`` lists what the preview should show.
   ``table.rows`` is ``[(line, {column: value})]``; the header is line 1 (in
   XLSX, the sheet row).
2. Validate every row with a Django form: ``cleaned, errors = validate_rows(table, MyRowForm)``. Use
   ``DateColumn`` for dates (``YYYY-MM-DD`` or ``M/D/YYYY`` by default, more formats on request). Errors
   are ``RowError`` objects whose ``str()`` is ``line 14, column assignment_date: "2026-13-45" is not a
   date (YYYY-MM-DD or M/D/YYYY)``. Cross-row checks (duplicates, references) append more ``RowError``.
   For a large file, ``iter_valid_rows(table, MyRowForm, errors, release=True)`` yields each clean row and lets
   the table's row go, so the importer can turn it into what it writes without holding the file twice. Inside
   ``reporting_progress(report)`` (a worker planning a large upload, common/imports.py) reading and checking
   call ``report(step, done, total)`` every ``PROGRESS_EVERY`` rows.
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
import time
from collections.abc import Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from django import forms
from django.conf import settings

from common.exports import looks_like_formula

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".xlsx")
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
# dashes, quotes, ellipsis, bullet, euro, degree, middle dot, section, copyright, registered, trade mark, nbsp
CP1252_PUNCTUATION = "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u2022\u20ac\xb0\xb7\xa7\xa9\xae\u2122\xa0"
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
    warnings: list = field(default_factory=list)  # how the file was read; cells that look like formulas


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
    """A header as we match it: case and runs of spaces folded ("Last  Name " → "last name")."""
    return " ".join(str(header or "").split()).lower()


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def _too_many_rows(limit: int) -> TabularError:
    return TabularError(f"The file has more than {limit:,} rows, the most one import takes. Split it into files "
                        f"of at most {limit:,} rows and import them one after the other.")


def _bad_utf8_line(data: bytes, exc: UnicodeDecodeError) -> int:
    return data[: exc.start].count(b"\n") + 1


def _looks_like_cp1252(text: str) -> bool:
    """The bytes say Windows-1252: every non-ASCII character is a letter or the usual typographic punctuation."""
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        return False  # NULs and other control bytes: UTF-16 or not text at all
    extra = {ch for ch in text if ord(ch) > 127}
    return bool(extra) and all(ch.isalpha() or ch in CP1252_PUNCTUATION for ch in extra)


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """The file's text, its encoding and any notice about how it was read; TabularError naming the first bad
    line."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig", []
    except UnicodeDecodeError as exc:
        line = _bad_utf8_line(data, exc)
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = ""
        if text and _looks_like_cp1252(text):
            return text, "cp1252", [f"The file is not UTF-8 (line {line} is the first that is not): it was read as "
                          "Windows-1252 (Western European). Check the accented names below; next time save it as "
                          "CSV UTF-8."]
        raise TabularError(f"The file is not UTF-8 text: line {line} is the first with a character that is not. "
                           "Save it as CSV UTF-8 (or as XLSX) and upload it again.") from exc


def _iter_csv(data: bytes, encoding: str, limit: int, *, binary: bool = False):
    """(line, values) of every non-blank row, one at a time; the header plus ``limit`` rows are allowed.

    The text is decoded as the rows are read, from the bytes themselves (``BytesIO`` shares them): a ``StringIO``
    of the whole text would hold it again at four bytes a character, 36 MB for a 100,000-row roster (issue 17)."""
    if binary:
        raise TabularError("The file is not a CSV text file. Upload a CSV (UTF-8) or an XLSX workbook.")
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))
    count = 0
    try:
        for row in reader:
            if not any(value.strip() for value in row):
                continue
            if count > limit:
                raise _too_many_rows(limit)
            count += 1
            yield reader.line_num, row
    except csv.Error as exc:
        raise TabularError(f"The CSV file could not be read (line {reader.line_num}): {exc}.") from exc


def _iter_xlsx(data: bytes, limit: int):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise TabularError("The file is not a readable XLSX workbook. Upload a CSV (UTF-8) or an XLSX file.") from exc
    sheet = workbook.worksheets[0]
    count = 0
    try:
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = []
            for value in row:
                if isinstance(value, datetime):
                    value = value.date()
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                values.append("" if value is None else value)
            if not any(str(v).strip() for v in values):
                continue
            if count > limit:
                raise _too_many_rows(limit)
            count += 1
            yield index, values
    finally:
        workbook.close()


def _iter_raw(data: bytes, filename: str):
    """(rows, notices): the file's non-blank rows as an iterator of (line, values), read as they are asked for,
    so a large file is never held twice; notices say how the text was decoded."""
    suffix = Path(filename or "").suffix.lower()
    if not data:
        raise TabularError("The file is empty.")
    if suffix == ".xlsx" or data[:2] == b"PK":
        return _iter_xlsx(data, max_rows()), []
    if suffix in ("", ".csv", ".txt"):
        text, encoding, notices = _decode(data)  # the whole file is checked here, then read a row at a time
        return _iter_csv(data, encoding, max_rows(), binary="\x00" in text), notices
    raise TabularError(f'"{filename}" is not a CSV or XLSX file.')


def estimated_rows(data: bytes, filename: str) -> int:
    """About how many rows the file has, without parsing it: its line count (CSV) or the sheet's dimension
    (XLSX); enough to choose between the preview in the request and the one by a worker."""
    if Path(filename or "").suffix.lower() == ".xlsx" or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 0) - 1, 0)
            finally:
                workbook.close()
        except Exception:
            return 0  # unreadable: the preview says so
    return max(data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1), 0)


# --- progress: a worker planning a large upload (common/imports.py) reports how far it got ----------------------

_progress: ContextVar = ContextVar("tabular_progress", default=None)
PROGRESS_EVERY = 1000  # rows between two reports


@contextmanager
def reporting_progress(report):
    """Within the block, reading and validating rows call ``report(step, done, total)`` every few rows."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(step: str, done: int, total: int) -> None:
    report = _progress.get()
    if report is not None:
        report(step, done, max(total, done))


def _refuse_duplicates(header_line: int, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        if column and column in seen:
            raise TabularError(f'The header (line {header_line}) names the column "{column}" twice. Keep one '
                               "of them (column names are compared ignoring case and spaces) and upload it again.")
        seen.add(column)


def read_table(data: bytes, filename: str, *, required: Sequence[str], known: Sequence[str] = ()) -> Table:
    """Parse a CSV or XLSX upload into rows keyed by lower-case column name (see the module docstring)."""
    raw, notices = _iter_raw(data, filename)
    total = estimated_rows(data, filename) if _progress.get() is not None else 0
    header_line, header = next(raw, (0, None))
    if header is None:
        raise TabularError("The file is empty: it has no header row.")
    columns = [_normal(h) for h in header]
    _refuse_duplicates(header_line, columns)
    missing = [c for c in required if c not in columns]
    if missing:
        raise TabularError(
            f"The header (line {header_line}) lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Required: {', '.join(required)}."
        )
    wanted = set(required) | set(known)
    indexes = [(index, column) for index, column in enumerate(columns) if column in wanted]
    rows = []
    for line, values in raw:  # one row at a time: only the kept columns are held
        record = {}
        for index, column in indexes:
            value = values[index] if index < len(values) else ""
            record[column] = value.strip() if isinstance(value, str) else value
        rows.append((line, record))
        if len(rows) % PROGRESS_EVERY == 0:
            report_progress("Reading the rows", len(rows), total)
    if not rows:
        raise TabularError("The file has a header but no rows.")
    report_progress("Reading the rows", len(rows), len(rows))
    return Table(columns=columns, rows=rows, warnings=[*notices, *formula_warnings(rows)])


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
    errors: list[RowError] = []
    cleaned = list(iter_valid_rows(table, form_class, errors, **form_kwargs))
    return cleaned, errors


def iter_valid_rows(table: Table, form_class, errors: list, *, release: bool = False, **form_kwargs):
    """``validate_rows`` one row at a time: yield ``(line, cleaned)`` for each clean row and append every error to
    ``errors``. With ``release`` the table's rows are let go as they are checked (``table.rows`` ends empty), so a
    large file is not held twice while the importer turns each row into what it writes."""
    rows = table.rows
    total = len(rows)
    if release:
        rows.reverse()  # pop() from the end: each row is freed once it is checked
    count = 0
    while rows if release else count < total:
        line, record = rows.pop() if release else rows[count]
        count += 1
        if count % PROGRESS_EVERY == 0:
            report_progress("Checking every row", count, total)
        data = {k: ("" if v is None else v) for k, v in record.items()}
        form = form_class(data=data, **form_kwargs)
        if form.is_valid():
            yield line, form.cleaned_data
            continue
        for column, messages in form.errors.items():
            for message in messages:
                name = column if column != "__all__" else "-"
                errors.append(RowError(line, name, _plain(message, record.get(column))))


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


def purge_kept_uploads(*, older_than_seconds: int = 24 * 3600) -> int:
    """Remove the kept uploads of previews never confirmed (a day old); the count removed."""
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in _imports_dir().iterdir():
        with suppress(OSError):
            if path.suffix in (".data", ".json") and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


def discard_upload(token: str) -> None:
    for suffix in (".data", ".json"):
        (_imports_dir() / f"{token}{suffix}").unlink(missing_ok=True)


# --- column mapping: an agency's own headers ("Emp #") renamed to ours (employee_id), issue 21 ------------------

def fold_header(header) -> str:
    """The form a header is matched and saved in: case and runs of spaces folded."""
    return _normal(header)


def sample(data: bytes, filename: str, rows: int = 5) -> tuple[list[str], list[list]]:
    """The file's header as written and its first ``rows`` rows, for the mapping page."""
    raw, _notices = _iter_raw(data, filename)
    header_line, first = next(raw, (0, None))
    if first is None:
        raise TabularError("The file is empty: it has no header row.")
    header = [str(h).strip() for h in first]
    _refuse_duplicates(header_line, [_normal(h) for h in header])
    return header, [values for _line, values in islice(raw, rows)]  # only the first rows are read


def remap(data: bytes, filename: str, mapping: dict[str, str],
          constants: dict[str, str] | None = None) -> tuple[bytes, str]:
    """The same table with its header renamed by ``mapping`` (folded file header → our column; "" drops the
    column) and ``constants`` added (our column → one value for every row), as CSV UTF-8, so every importer
    reads it unchanged. Line numbers stay those of the file."""
    constants = {column: value for column, value in (constants or {}).items() if column}
    raw, _notices = _iter_raw(data, filename)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    previous = 0
    for index, (line, values) in enumerate(raw):
        if index == 0:
            values = [mapping.get(_normal(h), _normal(h)) for h in values] + list(constants)
        else:
            values = list(values) + list(constants.values())
        for _ in range(line - previous - 1):  # keep blank lines, so errors name the file's own line numbers
            writer.writerow([])
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in values])
        previous = line
    return buffer.getvalue().encode("utf-8"), f"{Path(filename or 'upload').stem}.csv"
