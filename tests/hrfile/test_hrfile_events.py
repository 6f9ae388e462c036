"""The optional events file."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from koers.hrfile import read_events
from koers.hrfile.events import unknown_employees


def test_events_are_read_with_dutch_names_and_codes() -> None:
    data = (
        "Personeelsnummer;Gebeurtenis;Datum;Van schaal;Naar schaal\r\n"
        "1;Promotie;01-03-2024;5;6.0\r\n"
        "2;indiensttreding;2024-02-01;;\r\n"
    ).encode("cp1252")
    table = read_events(data)
    assert table.problems == []
    assert table.events["event"].tolist() == ["promotion", "hire"]
    assert table.events["to_level"].tolist()[0] == "6"
    assert table.events["date"].tolist()[0] == pd.Timestamp("2024-03-01")


def test_bad_event_rows_are_reported_and_left_out() -> None:
    data = b"employee_id,event,date\n1,promotion,2024-13-01\n2,raise,2024-01-01\n,exit,2024-01-01\n"
    table = read_events(data)
    assert [str(p) for p in table.problems] == [
        'row 2, column date: "2024-13-01" is not a valid date: month 13 does not exist '
        "(dates are read day first: d-m-yyyy)",
        'row 3, column event: "raise" is not an event: use hire, exit, promotion or level_change',
        "row 4, column employee_id: is empty; a value is required",
    ]
    assert table.events.empty
    assert table.usable


def test_a_missing_events_column_makes_the_file_unusable() -> None:
    table = read_events(b"employee_id,date\n1,2024-01-01\n")
    assert not table.usable
    assert str(table.problems[0]).startswith("column event: is missing from the events file")


def test_promotions_of_unknown_employees_in_the_period_are_problems() -> None:
    table = read_events(b"employee_id,event,date\n1,promotion,2024-05-01\n9,promotion,2024-05-01\n"
                        b"9,promotion,2023-05-01\n8,hire,2024-05-01\n")  # fmt: skip
    problems = unknown_employees(table.events, ["1"], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert [str(p) for p in problems] == [
        "row 3, column employee_id: employee 9 is not in the HR file (or not a valid row there)"
    ]
