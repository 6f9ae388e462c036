"""The optional leave columns (docs/hr-data.md): type and date of return from the latest
maternity, paternity, parental or carer's leave, for the Art. 10 workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from koers.hrfile import check_for_import, parse_employees, read_table
from koers.hrfile.cells import CellError, parse_leave_type
from koers.hrfile.columns import exact_mapping, suggest_mapping

REF = dt.date(2026, 6, 30)
BASE = (
    "personeelsnummer;geslacht;geboortejaar;datum in dienst;functie;schaal;"
    "technische functie;uren per week;bruto jaarsalaris"
)
PERSON = "{i};V;1990;1-1-2015;Engineer;8;ja;32;€ 45.000,00"


def checked(header: str, *leave_cells: str):  # type: ignore[no-untyped-def]
    lines = [BASE + ";" + header if header else BASE]
    for i, cells in enumerate(leave_cells, start=1):
        lines.append(PERSON.format(i=i) + (";" + cells if header else ""))
    raw = read_table(("\n".join(lines) + "\n").encode("utf-8"), filename="x.csv")
    return check_for_import(parse_employees(raw), REF)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Zwangerschapsverlof", "maternity"),
        ("bevallingsverlof", "maternity"),
        ("Zwangerschaps- en bevallingsverlof", "maternity"),
        ("maternity leave", "maternity"),
        ("Geboorteverlof", "paternity"),
        ("aanvullend geboorteverlof", "paternity"),
        ("PARTNERVERLOF", "paternity"),
        ("Ouderschapsverlof", "parental"),
        ("betaald  ouderschapsverlof", "parental"),
        ("parental", "parental"),
        ("Zorgverlof", "carer"),
        ("kortdurend zorgverlof", "carer"),
        ("langdurend zorgverlof", "carer"),
        ("carer\u2019s leave", "carer"),
    ],
)
def test_dutch_and_english_names_of_the_leave_are_read(written: str, canonical: str) -> None:
    assert parse_leave_type(written) == canonical


def test_an_unknown_leave_type_is_a_cell_error() -> None:
    with pytest.raises(CellError, match='"sabbatical" is not a leave type'):
        parse_leave_type("sabbatical")


def test_the_dutch_headers_map_onto_the_leave_columns() -> None:
    headers = ["Soort verlof", "Datum terugkeer verlof"]
    assert exact_mapping(headers) == {
        "Soort verlof": "leave_type",
        "Datum terugkeer verlof": "leave_return_date",
    }
    assert exact_mapping(["verlofsoort", "terugkeer uit verlof"]) == {
        "verlofsoort": "leave_type",
        "terugkeer uit verlof": "leave_return_date",
    }
    assert suggest_mapping(["Type verlof", "Einde verlof"]) == {
        "Type verlof": "leave_type",
        "Einde verlof": "leave_return_date",
    }


def test_leave_columns_are_read_and_kept_with_the_rows() -> None:
    result = checked(
        "soort verlof;datum terugkeer verlof",
        "Zwangerschapsverlof;1-3-2026",
        ";",
        "zorgverlof;30-6-2026",
    )
    assert result.problems == []
    frame = result.employees
    assert [v if isinstance(v, str) else None for v in frame["leave_type"]] == [
        "maternity",
        None,
        "carer",
    ]
    assert frame["leave_return_date"].dtype == "datetime64[s]"
    assert str(frame["leave_return_date"].iloc[0])[:10] == "2026-03-01"
    assert frame["leave_return_date"].isna().iloc[1]


def test_each_bad_leave_cell_is_reported_with_its_row_and_column() -> None:
    result = checked(
        "soort verlof;datum terugkeer verlof",
        "Zwangerschapsverlof;1-3-2026",  # row 2: fine
        ";1-3-2026",  # row 3: a return date without a type
        "geboorteverlof;",  # row 4: a type without a date
        "sabbatical;1-3-2026",  # row 5: unknown type
        "zorgverlof;1-9-2026",  # row 6: after the reference date
        "ouderschapsverlof;31-2-2026",  # row 7: not a date
    )
    found = {(p.row, p.column, p.message.split(";")[0].split(":")[0]) for p in result.problems}
    assert found == {
        (3, "soort verlof", "is empty"),
        (4, "datum terugkeer verlof", "is empty"),
        (5, "soort verlof", '"sabbatical" is not a leave type'),
        (6, "datum terugkeer verlof", "2026-09-01 is after the reference date 2026-06-30"),
        (7, "datum terugkeer verlof", '"31-2-2026" is not a valid date'),
    }
    by_row = {p.row: p.message for p in result.problems}
    assert "needs the type of leave" in by_row[3]
    assert "needs the date of return" in by_row[4]
    assert result.invalid_rows == frozenset({3, 4, 5, 6, 7})
    assert len(result.employees) == 1


def test_a_return_date_is_checked_against_each_rows_own_reference_date() -> None:
    lines = [
        BASE + ";peildatum;soort verlof;datum terugkeer verlof",
        PERSON.format(i=1) + ";30-6-2025;zorgverlof;1-3-2026",
        PERSON.format(i=1) + ";30-6-2026;zorgverlof;1-3-2026",
    ]
    raw = read_table(("\n".join(lines) + "\n").encode("utf-8"), filename="x.csv")
    result = check_for_import(parse_employees(raw), REF)
    assert [(p.row, p.column) for p in result.problems] == [(2, "datum terugkeer verlof")]
    assert "after the reference date 2025-06-30" in result.problems[0].message


def test_one_leave_column_without_the_other_is_a_file_problem() -> None:
    result = checked("soort verlof", "zorgverlof")
    assert [(p.row, p.column) for p in result.problems] == [(None, "soort verlof")]
    assert "without leave_return_date" in result.problems[0].message
    assert '"datum terugkeer verlof"' in result.problems[0].message
    assert not result.usable


def test_a_file_without_leave_columns_is_read_as_before() -> None:
    result = checked("", "", "")
    assert result.problems == []
    assert "leave_type" not in result.employees
    assert "leave_return_date" not in result.employees


def test_an_xlsx_file_gives_the_same_leave_values_and_problems() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*BASE.split(";"), "Soort verlof", "Datum terugkeer verlof"])
    hired = dt.datetime(2015, 1, 1)  # noqa: DTZ001 - Excel is naive
    back = dt.datetime(2026, 2, 1)  # noqa: DTZ001 - Excel is naive
    person = [1, "V", 1990, hired, "Engineer", 8, "ja", 32, 45000]
    sheet.append([*person, "Bevallingsverlof", back])
    sheet.append([2, *person[1:], None, back])
    sheet.append([3, *person[1:], "vakantie", "1-2-2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_table(buffer.getvalue(), filename="x.xlsx")
    result = check_for_import(parse_employees(raw), REF)
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "Soort verlof"),
        (4, "Soort verlof"),
    ]
    assert result.employees["leave_type"].iloc[0] == "maternity"
    assert str(result.employees["leave_return_date"].iloc[0])[:10] == "2026-02-01"
