"""Issue 13.1: a certainty word means what it says, also on data unlike the reference model.

A fast, seeded version of bench/compass_certainty_bench.py (no database): respondents
generated from the reference profiles, from profiles half as distinct, from no profiles at
all and from profiles with correlated facets answer the real items and are classified by
the reference-model path (``profiles.classify_reference``).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from koers.compass.calibration import (
    SCENARIOS,
    accuracy,
    calibration_table,
    simulate,
    uncalibrated_rule,
)
from koers.compass.profiles import (
    CERTAINTY_TEMPERATURE,
    NO_PROFILE_PRIOR,
    calibrated_probabilities,
    load_profiles,
    standardise_scores,
)
from koers.instruments import get_instrument

FACETS = [s.id for s in get_instrument("career_compass").scales if s.kind == "facet"]
N = 1000


@pytest.fixture(scope="module")
def table() -> list:
    return calibration_table(n=N, seed=13)


@pytest.mark.parametrize("scenario", ["reference", "half", "correlated"])
def test_very_likely_is_right_at_least_nine_times_in_ten(table: list, scenario: str) -> None:
    row = accuracy(table, scenario, "very_likely")
    assert row.n >= 30  # said often enough to be measured
    assert row.right is not None
    assert row.right >= 0.90


def test_without_profiles_almost_nobody_is_told_a_profile(table: list) -> None:
    said = {level: accuracy(table, "none", level).said for level in ("very_likely", "likely")}
    assert said["very_likely"] <= 0.02
    assert said["likely"] <= 0.05
    assert accuracy(table, "none", "unclear").said >= 0.80


@pytest.mark.parametrize(("level", "at_least"), [("likely", 0.70), ("possibly", 0.50)])
@pytest.mark.parametrize("scenario", ["reference", "half", "correlated"])
def test_weaker_words_are_right_as_often_as_they_promise(
    table: list, scenario: str, level: str, at_least: float
) -> None:
    row = accuracy(table, scenario, level)
    assert row.n >= 30
    assert row.right is not None
    assert row.right >= at_least


def test_the_simulation_catches_the_raw_posteriors_overconfidence() -> None:
    before = calibration_table(["half", "none"], n=N, seed=13, rule=uncalibrated_rule)
    assert accuracy(before, "half", "very_likely").right < 0.90
    assert accuracy(before, "none", "very_likely").said > 0.30


def test_no_structure_has_no_true_profile_and_the_same_marginal_spread() -> None:
    ref, none = simulate("reference", 3000, 1), simulate("none", 3000, 2)
    assert (none.truth == -1).all()
    ratio = np.nanstd(none.scores, axis=0) / np.nanstd(ref.scores, axis=0)
    assert np.median(ratio) == pytest.approx(1.0, abs=0.05)


def test_calibrated_probabilities_match_an_independent_computation() -> None:
    profiles = load_profiles()
    sig = profiles.signatures(FACETS)
    shares = np.array([p.share for p in profiles.profiles])
    shares = shares / shares.sum()
    grand = shares @ sig
    marginal = profiles.common_sd**2 + shares @ (sig - grand) ** 2
    x = simulate("reference", 5, 4).scores.copy()
    x[0, :4] = np.nan  # missing facets are left out of every likelihood
    z, _, _ = standardise_scores(x)
    expected = []
    for row in z:
        seen = ~np.isnan(row)
        log = [
            np.log((1 - NO_PROFILE_PRIOR) * shares[k])
            + multivariate_normal(sig[k, seen], profiles.common_sd**2).logpdf(row[seen])
            for k in range(len(shares))
        ]
        log.append(
            np.log(NO_PROFILE_PRIOR)
            + multivariate_normal(grand[seen], np.diag(marginal[seen])).logpdf(row[seen])
        )
        a = np.array(log) / CERTAINTY_TEMPERATURE
        expected.append(np.exp(a - np.logaddexp.reduce(a)))
    assert calibrated_probabilities(z, FACETS) == pytest.approx(np.array(expected), rel=1e-9)


def test_calibration_keeps_the_most_probable_profile() -> None:
    x = simulate("half", 300, 5).scores
    z, _, _ = standardise_scores(x)
    raw = load_profiles().reference_model(FACETS).predict_proba(z)
    calibrated = calibrated_probabilities(z, FACETS)
    assert (calibrated[:, :-1].argmax(axis=1) == raw.argmax(axis=1)).all()


def test_every_scenario_is_simulated() -> None:
    assert set(SCENARIOS) == {"reference", "half", "none", "correlated"}
