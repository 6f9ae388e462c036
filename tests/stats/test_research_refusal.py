"""Small groups: analyses refuse with a reason in Dutch and English, leave small profiles
out without showing their size, and every count shown passes the disclosure rule."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from koers.stats.research import ANALYSES, run_analysis, simulate


@pytest.mark.parametrize("key", list(ANALYSES))
def test_a_tiny_dataset_is_refused_with_a_reason_in_both_languages(key: str) -> None:
    result = run_analysis(key, simulate(12, seed=1), k=5)
    assert result.refused is not None
    assert result.refused["nl"]
    assert result.refused["en"]
    assert result.tables == []
    assert result.statistics == []
    assert result.chart is None


def test_three_women_are_too_few_for_the_gender_analyses() -> None:
    frame = simulate(600, seed=2)
    women = frame.index[frame.gender == "woman"]
    frame.loc[women[3:], "gender"] = "man"
    for key in ("income-hours-by-gender", "gender-stigma"):
        result = run_analysis(key, frame, k=5)
        assert result.refused is not None
        assert "5" in result.refused["en"]
        assert "5" in result.refused["nl"]
    # the analyses that only add gender still run, without the gender part
    result = run_analysis("function-by-sector", frame, k=5)
    assert result.refused is None
    assert not any("gender" in str(s["name"]) for s in result.statistics)


def test_a_larger_k_refuses_what_k_5_allows() -> None:
    frame = simulate(150, seed=3)
    assert run_analysis("gender-stigma", frame, k=5).refused is None
    assert run_analysis("gender-stigma", frame, k=40).refused is not None


def test_k_below_five_and_a_missing_column_are_errors_not_refusals() -> None:
    frame = simulate(200, seed=4)
    with pytest.raises(ValueError, match="at least 5"):
        run_analysis("function-by-sector", frame, k=3)
    with pytest.raises(ValueError, match="lacks column"):
        run_analysis("function-by-sector", frame.drop(columns=["sector_objective"]))
    with pytest.raises(KeyError):
        run_analysis("no-such-analysis", frame)


def _small_innovator_frame() -> pd.DataFrame:
    frame = simulate(800, seed=5)
    innovators = frame.index[frame.profile == "innovator"]
    frame.loc[innovators, "gender"] = "man"
    frame.loc[innovators[:3], "gender"] = "woman"
    return frame


def test_a_cell_under_k_is_hidden_with_its_percentage_residual_and_a_complement() -> None:
    result = run_analysis("profiles-by-background", _small_innovator_frame(), k=5)
    table = next(t for t in result.tables if t.title["en"] == "Profile × gender")
    rows = {row[0]["en"]: row for row in table.rows}
    columns = [c["en"] for c in table.columns]
    n_w, pct_w, res_w = (columns.index(f"woman: {x}") for x in ("n", "%", "residual"))
    assert rows["Innovator"][n_w] is None
    assert rows["Innovator"][pct_w] is None
    assert rows["Innovator"][res_w] is None
    for column in ("woman: n", "man: n"):
        j = columns.index(column)
        values = [row[j] for row in table.rows[:-1]]
        shown = [v for v in values if v is not None]
        assert all(v == 0 or v >= 5 for v in shown)
        hidden = len(values) - len(shown)
        assert hidden != 1  # never a single hidden cell beside a shown total
    for row in table.rows[:-1]:
        cells = [row[columns.index(c)] for c in ("woman: n", "man: n")]
        assert cells.count(None) != 1


def test_a_profile_under_k_is_left_out_of_the_ancova_without_its_size() -> None:
    frame = simulate(1000, seed=6)
    innovators = frame.index[frame.profile == "innovator"]
    frame.loc[innovators[3:], "profile"] = "allrounder"
    result = run_analysis("scales-by-profile", frame, k=5)
    table = next(t for t in result.tables if "identification" in t.title["en"])
    assert "innovator" not in [row[0] for row in table.rows]
    assert table.note is not None
    assert "Innovator" in table.note["en"]
    assert "Innovator" in table.note["nl"]
    assert "3" not in table.note["en"]


def _coarsened(frame: pd.DataFrame) -> pd.DataFrame:
    """As koers.research's k-anonymisation leaves a dataset: numbers as group medians,
    merged categories "other", ordinal codes merged to missing, a dropped column empty."""
    out = frame.copy()
    out["age"] = (out.age // 10) * 10 + 4.5
    out["income_band"] = out.income_band.map(
        {1: 1.5, 2: 1.5, 3: 3.5, 4: 3.5, 5: 6.0, 6: 6.0, 7: 6.0}
    )
    out["contract_hours"] = out.contract_hours.clip(24, 40).round(-1)
    out["education_level"] = out.education_level.where(out.education_level != 2.0)
    out["job_category"] = out.job_category.astype(object).where(
        out.job_category.isin(["engineer", "manager"]), "other"
    )
    out["organisation"] = None
    return out


@pytest.mark.parametrize("key", list(ANALYSES))
def test_a_coarsened_dataset_runs_and_names_no_organisation_count(key: str) -> None:
    result = run_analysis(key, _coarsened(simulate(900, seed=7)))
    assert result.refused is None
    assert "een onbekend aantal" in result.methods["nl"]
    assert "an unknown number of" in result.methods["en"]


def test_an_emptied_column_refuses_the_analyses_that_need_it() -> None:
    frame = simulate(600, seed=8)
    frame["profile"] = None
    for key in ("profiles-by-background", "scales-by-profile"):
        assert run_analysis(key, frame).refused is not None
    result = run_analysis("leave-by-profile", frame)
    assert result.refused is None
    assert not any("profile" in str(s["name"]) for s in result.statistics)


def _count_columns(columns: Any) -> list[int]:
    names = [c["en"] if isinstance(c, dict) else c for c in columns]
    return [j for j, c in enumerate(names) if c == "n" or c.endswith(": n")]


@pytest.mark.parametrize("seed", range(6))
def test_every_count_shown_by_any_analysis_is_zero_or_at_least_k(seed: int) -> None:
    """Small generated datasets (120 people, 8 % women) make small cells in every table."""
    frame = simulate(120, seed=100 + seed, effects={"share_women": 0.08})
    for key in ANALYSES:
        result = run_analysis(key, frame, k=5)
        for table in result.tables:
            for j in _count_columns(table.columns):
                for row in table.rows:
                    value = row[j]
                    assert value is None or value == 0 or value >= 5, (key, table.title, row)


def test_the_share_and_odds_ratio_of_a_hidden_cell_are_not_given() -> None:
    frame = simulate(400, seed=9)
    both = frame.index[
        (frame.function_group == "technical") & (frame.sector_objective == "non_technical_sector")
    ]
    frame = frame.drop(index=both[3:])
    result = run_analysis("function-by-sector", frame, k=5)
    counts = [row[2] for row in result.tables[0].rows]
    assert counts.count(None) >= 2
    names = [s["name"] for s in result.statistics]
    assert "odds ratio technical job, technical vs non-technical sector" not in names
    assert "share technical job in technical sector" not in names


def test_the_leave_methods_do_not_count_a_handful_without_a_profile() -> None:
    frame = simulate(800, seed=10, effects={"leave_base": -2.0})
    frame.loc[frame.profile.isna(), "profile"] = "nerd"
    in_sector = frame.index[
        (frame.sector_objective == "technical_sector")
        & frame.future_sector.isin(["technical", "non_technical"])
    ]
    frame.loc[in_sector[:3], "profile"] = None
    result = run_analysis("leave-by-profile", frame, k=5)
    assert f"for the {result.n - 3} people" not in result.methods["en"]
    assert "for the people with a profile" in result.methods["en"]
    frame.loc[in_sector[:3], "profile"] = "nerd"
    result = run_analysis("leave-by-profile", frame, k=5)
    assert f"for the {result.n} people with a profile" in result.methods["en"]


def test_separation_in_the_leaving_model_is_refused_as_separation() -> None:
    """A small pool where the logistic model separates (its information matrix turns
    singular) is refused with that reason, not with a numerical error."""
    result = run_analysis("leave-by-profile", simulate(150, seed=0), k=5)
    assert result.refused is not None
    assert "separation" in result.refused["en"]
    assert "scheiding" in result.refused["nl"]
