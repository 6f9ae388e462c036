"""Every problem koers.hrfile reports reads as Dutch in the importer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from koers.hrfile import HRFileError, check_for_import, parse_employees, read_table
from koers.hrfile.columns import suggest_mapping
from koers.scan.messages import is_known, translate_message

REF = dt.date(2026, 6, 30)

HEADER = (
    "Personeelsnummer;Geslacht;Geboortejaar;Datum in dienst;Datum uit dienst;Functie;Schaal;"
    "Technische functie;Managementlaag;Uren per week;Bruto jaarsalaris;Variabele beloning;"
    "Opleidingsniveau;Afdeling;Laatste promotie;Opleidingskosten"
)
BAD_ROWS = [
    "1;Q;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "2;V;1880;31-02-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "3;V;1980;1-13-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "4;V;1980;1-1-20;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "5;V;1980;gisteren;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "6;V;19x0;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "7;V;1980.5;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "8;V;1980;1-1-2020;;Monteur;5;misschien;;40;€ 40.000;;MBO;A;;",
    "9;V;1980;1-1-2020;;Monteur;5;Ja;baas;40;€ 40.000;;MBO;A;;",
    "10;V;1980;1-1-2020;;Monteur;5;Ja;;70;€ 40.000;;MBO;A;;",
    "11;V;1980;1-1-2020;;Monteur;5;Ja;;40;0;;MBO;A;;",
    "12;V;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;-5;MBO;A;;",
    "13;V;1980;1-1-2020;;Monteur;5;Ja;;40;9999999999;;MBO;A;;",
    "14;V;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;kleuter;A;;",
    "15;V;1980;1-1-2020;1-1-2019;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "15;V;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;",
    "17;V;1980;1-1-2020;;;5;Ja;;40;€ 40.000;;MBO;A;;",
    "18;V;1980;1-1-2020;;Monteur;5;Ja;;40;1.2,3,4;;MBO;A;;",
    "19;V;1980;1-1-2020;;" + "x" * 300 + ";5;Ja;;40;€ 40.000;;MBO;A;;",
    "20;V;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;;extra",
]


def _problems() -> list[str]:
    data = ("\n".join([HEADER, *BAD_ROWS]) + "\n").encode("utf-8")
    raw = read_table(data, filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    return [p.message for p in checked.problems]


def test_every_cell_problem_has_a_dutch_wording() -> None:
    messages = _problems()
    assert len(messages) >= 18
    unknown = [m for m in messages if not is_known(m)]
    assert unknown == []


def test_missing_columns_and_unreadable_files_have_a_dutch_wording() -> None:
    raw = read_table(b"Personeelsnummer;Geslacht\n1;V\n", filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    assert checked.problems
    assert all(is_known(p.message) for p in checked.problems)
    for data, name in [
        (b"", "x.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10, "x.xls"),
        (b"not a zip", "x.xlsx"),
        (b"\x00\x01\x02" * 100, "x.csv"),
        (b'a;b\n"1;2\n' + b"x" * 200_000, "x.csv"),
    ]:
        with pytest.raises(HRFileError) as error:
            read_table(data, filename=name)
        assert all(is_known(p.message) for p in error.value.problems), error.value.problems


def test_translations_name_the_value_and_the_fix() -> None:
    with translation.override("nl"):
        message = translate_message('"Q" is not a known gender: use V/vrouw/F/female, M/man/male')
    assert message == '"Q" is geen bekend geslacht: gebruik V (vrouw), M (man) of X (anders)'
    assert translate_message("something new") == "something new"


def test_every_leave_column_problem_has_a_dutch_wording() -> None:
    header = HEADER + ";Soort verlof;Datum terugkeer verlof"
    person = "{}1;V;1980;1-1-2020;;Monteur;5;Ja;;40;€ 40.000;;MBO;A;;"
    rows = [";1-3-2026", "zorgverlof;", "sabbatical;1-3-2026", "zorgverlof;1-9-2026"]
    data = "\n".join([header, *(person.format(i) + ";" + r for i, r in enumerate(rows))]) + "\n"
    raw = read_table(data.encode("utf-8"), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    assert len(checked.problems) == 4
    assert all(is_known(p.message) for p in checked.problems), checked.problems
    text = HEADER + ";Soort verlof\n" + person.format(0) + ";zorgverlof\n"
    alone = read_table(text.encode(), filename="x.csv")
    problems = check_for_import(
        parse_employees(alone, suggest_mapping(alone.headers)), REF
    ).problems
    assert [p.row for p in problems] == [None]
    with translation.override("nl"):
        late = translate_message(
            "2026-09-01 is after the reference date 2026-06-30: give the latest return on or "
            "before it"
        )
        lone = translate_message(problems[0].message)
    assert late.startswith("1-9-2026 ligt na de peildatum 30-6-2026")
    assert lone.startswith("staat in het bestand zonder ‘Datum terugkeer verlof’")
