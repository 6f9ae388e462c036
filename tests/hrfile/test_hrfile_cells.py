"""Reading single cells as Dutch and English HR exports write them."""

from __future__ import annotations

import datetime as dt

import pytest

from koers.hrfile.cells import (
    CellError,
    infer_decimal,
    parse_bool,
    parse_code,
    parse_date,
    parse_education,
    parse_gender,
    parse_int,
    parse_management_layer,
    parse_number,
    parse_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("30-06-2026", dt.date(2026, 6, 30)),
        ("3-6-2026", dt.date(2026, 6, 3)),
        ("03/06/2026", dt.date(2026, 6, 3)),
        ("3.6.2026", dt.date(2026, 6, 3)),
        (" 1-2-2020 ", dt.date(2020, 2, 1)),
        ("2026-06-30 00:00:00", dt.date(2026, 6, 30)),
        ("30-06-2026 00:00", dt.date(2026, 6, 30)),
        (dt.datetime(2020, 5, 1, 0, 0), dt.date(2020, 5, 1)),  # noqa: DTZ001 - Excel is naive
        (dt.date(2020, 5, 1), dt.date(2020, 5, 1)),
        (45000, dt.date(2023, 3, 15)),  # an Excel serial day number
    ],
)
def test_dates_are_read_day_first_or_iso(text: object, expected: dt.date) -> None:
    assert parse_date(text) == expected  # type: ignore[arg-type]


def test_a_month_first_date_is_an_error_never_a_guess() -> None:
    with pytest.raises(CellError, match="month 30 does not exist.*day first"):
        parse_date("06-30-2026")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", "day 31 does not exist"),
        ("1-2-26", "four digits"),
        ("morgen", "not a date"),
        ("2026", "not a date"),
        ("01-01-1850", "out of range"),
        (1.5, "not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: object, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_date(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("€ 45.123,50", ",", 45123.50),
        ("€45.123,50", ".", 45123.50),
        ("45.123,50 EUR", ",", 45123.50),
        ("45,123.50", ",", 45123.50),
        ("45123,5", ",", 45123.5),
        ("45123.5", ",", 45123.5),
        ("45.123", ",", 45123.0),
        ("45.123", ".", 45.123),
        ("1.234.567", ",", 1234567.0),
        ("37,5", ".", 37.5),
        ("€ 45.000,-", ".", 45000.0),
        ("\xa045\u202f123,00", ",", 45123.0),
        ("-12,5", ",", -12.5),
        (38, ",", 38.0),
        (37.5, ",", 37.5),
    ],
)
def test_amounts_and_numbers_in_dutch_and_english_notation(
    text: object, decimal: str, expected: float
) -> None:
    assert parse_number(text, decimal) == pytest.approx(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["abc", "1,2.3", "12..5", "€", "1.2.3,4,5", "5.", "=SUM(A1)"])
def test_things_that_are_not_numbers(text: str) -> None:
    with pytest.raises(CellError, match="not a number"):
        parse_number(text, ",")


def test_column_decimal_is_inferred_from_unambiguous_values() -> None:
    assert infer_decimal(["45.123", "12.345,50"], ".") == ","
    assert infer_decimal(["45.123", "37.5"], ",") == "."
    assert infer_decimal(["45.123", "45"], ".") == "."
    assert infer_decimal(["1,5", "2.5"], ",") == ","  # conflicting: the file default


def test_whole_numbers_accept_excel_floats() -> None:
    assert parse_int("1985") == 1985
    assert parse_int("1985.0", ".") == 1985
    assert parse_int(1985.0) == 1985
    with pytest.raises(CellError, match="whole number"):
        parse_int("1985,5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ja", True), ("nee", False), ("TRUE", True), ("false", False), ("yes", True),
     ("No", False), ("1", True), ("0", False), (True, True), (0, False), ("WAAR", True)],
)  # fmt: skip
def test_booleans(text: object, expected: bool) -> None:
    assert parse_bool(text) is expected  # type: ignore[arg-type]


def test_a_bad_boolean_says_what_to_use() -> None:
    with pytest.raises(CellError, match="ja/nee"):
        parse_bool("misschien")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("V", "female"), ("f", "female"), ("Vrouw", "female"), ("FEMALE", "female"),
     ("w", "female"), ("M", "male"), ("man", "male"), ("Male", "male"), ("X", "other"),
     ("anders", "other"), ("non-binary", "other"), ("Onbekend", "other"),
     ("unknown", "other")],
)  # fmt: skip
def test_gender_mapping_of_the_spec(text: str, expected: str) -> None:
    assert parse_gender(text) == expected


@pytest.mark.parametrize("text", ["Q", "mannelijk", "0", "?"])
def test_other_gender_codes_are_errors(text: str) -> None:
    with pytest.raises(CellError, match="not a known gender"):
        parse_gender(text)


def test_codes_from_excel_lose_their_dot_zero() -> None:
    assert parse_code("11.0") == "11"
    assert parse_code("11,00") == "11"
    assert parse_code(11.0) == "11"
    assert parse_code("11.5") == "11.5"
    assert parse_code(" A3 ") == "A3"


def test_text_limits() -> None:
    with pytest.raises(CellError, match="at most 255"):
        parse_text("x" * 300)
    with pytest.raises(CellError, match="control characters"):
        parse_text("ab\x07c")


def test_education_and_management_layer_codes() -> None:
    assert parse_education("WO") == "wo"
    assert parse_education("P.h.D") == "phd"
    assert parse_management_layer("Raad van Commissarissen") == "supervisory_board"
    assert parse_management_layer("subtop") == "subtop"
    with pytest.raises(CellError, match="education level"):
        parse_education("universiteit")
    with pytest.raises(CellError, match="management layer"):
        parse_management_layer("ceo")
