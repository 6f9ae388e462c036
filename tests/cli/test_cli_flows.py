"""The `koers flows` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from koers.cli import main

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "voorbeeld_hr_export_nl.csv"
HR = (
    "employee_id,gender,hire_date,exit_date,job_level,last_promotion_date,management_layer\n"
    "1,F,2020-01-01,,2,2024-06-01,\n"
    "2,M,2024-03-01,,1,,\n"
    "3,M,2019-01-01,2024-05-31,1,2024-02-01,\n"
    "4,V,2018-01-01,,10,,supervisory_board\n"
    "5,X,2018-01-01,,2,,\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["flows", *args])


def write(tmp_path: Path, text: str, name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_contract(tmp_path: Path) -> None:
    path = write(tmp_path, HR)
    result = run(str(path), "--from", "2024-01-01", "--to", "2024-12-31", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["from"] == "2024-01-01"
    assert data["to"] == "2024-12-31"
    assert data["by_gender"]["male"] == {
        "headcount_start": 1, "headcount_end": 1, "hires": 1, "leavers": 1, "promotions": 1,
        "outflow_rate": 1.0, "promotion_rate": 1.0,
    }  # fmt: skip
    assert data["by_gender"]["female"]["promotions"] == 1
    assert data["levels"] == [
        {"job_level": "1", "n_female": 0, "n_male": 1, "n_other": 0, "female_share": 0.0},
        {"job_level": "2", "n_female": 1, "n_male": 0, "n_other": 1, "female_share": 0.5},
    ]


@pytest.mark.skipif(not DATA.exists(), reason="shared sample data not present")
def test_the_sample_export_balances() -> None:
    result = run(str(DATA), "--from", "2025-06-30", "--to", "2026-06-30", "--json")
    assert result.exit_code == 0, result.stderr
    for g in json.loads(result.stdout)["by_gender"].values():
        assert g["headcount_end"] == g["headcount_start"] + g["hires"] - g["leavers"]
        assert g["promotions"] is None


def test_events_replace_the_last_promotion_date(tmp_path: Path) -> None:
    hr = write(tmp_path, HR)
    events = write(
        tmp_path,
        "employee_id;event;date\n1;promotie;01-03-2024\n1;promotion;01-09-2024\n"
        "3;level_change;01-02-2024\n",
        "events.csv",
    )
    result = run(str(hr), "--from", "2024-01-01", "--to", "2024-12-31", "--events", str(events),
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    by_gender = json.loads(result.stdout)["by_gender"]
    assert by_gender["female"]["promotions"] == 2
    assert by_gender["male"]["promotions"] == 0


def test_event_problems_are_prefixed_with_the_events_file(tmp_path: Path) -> None:
    hr = write(tmp_path, HR)
    events = write(tmp_path, "employee_id,event,date\n77,promotion,2024-03-01\n", "ev.csv")
    args = [str(hr), "--from", "2024-01-01", "--to", "2024-12-31", "--events", str(events),
            "--json"]  # fmt: skip
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "ev.csv: row 2, column employee_id: employee 77 is not in the HR file "
        "(or not a valid row there)"
    )
    skipped = run(*args, "--skip-invalid")
    assert skipped.exit_code == 0
    assert json.loads(skipped.stdout)["by_gender"]["female"]["promotions"] == 0


def test_invalid_rows_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, HR + "6,F,2020-02-30,,3,,\n")
    result = run(str(path), "--from", "2024-01-01", "--to", "2024-12-31", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("row 7, column hire_date:")


def test_a_period_ending_before_it_starts_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, HR)), "--from", "2024-12-31", "--to", "2024-01-01")
    assert result.exit_code == 2
    assert "--from must not be after --to" in result.stderr


def test_without_json_a_readable_table(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, HR)), "--from", "2024-01-01", "--to", "2024-12-31")
    assert result.exit_code == 0
    assert "Outflow rate" in result.stdout
    assert "Job levels on 2024-12-31" in result.stdout
