"""Models 2, 3 and 6 against scikit-learn's GaussianMixture from the same starting values.

scikit-learn's diag, tied and full covariance types are tidyLPA's models 2 (VVI),
3 (EEE) and 6 (VVV).  Started from the same parameters, with no covariance
regularisation on either side and the same stopping rule, both run the same
EM: after the same number of iterations, or at convergence, the parameters
agree to rounding.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from koers.stats.lpa import LatentProfileModel, LPAConvergenceWarning

SKLEARN_TYPE = {2: "diag", 3: "tied", 6: "full"}


def data(n: int = 400, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 2.0, 3.0], [4.0, 4.5, 1.0], [2.0, 6.0, 5.0]])
    labels = rng.choice(3, size=n, p=[0.4, 0.35, 0.25])
    mix = np.array([[1.0, 0.4, 0.0], [0.0, 1.0, -0.3], [0.0, 0.0, 1.0]])
    return centres[labels] + 0.9 * rng.standard_normal((n, 3)) @ mix


def starting_values(x: np.ndarray, model: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    means = x[rng.choice(x.shape[0], 3, replace=False)]
    cov = np.cov(x.T, bias=True)
    if model == 2:
        cov = np.diag(np.diag(cov))
    return {
        "weights": np.array([0.2, 0.3, 0.5]),
        "means": means,
        "covariances": np.repeat(cov[None], 3, axis=0),
    }


def fit_both(
    x: np.ndarray, model: int, *, max_iter: int, tol: float
) -> tuple[LatentProfileModel, GaussianMixture]:
    start = starting_values(x, model)
    cov_type = SKLEARN_TYPE[model]
    precisions = np.linalg.inv(start["covariances"])
    if cov_type == "diag":
        precisions = 1.0 / start["covariances"][:, np.arange(3), np.arange(3)]
    elif cov_type == "tied":
        precisions = precisions[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", LPAConvergenceWarning)
        gm = GaussianMixture(
            3,
            covariance_type=cov_type,
            tol=tol,
            reg_covar=0.0,
            max_iter=max_iter,
            weights_init=start["weights"],
            means_init=start["means"],
            precisions_init=precisions,
        ).fit(x)
        lpm = LatentProfileModel(
            3,
            model=model,
            n_starts=1,
            tol=tol,
            tol_mode="absolute",
            max_iter=max_iter,
            var_floor=1e-12,
            weights_init=start["weights"],
            means_init=start["means"],
            covariances_init=start["covariances"],
        ).fit(x)
    return lpm, gm


def sklearn_covariances(gm: GaussianMixture, model: int) -> np.ndarray:
    if model == 2:
        out = np.zeros((3, 3, 3))
        out[:, np.arange(3), np.arange(3)] = gm.covariances_
        return out
    if model == 3:
        return np.repeat(gm.covariances_[None], 3, axis=0)
    return np.asarray(gm.covariances_)


@pytest.mark.parametrize("model", [2, 3, 6])
@pytest.mark.parametrize("max_iter", [1, 4, 15])
def test_same_start_and_iterations_give_the_same_parameters(model: int, max_iter: int) -> None:
    x = data()
    lpm, gm = fit_both(x, model, max_iter=max_iter, tol=1e-300)
    np.testing.assert_allclose(lpm.weights_, gm.weights_, rtol=1e-9)
    np.testing.assert_allclose(lpm.means_, gm.means_, rtol=1e-9)
    np.testing.assert_allclose(lpm.covariances_, sklearn_covariances(gm, model), atol=1e-10)
    assert lpm.log_likelihood_ == pytest.approx(gm.score(x) * x.shape[0], rel=1e-11)


@pytest.mark.parametrize("model", [2, 3, 6])
def test_converged_fit_matches_scikit_learn_with_the_same_stopping_rule(model: int) -> None:
    x = data(n=600, seed=1)
    lpm, gm = fit_both(x, model, max_iter=2000, tol=1e-9)
    assert lpm.converged_
    assert gm.converged_
    assert gm.n_iter_ == lpm.n_iter_
    assert lpm.log_likelihood_ == pytest.approx(gm.score(x) * x.shape[0], rel=1e-12)
    np.testing.assert_allclose(lpm.means_, gm.means_, rtol=1e-9)
    np.testing.assert_allclose(lpm.covariances_, sklearn_covariances(gm, model), atol=1e-9)
    np.testing.assert_allclose(lpm.predict_proba(x), gm.predict_proba(x), atol=1e-9)
