"""The worked example of spec/paygap.md, read from the Dutch export, plain CSV and .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from koers.cli import main
from koers.hrfile import check_for_paygap, parse_employees, read_table
from koers.stats.paygap import compute_pay_gap

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
EXAMPLE = DATA / "voorbeeld_hr_export_nl.csv"
EXPECTED = DATA / "voorbeeld_paygap_2026-06-30.json"
ON = dt.date(2026, 6, 30)

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason="shared sample data not present")


def assert_same(got: Any, expected: Any, path: str = "$") -> None:
    """Numbers to 1e-9 relative, nulls as nulls, categories compared as a set."""
    if isinstance(expected, dict):
        assert set(got) == set(expected), f"{path}: keys differ: {set(got) ^ set(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), f"{path}: {len(got)} items, expected {len(expected)}"
        if expected and isinstance(expected[0], dict) and "category" in expected[0]:
            got_by = {c["category"]: c for c in got}
            assert set(got_by) == {c["category"] for c in expected}, path
            for item in expected:
                assert_same(got_by[item["category"]], item, f"{path}[{item['category']}]")
        else:
            for i, (a, b) in enumerate(zip(got, expected, strict=True)):
                assert_same(a, b, f"{path}[{i}]")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert got == expected, f"{path}: {got!r} != {expected!r}"
    else:
        assert isinstance(got, int | float), path
        assert not isinstance(got, bool), path
        assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (
            f"{path}: {got!r} != {expected!r}"
        )


def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def dutch_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EXAMPLE.read_text(encoding="cp1252")), delimiter=";"))


def _iso(text: str) -> str:
    if not text:
        return ""
    day, month, year = text.split("-")
    return f"{year}-{month}-{day}"


def _plain_amount(text: str) -> str:
    if not text:
        return ""
    return text.replace("€", "").strip().replace(".", "").replace(",", ".")


def _as_plain(rows: list[list[str]]) -> list[list[str]]:
    header = rows[1]
    dates = {i for i, h in enumerate(header) if h.startswith("Datum")}
    amounts = {i for i, h in enumerate(header) if h in ("Bruto jaarsalaris", "Variabele beloning")}
    out = [header]
    for row in rows[2:]:
        out.append(
            [
                _iso(v) if i in dates else _plain_amount(v) if i in amounts else v
                for i, v in enumerate(row)
            ]
        )
    return out


def compute(path: Path) -> dict[str, Any]:
    table = parse_employees(read_table(path))
    checked = check_for_paygap(table, ON)
    assert checked.problems == []
    return compute_pay_gap(checked.employees, ON).to_dict()


def test_the_dutch_export_gives_the_expected_json() -> None:
    assert_same(compute(EXAMPLE), expected())


def test_the_cli_prints_the_expected_json_for_the_dutch_export() -> None:
    result = CliRunner().invoke(main, ["paygap", str(EXAMPLE), "--on", "2026-06-30", "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert_same(json.loads(result.stdout), expected())


def test_plain_utf8_csv_with_iso_dates_and_dot_decimals_gives_the_same(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(_as_plain(dutch_rows()))
    assert_same(compute(path), expected())


def test_plain_csv_with_canonical_headers_gives_the_same(tmp_path: Path) -> None:
    rows = _as_plain(dutch_rows())
    table = parse_employees(read_table(EXAMPLE))
    rows[0] = [
        {v: k for k, v in table.sources.items()}.get(h, h) for h in rows[0]
    ]  # Dutch alias -> canonical name
    assert "annual_base_salary" in rows[0]
    path = tmp_path / "canonical.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert_same(compute(path), expected())


def test_utf8_with_bom_and_semicolons_gives_the_same(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(EXAMPLE.read_text(encoding="cp1252").encode("utf-8-sig"))
    assert_same(compute(path), expected())


def test_xlsx_with_native_numbers_and_dates_gives_the_same(tmp_path: Path) -> None:
    rows = dutch_rows()
    header = rows[1]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([rows[0][0]])  # the title line
    sheet.append(header)
    for row in rows[2:]:
        cells: list[Any] = []
        for name, value in zip(header, row, strict=True):
            if not value:
                cells.append(None)
            elif name.startswith("Datum"):
                d, m, y = (int(x) for x in value.split("-"))
                cells.append(dt.datetime(y, m, d))  # noqa: DTZ001 - Excel dates are naive
            elif name in ("Bruto jaarsalaris", "Variabele beloning"):
                cells.append(float(_plain_amount(value)))
            elif name in ("Schaal", "Personeelsnummer", "Uren per week", "Geboortejaar"):
                cells.append(float(value))  # Excel turns these into numbers: 11 -> 11.0
            else:
                cells.append(value)
        sheet.append(cells)
    path = tmp_path / "export.xlsx"
    book.save(path)
    assert_same(compute(path), expected())


def test_xlsx_with_text_cells_like_the_csv_gives_the_same(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in dutch_rows():
        sheet.append([v or None for v in row])
    path = tmp_path / "text.xlsx"
    book.save(path)
    assert_same(compute(path), expected())
