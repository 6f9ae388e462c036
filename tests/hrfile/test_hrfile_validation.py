"""What each purpose checks, for which rows, and how problems are reported."""

from __future__ import annotations

import datetime as dt

from koers.hrfile import (
    check_for_flows,
    check_for_import,
    check_for_paygap,
    parse_employees,
    read_table,
)
from koers.hrfile.employees import EmployeeTable

ON = dt.date(2026, 6, 30)
HEADER = (
    "Personeelsnummer;Geslacht;Geboortejaar;Datum in dienst;Datum uit dienst;Functie;Schaal;"
    "Technische functie;Uren per week;Bruto jaarsalaris;Variabele beloning;Opleidingsniveau;"
    "Managementlaag"
)
GOOD = "1;V;1980;01-01-2020;;Engineer;5;Ja;38;€ 40.000,00;;HBO;"


def table(*rows: str, title: bool = True) -> EmployeeTable:
    lines = (["Overzicht;;;;;"] if title else []) + [HEADER, *rows]
    return parse_employees(read_table("\r\n".join(lines).encode("cp1252")))


def messages(checked: object) -> list[str]:
    return [str(p) for p in checked.problems]  # type: ignore[attr-defined]


def test_a_clean_file_has_no_problems() -> None:
    checked = check_for_paygap(table(GOOD, "2;M;1975;01-01-2010;;Engineer;5;Nee;40;50000;;WO;"), ON)
    assert checked.ok
    assert checked.usable
    assert checked.employees["source_row"].tolist() == [3, 4]


def test_problems_name_the_spreadsheet_row_and_the_files_column() -> None:
    checked = check_for_paygap(table(GOOD, "2;Q;1975;01-01-2010;;Engineer;5;Nee;40;50000;;WO;"), ON)
    assert messages(checked) == [
        'row 4, column Geslacht: "Q" is not a known gender: use V/vrouw/F/female, M/man/male '
        "or X/anders/other"
    ]
    assert checked.problems[0].field == "gender"
    assert checked.invalid_rows == {4}
    assert checked.employees["employee_id"].tolist() == ["1"]


def test_without_a_title_line_the_header_is_row_1() -> None:
    checked = check_for_paygap(table("1;Q;1980;01-01-2020;;E;5;Ja;38;1;;;", title=False), ON)
    assert messages(checked)[0].startswith("row 2, column Geslacht:")


def test_all_problems_are_reported_at_once() -> None:
    checked = check_for_paygap(
        table(
            "1;V;1980;31-02-2020;;Engineer;5;Ja;38;€ 40.000,00;;;",
            "2;M;1980;01-01-2020;;Engineer;5;Ja;70;veel;;master;",
            "3;M;1890;01-01-2020;;Engineer;;Ja;38;40000;;;",
        ),
        ON,
    )
    assert messages(checked) == [
        'row 3, column Datum in dienst: "31-02-2020" is not a valid date: day 31 does not exist',
        'row 4, column Bruto jaarsalaris: "veel" is not a number',
        'row 4, column Opleidingsniveau: "master" is not an education level: use mbo, hbo, wo '
        "or phd",
        "row 4, column Uren per week: 70 hours per week is not possible: more than 0, at most 60",
        "row 5, column Geboortejaar: 1890 is not a plausible birth year: between 1900 and 2012 "
        "expected",
        "row 5, column Schaal: is empty; a value is required for everyone in service on 2026-06-30",
    ]
    assert checked.employees.empty


def test_rows_not_in_service_need_only_id_gender_and_dates() -> None:
    left = "5;M;;01-01-2010;31-12-2025;;;;;;;;"
    future = "6;V;;01-01-2027;;;;;0;-5;;;"
    checked = check_for_paygap(table(GOOD, left, future), ON)
    assert checked.ok
    assert len(checked.employees) == 3


def test_an_unparseable_date_is_always_an_error() -> None:
    left = "5;M;;01-01-2010;morgen;;;;;;;;"
    checked = check_for_paygap(table(GOOD, left), ON)
    assert messages(checked) == [
        'row 4, column Datum uit dienst: "morgen" is not a date: expected d-m-yyyy or yyyy-mm-dd'
    ]


def test_rows_not_in_service_still_need_a_valid_gender_and_id() -> None:
    checked = check_for_paygap(table(GOOD, ";onbekend2;;01-01-2010;31-12-2020;;;;;;;;"), ON)
    assert messages(checked) == [
        'row 4, column Geslacht: "onbekend2" is not a known gender: use V/vrouw/F/female, '
        "M/man/male or X/anders/other",
        "row 4, column Personeelsnummer: is empty; a value is required",
    ]


def test_an_exit_before_the_hire_date_is_an_error() -> None:
    checked = check_for_paygap(table("1;V;1980;01-01-2020;31-12-2019;E;5;Ja;38;1;;;"), ON)
    assert messages(checked) == [
        "row 3, column Datum uit dienst: 2019-12-31 is before the hire date 2020-01-01"
    ]


def test_duplicate_ids_are_reported_on_the_later_row() -> None:
    checked = check_for_paygap(table(GOOD, GOOD), ON)
    assert messages(checked) == [
        "row 4, column Personeelsnummer: employee 1 appears more than once (also in row 3)"
    ]


def test_supervisory_board_members_need_no_pay_fields() -> None:
    checked = check_for_paygap(table(GOOD, "9;M;1950;01-01-2015;;;;;;;;;RvC"), ON)
    assert checked.ok


def test_a_missing_required_column_makes_the_file_unusable() -> None:
    raw = read_table(b"personeelsnummer;geslacht;datum in dienst\n1;V;01-01-2020\n")
    checked = check_for_paygap(parse_employees(raw), ON)
    assert not checked.usable
    assert (
        "column birth_year: is missing from the file (the pay gap needs it); name a column "
        '"birth_year" or "geboortejaar"' in messages(checked)
    )


def test_paygap_does_not_need_is_technical() -> None:
    raw = read_table(
        b"employee_id;gender;birth_year;hire_date;job_family;job_level;hours_per_week;"
        b"annual_base_salary\n1;V;1980;2020-01-01;E;5;38;40000\n"
    )
    assert check_for_paygap(parse_employees(raw), ON).ok


def test_flows_need_the_job_level_only_of_people_in_service_at_the_end() -> None:
    rows = (
        "1;V;;01-01-2020;;;5;;;;;;",
        "2;M;;01-01-2020;01-03-2026;;;;;;;;",
        "3;M;;01-01-2020;;;;;;;;;",
    )
    checked = check_for_flows(table(*rows), dt.date(2026, 1, 1), ON)
    assert messages(checked) == [
        "row 5, column Schaal: is empty; a value is required for everyone in service on 2026-06-30"
    ]


def test_import_checks_every_field_of_every_row() -> None:
    left = "5;M;;01-01-2010;31-12-2025;;;Misschien;;;;;"
    checked = check_for_import(table(GOOD, left), ON)
    fields = [(p.row, p.field) for p in checked.problems]
    assert (4, "is_technical") in fields
    assert (4, "birth_year") in fields
    assert (4, "annual_base_salary") in fields
    assert (3, None) not in fields


def test_several_snapshots_use_the_one_for_the_date_and_ids_repeat_across_them() -> None:
    data = (
        b"peildatum;personeelsnummer;geslacht;geboortejaar;datum in dienst;functie;schaal;"
        b"uren per week;bruto jaarsalaris\n"
        b"31-12-2025;1;V;1980;01-01-2020;E;5;38;40000\n"
        b"30-06-2026;1;V;1980;01-01-2020;E;6;38;42000\n"
        b"30-06-2026;2;M;1980;01-01-2020;E;6;38;x\n"
        b"31-12-2025;2;M;1980;01-01-2020;E;6;38;41000\n"
    )
    table_ = parse_employees(read_table(data))
    checked = check_for_paygap(table_, ON)
    assert checked.snapshot == ON
    assert messages(checked) == ['row 4, column bruto jaarsalaris: "x" is not a number']
    earlier = check_for_paygap(table_, dt.date(2026, 1, 15))
    assert earlier.snapshot == dt.date(2025, 12, 31)
    assert earlier.ok
    rows = {p.row for p in check_for_import(table_, ON).problems if p.row is not None}
    assert rows == {4}  # the bad salary; is_technical is missing as a whole column


def test_a_row_with_a_wrong_date_also_gets_its_other_wrong_values_reported() -> None:
    checked = check_for_paygap(table("1;V;1980;06-30-2010;;Engineer;5;Ja;70;veel;;;"), ON)
    assert [p.field for p in checked.problems] == ["annual_base_salary", "hire_date",
                                                   "hours_per_week"]  # fmt: skip


def test_absurd_amounts_are_errors() -> None:
    checked = check_for_paygap(table("1;V;1980;01-01-2020;;E;5;Ja;38;" + "9" * 30 + ";;;"), ON)
    assert "not a plausible annual amount" in messages(checked)[0]
