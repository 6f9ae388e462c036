"""LatentProfileModel: the six tidyLPA models checked against independent computations."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from koers.stats.lpa import LatentProfileModel, LPAConvergenceWarning, n_parameters

MODELS = [1, 2, 3, 4, 5, 6]


def planted(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three profiles on four indicators, with within-profile correlation."""
    rng = np.random.default_rng(seed)
    means = np.array([[1.0, 1.0, 4.0, 2.0], [4.0, 2.0, 1.0, 5.0], [2.5, 5.0, 3.0, 1.0]])
    mix = np.array([[1.0, 0.3, 0.0, 0.0], [0.0, 1.0, 0.2, 0.0], [0.0, 0.0, 1.0, 0.4], [0, 0, 0, 1]])
    labels = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    x = means[labels] + 0.6 * rng.standard_normal((n, 4)) @ mix
    return x, labels, means


def scipy_log_likelihood(x: np.ndarray, lpm: LatentProfileModel) -> np.ndarray:
    """Per-row log-likelihood from scipy densities and the fitted parameters."""
    comp = np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(x)
            for w, m, c in zip(lpm.weights_, lpm.means_, lpm.covariances_, strict=True)
        ]
    )
    return logsumexp(comp, axis=1)


@pytest.mark.parametrize("model", MODELS)
def test_log_likelihood_equals_scipy_densities_of_the_fitted_parameters(model: int) -> None:
    x, _, _ = planted()
    lpm = LatentProfileModel(3, model=model, n_starts=4, random_state=0).fit(x)
    expected = scipy_log_likelihood(x, lpm)
    assert lpm.log_likelihood_ == pytest.approx(expected.sum(), rel=1e-10)
    np.testing.assert_allclose(lpm.score_samples(x), expected, rtol=1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_posteriors_are_bayes_rule_on_scipy_densities(model: int) -> None:
    x, _, _ = planted(n=120, seed=3)
    lpm = LatentProfileModel(2, model=model, n_starts=2, random_state=0).fit(x)
    comp = np.column_stack(
        [
            w * multivariate_normal(m, c).pdf(x)
            for w, m, c in zip(lpm.weights_, lpm.means_, lpm.covariances_, strict=True)
        ]
    )
    expected = comp / comp.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(lpm.predict_proba(x), expected, atol=1e-10)
    np.testing.assert_allclose(lpm.posteriors_, expected, atol=1e-10)
    np.testing.assert_array_equal(lpm.predict(x), expected.argmax(axis=1))


@pytest.mark.parametrize(
    ("model", "expected"),
    # k = 3 profiles, d = 4 indicators: 12 means + 2 mixing + covariance parameters.
    [(1, 18), (2, 26), (3, 24), (4, 32), (5, 36), (6, 44)],
)
def test_parameter_counts_follow_the_documented_formula(model: int, expected: int) -> None:
    assert n_parameters(model, 3, 4) == expected
    x, _, _ = planted(n=150)
    lpm = LatentProfileModel(3, model=model, n_starts=1, random_state=0).fit(x)
    assert lpm.n_parameters_ == expected


@pytest.mark.parametrize("model", MODELS)
def test_parameter_count_equals_the_free_values_of_the_fitted_covariances(model: int) -> None:
    """Count distinct free values in the fitted matrices, independently of the formula."""
    x, _, _ = planted()
    lpm = LatentProfileModel(3, model=model, n_starts=2, random_state=1).fit(x)
    cov = lpm.covariances_
    k, d = lpm.means_.shape
    iu = np.triu_indices(d, 1)
    var_values = {round(v, 9) for v in cov[:, np.arange(d), np.arange(d)].ravel()}
    off_values = {round(v, 9) for v in cov[:, iu[0], iu[1]].ravel() if abs(v) > 0}
    free = k * d + (k - 1) + len(var_values) + len(off_values)
    assert free == lpm.n_parameters_


@pytest.mark.parametrize("model", MODELS)
def test_fitted_covariances_have_the_model_structure(model: int) -> None:
    x, _, _ = planted()
    lpm = LatentProfileModel(3, model=model, n_starts=2, random_state=0).fit(x)
    cov = lpm.covariances_
    d = cov.shape[1]
    diag = cov[:, np.arange(d), np.arange(d)]
    off = cov - diag[:, :, None] * np.eye(d)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    np.testing.assert_allclose(cov, np.swapaxes(cov, 1, 2))
    if model in (1, 2):
        assert np.all(off == 0)
    else:
        assert np.abs(off).max() > 1e-3
    shared_var = model in (1, 3, 5)
    shared_off = model in (3, 4)
    assert np.allclose(diag, diag[0], rtol=1e-12) == shared_var
    if model >= 3:
        assert np.allclose(off, off[0], rtol=1e-12) == shared_off


def test_more_flexible_models_never_fit_worse() -> None:
    x, _, _ = planted(n=250, seed=5)
    ll = {
        m: LatentProfileModel(2, model=m, n_starts=6, random_state=0).fit(x).log_likelihood_
        for m in MODELS
    }
    slack = 1e-6 * abs(ll[1])
    # Nesting: 1 ⊂ 2 ⊂ 4 ⊂ 6, 1 ⊂ 3 ⊂ 4, 3 ⊂ 5 ⊂ 6.
    for small, big in [(1, 2), (2, 4), (4, 6), (1, 3), (3, 4), (3, 5), (5, 6)]:
        assert ll[big] >= ll[small] - slack, (small, big)


@pytest.mark.parametrize("model", [1, 2, 6])
def test_planted_profiles_are_recovered(model: int) -> None:
    x, labels, means = planted(n=900, seed=11)
    lpm = LatentProfileModel(3, model=model, n_starts=5, random_state=2).fit(x)
    dist = ((lpm.means_[:, None, :] - means[None]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(dist)
    np.testing.assert_allclose(lpm.means_[rows], means[cols], atol=0.15)
    np.testing.assert_allclose(lpm.weights_[rows], np.array([0.5, 0.3, 0.2])[cols], atol=0.05)
    agreement = (cols[lpm.predict(x)] == labels).mean()
    assert agreement > 0.97


@pytest.mark.parametrize("model", MODELS)
def test_log_likelihood_never_decreases_over_em_iterations(model: int) -> None:
    x, _, _ = planted(n=150, seed=7)
    lls = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LPAConvergenceWarning)
        for max_iter in range(1, 12):
            lpm = LatentProfileModel(
                3, model=model, n_starts=1, init="random", max_iter=max_iter, random_state=4
            )
            lls.append(lpm.fit(x).log_likelihood_)
    assert np.all(np.diff(lls) >= -1e-9 * abs(lls[0]))


def test_fit_follows_the_scikit_learn_estimator_conventions() -> None:
    x, _, _ = planted(n=100)
    lpm = LatentProfileModel(2, model=2, n_starts=3, random_state=0)
    assert lpm.get_params()["model"] == 2
    with pytest.raises(RuntimeError, match="not fitted"):
        lpm.predict(x)
    assert lpm.fit(x) is lpm
    assert lpm.set_params(n_profiles=3) is lpm
    assert lpm.n_profiles == 3
    assert lpm.means_.shape == (2, 4)  # fitted attributes stay until the next fit
    with pytest.raises(ValueError, match="unknown parameter"):
        lpm.set_params(colour="red")
    assert "model=2" in repr(lpm)


def test_same_random_state_gives_the_same_fit() -> None:
    x, _, _ = planted(n=150)
    a = LatentProfileModel(3, model=1, n_starts=4, random_state=9).fit(x)
    b = LatentProfileModel(3, model=1, n_starts=4, random_state=9).fit(x)
    np.testing.assert_array_equal(a.means_, b.means_)
    np.testing.assert_array_equal(a.start_log_likelihoods_, b.start_log_likelihoods_)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.array([[1.0, 2.0], [np.nan, np.nan], [3.0, 1.0]]), "no observed values"),
        (np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 1.0]]), "do not vary"),
        (np.array([1.0, 2.0, 3.0]), "2-D"),
        (np.array([[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]]), "infinite"),
    ],
)
def test_bad_data_is_refused_with_a_message_that_says_what_to_do(
    bad: np.ndarray, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        LatentProfileModel(1).fit(bad)


def test_bad_parameters_are_refused() -> None:
    x, _, _ = planted(n=50)
    with pytest.raises(ValueError, match="model must be one of"):
        LatentProfileModel(2, model=7).fit(x)
    with pytest.raises(ValueError, match="too few"):
        LatentProfileModel(60).fit(x)


def test_a_profile_on_identical_rows_is_reported_as_collapsed() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0, 1, (200, 2)), np.tile([[6.0, 6.0]], (8, 1))])
    lpm = LatentProfileModel(2, model=2, n_starts=3, random_state=0).fit(x)
    assert lpm.collapsed_.sum() == 1
    assert any("collapsed" in w for w in lpm.warnings_)
    assert any("below the minimum share" in w for w in lpm.warnings_)


def test_a_collapsed_start_loses_to_a_sound_solution_despite_its_higher_likelihood() -> None:
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(4, 1, (150, 2))])
    x[:5] = [2.0, 2.0]  # five identical rows: a spike profile has a huge likelihood
    spike = {
        "means_init": [[0.0, 0.0], [4.0, 4.0], [2.0, 2.0]],
        "weights_init": [0.49, 0.49, 0.02],
        "covariances_init": np.array([np.eye(2), np.eye(2), 0.001 * np.eye(2)]),
    }
    alone = LatentProfileModel(3, model=2, n_starts=1, **spike).fit(x)
    assert alone.collapsed_.any()
    lpm = LatentProfileModel(3, model=2, n_starts=6, random_state=0, **spike).fit(x)
    assert not lpm.collapsed_.any()
    assert lpm.start_log_likelihoods_[0] == pytest.approx(alone.log_likelihood_)
    assert lpm.log_likelihood_ < alone.log_likelihood_ - 10


def test_reference_model_from_parameters_classifies_like_scipy() -> None:
    means = np.array([[0.8, -0.8, 0.0], [-0.8, 0.0, 0.8]])
    covs = np.repeat((0.75**2 * np.eye(3))[None], 2, axis=0)
    ref = LatentProfileModel.from_parameters([0.6, 0.4], means, covs, model=1)
    x = np.array([[0.5, -0.5, 0.1], [-1.0, 0.2, 1.0], [0.0, 0.0, 0.0]])
    dens = np.column_stack(
        [w * multivariate_normal(m, covs[0]).pdf(x) for w, m in zip([0.6, 0.4], means, strict=True)]
    )
    np.testing.assert_allclose(ref.predict_proba(x), dens / dens.sum(axis=1, keepdims=True))
    with pytest.raises(ValueError, match="equal variances"):
        LatentProfileModel.from_parameters([0.5, 0.5], means, covs * [[[1.0]], [[2.0]]], model=1)


def test_sampling_reproduces_the_parameters() -> None:
    covs = np.array([[[1.0, 0.5], [0.5, 2.0]], [[1.0, -0.3], [-0.3, 0.5]]])
    ref = LatentProfileModel.from_parameters([0.3, 0.7], [[0.0, 0.0], [5.0, 5.0]], covs, model=6)
    x, labels = ref.sample(20000, random_state=0)
    assert labels.mean() == pytest.approx(0.7, abs=0.01)
    np.testing.assert_allclose(np.cov(x[labels == 0].T), covs[0], atol=0.06)
