"""Norm percentiles: only against a norm group of at least 50 respondents."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from koers.stats.scales import MIN_NORM_SIZE, norm_percentiles, percentile_rank


def test_the_norm_group_minimum_is_fifty() -> None:
    assert MIN_NORM_SIZE == 50


def test_a_norm_group_of_49_gives_no_percentile_and_50_does() -> None:
    norm = np.linspace(1, 7, 50)
    assert percentile_rank(4.0, norm[:49]) is None
    rank = percentile_rank(4.0, norm)
    assert rank is not None
    assert rank == pytest.approx(50.0)


def test_missing_norm_scores_do_not_count_towards_the_fifty() -> None:
    norm = np.append(np.linspace(1, 7, 49), np.nan)
    assert percentile_rank(4.0, norm) is None


def test_the_percentile_rank_is_the_mid_rank_definition_of_scipy() -> None:
    rng = np.random.default_rng(1)
    norm = np.rint(rng.normal(4, 1.2, size=137) * 3) / 3  # many ties, like means of 3 items
    for score in (1.0, 3.0, 4.0, 4 + 1 / 3, 7.0, 9.0):
        expected = stats.percentileofscore(norm, score, kind="mean")
        assert percentile_rank(score, norm) == pytest.approx(expected)


def test_ties_count_half() -> None:
    norm = [1.0] * 25 + [2.0] * 25 + [3.0] * 50
    assert percentile_rank(2.0, norm) == pytest.approx(100 * (25 + 12.5) / 100)


def test_a_missing_score_has_no_percentile() -> None:
    norm = np.linspace(1, 7, 60)
    assert percentile_rank(None, norm) is None
    assert percentile_rank(math.nan, norm) is None


def test_percentiles_per_scale_are_given_only_where_the_norm_group_is_large_enough() -> None:
    rng = np.random.default_rng(2)
    norm = pd.DataFrame(
        {
            "big": rng.normal(4, 1, size=80),
            "small": np.r_[rng.normal(4, 1, size=49), [np.nan] * 31],
        }
    )
    scores = pd.DataFrame({"big": [4.0, np.nan], "small": [4.0, 5.0], "absent": [3.0, 3.0]})
    result = norm_percentiles(scores, norm)
    assert result.shape == scores.shape
    assert result.loc[0, "big"] == pytest.approx(
        stats.percentileofscore(norm["big"], 4.0, kind="mean")
    )
    assert math.isnan(result.loc[1, "big"])
    assert result["small"].isna().all()
    assert result["absent"].isna().all()


def test_the_minimum_can_be_raised() -> None:
    norm = np.linspace(1, 7, 60)
    assert percentile_rank(4.0, norm, min_norm_size=100) is None
