"""Missing values by full-information maximum likelihood."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment, minimize
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from koers.stats.lpa import MODELS as SPECS
from koers.stats.lpa import LatentProfileModel, em

MODEL_NUMBERS = [1, 2, 3, 4, 5, 6]
TRUE_MEANS = np.array([[1.0, 4.0, 2.0, 5.0], [5.0, 1.5, 4.0, 2.0], [3.0, 3.0, 6.0, 4.0]])


def planted(n: int = 600, seed: int = 0, missing: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.choice(3, size=n, p=[0.45, 0.35, 0.2])
    mix = np.array([[1.0, 0.3, 0, 0], [0, 1.0, 0.3, 0], [0, 0, 1.0, 0.3], [0, 0, 0, 1.0]])
    x = TRUE_MEANS[labels] + 0.7 * rng.standard_normal((n, 4)) @ mix
    if missing:
        holes = rng.random(x.shape) < missing
        holes[holes.all(axis=1), 0] = False  # every row keeps at least one answer
        x[holes] = np.nan
    return x, labels


def marginal_log_likelihood(x: np.ndarray, lpm: LatentProfileModel) -> float:
    """Σ_i log Σ_k π_k N(x_i,obs | μ_k,obs, Σ_k,obs,obs) with scipy, per pattern of answers."""
    observed = ~np.isnan(x)
    total = 0.0
    for pattern in np.unique(observed, axis=0):
        rows = x[(observed == pattern).all(axis=1)][:, pattern]
        comp = np.column_stack(
            [
                np.log(w)
                + multivariate_normal(m[pattern], c[np.ix_(pattern, pattern)]).logpdf(rows)
                for w, m, c in zip(lpm.weights_, lpm.means_, lpm.covariances_, strict=True)
            ]
        )
        total += float(logsumexp(comp, axis=1).sum())
    return total


@pytest.mark.parametrize("model", MODEL_NUMBERS)
def test_missing_value_path_equals_complete_data_path_when_nothing_is_missing(model: int) -> None:
    x, _ = planted(n=200)
    spec = SPECS[model]
    center, scale = x.mean(axis=0), x.std(axis=0)
    plain = em.prepare(x, spec, center=center)
    forced = em.prepare(x, spec, center=center, scale=scale, force_missing=True)
    np.testing.assert_allclose(plain.scale, scale)
    assert plain.observed is None
    assert forced.observed is not None
    start = em.initial_params(plain, spec, 3, "kmeans", np.random.default_rng(0), 1e-3)
    kwargs = {"floor": 1e-3, "tol": 1e-10, "tol_mode": "relative", "max_iter": 200}
    a = em.run_em(plain, spec, start.copy(), **kwargs)
    b = em.run_em(forced, spec, start.copy(), **kwargs)
    assert a.log_likelihood == pytest.approx(b.log_likelihood, rel=1e-12)
    assert a.n_iter == b.n_iter
    np.testing.assert_allclose(a.params.means, b.params.means, atol=1e-9)
    np.testing.assert_allclose(a.params.cov, b.params.cov, atol=1e-9)


@pytest.mark.parametrize("model", MODEL_NUMBERS)
def test_log_likelihood_with_missing_values_is_the_marginal_likelihood(model: int) -> None:
    x, _ = planted(n=150, seed=1, missing=0.2)
    lpm = LatentProfileModel(3, model=model, n_starts=3, random_state=0).fit(x)
    assert lpm.n_rows_ == 150  # no row is dropped
    assert lpm.log_likelihood_ == pytest.approx(marginal_log_likelihood(x, lpm), rel=1e-10)
    np.testing.assert_allclose(lpm.posteriors_.sum(axis=1), 1.0)


@pytest.mark.parametrize("model", [1, 6])
def test_fiml_estimate_is_a_maximum_of_the_marginal_likelihood(model: int) -> None:
    """Perturbing the means in any direction never raises the marginal likelihood."""
    x, _ = planted(n=120, seed=2, missing=0.25)
    lpm = LatentProfileModel(3, model=model, n_starts=4, tol=1e-12, random_state=0).fit(x)
    base = lpm.means_.copy()

    def negative_ll(flat_means: np.ndarray) -> float:
        lpm.means_ = flat_means.reshape(base.shape)
        return -marginal_log_likelihood(x, lpm)

    res = minimize(negative_ll, base.ravel(), method="BFGS")
    lpm.means_ = base
    assert -res.fun <= lpm.log_likelihood_ + 1e-6
    np.testing.assert_allclose(res.x.reshape(base.shape), base, atol=1e-3)


@pytest.mark.parametrize("model", [1, 2, 6])
def test_planted_profiles_are_recovered_with_a_quarter_of_the_answers_missing(model: int) -> None:
    x, labels = planted(n=900, seed=4, missing=0.25)
    lpm = LatentProfileModel(3, model=model, n_starts=6, random_state=0).fit(x)
    cost = ((lpm.means_[:, None] - TRUE_MEANS[None]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    np.testing.assert_allclose(lpm.means_[rows], TRUE_MEANS[cols], atol=0.2)
    assert (cols[lpm.predict(x)] == labels).mean() > 0.9


def test_fiml_uses_the_incomplete_rows_that_listwise_deletion_would_drop() -> None:
    """A profile whose rows all miss one indicator still gets its means from the rest."""
    x, labels = planted(n=600, seed=5)
    x[labels == 2, 3] = np.nan  # profile 3 never answered the last question
    lpm = LatentProfileModel(3, model=2, n_starts=6, random_state=0).fit(x)
    complete_rows = ~np.isnan(x).any(axis=1)
    assert complete_rows.sum() < 600
    j = int(np.argmin(((lpm.means_[:, :3] - TRUE_MEANS[2, :3]) ** 2).sum(axis=1)))
    np.testing.assert_allclose(lpm.means_[j, :3], TRUE_MEANS[2, :3], atol=0.15)
    assert lpm.weights_[j] == pytest.approx(0.2, abs=0.04)


def test_a_new_row_without_answers_gets_the_profile_shares_as_posteriors() -> None:
    x, _ = planted(n=300, missing=0.1)
    lpm = LatentProfileModel(3, model=6, n_starts=3, random_state=0).fit(x)
    post = lpm.predict_proba(np.array([[np.nan] * 4, [1.0, np.nan, 2.0, np.nan]]))
    np.testing.assert_allclose(post[0], lpm.weights_)
    assert post[1].max() > 0.5
