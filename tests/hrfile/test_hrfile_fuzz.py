"""Malformed input must give a clear error (HRFileError or listed problems), never a crash.

Properties, on binary junk, wrong encodings, broken quoting, huge cells and
formula-like cells: reading, parsing and checking either succeed or raise
HRFileError; the rows the check accepts can always be computed on; the CLI
exits 0 or 2, never with a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.cli import main
from koers.hrfile import (
    HRFileError,
    Problem,
    check_for_flows,
    check_for_import,
    check_for_paygap,
    parse_employees,
    read_table,
)
from koers.stats.flows import compute_flows
from koers.stats.paygap import compute_pay_gap

pytestmark = pytest.mark.slow  # a fuzzer: `make test-fast` leaves it out

ON = dt.date(2026, 6, 30)
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "voorbeeld_hr_export_nl.csv"
HEADERS = [
    "Personeelsnummer", "Geslacht", "Geboortejaar", "Datum in dienst", "Datum uit dienst",
    "Functie", "Schaal", "Uren per week", "Bruto jaarsalaris", "Variabele beloning",
    "Opleidingsniveau", "Managementlaag", "peildatum",
]  # fmt: skip
NASTY = [
    "=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2", "@SUM(A1)", "=1+1", "\"", '""', ";", ",",
    "\t", "\r", "\n", "€", "€ 1.2.3,4", "1e308", "1e999", "nan", "inf", "-0", "0", "9" * 40,
    "V", "M", "X", "ja", "31-12-2025", "2026-06-30", "06-30-2026", "00-00-0000", "1900",
    "rvc", "subtop", "\x00", "\x1b[31m", "\ufeff", "ÿ", "💶", "x" * 5000,
]  # fmt: skip
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def exercise(data: bytes, filename: str | None = None) -> None:
    """The whole pipeline; HRFileError is the only acceptable exception."""
    try:
        raw = read_table(data, filename=filename)
    except HRFileError as error:
        problems: list[Problem] | None = error.problems
    else:
        problems = None
    if problems is not None:
        assert problems, "an HRFileError must say what is wrong"
        assert all(str(p) for p in problems)
        return
    table = parse_employees(raw)
    for problem in table.problems:
        assert str(problem)
    paygap = check_for_paygap(table, ON)
    if paygap.usable:
        compute_pay_gap(paygap.employees, ON)
    flows = check_for_flows(table, dt.date(2025, 1, 1), ON)
    if flows.usable:
        compute_flows(flows.employees, dt.date(2025, 1, 1), ON)
    check_for_import(table, ON)


@SETTINGS
@given(st.binary(max_size=3000))
def test_binary_junk_never_crashes(data: bytes) -> None:
    exercise(data)
    exercise(data, "upload.xlsx")


@SETTINGS
@given(
    st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS) + 2), max_size=12),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    st.booleans(),
)
def test_csv_with_nasty_cells_and_encodings_never_crashes(
    rows: list[list[str]], sep: str, encoding: str, title: bool
) -> None:
    lines = (["Titel"] if title else []) + [sep.join(HEADERS)]
    lines += [sep.join(row) for row in rows]
    exercise("\r\n".join(lines).encode(encoding, errors="replace"))


GOOD_ROWS = [
    ["1", "V", "1980", "01-01-2020", "", "Engineer", "5", "38", "€ 40.000,00", "", "HBO", "", ""],
    ["2", "M", "1975", "1-1-2010", "", "Engineer", "5", "40", "48000", "€ 900,00", "WO", "", ""],
    ["3", "M", "1990", "2018-01-01", "", "Planner", "4", "32", "30.000", "", "", "subtop", ""],
    ["4", "X", "1985", "01-01-2015", "", "Planner", "4", "36", "35000,5", "", "", "", ""],
    ["5", "V", "1970", "01-01-2000", "31-12-2025", "Planner", "4", "36", "", "", "", "", ""],
]


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(GOOD_ROWS) - 1), st.integers(0, len(HEADERS) - 1), cells),
        max_size=4,
    ),
    st.sampled_from([";", "\t"]),
)
def test_mostly_valid_files_with_a_few_nasty_cells_are_checked_then_computed(
    edits: list[tuple[int, int, str]], sep: str
) -> None:
    rows = [[str(i + 1), *r[1:]] for i, r in enumerate(GOOD_ROWS * 3)]
    for i, (row, column, value) in enumerate(edits):
        rows[row + 5 * (i % 3)][column] = value
    lines = [sep.join(HEADERS[:-1])] + [sep.join(r[:-1]) for r in rows]
    data = "\r\n".join(lines).encode("utf-8")
    exercise(data)
    if not edits:
        checked = check_for_paygap(parse_employees(read_table(data)), ON)
        assert checked.ok, checked.problems


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_mutations_of_the_sample_file_never_crash(data: st.DataObject) -> None:
    original = bytearray(SAMPLE.read_bytes() if SAMPLE.exists() else b"a;b\n1;2\n")
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        byte = data.draw(st.integers(0, 255))
        if action == "flip":
            original[position] = byte
        elif action == "insert":
            original.insert(position, byte)
        elif action == "delete":
            del original[position]
        else:
            del original[position:]
        if not original:
            original = bytearray(b"x")
    exercise(bytes(original))


EXCEL_DATETIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1))  # noqa: DTZ001 - Excel is naive
XLSX_CELLS = st.one_of(cells, st.floats(), st.integers(), st.booleans(), EXCEL_DATETIMES)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(XLSX_CELLS, max_size=len(HEADERS)), max_size=6))
def test_xlsx_with_nasty_cells_never_crashes(rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        clean = [
            v if not isinstance(v, str) else "".join(ch for ch in v if ch.isprintable())[:1000]
            for v in row
        ]
        try:
            sheet.append(clean)
        except (ValueError, TypeError):  # openpyxl refuses some values when writing
            continue
    buffer = io.BytesIO()
    book.save(buffer)
    exercise(buffer.getvalue(), "upload.xlsx")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=1500))
def test_the_cli_exits_0_or_2_never_with_a_traceback(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes(SAMPLE.read_bytes()[:400] + data if SAMPLE.exists() else data)
        result = CliRunner().invoke(main, ["paygap", str(path), "--on", "2026-06-30", "--json"])
    assert result.exit_code in (0, 2), result.exception
    if result.exit_code == 2:
        assert result.stdout == ""
        assert result.stderr.strip()


def test_a_cell_above_the_csv_limit_is_a_clear_error() -> None:
    data = ("Personeelsnummer;Geslacht\n1;" + "V" * 200_000 + "\n").encode()
    with pytest.raises(HRFileError, match="longer than"):
        read_table(data)
