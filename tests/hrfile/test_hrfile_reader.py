"""Reading CSV and .xlsx exports: encodings, separators, title rows, row numbers."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from koers.hrfile import HRFileError, parse_employees, read_table

DUTCH = (
    "Personeelsoverzicht per 30-06-2026;;;\r\n"
    "Personeelsnummer;Geslacht;Datum in dienst;Bruto jaarsalaris\r\n"
    "1;V;01-02-2020;€ 45.123,50\r\n"
    ";;;\r\n"
    "2;M;1-3-2021;€ 3.000,00\r\n"
)


def test_a_dutch_excel_csv_in_windows_1252_with_a_title_line() -> None:
    raw = read_table(DUTCH.encode("cp1252"))
    assert raw.encoding == "cp1252"
    assert raw.delimiter == ";"
    assert raw.decimal == ","
    assert raw.header_row == 2
    assert raw.headers == ("Personeelsnummer", "Geslacht", "Datum in dienst", "Bruto jaarsalaris")
    assert raw.row_numbers == [3, 5]  # the blank row 4 still counts, as in Excel
    table = parse_employees(raw)
    assert table.frame["annual_base_salary"].tolist() == [45123.5, 3000.0]
    assert table.frame["hire_date"].dt.date.tolist() == [dt.date(2020, 2, 1), dt.date(2021, 3, 1)]


def test_utf8_with_bom_utf16_and_lf_line_ends_read_the_same() -> None:
    text = DUTCH.replace("\r\n", "\n")
    for data, encoding in [
        (codecs.BOM_UTF8 + DUTCH.encode("utf-8"), "utf-8-sig"),
        (DUTCH.encode("utf-16"), "utf-16"),
        (text.encode("utf-8"), "utf-8"),
    ]:
        raw = read_table(data)
        assert raw.encoding == encoding
        assert raw.headers[0] == "Personeelsnummer"
        assert parse_employees(raw).frame["annual_base_salary"].tolist() == [45123.5, 3000.0]


def test_plain_comma_csv_with_quoted_values() -> None:
    data = (
        b"employee_id,gender,hire_date,annual_base_salary,job_family\n"
        b'7,F,2020-01-01,45123.50,"Engineer, senior"\n'
    )
    raw = read_table(data)
    assert raw.delimiter == ","
    assert raw.decimal == "."
    assert raw.row_numbers == [2]
    frame = parse_employees(raw).frame
    assert frame["job_family"].tolist() == ["Engineer, senior"]
    assert frame["annual_base_salary"].tolist() == [45123.5]


def test_tab_separated_text() -> None:
    raw = read_table(b"personeelsnummer\tgeslacht\n1\tV\n")
    assert raw.delimiter == "\t"
    assert raw.rows == [("1", "V")]


def test_a_quoted_newline_keeps_spreadsheet_row_numbers() -> None:
    data = b'employee_id;gender;department\n1;V;"two\nlines"\n2;M;x\n'
    raw = read_table(data)
    assert raw.row_numbers == [2, 3]


def test_short_rows_are_padded_and_long_rows_reported() -> None:
    data = b"employee_id;gender;department\n1;V\n2;M;x;oops\n3;M;y;;;\n"
    raw = read_table(data)
    assert raw.rows[0] == ("1", "V", None)
    assert [str(p) for p in raw.problems] == [
        "row 3: has 4 cells but the header has 3 columns (a separator inside an unquoted value?)"
    ]
    assert raw.row_numbers == [2, 3, 4]


def test_an_explicit_header_row_overrides_detection() -> None:
    data = b"Report\nA;B;C\n1;2;3\n"
    assert read_table(data).header_row == 2  # two or more cells, unlike the title
    raw = read_table(data, header_row=1)
    assert raw.headers == ("Report",)
    with pytest.raises(HRFileError, match="row 9 does not exist"):
        read_table(data, header_row=9)


def test_a_saved_mappings_headers_help_find_the_header_row() -> None:
    data = b"Export 2026;x\nNr;Sekse;Loon\n1;V;100\n"
    assert read_table(data, expected_headers=["Nr", "Sekse", "Loon"]).header_row == 2


def test_xlsx_first_sheet_with_title_row_and_native_values(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Personeelsoverzicht"])
    sheet.append(["Personeelsnummer", "Geslacht", "Datum in dienst", "Schaal", "Uren per week"])
    sheet.append([1001.0, "V", dt.datetime(2020, 2, 1), 11.0, 37.5])  # noqa: DTZ001
    sheet.append([])
    sheet.append(["1002", "M", "01-03-2021", "11.0", "37,5"])
    book.create_sheet("Other").append(["ignored"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    raw = read_table(path)
    assert (raw.file_format, raw.header_row, raw.row_numbers) == ("xlsx", 2, [3, 5])
    frame = parse_employees(raw).frame
    assert frame["employee_id"].tolist() == ["1001", "1002"]
    assert frame["job_level"].tolist() == ["11", "11"]
    assert frame["hours_per_week"].tolist() == [37.5, 37.5]
    assert frame["hire_date"].dt.date.tolist() == [dt.date(2020, 2, 1), dt.date(2021, 3, 1)]


def test_xlsx_bytes_are_recognised_whatever_the_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["employee_id", "gender"])
    sheet.append(["1", "V"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), filename="upload.csv").file_format == "xlsx"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", None, "empty"),
        (b"\x00\x01\x02binary\x00" * 50, None, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", r"\.xls"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "cannot be read"),
        (b"employee_id;gender\n1;V\n", "x.xlsx", "not a valid .xlsx"),
        (b'employee_id;gender\n1;"V\n' + b"x" * 140_000, None, "longer than"),
    ],
)
def test_unreadable_files_raise_a_clear_error(
    data: bytes, filename: str | None, message: str
) -> None:
    with pytest.raises(HRFileError, match=message):
        read_table(data, filename=filename)


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HRFileError, match="cannot read"):
        read_table(tmp_path / "nope.csv")


def test_xlsx_row_numbers_count_empty_rows_above_the_table() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=3, column=2, value="personeelsnummer")
    sheet.cell(row=3, column=3, value="geslacht")
    sheet.cell(row=6, column=2, value="1")
    sheet.cell(row=6, column=3, value="V")
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_table(buffer.getvalue())
    assert (raw.header_row, raw.row_numbers) == (3, [6])
    assert raw.rows == [(None, "1", "V")]


def test_the_hrfile_package_imports_without_django() -> None:
    import subprocess
    import sys

    code = "import sys, koers.hrfile; assert 'django' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
