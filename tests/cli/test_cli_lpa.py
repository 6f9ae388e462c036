"""``koers lpa``: the command-line contract of docs/cli-lpa.md."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from koers.cli import main
from koers.stats.lpa import LatentProfileModel

TOP_KEYS = ["model", "n_rows", "n_columns", "fits", "selected_n_profiles"]
FIT_KEYS = [
    "n_profiles",
    "log_likelihood",
    "n_parameters",
    "aic",
    "bic",
    "sabic",
    "caic",
    "entropy",
    "smallest_share",
    "warnings",
    "blrt_p",
]


def scores(n: int = 150, seed: int = 0, d: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[2.0] * d, [5.0] * d])
    return centres[rng.choice(2, size=n)] + 0.7 * rng.standard_normal((n, d))


def write_csv(path: Path, x: np.ndarray, *, sep: str = ",", decimal: str = ".") -> Path:
    """Columns id, q1..qd, team_id, name; NaN written as an empty cell."""
    d = x.shape[1]
    lines = [sep.join(["id", *[f"q{j + 1}" for j in range(d)], "team_id", "name"])]
    for i, row in enumerate(x):
        cells = ["" if np.isnan(v) else f"{v:.4f}".replace(".", decimal) for v in row]
        lines.append(sep.join([str(i + 1), *cells, str(i % 4), f"person {i}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["lpa", *args])


def test_json_output_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores())
    result = run(str(csv), "--profiles", "1-3", "--starts", "3", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == TOP_KEYS
    assert [list(f) for f in out["fits"]] == [FIT_KEYS] * 3
    assert out["model"] == 1
    assert out["n_rows"] == 150
    assert out["n_columns"] == 3
    assert out["selected_n_profiles"] == 2
    first = out["fits"][0]
    assert first["entropy"] is None
    assert first["smallest_share"] == 1.0
    assert all(f["blrt_p"] is None for f in out["fits"])
    assert result.stderr == ""


def test_default_columns_skip_ids_and_text(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores(d=4))
    out = json.loads(run(str(csv), "--profiles", "1", "--json").stdout)
    assert out["n_columns"] == 4  # q1..q4; not id, team_id or name
    out = json.loads(run(str(csv), "--profiles", "1", "--columns", "q1, q3", "--json").stdout)
    assert out["n_columns"] == 2


def test_empty_cells_are_missing_values_not_dropped_rows(tmp_path: Path) -> None:
    x = scores(n=120, seed=1)
    x[np.random.default_rng(0).random(x.shape) < 0.2] = np.nan
    x = x[~np.isnan(x).all(axis=1)]
    csv = write_csv(tmp_path / "s.csv", x)
    out = json.loads(run(str(csv), "--profiles", "1", "--json").stdout)
    assert out["n_rows"] == x.shape[0]
    expected = LatentProfileModel(1).fit(np.round(x, 4)).log_likelihood_
    assert out["fits"][0]["log_likelihood"] == pytest.approx(expected, rel=1e-9)


def test_rows_without_values_are_left_out_with_a_note(tmp_path: Path) -> None:
    x = scores(n=80)
    x[[3, 10]] = np.nan
    csv = write_csv(tmp_path / "s.csv", x)
    result = run(str(csv), "--profiles", "1", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["n_rows"] == 78
    assert "left out 2 row(s) without values" in result.stderr


def test_semicolons_and_decimal_commas_are_read(tmp_path: Path) -> None:
    x = scores(n=60)
    plain = write_csv(tmp_path / "a.csv", x)
    dutch = write_csv(tmp_path / "b.csv", x, sep=";", decimal=",")
    a = json.loads(run(str(plain), "--profiles", "1-2", "--starts", "2", "--json").stdout)
    b = json.loads(run(str(dutch), "--profiles", "1-2", "--starts", "2", "--json").stdout)
    assert a == b


def test_profile_counts_with_more_parameters_than_rows_get_null_indices(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores(n=30, d=4))
    result = run(str(csv), "--model", "6", "--profiles", "1-3", "--starts", "2", "--json")
    assert result.exit_code == 0, result.output
    fits = json.loads(result.stdout)["fits"]
    assert fits[1]["log_likelihood"] is not None  # 29 parameters, 30 rows
    skipped = fits[2]
    assert skipped["n_parameters"] == 44
    for key in ["log_likelihood", "aic", "bic", "sabic", "caic", "entropy", "smallest_share"]:
        assert skipped[key] is None
    assert skipped["warnings"] == ["not fitted: 44 parameters but only 30 rows"]


def test_no_qualifying_profile_count_gives_null_and_a_message(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores())
    result = run(str(csv), "--profiles", "2-3", "--min-share", "0.6", "--starts", "2", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["selected_n_profiles"] is None
    assert "No number of profiles qualifies" in result.stderr


def test_blrt_p_values_are_reported_from_two_profiles_on(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores(n=100))
    result = run(
        str(csv), "--profiles", "1-2", "--starts", "2", "--blrt", "4", "--jobs", "1", "--json"
    )
    fits = json.loads(result.stdout)["fits"]
    assert fits[0]["blrt_p"] is None
    assert fits[1]["blrt_p"] == pytest.approx(0.2)  # 1 / (4 + 1): two clear profiles


def test_table_output_marks_the_selection_and_shows_progress(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "s.csv", scores())
    result = run(str(csv), "--profiles", "1-3", "--starts", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Model 1 (EEI: equal variances")
    assert any(line.startswith("* 2 ") for line in lines)
    assert "Selected: 2 profiles" in result.stdout
    assert "Fitting" in result.stderr


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("id,name\n1,a\n2,b\n", [], "no numeric columns"),
        ("id,q1\n1,2\n2,3\n", ["--columns", "q2"], "column 'q2' is not in"),
        ("id,q1,name\n1,2,a\n2,3,b\n", ["--columns", "q1,name"], "'name' is not numeric"),
        ("q1,q2\n1,2\n1,3\n1,4\n", [], "same value in every row"),
        ("q1,q2\n1,2\n2,3\n4,4\n", ["--profiles", "5-8"], "can be fitted"),
        ("q1,q2\n1,2\n2,3\n4,4\n", ["--profiles", "three"], "not a range"),
        ("q1,q2\n1,2\n2,3\n4,4\n", ["--model", "7"], "--model"),
    ],
)
def test_bad_input_exits_with_code_2_and_says_what_to_change(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(content, encoding="utf-8")
    result = run(str(csv), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_missing_file_exits_with_code_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nothing.csv"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_dutch_export_with_a_title_line_reads_as_the_hr_importer_reads_it(
    tmp_path: Path,
) -> None:
    # The title line has commas and no semicolons: guessing the separator from the
    # first line (as koers lpa once did) picks "," and reads nothing right. The one
    # reader (koers.hrfile) finds ";" and the header below the title, as the web does.
    x = scores(n=60)
    plain = write_csv(tmp_path / "a.csv", x)
    dutch = tmp_path / "b.csv"
    body = write_csv(tmp_path / "body.csv", x, sep=";", decimal=",").read_text(encoding="utf-8")
    title = "Scores, team Noord, juni 2026\r\n"
    dutch.write_bytes((title + body.replace("\n", "\r\n")).encode("cp1252"))
    assert title.count(",") > title.count(";")
    a = json.loads(run(str(plain), "--profiles", "1-2", "--starts", "2", "--json").stdout)
    result = run(str(dutch), "--profiles", "1-2", "--starts", "2", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == a


def test_lpa_and_the_hr_importer_read_the_same_numbers(tmp_path: Path) -> None:
    from koers.cli.lpa import read_indicators
    from koers.hrfile import read_table
    from koers.hrfile.cells import parse_number

    # A thousands dot and decimal commas: 1.250,5 is 1250.5 for both readers.
    path = tmp_path / "export.csv"
    path.write_bytes(b"Overzicht\nid;score;uren\n1;1.250,5;36\n2;980;32,5\n3;1.100;40\n")
    data = read_indicators(path, "score,uren")
    raw = read_table(path, columns=())
    expected = [[parse_number(raw.rows[i][j], ",") for j in (1, 2)] for i in range(3)]
    assert data.values.tolist() == expected == [[1250.5, 36.0], [980.0, 32.5], [1100.0, 40.0]]
