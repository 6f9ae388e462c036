"""Models 4 and 5 (numerical M-step) against direct maximisation of the likelihood with scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import approx_fprime, minimize
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from koers.stats.lpa import LatentProfileModel

K, D = 2, 3
IU = np.triu_indices(D, 1)


def data(seed: int = 0, n: int = 240) -> np.ndarray:
    rng = np.random.default_rng(seed)
    covs = np.array(
        [
            [[1.0, 0.5, 0.2], [0.5, 0.8, 0.1], [0.2, 0.1, 1.2]],
            [[0.4, 0.4, 0.1], [0.4, 1.5, -0.2], [0.1, -0.2, 0.6]],
        ]
    )
    means = np.array([[0.0, 0.0, 0.0], [3.0, 2.0, -2.0]])
    labels = rng.choice(2, size=n, p=[0.6, 0.4])
    chol = np.linalg.cholesky(covs)
    noise = rng.standard_normal((n, D))
    return means[labels] + np.einsum("nij,nj->ni", chol[labels], noise)


def unpack(theta: np.ndarray, model: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Natural parameters: logit, means, then model 4: (k·d variances, shared off-diagonals)
    or model 5: (shared variances, k sets of off-diagonals)."""
    logits = np.concatenate([[0.0], theta[: K - 1]])
    weights = np.exp(logits - logsumexp(logits))
    pos = K - 1
    means = theta[pos : pos + K * D].reshape(K, D)
    pos += K * D
    covs = np.zeros((K, D, D))
    n_off = D * (D - 1) // 2
    if model == 4:
        var = theta[pos : pos + K * D].reshape(K, D)
        off = np.tile(theta[pos + K * D : pos + K * D + n_off], (K, 1))
    else:
        var = np.tile(theta[pos : pos + D], (K, 1))
        off = theta[pos + D : pos + D + K * n_off].reshape(K, n_off)
    covs[:, IU[0], IU[1]] = off
    covs += np.swapaxes(covs, 1, 2)
    covs[:, np.arange(D), np.arange(D)] = var
    return weights, means, covs


def pack(lpm: LatentProfileModel, model: int) -> np.ndarray:
    w, m, c = lpm.weights_, lpm.means_, lpm.covariances_
    logits = np.log(w[1:] / w[0])
    var = c[:, np.arange(D), np.arange(D)]
    off = c[:, IU[0], IU[1]]
    cov_part = [var.ravel(), off[0]] if model == 4 else [var[0], off.ravel()]
    return np.concatenate([logits, m.ravel(), *cov_part])


def log_likelihood(theta: np.ndarray, x: np.ndarray, model: int) -> float:
    """Observed-data log-likelihood from scipy densities; -inf outside the PD region."""
    weights, means, covs = unpack(theta, model)
    if np.any(np.linalg.eigvalsh(covs)[:, 0] <= 1e-8):
        return -np.inf
    comp = np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(x)
            for w, m, c in zip(weights, means, covs, strict=True)
        ]
    )
    return float(logsumexp(comp, axis=1).sum())


def direct_maximum(theta0: np.ndarray, x: np.ndarray, model: int) -> tuple[np.ndarray, float]:
    def objective(theta: np.ndarray) -> float:
        ll = log_likelihood(theta, x, model)
        return 1e10 if not np.isfinite(ll) else -ll

    res = minimize(objective, theta0, method="BFGS", options={"gtol": 1e-8, "maxiter": 5000})
    return res.x, -float(res.fun)


@pytest.mark.parametrize("model", [4, 5])
def test_em_solution_is_a_stationary_point_of_the_exact_likelihood(model: int) -> None:
    x = data()
    lpm = LatentProfileModel(K, model=model, n_starts=4, tol=1e-13, random_state=0).fit(x)
    theta = pack(lpm, model)
    assert log_likelihood(theta, x, model) == pytest.approx(lpm.log_likelihood_, rel=1e-12)
    grad = approx_fprime(theta, lambda t: log_likelihood(t, x, model), 1e-6)
    assert np.abs(grad).max() < 1e-3


@pytest.mark.parametrize("model", [4, 5])
def test_direct_maximisation_does_not_beat_em(model: int) -> None:
    x = data(seed=1)
    lpm = LatentProfileModel(K, model=model, n_starts=4, tol=1e-13, random_state=0).fit(x)
    theta, ll = direct_maximum(pack(lpm, model), x, model)
    assert ll <= lpm.log_likelihood_ + 1e-6
    assert ll == pytest.approx(lpm.log_likelihood_, abs=1e-6)


@pytest.mark.parametrize("model", [4, 5])
def test_direct_maximisation_from_another_start_reaches_the_em_maximum(model: int) -> None:
    x = data(seed=2)
    lpm = LatentProfileModel(K, model=model, n_starts=4, tol=1e-13, random_state=0).fit(x)
    # Start the direct optimiser from the diagonal model's solution (a different point).
    simple = LatentProfileModel(K, model=1, n_starts=2, random_state=0).fit(x)
    theta0 = pack(simple, model)
    theta, ll = direct_maximum(theta0, x, model)
    assert ll == pytest.approx(lpm.log_likelihood_, abs=1e-5)
    weights, means, covs = unpack(theta, model)
    order = np.argsort(means[:, 0])
    em_order = np.argsort(lpm.means_[:, 0])
    np.testing.assert_allclose(means[order], lpm.means_[em_order], atol=1e-4)
    np.testing.assert_allclose(covs[order], lpm.covariances_[em_order], atol=1e-4)


@pytest.mark.parametrize("model", [4, 5])
def test_covariances_stay_positive_definite_when_profiles_differ_strongly(model: int) -> None:
    """Shared off-diagonals with very unequal variances push towards the PD boundary."""
    rng = np.random.default_rng(3)
    a = rng.multivariate_normal([0, 0], [[4.0, 1.9], [1.9, 1.0]], size=150)
    b = rng.multivariate_normal([6, 6], [[0.3, 0.0], [0.0, 4.0]], size=150)
    lpm = LatentProfileModel(2, model=model, n_starts=3, random_state=0).fit(np.vstack([a, b]))
    assert np.all(np.linalg.eigvalsh(lpm.covariances_) > 0)
    assert lpm.converged_
