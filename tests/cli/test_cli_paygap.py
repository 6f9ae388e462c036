"""The `koers paygap` contract: output, exit codes and problem lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from koers.cli import main

HEADER = (
    "Personeelsnummer;Geslacht;Geboortejaar;Datum in dienst;Datum uit dienst;Functie;Schaal;"
    "Uren per week;Bruto jaarsalaris;Variabele beloning;Opleidingsniveau"
)
ROWS = [
    "1;V;1980;01-01-2020;;Engineer;5;38;€ 40.000,00;€ 1.000,00;HBO",
    "2;M;1975;01-01-2010;;Engineer;5;40;€ 48.000,00;;WO",
    "3;V;1990;01-01-2018;;Planner;4;32;€ 30.000,00;;MBO",
    "4;M;1985;01-01-2015;;Planner;4;36;€ 35.000,00;€ 500,00;",
    "5;X;1985;01-01-2015;;Planner;4;36;€ 35.000,00;;",
    "6;M;1970;01-01-2000;31-12-2025;Planner;4;36;;;",
]


def write(tmp_path: Path, rows: list[str], name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(["Overzicht;;", HEADER, *rows]).encode("cp1252"))
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["paygap", *args])


def test_json_has_exactly_the_contract_keys(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, ROWS)), "--on", "2026-06-30", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "reference_date", "counts", "mean_gap_pct", "median_gap_pct", "variable", "quartiles",
        "categories", "adjusted_gap_pct",
    ]  # fmt: skip
    assert data["reference_date"] == "2026-06-30"
    assert data["counts"] == {"female": 2, "male": 2, "other": 1}
    assert list(data["variable"]) == ["mean_gap_pct", "median_gap_pct", "share_receiving"]
    assert [q["band"] for q in data["quartiles"]] == [1, 2, 3, 4]
    assert set(data["quartiles"][0]) == {"band", "n", "female_share", "male_share"}
    assert set(data["categories"][0]) == {
        "category", "n_female", "n_male", "mean_gap_pct", "median_gap_pct",
        "base_mean_gap_pct", "variable_mean_gap_pct", "exceeds_threshold",
    }  # fmt: skip
    assert data["adjusted_gap_pct"] is None  # 4 people cannot identify 7 coefficients
    assert result.stderr == ""


def test_invalid_rows_exit_2_with_problem_lines_and_nothing_on_stdout(tmp_path: Path) -> None:
    rows = [*ROWS, "7;Q;1985;01-01-2015;;Planner;4;36;€ 35.000,00;;", "8;M;1985;2015-13-01"]
    result = run(str(write(tmp_path, rows)), "--on", "2026-06-30", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        'row 9, column Geslacht: "Q" is not a known gender: use V/vrouw/F/female, M/man/male '
        "or X/anders/other",
        'row 10, column Datum in dienst: "2015-13-01" is not a valid date: month 13 does not '
        "exist (dates are read day first: d-m-yyyy)",
    ]
    assert "--skip-invalid" in lines[-1]


def test_skip_invalid_uses_the_valid_rows_and_still_lists_problems(tmp_path: Path) -> None:
    rows = [*ROWS, "7;Q;1985;01-01-2015;;Planner;4;36;€ 35.000,00;;"]
    result = run(str(write(tmp_path, rows)), "--on", "2026-06-30", "--json", "--skip-invalid")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["counts"] == {"female": 2, "male": 2, "other": 1}
    assert result.stderr.splitlines()[0].startswith("row 9, column Geslacht:")
    assert "left out 1 of 7 row(s)" in result.stderr


def test_the_pay_fields_of_people_not_in_service_are_not_checked(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, ROWS)), "--on", "2026-06-30", "--json")
    assert result.exit_code == 0  # row 8 (left in 2025) has no salary


def test_a_missing_column_cannot_be_skipped(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("employee_id,gender,hire_date\n1,F,2020-01-01\n", encoding="utf-8")
    result = run(str(path), "--on", "2026-06-30", "--json", "--skip-invalid")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "column birth_year: is missing from the file" in result.stderr


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 40)
    result = run(str(path), "--on", "2026-06-30")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("file: the file does not look like a CSV")


@pytest.mark.parametrize("bad", ["30-06-2026", "2026-02-30", "tomorrow"])
def test_a_bad_reference_date_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = run(str(write(tmp_path, ROWS)), "--on", bad)
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_without_json_a_readable_table(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, ROWS)), "--on", "2026-06-30")
    assert result.exit_code == 0
    out = result.stdout
    assert "Pay gap on 2026-06-30: 5 employees in service (2 women, 2 men, 1 other)" in out
    assert "(a) mean gap, hourly total pay" in out
    assert "(f) Quartile pay bands, band 1 lowest paid" in out
    assert "Engineer / 5" in out
    assert "flag (indicative" in out


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.25, "0.3"), (-0.25, "-0.3"), (2.675, "2.7"), (-0.04, "0.0"), (4.96, "5.0"), (12.0, "12.0")],
)
def test_the_table_rounds_half_away_from_zero(value: float, shown: str) -> None:
    from koers.cli.paygap import round_half_away

    assert round_half_away(value) == shown
