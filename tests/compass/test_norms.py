"""Issue 13.7: where a score stands among the others, with its 95 % interval."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest, percentileofscore

from koers.compass.norms import (
    MAX_INTERVAL_WIDTH,
    MIN_NORM_OTHERS,
    clopper_pearson,
    norm_position,
    widest_interval,
)


def test_the_share_counts_ties_as_as_high_as() -> None:
    others = np.array([3.0] * 60 + [4.0] * 40 + [5.0] * 20)
    position = norm_position(4.0, others)
    assert position is not None
    # "as high as or higher than" = everyone at most 4.0: 100 of 120, the weak percentile.
    assert position.n_at_or_below == 100
    assert 100 * position.share == pytest.approx(percentileofscore(others, 4.0, kind="weak"))
    # Mid-rank (the old definition) would say 66.7 %, "higher than" strictly only 50 %.
    assert percentileofscore(others, 4.0, kind="strict") == pytest.approx(50.0)


def test_the_interval_is_clopper_pearson() -> None:
    rng = np.random.default_rng(3)
    others = np.round(rng.normal(4.5, 1.0, 150) * 4) / 4
    position = norm_position(4.75, others)
    assert position is not None
    exact = binomtest(position.n_at_or_below, position.n_others).proportion_ci(method="exact")
    assert (position.low, position.high) == pytest.approx((exact.low, exact.high), rel=1e-9)
    assert position.low_percent <= 100 * exact.low <= 100 * exact.high <= position.high_percent


def test_the_minimum_norm_group_is_the_smallest_with_a_useful_interval() -> None:
    assert widest_interval(MIN_NORM_OTHERS) <= MAX_INTERVAL_WIDTH
    assert widest_interval(MIN_NORM_OTHERS - 1) > MAX_INTERVAL_WIDTH
    assert norm_position(4.0, [4.0] * (MIN_NORM_OTHERS - 1)) is None
    assert norm_position(4.0, [4.0] * MIN_NORM_OTHERS) is not None


def test_missing_scores_are_not_counted() -> None:
    others = [4.0] * MIN_NORM_OTHERS + [float("nan")] * 5
    position = norm_position(5.0, others)
    assert position is not None
    assert position.n_others == MIN_NORM_OTHERS
    assert norm_position(None, others) is None


def test_the_extremes_have_one_sided_intervals() -> None:
    assert clopper_pearson(0, 104)[0] == 0.0
    assert clopper_pearson(104, 104)[1] == 1.0
