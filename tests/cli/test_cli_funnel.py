"""``koers funnel``: the command-line contract of docs/cli-funnel.md."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from koers.cli import main

TRANSITION_KEYS = {
    "from",
    "to",
    "female",
    "male",
    "other",
    "impact_ratio",
    "ci_low",
    "ci_high",
    "p_fisher",
    "shortfall",
    "label",
}
DUTCH = {
    "applied": "gesolliciteerd",
    "screened": "geselecteerd",
    "interviewed": "gesprek",
    "offered": "aanbod",
    "hired": "aangenomen",
}


def candidates() -> list[tuple[str, str, str, str, str]]:
    """60 women and 90 men in two job families; women drop at the interview."""
    rows = []
    plan = {
        # (gender, family): furthest stages in order of count
        ("V", "ict"): ["applied"] * 10 + ["screened"] * 14 + ["interviewed"] * 2 + ["hired"] * 4,
        ("M", "ict"): ["applied"] * 12
        + ["screened"] * 8
        + ["interviewed"] * 10
        + ["offered"] * 5
        + ["hired"] * 10,
        ("V", "engineering"): ["applied"] * 12
        + ["screened"] * 10
        + ["offered"] * 3
        + ["hired"] * 5,
        ("M", "engineering"): ["applied"] * 15
        + ["screened"] * 10
        + ["interviewed"] * 8
        + ["offered"] * 2
        + ["hired"] * 10,
    }
    number = 1000
    for (gender, family), stages in plan.items():
        for stage in stages:
            number += 1
            rows.append((f"K{number}", family, gender, f"{(number % 28) + 1:02d}-03-2026", stage))
    rows.append(("K9001", "ict", "X", "01-04-2026", "hired"))
    return rows


def write_plain(path: Path) -> Path:
    lines = ["candidate_id,job_family,gender,application_date,stage"]
    for cid, fam, g, date, stage in candidates():
        d, m, y = date.split("-")
        lines.append(",".join([cid, fam, {"V": "F"}.get(g, g), f"{y}-{m}-{d}", stage]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_dutch_excel_csv(path: Path) -> Path:
    """What Excel saves as 'CSV (puntkomma)' in Dutch: ``;``, Windows-1252, a title line."""
    lines = [
        "Sollicitanten Q1 – geëxporteerd;;;;",
        "Kandidaatnummer;Functiefamilie;Geslacht;Sollicitatiedatum;Hoogste fase",
    ]
    for cid, fam, g, date, stage in candidates():
        lines.append(";".join([cid, fam, g, date, DUTCH[stage]]))
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kandidaatnummer", "Functiefamilie", "Geslacht", "Sollicitatiedatum", "Fase"])
    for cid, fam, g, date, stage in candidates():
        sheet.append([cid, fam, g, date, DUTCH[stage]])
    book.save(path)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["funnel", *args])


def test_the_json_has_the_contracts_shape(tmp_path):
    result = run(str(write_plain(tmp_path / "a.csv")), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"stages", "transitions", "overall", "by_job_family"}
    assert data["stages"] == list(DUTCH)
    assert len(data["transitions"]) == 4
    for t in [*data["transitions"], data["overall"], *data["by_job_family"]["ict"]]:
        assert set(t) == TRANSITION_KEYS
        assert set(t["female"]) == {"n", "passed", "rate"}
        assert t["label"] in {"too_little_data", "signal", "watch", "no_signal"}
    assert sorted(data["by_job_family"]) == ["engineering", "ict"]


def test_the_interview_drop_for_women_is_labelled_and_counted_by_hand(tmp_path):
    data = json.loads(run(str(write_plain(tmp_path / "a.csv")), "--json").stdout)
    screened = data["transitions"][1]
    assert screened["from"] == "screened"
    assert screened["to"] == "interviewed"
    # Women screened: 20 + 18 = 38 reached screened or later (60 − 22 who stopped at applied);
    # of these 2 + 4 + 3 + 5 = 14 reached the interview or later.
    assert screened["female"] == {"n": 38, "passed": 14, "rate": pytest.approx(14 / 38)}
    # Men: 90 − 27 = 63 screened, 63 − 18 = 45 further.
    assert screened["male"] == {"n": 63, "passed": 45, "rate": pytest.approx(45 / 63)}
    assert screened["impact_ratio"] == pytest.approx((14 / 38) / (45 / 63))
    assert screened["label"] == "signal"
    # 38 · 45/63 = 27.14: 28 women, 14 more.
    assert screened["shortfall"] == 14
    assert screened["other"] == {"n": 1, "passed": 1, "rate": 1.0}


@pytest.mark.parametrize("writer", [write_dutch_excel_csv, write_xlsx])
def test_a_dutch_export_gives_the_same_figures_as_the_plain_file(tmp_path, writer):
    plain = json.loads(run(str(write_plain(tmp_path / "a.csv")), "--json").stdout)
    suffix = ".xlsx" if writer is write_xlsx else ".csv"
    result = run(str(writer(tmp_path / f"nl{suffix}")), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == plain


def test_a_bad_file_exits_2_with_every_problem_by_row_and_column_and_nothing_on_stdout(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "candidate_id,gender,stage\nA1,F,applied\nA2,Q,hired\nA3,M,onbekend\nA1,M,hired\n,F,applied\n",
        encoding="utf-8",
    )
    result = run(str(path), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "row 3, column gender" in result.stderr
    assert "row 4, column stage" in result.stderr
    assert "row 5, column candidate_id" in result.stderr
    assert "appears twice" in result.stderr
    assert "row 6, column candidate_id" in result.stderr


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "nostage.csv"
    path.write_text("candidate_id,gender\nA1,F\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "stage" in result.stderr


def test_own_stages_are_used_in_their_order(tmp_path):
    path = tmp_path / "own.csv"
    rows = ["candidate_id,gender,stage"]
    rows += [f"W{i},F,{'assessment' if i < 6 else 'cv'}" for i in range(10)]
    rows += [f"M{i},M,{'contract' if i < 8 else 'cv'}" for i in range(10)]
    path.write_text("\n".join(rows), encoding="utf-8")
    result = run(str(path), "--stages", "cv,assessment,contract", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["stages"] == ["cv", "assessment", "contract"]
    assert data["transitions"][0]["female"] == {"n": 10, "passed": 6, "rate": 0.6}
    assert data["transitions"][1]["female"]["passed"] == 0
    assert data["by_job_family"] == {}


@pytest.mark.parametrize("stages", ["one", "a,,b", "a,A"])
def test_bad_stages_exit_2_with_one_line(tmp_path, stages):
    result = run(str(write_plain(tmp_path / "a.csv")), "--stages", stages)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--stages" in result.stderr


def test_the_table_names_the_label_and_the_one_or_two_more_note(tmp_path):
    result = run(str(write_plain(tmp_path / "a.csv")))
    assert result.exit_code == 0
    assert "screened → interviewed" in result.stdout
    assert "signal" in result.stdout
