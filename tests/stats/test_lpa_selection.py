"""Fit indices, classification diagnostics, the selection rule and the BLRT."""

from __future__ import annotations

import math

import numpy as np
import pytest

from koers.stats.lpa import (
    LatentProfileModel,
    ProfileFit,
    average_posterior_probabilities,
    bootstrap_lrt,
    classification_from_posteriors,
    estimate_profiles,
    information_criteria,
    relative_entropy,
    select_n_profiles,
)


def three_profiles(n: int = 300, seed: int = 0, d: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0] * d, [2.5] * d, [0.0] * (d - 1) + [5.0]])
    labels = rng.choice(3, size=n, p=[0.4, 0.35, 0.25])
    return centres[labels] + rng.standard_normal((n, d))


def test_information_criteria_follow_their_formulas() -> None:
    ll, p, n = -1234.5, 17, 812
    ic = information_criteria(ll, p, n)
    assert ic["aic"] == pytest.approx(2469.0 + 34.0)
    assert ic["bic"] == pytest.approx(2469.0 + 17 * math.log(812))
    assert ic["sabic"] == pytest.approx(2469.0 + 17 * math.log(814 / 24))
    assert ic["caic"] == pytest.approx(2469.0 + 17 * (math.log(812) + 1))


def test_relative_entropy_is_one_for_certain_and_zero_for_uniform_classification() -> None:
    assert relative_entropy(np.eye(3)[[0, 1, 2, 2]]) == pytest.approx(1.0)
    assert relative_entropy(np.full((5, 4), 0.25)) == pytest.approx(0.0)
    assert relative_entropy(np.ones((4, 1))) is None


def test_relative_entropy_matches_a_direct_computation() -> None:
    rng = np.random.default_rng(0)
    post = rng.dirichlet([0.5, 0.5, 0.5], size=50)
    direct = 1 - sum(-p * math.log(p) for row in post for p in row) / (50 * math.log(3))
    assert relative_entropy(post) == pytest.approx(direct)


def test_average_posterior_probability_averages_over_the_rows_assigned_to_a_profile() -> None:
    post = np.array([[0.9, 0.1, 0.0], [0.7, 0.3, 0.0], [0.2, 0.8, 0.0], [0.4, 0.6, 0.0]])
    avepp = average_posterior_probabilities(post)
    np.testing.assert_allclose(avepp[:2], [0.8, 0.7])
    assert np.isnan(avepp[2])  # no row has profile 3 as its modal profile
    c = classification_from_posteriors(post)
    assert c.counts.tolist() == [2, 2, 0]
    np.testing.assert_allclose(c.shares, [0.55, 0.45, 0.0])


def fit(k: int, bic: float, share: float = 0.3, collapsed: bool = False) -> ProfileFit:
    return ProfileFit(
        n_profiles=k, n_parameters=3 * k, log_likelihood=-bic / 2, bic=bic,
        smallest_share=share, collapsed=collapsed,
    )  # fmt: skip


def test_selection_takes_the_lowest_bic() -> None:
    assert select_n_profiles([fit(1, 300.0, 1.0), fit(2, 250.0), fit(3, 260.0)]) == 2


def test_selection_skips_small_profiles_and_collapsed_variances() -> None:
    fits = [
        fit(1, 300.0, 1.0),
        fit(2, 280.0),
        fit(3, 250.0, share=0.03),
        fit(4, 240.0, collapsed=True),
    ]
    assert select_n_profiles(fits, min_share=0.05) == 2
    assert select_n_profiles(fits, min_share=0.02) == 3


def test_selection_is_none_when_nothing_qualifies() -> None:
    fits = [fit(2, 280.0, share=0.01), fit(3, 250.0, collapsed=True), ProfileFit(4, 99)]
    assert select_n_profiles(fits) is None


def test_estimate_profiles_selects_three_planted_profiles() -> None:
    x = three_profiles(n=450)
    result = estimate_profiles(x, range(1, 6), model=1, n_starts=4, random_state=0)
    assert result.selected_n_profiles == 3
    assert [f.n_profiles for f in result.fits] == [1, 2, 3, 4, 5]
    assert result.fits[0].entropy is None
    assert result.fits[0].smallest_share == 1.0
    lls = [f.log_likelihood for f in result.fits]
    assert all(b >= a - 1e-6 for a, b in zip(lls, lls[1:], strict=False))
    bics = [f.bic for f in result.fits]
    assert min(range(5), key=bics.__getitem__) == 2


def test_a_profile_count_with_more_parameters_than_rows_is_listed_but_not_fitted() -> None:
    x = three_profiles(n=40, d=4)
    result = estimate_profiles(x, [1, 2, 3], model=6, n_starts=2, random_state=0)
    assert result.fits[0].fitted
    assert result.fits[1].fitted
    skipped = result.fits[2]  # 3·4 + 2 + 3·10 = 44 parameters > 40 rows
    assert skipped.n_parameters == 44
    assert not skipped.fitted
    assert skipped.to_dict()["bic"] is None
    assert skipped.to_dict()["entropy"] is None
    assert "44 parameters but only 40 rows" in skipped.warnings[0]
    assert 3 not in result.models


def test_a_profile_count_fits_the_same_whatever_else_is_requested() -> None:
    x = three_profiles(n=200)
    alone = estimate_profiles(x, [3], n_starts=3, random_state=5)
    together = estimate_profiles(x, range(1, 5), n_starts=3, random_state=5)
    assert alone.fits[0].log_likelihood == together.fits[2].log_likelihood


def test_progress_is_reported_up_to_the_total() -> None:
    calls: list[tuple[int, int]] = []
    estimate_profiles(
        three_profiles(n=90), [1, 2], n_starts=3, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (4, 4)  # one start for k = 1, three for k = 2


def test_blrt_rejects_two_profiles_for_three_profile_data() -> None:
    x = three_profiles(n=300, seed=1)
    h0 = LatentProfileModel(2, n_starts=4, random_state=0).fit(x)
    h1 = LatentProfileModel(3, n_starts=4, random_state=0).fit(x)
    res = bootstrap_lrt(h0, h1, x, n_bootstrap=19, n_starts=2, random_state=0)
    assert res.p_value == pytest.approx(1 / 20)  # the smallest p-value 19 draws can give
    assert res.statistic > res.bootstrap_statistics.max()


def test_blrt_does_not_reject_one_profile_for_unimodal_data() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((200, 3))
    h0 = LatentProfileModel(1).fit(x)
    h1 = LatentProfileModel(2, n_starts=4, random_state=0).fit(x)
    res = bootstrap_lrt(h0, h1, x, n_bootstrap=19, n_starts=2, random_state=0)
    assert res.p_value > 0.1
    assert np.all(res.bootstrap_statistics > -1e-6)  # the split start keeps LR_b ≥ 0


def test_blrt_works_with_missing_values_and_in_estimate_profiles() -> None:
    x = three_profiles(n=240, seed=3)
    x[np.random.default_rng(0).random(x.shape) < 0.1] = np.nan
    x = x[~np.isnan(x).all(axis=1)]
    result = estimate_profiles(x, [2, 3], n_starts=3, n_bootstrap=9, random_state=0)
    assert result.fits[0].blrt_p is not None  # k = 1 was fitted for the test, not listed
    assert result.fits[1].blrt_p == pytest.approx(0.1)
    assert [f.n_profiles for f in result.fits] == [2, 3]


def test_blrt_gives_the_same_answer_in_parallel() -> None:
    x = three_profiles(n=150, seed=4)
    h0 = LatentProfileModel(1).fit(x)
    h1 = LatentProfileModel(2, n_starts=3, random_state=0).fit(x)
    serial = bootstrap_lrt(h0, h1, x, n_bootstrap=4, n_starts=2, random_state=3)
    parallel = bootstrap_lrt(h0, h1, x, n_bootstrap=4, n_starts=2, random_state=3, n_jobs=2)
    np.testing.assert_allclose(serial.bootstrap_statistics, parallel.bootstrap_statistics)
