"""Reading an HR export into rows of cells: CSV in its many shapes, or ``.xlsx``.

Handles what Dutch HR systems and Excel produce: UTF-8 with or without BOM,
UTF-16 ("Unicode text"), Windows-1252; ``;``, ``,``, tab or ``|`` separators;
CRLF; title lines above the header; trailing empty cells. It does not interpret
the cells (see :mod:`koers.hrfile.employees`); it keeps, for every data row, the
row number the user sees in their spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, TypeAlias

import numpy as np
import pyarrow as pa

from koers.hrfile import csvfast
from koers.hrfile.cells import Cell, is_blank
from koers.hrfile.columns import EMPLOYEE_COLUMNS, ColumnSpec, known_header_names
from koers.hrfile.columns import normalise_header as _norm
from koers.hrfile.problems import HRFileError, Problem

Source = str | os.PathLike[str] | bytes | IO[bytes]

_DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_ROWS = 40
_HEADER_SEARCH_ROWS = 30
_ZIP_MAGIC = b"PK\x03\x04"
_START_BYTES = 1_000_000  # the part of a CSV decoded up front (sniffing, header)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# An Arrow text array (CSV) or the native cell values (.xlsx).
Column: TypeAlias = "pa.Array | list[Cell]"


@dataclass(frozen=True)
class RawTable:
    """A table as read, before any interpretation of its cells.

    ``columns[j]`` holds the cells of column ``headers[j]`` for every data row:
    for CSV an Arrow text array (``""`` where a cell is empty or the row was
    short), for ``.xlsx`` the list of native cell values. Data row ``i`` is row
    ``row_numbers[i]`` of the spreadsheet. Blank rows are left out. ``decimal``
    is the decimal separator that text numbers use by default (``,`` for Dutch
    ``;`` files and ``.xlsx``, ``.`` for comma files).
    """

    headers: tuple[str, ...]
    columns: tuple[Column, ...]
    row_numbers: list[int]
    header_row: int
    file_format: str
    decimal: str
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def head(self, n: int) -> list[tuple[Cell, ...]]:
        """The first ``n`` data rows as tuples of cells (``None`` where empty)."""
        n = min(n, len(self))
        parts = [_cells(column, 0, n) for column in self.columns]
        return [tuple(part[i] for part in parts) for i in range(n)]

    @cached_property
    def rows(self) -> list[tuple[Cell, ...]]:
        """Every data row as a tuple of cells; for small tables (events, tests)."""
        return self.head(len(self))


def _cells(column: Column, start: int, stop: int) -> list[Cell]:
    if isinstance(column, list):
        return list(column[start:stop])
    return [v if v else None for v in column.slice(start, stop - start).to_pylist()]


def read_table(
    source: Source,
    *,
    filename: str | None = None,
    header_row: int | None = None,
    expected_headers: Iterable[str] = (),
    columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS,
) -> RawTable:
    """Read a CSV or ``.xlsx`` HR export.

    Parameters
    ----------
    source
        A path, the file's bytes, or a binary file object.
    filename
        The original name, used for messages and to tell ``.xlsx`` from CSV when
        ``source`` is bytes (the content is sniffed as well).
    header_row
        The spreadsheet row (1-based) holding the header, if the user chose it;
        otherwise the first row that names known columns is taken, which skips
        title lines.
    expected_headers
        Extra header names to look for (a saved mapping's source headers).
    columns
        The canonical columns whose names help find the header row.

    Raises
    ------
    HRFileError
        When the file is not a readable table (binary, old ``.xls``, broken
        ``.xlsx``, a runaway quote, no header).
    """
    data = _read_bytes(source)
    name = filename or (str(source) if isinstance(source, str | os.PathLike) else "")
    names = known_header_names(columns) | {_norm(h) for h in expected_headers}
    if data.startswith(_OLE_MAGIC):
        raise HRFileError(
            "this is an old Excel (.xls) file, which Koers cannot read: save it as .xlsx or as CSV"
        )
    if data.startswith(_ZIP_MAGIC):
        return _build_xlsx_table(_xlsx_rows(data), header_row, names)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise HRFileError("this is not a valid .xlsx file (it is not a zip archive)")
    return _read_csv(data, header_row, names)


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise HRFileError(f"cannot read {os.fspath(source)}: {error.strerror}") from None
    return source.read()


def _read_csv(data: bytes, header_row: int | None, names: frozenset[str]) -> RawTable:
    encoding, utf8 = _encoding(data)
    if encoding == "utf-16":
        text = _decode(data)[0]
        delimiter = _sniff_delimiter(text, names)
        rows = _csv_rows(text, delimiter)
        columns = csvfast.text_columns(rows, max((len(r) for r in rows), default=1))
        return _build_csv_table(columns, header_row, names, encoding, delimiter)
    start = csvfast.decode_start(bytes(utf8[:_START_BYTES]), "utf-8")
    if encoding != "utf-8-sig":
        _reject_binary(start, has_nul=b"\x00" in data)
    delimiter = _sniff_delimiter(start, names)
    # The usual export: Arrow reads the rows below the header in one go.
    top, ends = csvfast.top_records(
        start,
        delimiter,
        max(_HEADER_SEARCH_ROWS, header_row or 0),
        complete=len(utf8) <= _START_BYTES,
    )
    if top and (header_row is None or header_row <= len(top)):
        top_cells: list[list[Cell]] = [list(r) for r in top]
        index = _header_index(top_cells, len(top), header_row, names)
        body = csvfast.read_body(utf8, ends[index], delimiter, len(top[index]))
        if body is not None:
            return _build_csv_table(
                body, header_row, names, encoding, delimiter, header=(index, top_cells[index])
            )
    # Anything else (ragged rows, a runaway quote): slower readers, same result.
    width = max((len(r) for r in _sample_records(start, delimiter)), default=1)
    records = csvfast.read_records(data, encoding, delimiter, width)
    if records is None:
        rows = _csv_rows(_decode(data)[0], delimiter)
        records = csvfast.text_columns(rows, max((len(r) for r in rows), default=1))
    return _build_csv_table(records, header_row, names, encoding, delimiter)


def _encoding(data: bytes) -> tuple[str, memoryview | bytes | bytearray]:
    """The encoding :func:`_decode` would find, and the file in UTF-8 without a BOM."""
    if not data.strip():
        raise HRFileError("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", b""
    if data.startswith(codecs.BOM_UTF8):
        if not csvfast.decodes_as(data, "utf-8"):
            _decode(data)  # raises with the position of the bad byte
        return "utf-8-sig", memoryview(data)[len(codecs.BOM_UTF8) :]
    if csvfast.decodes_as(data, "utf-8"):
        return "utf-8", memoryview(data)
    for encoding in ("cp1252", "latin-1"):
        utf8 = csvfast.transcode(data, encoding)
        if utf8 is not None:
            return encoding, utf8
    raise AssertionError("latin-1 decodes every byte")


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise HRFileError("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise HRFileError("the file starts like UTF-16 text but is not valid UTF-16") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise HRFileError(
                f"the file says it is UTF-8 but byte {error.start} is not: "
                "save it again as CSV UTF-8"
            ) from None
    for encoding in ("utf-8", "cp1252"):
        try:
            text, used = data.decode(encoding), encoding
            break
        except UnicodeDecodeError:
            continue
    else:
        text, used = data.decode("latin-1"), "latin-1"
    _reject_binary(text, has_nul="\x00" in text)
    return text, used


def _reject_binary(text: str, *, has_nul: bool) -> None:
    bad = sum(1 for ch in text[:200_000] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if has_nul or bad > max(20, len(text[:200_000]) // 200):
        raise HRFileError(
            "the file does not look like a CSV or .xlsx file (it contains binary data)"
        )


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            rows.append(list(record))
    except csv.Error as error:
        row = len(rows) + 1
        if "field larger than field limit" in str(error):
            message = (
                f"a cell is longer than {csv.field_size_limit()} characters "
                '(is a quote character (") missing its partner?)'
            )
        else:
            message = f"this row cannot be read as CSV ({error})"
        raise HRFileError(Problem(row, None, message)) from None
    return rows


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    """The first records of ``text`` (up to 64 kB), as :mod:`csv` reads them."""
    sample = text[:65_536].splitlines()[:_SAMPLE_ROWS]
    try:
        return list(csv.reader(sample, delimiter=delimiter))
    except csv.Error:
        return []


def _sniff_delimiter(text: str, names: frozenset[str]) -> str:
    sample = text[:65_536].splitlines()[:_SAMPLE_ROWS]
    best, best_score = _DELIMITERS[0], (-1, -1)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        known = max((_known_count(row, names) for row in rows[:_HEADER_SEARCH_ROWS]), default=0)
        widths = Counter(len(row) for row in rows if len(row) > 1)
        consistent = widths.most_common(1)[0][1] if widths else 0
        score = (known, consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _known_count(row: Sequence[Cell], names: frozenset[str]) -> int:
    return len({_norm(c) for c in row if isinstance(c, str)} & names)


def _find_header(rows: Sequence[Sequence[Cell]], names: frozenset[str]) -> int:
    search = rows[:_HEADER_SEARCH_ROWS]
    scores = [_known_count(row, names) for row in search]
    if scores and max(scores) >= 2:
        return scores.index(max(scores))
    widths = [sum(not is_blank(c) for c in row) for row in search]
    if not widths or max(widths) == 0:
        raise HRFileError("the file holds no table (no header row found)")
    for i, width in enumerate(widths):
        if width >= max(2, max(widths) // 2):
            return i
    return widths.index(max(widths))


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).replace("\ufeff", "").split())


def _header_index(
    top: Sequence[Sequence[Cell]], n_rows: int, header_row: int | None, names: frozenset[str]
) -> int:
    if header_row is not None:
        if not 1 <= header_row <= n_rows:
            raise HRFileError(f"row {header_row} does not exist: the file has {n_rows} rows")
        return header_row - 1
    return _find_header(top, names)


def _headers(cells: Sequence[Cell], index: int) -> tuple[str, ...]:
    header_cells = list(cells)
    while header_cells and is_blank(header_cells[-1]):
        header_cells.pop()
    headers = tuple(_header_text(c) for c in header_cells)
    if not headers:
        raise HRFileError(Problem(index + 1, None, "the header row is empty"))
    return headers


_TOO_WIDE = (
    "has {n} cells but the header has {width} columns (a separator inside an unquoted value?)"
)


def _build_csv_table(
    records: list[pa.Array],
    header_row: int | None,
    names: frozenset[str],
    encoding: str,
    delimiter: str,
    *,
    header: tuple[int, Sequence[Cell]] | None = None,
) -> RawTable:
    """The table from text columns: every record of the file, or (``header`` =
    (its index, its cells)) the records below the header row."""
    if header is None:
        n_records = len(records[0]) if records else 0
        top_n = min(n_records, max(_HEADER_SEARCH_ROWS, header_row or 0))
        top = [[c or None for c in column.slice(0, top_n).to_pylist()] for column in records]
        top_rows = [[column[i] for column in top] for i in range(top_n)]
        index = _header_index(top_rows, n_records, header_row, names)
        header_cells: Sequence[Cell] = [c or None for c in (col[index].as_py() for col in records)]
        body = [column.slice(index + 1) for column in records]
    else:
        index, header_cells = header
        body = records
    headers = _headers(header_cells, index)
    width = len(headers)
    blanks = [csvfast.blank_mask(column) for column in body]
    all_blank = np.logical_and.reduce(blanks) if blanks else np.zeros(0, dtype=bool)
    problems: list[Problem] = []
    if len(body) > width:
        extra = ~np.logical_and.reduce(blanks[width:])
        for position in np.flatnonzero(extra):
            filled = [j for j, blank in enumerate(blanks) if not blank[position]]
            n = filled[-1] + 1
            number = int(position) + index + 2
            problems.append(Problem(number, None, _TOO_WIDE.format(n=n, width=width)))
    keep = np.flatnonzero(~all_blank)
    if len(keep) == len(all_blank):
        columns = tuple(body[:width])
    else:
        take = pa.array(keep, type=pa.int64())
        columns = tuple(column.take(take) for column in body[:width])
    return RawTable(
        headers=headers,
        columns=columns,
        row_numbers=(keep + index + 2).tolist(),
        header_row=index + 1,
        file_format="csv",
        decimal="," if delimiter in (";", "\t", "|") else ".",
        encoding=encoding,
        delimiter=delimiter,
        problems=problems,
    )


def _build_xlsx_table(
    all_rows: list[list[Cell]], header_row: int | None, names: frozenset[str]
) -> RawTable:
    index = _header_index(all_rows, len(all_rows), header_row, names)
    headers = _headers(all_rows[index], index)
    width = len(headers)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    for i in range(index + 1, len(all_rows)):
        cells = all_rows[i]
        if all(is_blank(c) for c in cells):
            continue
        if len(cells) > width:
            if any(not is_blank(c) for c in cells[width:]):
                n = len(cells) - _trailing_blanks(cells)
                problems.append(Problem(i + 1, None, _TOO_WIDE.format(n=n, width=width)))
            cells = cells[:width]
        elif len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        rows.append(cells)
        numbers.append(i + 1)
    return RawTable(
        headers=headers,
        columns=tuple([row[j] for row in rows] for j in range(width)),
        row_numbers=numbers,
        header_row=index + 1,
        file_format="xlsx",
        decimal=",",
        problems=problems,
    )


def _trailing_blanks(cells: Sequence[Cell]) -> int:
    n = 0
    for cell in reversed(cells):
        if not is_blank(cell):
            break
        n += 1
    return n


# An .xlsx is a zip archive: a small file can unpack to gigabytes ("zip bomb").
MAX_XLSX_UNPACKED = 500 * 1024 * 1024
MAX_XLSX_RATIO = 200


def _check_unpacked_size(data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports the damage below
    if unpacked > MAX_XLSX_UNPACKED or unpacked > MAX_XLSX_RATIO * max(len(data), 1):
        raise HRFileError(
            f"this .xlsx file unpacks to {unpacked // (1024 * 1024)} MB, far more than an HR "
            "export needs; save it again from Excel, or export it as CSV"
        )


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    # openpyxl raises many kinds of exceptions on damaged or hostile archives
    # (BadZipFile, KeyError, XML errors, ValueError...); all mean "cannot read".
    import openpyxl

    _check_unpacked_size(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - see comment above
        raise HRFileError(f"this .xlsx file cannot be read ({type(error).__name__})") from None
    try:
        if not book.worksheets:
            raise HRFileError("the .xlsx file has no worksheet")
        sheet = book.worksheets[0]
        rows: list[list[Cell]] = []
        try:
            sheet.reset_dimensions()
            for values in sheet.iter_rows(values_only=True):
                rows.append([_xlsx_cell(v) for v in values])
        except HRFileError:
            raise
        except Exception as error:  # noqa: BLE001 - damaged sheet XML
            raise HRFileError(
                f"the first sheet of this .xlsx file cannot be read ({type(error).__name__})"
            ) from None
    finally:
        book.close()
    if not any(any(not is_blank(c) for c in row) for row in rows):
        raise HRFileError("the first sheet of the .xlsx file is empty")
    return rows


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date):
        return value
    return str(value)  # times, timedeltas, error codes such as #N/A
