"""Cronbach's alpha and McDonald's omega, checked against independent computations."""

from __future__ import annotations

import itertools
import math
import statistics
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import FactorAnalysis

from koers.stats.scales import (
    ScaleKey,
    cronbach_alpha,
    fit_one_factor,
    mcdonald_omega,
    scale_reliability,
)


def _simulate(loadings: list[float], n: int, seed: int) -> np.ndarray:
    """Standardised items from a one-factor model: x = lambda * f + e, var(e) = 1 - lambda^2."""
    rng = np.random.default_rng(seed)
    lam = np.asarray(loadings)
    factor = rng.normal(size=(n, 1))
    noise = rng.normal(size=(n, len(lam))) * np.sqrt(1 - lam**2)
    return factor * lam + noise


def _alpha_direct(rows: list[list[float]]) -> float:
    """alpha = k/(k-1) * (1 - sum of item variances / variance of the sum), in plain Python."""
    k = len(rows[0])
    item_variances = [statistics.variance(column) for column in zip(*rows, strict=True)]
    total_variance = statistics.variance([sum(row) for row in rows])
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


def test_alpha_of_a_small_example_worked_by_hand() -> None:
    # Items (columns) 1,2,3,4 / 2,3,3,5 / 2,3,4,5: sums of squares 5, 4.75, 5 -> item
    # variances 5/3, 4.75/3, 5/3. Sums 5, 8, 10, 14 (mean 9.25): sum of squares 42.75.
    # alpha = 3/2 * (1 - 14.75/42.75) = 42/42.75 = 56/57.
    data = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]
    assert Fraction(3, 2) * (1 - Fraction(1475, 4275)) == Fraction(56, 57)
    result = cronbach_alpha(np.array(data, dtype=float))
    assert result.value == pytest.approx(56 / 57, abs=1e-12)
    assert (result.n_respondents, result.n_items) == (4, 3)


def test_alpha_equals_the_direct_formula_in_plain_python() -> None:
    data = np.clip(np.rint(4 + 1.3 * _simulate([0.7, 0.6, 0.5, 0.8, 0.4], 300, seed=1)), 1, 7)
    expected = _alpha_direct(data.tolist())
    assert cronbach_alpha(data).value == pytest.approx(expected, abs=1e-12)


def test_alpha_equals_the_mean_covariance_form_used_by_pingouin() -> None:
    # alpha = k * mean_cov / (mean_var + (k - 1) * mean_cov)
    data = _simulate([0.8, 0.3, 0.6, 0.5], 250, seed=2) * [1.0, 2.0, 0.5, 1.5]
    covariance = np.cov(data, rowvar=False)
    k = covariance.shape[0]
    mean_var = np.trace(covariance) / k
    mean_cov = (covariance.sum() - np.trace(covariance)) / (k * (k - 1))
    expected = k * mean_cov / (mean_var + (k - 1) * mean_cov)
    assert cronbach_alpha(data).value == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("k", [4, 6])
def test_alpha_is_the_mean_of_all_split_half_coefficients(k: int) -> None:
    # Cronbach (1951): alpha is the mean of the Flanagan-Rulon split-half coefficients
    # 2 * (1 - (var_A + var_B) / var_total) over all splits into two halves.
    data = _simulate([0.3 + 0.1 * j for j in range(k)], 200, seed=k)
    total_variance = data.sum(axis=1).var(ddof=1)
    coefficients = []
    for half in itertools.combinations(range(k), k // 2):
        rest = [j for j in range(k) if j not in half]
        var_a = data[:, list(half)].sum(axis=1).var(ddof=1)
        var_b = data[:, rest].sum(axis=1).var(ddof=1)
        coefficients.append(2 * (1 - (var_a + var_b) / total_variance))
    assert cronbach_alpha(data).value == pytest.approx(float(np.mean(coefficients)), abs=1e-12)


@pytest.mark.parametrize(("k", "r"), [(3, 0.3), (6, 0.5), (10, 0.2)])
def test_alpha_of_parallel_items_is_the_spearman_brown_value(k: int, r: float) -> None:
    # Data whose sample covariance is exactly compound symmetric (unit variances, correlation r):
    # alpha then equals k r / (1 + (k - 1) r).
    rng = np.random.default_rng(k)
    raw = rng.normal(size=(500, k))
    raw -= raw.mean(axis=0)
    whitened = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False))).T
    target = np.full((k, k), r) + np.eye(k) * (1 - r)
    data = whitened @ np.linalg.cholesky(target).T
    assert np.allclose(np.cov(data, rowvar=False), target)
    assert cronbach_alpha(data).value == pytest.approx(k * r / (1 + (k - 1) * r), abs=1e-10)


def test_alpha_drops_incomplete_rows_and_reports_n() -> None:
    data = pd.DataFrame(
        {"a": [1, 2, 3, 4, np.nan], "b": [2, 3, 3, 5, 4], "c": [2, 3, 4, 5, np.nan]}
    )
    result = cronbach_alpha(data)
    assert result.n_respondents == 4
    assert result.value == pytest.approx(56 / 57)


@pytest.mark.parametrize(
    "data",
    [np.ones((5, 1)), np.array([[1.0, 2.0]]), np.full((4, 3), 3.0)],
    ids=["one item", "one respondent", "no variance"],
)
def test_alpha_is_nan_when_it_cannot_be_computed(data: np.ndarray) -> None:
    assert math.isnan(cronbach_alpha(data).value)


def _omega_population(loadings: list[float]) -> float:
    lam = np.asarray(loadings)
    return float(lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()))


def test_one_factor_ml_recovers_the_loadings_of_an_exact_model() -> None:
    lam = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    corr = np.outer(lam, lam) + np.diag(1 - lam**2)
    fit = fit_one_factor(corr)
    assert fit.converged
    assert not fit.heywood
    np.testing.assert_allclose(fit.loadings, lam, atol=1e-4)
    np.testing.assert_allclose(fit.uniquenesses, 1 - lam**2, atol=1e-4)


def test_a_loading_near_one_is_reported_as_a_heywood_case() -> None:
    lam = np.array([0.999, 0.6, 0.5, 0.5])
    corr = np.outer(lam, lam) + np.diag(1 - lam**2)
    assert fit_one_factor(corr).heywood


def test_omega_approaches_its_population_value_on_simulated_data() -> None:
    loadings = [0.8, 0.7, 0.6, 0.5, 0.7]
    data = _simulate(loadings, 20_000, seed=5)
    result = mcdonald_omega(data)
    assert result.n_respondents == 20_000
    assert result.value == pytest.approx(_omega_population(loadings), abs=0.01)
    np.testing.assert_allclose(result.loadings, loadings, atol=0.03)


def test_omega_is_raw_score_omega_and_ignores_a_common_rescaling() -> None:
    data = _simulate([0.7, 0.6, 0.5, 0.4], 2_000, seed=6)
    scaled = data * [1.0, 3.0, 0.5, 2.0]
    result = mcdonald_omega(scaled)
    assert mcdonald_omega(scaled * 10 + 3).value == pytest.approx(result.value, abs=1e-9)
    # The omega formula on the raw loadings and uniquenesses returned.
    common = result.loadings.sum() ** 2
    assert result.value == pytest.approx(common / (common + result.uniquenesses.sum()))


@pytest.mark.parametrize("seed", [7, 8])
def test_omega_agrees_with_scikit_learn_factor_analysis(seed: int) -> None:
    data = _simulate([0.75, 0.6, 0.55, 0.45, 0.3, 0.65], 1_500, seed=seed) * [1, 2, 1, 0.5, 1, 3]
    fa = FactorAnalysis(n_components=1, tol=1e-12, max_iter=20_000, svd_method="lapack").fit(data)
    loadings = fa.components_[0]
    loadings = loadings if loadings.sum() > 0 else -loadings
    common = loadings.sum() ** 2
    expected = common / (common + fa.noise_variance_.sum())
    assert mcdonald_omega(data).value == pytest.approx(expected, abs=1e-6)


def test_omega_equals_alpha_for_exactly_tau_equivalent_items() -> None:
    # With equal loadings and equal uniquenesses (parallel items) omega = alpha.
    k, r = 5, 0.4
    rng = np.random.default_rng(9)
    raw = rng.normal(size=(800, k))
    raw -= raw.mean(axis=0)
    whitened = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False))).T
    data = whitened @ np.linalg.cholesky(np.full((k, k), r) + np.eye(k) * (1 - r)).T
    assert mcdonald_omega(data).value == pytest.approx(cronbach_alpha(data).value, abs=1e-5)


def test_omega_needs_three_items() -> None:
    result = mcdonald_omega(_simulate([0.7, 0.7], 100, seed=10))
    assert math.isnan(result.value)
    assert (result.n_items, result.n_respondents) == (2, 100)


def test_scale_reliability_reverse_keys_reports_n_and_flags_weak_scales() -> None:
    rng = np.random.default_rng(11)
    trait = rng.normal(size=300)
    good = {f"g{j}": 4 + 1.2 * trait + rng.normal(scale=0.7, size=300) for j in range(3)}
    good["g2"] = 8 - good["g2"]  # a reverse-keyed item
    noise = {f"n{j}": 4 + rng.normal(size=300) for j in range(3)}
    responses = pd.DataFrame({**good, **noise}).clip(1, 7)
    responses.loc[:9, "n0"] = np.nan
    key = {
        "good": ScaleKey(items=("g0", "g1", "g2"), reverse_items=frozenset({"g2"})),
        "noise": ScaleKey(items=("n0", "n1", "n2")),
        "pair": ScaleKey(items=("g0", "g1")),
    }
    table = scale_reliability(responses, key)
    assert list(table.index) == ["good", "noise", "pair"]
    assert table.loc["good", "alpha"] > 0.8
    assert table.loc["good", "omega"] > 0.8
    assert not table.loc["good", "below_threshold"]
    assert table.loc["noise", "below_threshold"]
    assert table.loc["noise", "n_respondents"] == 290
    assert math.isnan(table.loc["pair", "omega"])
    assert table.loc["pair", "alpha"] > 0.8
    unreversed = scale_reliability(responses, {"good": ScaleKey(items=("g0", "g1", "g2"))})
    assert unreversed.loc["good", "below_threshold"]
