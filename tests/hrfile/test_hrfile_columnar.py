"""The column-at-once reader gives exactly what the cell-by-cell reader gives.

Reading a CSV, ``koers.hrfile`` uses Arrow's CSV reader and parses whole
columns (``csvfast``, ``vectorised``); ``.xlsx`` files and odd CSVs still go
cell by cell. These tests hold the two routes to the same values, blanks and
messages, on generated cells and on a messy Dutch export.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.hrfile import csvfast, parse_employees, read_table
from koers.hrfile.columns import COLUMNS_BY_NAME
from koers.hrfile.problems import HRFileError
from koers.hrfile.reader import RawTable
from koers.hrfile.validation import check_for_import

NUMBER_PARTS = ["1", "23", "456", "0", ".", ",", "-", "€", "€ ", " ", "'", "+", ",-", "7890"]
CELLS = {
    "salary": st.lists(st.sampled_from(NUMBER_PARTS), max_size=7).map("".join),
    "hours": st.lists(st.sampled_from(NUMBER_PARTS), max_size=4).map("".join),
    "birth_year": st.sampled_from(["1985", "1985,0", "1985.0", "1985,5", "85", "", " 1990 "]),
    "id": st.text(alphabet="aZ09-_/. ,\t\xa0é", max_size=6),
    "date": st.sampled_from(
        ["1-2-2020", "01-02-2020", "2020-02-01", "31-2-2020", "2-13-2020", "1.2.2020", "x", ""]
    ),
    "gender": st.sampled_from(["V", "m ", "Vrouw", "X", "anders", "q", " ", "\u2003"]),
    "bool": st.sampled_from(["ja", "Nee", "1", "0", "WAAR", "maybe", ""]),
}
SPECS = {
    "salary": "annual_base_salary",
    "hours": "hours_per_week",
    "birth_year": "birth_year",
    "id": "employee_id",
    "date": "hire_date",
    "gender": "gender",
    "bool": "is_technical",
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return bool(a == b)


def _values(frame_column: pd.Series) -> list[Any]:
    return [None if pd.isna(v) else v for v in frame_column.tolist()]


def _per_cell(raw: RawTable) -> RawTable:
    """The same table with list columns: parse_employees then goes cell by cell."""
    columns = tuple(
        [None if not v else v for v in column.to_pylist()]
        if isinstance(column, pa.Array)
        else column
        for column in raw.columns
    )
    return dataclasses.replace(raw, columns=columns)


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_generated_cells_parse_the_same_column_at_once_and_cell_by_cell(kind: str) -> None:
    spec = COLUMNS_BY_NAME[SPECS[kind]]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cells=st.lists(CELLS[kind], min_size=1, max_size=12), decimal=st.sampled_from(",."))
    def check(cells: list[str], decimal: str) -> None:
        header = f"{spec.name};other"
        text = header + "\n" + "\n".join(f'"{c.replace(chr(34), chr(34) * 2)}";x' for c in cells)
        raw = read_table(text.encode("utf-8"))
        if raw.decimal != decimal:
            raw = dataclasses.replace(raw, decimal=decimal)
        fast = parse_employees(raw)
        slow = parse_employees(_per_cell(raw))
        assert fast.errors == slow.errors
        assert (fast.blank[spec.name] == slow.blank[spec.name]).all()
        got, want = _values(fast.frame[spec.name]), _values(slow.frame[spec.name])
        assert all(_same(a, b) for a, b in zip(got, want, strict=True)), (got, want)

    check()


def test_plain_amounts_in_bulk_are_the_floats_python_reads() -> None:
    rng = np.random.default_rng(7)
    cents = rng.integers(0, 10**11, 3000)
    cells = [f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}" for c in cents]
    cells += [f"€ {c}" for c in cells[:500]] + [f"-{c}" for c in cells[500:800]]
    cells += [f"{c / 1000:.3f}" for c in cents[:500]] + [str(c) for c in cents[:500]]
    column = pa.array(cells, type=pa.large_string())
    raw = RawTable(("bruto jaarsalaris",), (column,), list(range(2, len(cells) + 2)), 1, "csv", ",")
    fast = parse_employees(raw)
    slow = parse_employees(_per_cell(raw))
    assert fast.errors == slow.errors
    a = fast.frame["annual_base_salary"].to_numpy()
    b = slow.frame["annual_base_salary"].to_numpy()
    assert np.array_equal(a, b, equal_nan=True)  # bit for bit, not approximately


MESSY = (
    "Personeelsoverzicht per 30-6-2026;;;\r\n"
    "Personeelsnummer;Geslacht;Geboortejaar;Datum in dienst;Datum uit dienst;Functie;Schaal;"
    "Technische functie;Managementlaag;Uren per week;Bruto jaarsalaris;Variabele beloning;"
    "Opleidingsniveau;Afdeling\r\n"
    "P1;V;1980;1-2-2010;;Monteur;9;ja;;36;€ 45.123,50;1.000;HBO;Productie\r\n"
    "P2;man;1975,0;01-02-2011;31-12-2030;Technicus;11.0;Nee;RvC;32,5;52000;;wo;Service\r\n"
    ";;;;;;;;;;;;;\r\n"
    "P3;q;19x5;2011-02-30;1-1-2000;Planner;7;misschien;chef;70;-5;abc;mavo;Staf\r\n"
    "P1;X;1990;1.2.2015;;Engineer; 8 ;1;subtop;40;1.234.567,89;€ 2.500,-;PhD;Staf\r\n"
    '"P5";\xa0;2015;3/4/2020;;"Planner; senior";6;WAAR;geen;24;39.000,00;0;MBO;"a\r\nb"\r\n'
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_a_messy_dutch_export_checks_the_same_at_once_and_cell_by_cell(encoding: str) -> None:
    raw = read_table(MESSY.encode(encoding))
    assert raw.header_row == 2
    assert raw.row_numbers == [3, 4, 6, 7, 8]
    fast, slow = parse_employees(raw), parse_employees(_per_cell(raw))
    assert fast.errors == slow.errors
    assert fast.frame.dtypes.to_dict() == slow.frame.dtypes.to_dict()
    for name in fast.frame:
        assert _values(fast.frame[name]) == _values(slow.frame[name]), name
    import datetime as dt

    a, b = (
        check_for_import(fast, dt.date(2026, 6, 30)),
        check_for_import(slow, dt.date(2026, 6, 30)),
    )
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert "row 7, column Personeelsnummer: employee P1 appears more than once (also in row 3)" in [
        str(p) for p in a.problems
    ]


def _csv_route(monkeypatch: pytest.MonkeyPatch, data: bytes) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(csvfast, "read_body", lambda *a, **k: None)
        patch.setattr(csvfast, "read_records", lambda *a, **k: None)
        return _read(data)


def _read(data: bytes) -> Any:
    try:
        raw = read_table(data)
    except HRFileError as error:
        return str(error)
    return (raw.headers, raw.header_row, raw.row_numbers, raw.rows, [str(p) for p in raw.problems])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.lists(
        st.lists(st.text(alphabet='ab1 ;,"\n\r\té', max_size=5), min_size=1, max_size=4).map(
            lambda cells: ";".join(cells)
        ),
        min_size=1,
        max_size=6,
    ).map(lambda lines: "employee_id;gender;x\n" + "\n".join(lines))
)
def test_arrow_reads_every_csv_as_the_csv_module_does(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    data = text.encode("utf-8")
    assert _read(data) == _csv_route(monkeypatch, data)


def test_the_csv_module_route_is_still_what_explains_a_runaway_quote() -> None:
    data = b'employee_id;gender\n1;V\n"2;M\n' + b"x" * (csv.field_size_limit() + 10) + b"\n"
    with pytest.raises(HRFileError, match="missing its partner"):
        read_table(data)


def test_blank_means_what_str_isspace_means_for_every_character() -> None:
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    blank = csvfast.blank_mask(pa.array(chars, type=pa.large_string()))
    assert [c for c, b in zip(chars, blank, strict=True) if b != c.isspace()] == []
    assert csvfast.blank_mask(pa.array(["", " \t", "a "], type=pa.large_string())).tolist() == [
        True,
        True,
        False,
    ]


def test_a_pipe_separated_utf16_export_reads_too() -> None:
    text = "Overzicht\npersoneelsnummer|geslacht|bruto jaarsalaris\n1|V|45.000,50\n"
    raw = read_table(text.encode("utf-16"))
    assert (raw.encoding, raw.delimiter, raw.header_row, raw.row_numbers) == ("utf-16", "|", 2, [3])
    assert parse_employees(raw).frame["annual_base_salary"].tolist() == [45000.5]


def test_arrow_casts_text_to_the_float_python_reads() -> None:
    # The bulk number route relies on Arrow's string-to-float cast rounding as float() does.
    texts = [f"{i}.{j:02d}" for i in range(0, 200_000, 997) for j in range(0, 100, 7)]
    texts += ["0.1", "2.675", "9007199254740993", "123456789.123456789"]
    assert pc.cast(pa.array(texts), pa.float64()).to_pylist() == [float(t) for t in texts]


def test_read_csv_columns_do_not_keep_python_strings_per_cell() -> None:
    rows = "".join(f"{i};V;{i}\n" for i in range(2000))
    raw = read_table(("personeelsnummer;geslacht;x\n" + rows).encode())
    assert all(isinstance(c, pa.Array) for c in raw.columns)
    assert raw.head(2) == [("0", "V", "0"), ("1", "V", "1")]
