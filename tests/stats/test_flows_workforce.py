"""koers.stats.workforce: headcounts, the leaky pipeline, part-time and training per FTE."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from koers.stats.workforce import (
    board_composition,
    headcount_by,
    in_service,
    leaky_pipeline,
    level_sort_key,
    work_patterns,
)

ON = dt.date(2025, 1, 1)


def staff() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gender": ["female", "female", "male", "male", "other", "female", "male"],
            "hire_date": pd.to_datetime(["2020-01-01"] * 6 + ["2026-01-01"]),
            "exit_date": pd.to_datetime([None] * 7),
            "job_level": ["1", "10", "1", "2", "2", "10", "1"],
            "is_technical": [True, False, True, True, False, True, True],
            "management_layer": ["none", "subtop", "none", "board", "none",
                                 "supervisory_board", "none"],
            "hours_per_week": [24.0, 40.0, 40.0, 36.0, 32.0, 8.0, 40.0],
            "training_spend": [600.0, 1000.0, 500.0, 0.0, 100.0, 0.0, 0.0],
        }
    )  # fmt: skip


def test_in_service_leaves_out_the_supervisory_board_and_future_hires() -> None:
    assert in_service(staff(), ON).tolist() == [True, True, True, True, True, False, False]


def test_leaky_pipeline_gives_the_share_of_women_per_level_in_level_order() -> None:
    table = leaky_pipeline(staff(), ON)
    assert table["job_level"].tolist() == ["1", "2", "10"]
    assert table["female_share"].tolist() == pytest.approx([0.5, 0.0, 1.0])
    assert table["n_other"].tolist() == [0, 1, 0]


def test_headcount_by_technical_function() -> None:
    table = headcount_by(staff(), ON, "is_technical").set_index("is_technical")
    assert table.loc[True, "n_female"] == 1
    assert table.loc[True, "n_male"] == 2


def test_overall_headcount() -> None:
    table = headcount_by(staff(), ON)
    assert table[["n_female", "n_male", "n_other", "n_total"]].iloc[0].tolist() == [2, 2, 1, 5]


def test_part_time_share_hours_and_training_per_fte() -> None:
    patterns = work_patterns(staff(), ON)
    women = patterns["female"]
    assert women.n == 2
    assert women.part_time_share == 0.5
    assert women.mean_hours == 32.0
    assert women.fte == pytest.approx(64 / 40)
    assert women.training_per_fte == pytest.approx(1600 / (64 / 40))
    assert patterns["other"].n == 1


def test_training_per_fte_is_null_without_a_training_column() -> None:
    patterns = work_patterns(staff().drop(columns="training_spend"), ON)
    assert patterns["male"].training_per_fte is None


def test_board_composition_is_the_one_place_the_supervisory_board_counts() -> None:
    table = board_composition(staff(), ON).set_index("management_layer")
    assert table.loc["supervisory_board", "n_female"] == 1
    assert table.loc["board", "n_male"] == 1


def test_numeric_levels_sort_numerically_and_text_after() -> None:
    assert sorted(["10", "2", "B", "1.5", "A"], key=level_sort_key) == ["1.5", "2", "10", "A", "B"]
