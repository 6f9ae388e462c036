"""koers.stats.significance and the category test of paygap against independent implementations."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import rates
from statsmodels.stats.multitest import multipletests

from koers.stats.paygap import compute_pay_gap
from koers.stats.significance import (
    holm,
    proportion_lower_p,
    rate_higher_p,
    ratio_gap_interval,
    subset_lower_p,
)


@pytest.mark.parametrize(
    ("x_a", "n_a", "x_b", "n_b"), [(11, 311, 53, 863), (1, 25, 6, 75), (0, 5, 3, 9)]
)
def test_the_proportion_test_is_the_lower_tail_of_the_hypergeometric(
    x_a: int, n_a: int, x_b: int, n_b: int
) -> None:
    # Given the margins, x_a is hypergeometric; the one-sided p-value is P(X ≤ x_a).
    expected = stats.hypergeom.cdf(x_a, n_a + n_b, x_a + x_b, n_a)
    assert proportion_lower_p(x_a, n_a, x_b, n_b) == pytest.approx(expected, rel=1e-9)
    assert proportion_lower_p(x_a, 0, x_b, n_b) is None


def test_the_rate_test_is_statsmodels_exact_conditional_test() -> None:
    expected = rates.test_poisson_2indep(
        52, 305.5, 92, 866.5, method="exact-cond", alternative="larger"
    ).pvalue
    assert rate_higher_p(52, 305.5, 92, 866.5) == pytest.approx(expected, rel=1e-9)
    assert rate_higher_p(0, 10.0, 0, 30.0) == 1.0


def test_the_subset_test_is_fisher_against_the_rest() -> None:
    # 2 women of 20 in management, 60 of 250 overall: management vs the other 230.
    fisher = stats.fisher_exact([[2, 18], [58, 172]], alternative="less").pvalue
    assert subset_lower_p(2, 20, 60, 250) == pytest.approx(fisher, rel=1e-9)


def test_holm_agrees_with_statsmodels() -> None:
    p = list(np.random.default_rng(3).uniform(0, 0.06, 12))
    assert holm(p) == list(multipletests(p, alpha=0.05, method="holm")[0])


def test_the_ratio_interval_covers_the_true_gap_about_95_percent_of_the_time() -> None:
    """Skewed spend (a third gets nothing, the rest lognormal), 80 women and 240 men,
    no true gap: the delta-method interval should hold 0 in about 95 % of samples."""
    rng = np.random.default_rng(11)
    covered = 0
    runs = 1000
    for _ in range(runs):
        spend = np.where(rng.random(320) < 1 / 3, 0.0, rng.lognormal(6.8, 0.8, 320))
        fte = rng.choice([0.6, 0.8, 1.0], 320)
        interval = ratio_gap_interval(
            spend[:80] * fte[:80], fte[:80], spend[80:] * fte[80:], fte[80:]
        )
        assert interval is not None
        covered += interval[1] <= 0 <= interval[2]
    assert 0.93 <= covered / runs <= 0.97


def test_the_category_p_value_is_welchs_test_on_log_pay() -> None:
    rng = np.random.default_rng(5)
    n = 40
    frame = pd.DataFrame(
        {
            "employee_id": [str(i) for i in range(n)],
            "gender": ["female" if i % 5 == 0 else "male" for i in range(n)],
            "hire_date": pd.to_datetime(["2020-01-01"] * n),
            "job_family": "Engineer",
            "job_level": ["9"] * 20 + ["10"] * 20,
            "hours_per_week": 40.0,
            "annual_base_salary": rng.lognormal(np.log(50_000), 0.1, n),
            "annual_variable_pay": 0.0,
        }
    )
    result = compute_pay_gap(frame, dt.date(2024, 1, 1), adjust=False)
    hourly = frame["annual_base_salary"] / (40 * 52)
    for category in result.categories:
        level = category.category.split(" / ")[1]
        rows = frame["job_level"] == level
        women = np.log(hourly[rows & (frame["gender"] == "female")])
        men = np.log(hourly[rows & (frame["gender"] == "male")])
        expected = stats.ttest_ind(men, women, equal_var=False).pvalue
        assert category.p_value == pytest.approx(expected, rel=1e-8)
