"""``koers target-path``: the command-line contract of docs/cli-target-path.md (issue 16)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from koers.cli import main

KEYS = {
    "women_per_year",
    "hires_per_year",
    "share_at_end",
    "reachable",
    "reachable_in_year",
    "women_per_year_equal_retention",
    "status_quo_share_at_end",
}
# The worked example of spec/targets.md.
EXAMPLE = {
    "--women": "30",
    "--men": "170",
    "--outflow-women": "0.12",
    "--outflow-men": "0.08",
    "--hires": "25",
    "--target": "0.25",
    "--years": "3",
}


def run(*args: str, **changes: str | None) -> Result:
    options = {**EXAMPLE, **{f"--{k.replace('_', '-')}": v for k, v in changes.items()}}
    argv = [part for key, value in options.items() if value is not None for part in (key, value)]
    return CliRunner().invoke(main, ["target-path", *argv, *args])


def test_the_worked_example_as_json() -> None:
    result = run("--json", "--current-hire-share", "0.15")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == KEYS
    assert data["women_per_year"] == 14
    assert data["hires_per_year"] == 25
    assert round(data["share_at_end"] * 100, 2) == 26.14
    assert data["reachable"] is True
    assert data["reachable_in_year"] is None
    assert data["women_per_year_equal_retention"] == 12
    assert round(data["status_quo_share_at_end"] * 100, 2) == 13.72


def test_without_current_hire_share_the_status_quo_is_null() -> None:
    data = json.loads(run("--json").stdout)
    assert data["status_quo_share_at_end"] is None
    assert data["women_per_year"] == 14


def test_an_unreachable_target_has_nulls_and_the_year_all_women_hires_reach_it() -> None:
    # 50 %: all 25 hires women gives 39.6 % after 3 years. Hand, x = H = 25, a = 0.88:
    # W_t = 30·0.88^t + 25·(1 − 0.88^t)/0.12 and M_t = 170·0.92^t;
    # t = 4: W 101.39, M 121.79 (45.43 %); t = 5: W 114.22, M 112.04 (50.48 %), so year 5.
    result = run("--json", "--current-hire-share", "0.15", target="0.5")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["reachable"] is False
    assert data["women_per_year"] is None
    assert data["share_at_end"] is None
    assert data["women_per_year_equal_retention"] is None
    assert data["reachable_in_year"] == 5
    assert data["status_quo_share_at_end"] is not None


def test_a_target_never_reached_within_50_years_has_a_null_year() -> None:
    result = run("--json", women="1", men="99", outflow_women="0.5", outflow_men="0", hires="1")
    data = json.loads(result.stdout)
    assert data["reachable"] is False
    assert data["reachable_in_year"] is None


def test_the_plain_output_tells_the_worked_example_in_words() -> None:
    result = run("--current-hire-share", "0.15")
    assert result.exit_code == 0
    out = result.stdout
    assert "What it would take: 14 of 25 hires a year women (56.00 %)" in out
    assert "26.14 %" in out
    assert "women 57.606, men 162.807" in out
    assert "With 13 of 25: 24.92 %, not enough." in out
    assert "13.72 % after 3 years; the share falls" in out
    assert "Equal retention (women leave at 8.00 %): 12 of 25 (share 25.15 %)" in out


def test_the_plain_output_of_an_unreachable_target_names_the_year_and_the_outflow() -> None:
    out = run(target="0.4").stdout
    assert "Not reachable with these hires: even 25 of 25 women gives 39.60 %" in out
    assert "Hiring only women reaches the target in year 4." in out
    assert "if at most" in out
    assert "of the women left each year (now 12.00 %)" in out


@pytest.mark.parametrize(
    ("changes", "extra", "named"),
    [
        ({"women": "-1"}, [], "--women"),
        ({"women": "nan"}, [], "--women"),
        ({"men": "inf"}, [], "--men"),
        ({"outflow_women": "nan"}, [], "--outflow-women"),
        ({"target": "nan"}, [], "--target"),
        ({"men": "veel"}, [], "--men"),
        ({"outflow_women": "12"}, [], "--outflow-women"),
        ({"outflow_men": "-0.1"}, [], "--outflow-men"),
        ({"hires": "2.5"}, [], "--hires"),
        ({"hires": "-1"}, [], "--hires"),
        ({"target": "25"}, [], "--target"),
        ({"target": "0"}, [], "--target"),
        ({"years": "0"}, [], "--years"),
        ({"years": "101"}, [], "--years"),
        ({"years": None}, [], "--years"),
        ({}, ["--current-hire-share", "1.5"], "--current-hire-share"),
        ({"women": "0", "men": "0"}, [], "--women"),
        ({}, ["--bogus"], "--bogus"),
    ],
)
def test_a_bad_argument_exits_2_with_one_line_naming_it(
    changes: dict[str, str | None], extra: list[str], named: str
) -> None:
    result = run(*extra, "--json", **changes)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]


def test_the_command_is_listed_in_the_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "target-path" in result.stdout
