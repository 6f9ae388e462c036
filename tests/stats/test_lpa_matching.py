"""Standardisation helpers and matching fitted profiles to reference signatures."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from koers.stats.lpa import (
    LatentProfileModel,
    classify,
    match_profiles,
    norm_standardization,
    standardize,
)

NAMES = ["Nerd", "Einzelgänger", "Traditionalist", "Innovator", "All-rounder", "Status Seeker"]


def signatures(d: int = 12, seed: int = 0) -> np.ndarray:
    """Six signatures of +0.8 (high), −0.8 (low) and 0, as the Compass reference model."""
    rng = np.random.default_rng(seed)
    return rng.choice([-0.8, 0.0, 0.8], size=(6, d), p=[0.3, 0.4, 0.3])


def test_standardize_uses_the_data_or_the_given_norm() -> None:
    x = np.array([[1.0, 10.0], [3.0, np.nan], [5.0, 30.0]])
    z = standardize(x)
    np.testing.assert_allclose(np.nanmean(z, axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.nanstd(z, axis=0), 1.0)
    np.testing.assert_allclose(standardize(x, center=4.0, scale=1.25)[:, 0], [-2.4, -0.8, 0.8])
    with pytest.raises(ValueError, match="scale must be positive"):
        standardize([[1.0], [1.0]])


def test_norm_standardization_needs_enough_complete_rows() -> None:
    rng = np.random.default_rng(0)
    norm = rng.normal(5.0, 2.0, size=(320, 3))
    center, scale = norm_standardization(norm, 3)
    np.testing.assert_allclose(center, norm.mean(axis=0))
    norm[:30, 0] = np.nan  # 290 complete rows: fall back to the scale midpoint
    center, scale = norm_standardization(norm, 3)
    np.testing.assert_array_equal(center, [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(scale, [1.25, 1.25, 1.25])


def test_shuffled_noisy_profiles_get_their_own_names_back() -> None:
    sig = signatures()
    rng = np.random.default_rng(1)
    order = rng.permutation(6)
    fitted = sig[order] + rng.normal(0, 0.2, size=sig.shape)
    matches = match_profiles(fitted, sig, names=NAMES)
    assert [m.reference for m in matches] == order.tolist()
    assert [m.name for m in matches] == [NAMES[i] for i in order]
    for m in matches:
        expected = np.corrcoef(fitted[m.profile], sig[m.reference])[0, 1]
        assert m.quality == pytest.approx(expected)
        assert m.accepted


def test_a_poor_match_keeps_no_name() -> None:
    sig = signatures()
    fitted = sig[:2].copy()
    fitted[1] = np.random.default_rng(3).normal(size=sig.shape[1])  # resembles nothing
    matches = match_profiles(fitted, sig, names=NAMES, min_quality=0.5)
    assert matches[0].name == NAMES[0]
    assert matches[1].quality < 0.5
    assert matches[1].name is None
    assert not matches[1].accepted
    assert matches[1].reference is not None


def test_surplus_fitted_profiles_are_left_unassigned() -> None:
    sig = signatures()[:2]
    fitted = np.vstack([sig[1], sig[0], sig[0] * 0.5 + 0.1])
    matches = match_profiles(fitted, sig)
    assigned = [m.reference for m in matches]
    assert sorted(r for r in assigned if r is not None) == [0, 1]
    left = [m for m in matches if m.reference is None]
    assert len(left) == 1
    assert np.isnan(left[0].quality)
    assert left[0].name is None


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (4, 5), elements=st.floats(-2, 2)),
    arrays(np.float64, (4, 5), elements=st.floats(-2, 2)),
)
def test_the_assignment_maximises_total_similarity_by_brute_force(
    fitted: np.ndarray, refs: np.ndarray
) -> None:
    fitted = fitted + np.arange(5) * 1e-3  # no constant rows
    refs = refs - np.arange(5) * 1e-3
    matches = match_profiles(fitted, refs, similarity="cosine", min_quality=-1.0)
    sim = np.array(
        [[a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) for b in refs] for a in fitted]
    )
    best = max(sum(sim[i, p[i]] for i in range(4)) for p in itertools.permutations(range(4)))
    assert sum(m.quality for m in matches) == pytest.approx(best, abs=1e-9)


def test_reference_model_classifies_rows_drawn_from_it() -> None:
    """The Compass reference model: EEI, means ±0.8, common SD 0.75, the report's shares."""
    sig = signatures(d=20)
    shares = np.array([0.16, 0.16, 0.16, 0.11, 0.19, 0.22])
    covs = np.repeat((0.75**2 * np.eye(20))[None], 6, axis=0)
    ref = LatentProfileModel.from_parameters(shares, sig, covs, model=1)
    x, labels = ref.sample(3000, random_state=0)
    result = classify(ref, x)
    assert (result.modal == labels).mean() > 0.9
    assert np.all(result.average_posterior > 0.8)
    np.testing.assert_allclose(result.shares, shares, atol=0.03)
    assert result.entropy is not None
    assert result.entropy > 0.8


def test_fitted_profiles_are_named_after_the_signatures_they_were_drawn_from() -> None:
    sig = signatures(d=10, seed=4)
    covs = np.repeat((0.6**2 * np.eye(10))[None], 6, axis=0)
    truth = LatentProfileModel.from_parameters(np.full(6, 1 / 6), sig, covs, model=1)
    raw, _ = truth.sample(2400, random_state=1)
    scores = 4.0 + 1.25 * raw  # answers on the 1–7 scale
    lpm = LatentProfileModel(6, model=1, n_starts=6, random_state=0).fit(scores)
    center, scale = norm_standardization(scores, 10)
    matches = match_profiles(standardize(lpm.means_, center=center, scale=scale), sig, names=NAMES)
    assert sorted(m.name for m in matches if m.name) == sorted(NAMES)
    assert min(m.quality for m in matches) > 0.8
