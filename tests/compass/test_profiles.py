"""Profiles as data, the reference model, certainty words and naming (spec/compass.md)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from koers.compass.fitting import name_profiles
from koers.compass.profiles import (
    certainty,
    describe_certainty,
    load_profiles,
)
from koers.instruments import get_instrument

FACETS = [s.id for s in get_instrument("career_compass").scales if s.kind == "facet"]


def test_every_signature_facet_exists_in_the_compass() -> None:
    profiles = load_profiles()
    for version in (1, 2):
        facets = [
            s.id for s in get_instrument("career_compass", version).scales if s.kind == "facet"
        ]
        absent = profiles.facets_used() - set(facets)
        # only a v1 facet that a v2 facet holds as its opposite end may be absent
        assert absent <= set(profiles.opposite_ends), (version, absent)
        assert {profiles.opposite_ends[a] for a in absent} <= set(facets)
        assert set(profiles.model_facets(facets)) <= set(facets)


def test_introvert_is_the_low_end_of_extraversion() -> None:
    profiles = load_profiles()
    assert profiles.get("nerd").direction("extraversion") == -1
    assert profiles.get("innovator").direction("extraversion") == 1
    assert profiles.get("status_seeker").direction("modesty") == -1


def test_reference_shares_are_the_specs() -> None:
    shares = {p.key: p.share for p in load_profiles().profiles}
    assert shares["status_seeker"] == 0.22
    assert shares["allrounder"] == 0.19
    assert shares["innovator"] == 0.11
    assert sum(shares.values()) == pytest.approx(1.0)


def test_reference_posteriors_match_an_independent_computation() -> None:
    profiles = load_profiles()
    model = profiles.reference_model(FACETS)
    rng = np.random.default_rng(3)
    z = rng.normal(0, 1, size=(5, len(FACETS)))
    z[0, :3] = np.nan  # missing facets are left out of the likelihood
    sig = profiles.signatures(FACETS)
    shares = np.array([p.share for p in profiles.profiles])
    expected = []
    for row in z:
        seen = ~np.isnan(row)
        log = np.log(shares) + norm.logpdf(row[seen], sig[:, seen], 0.75).sum(axis=1)
        expected.append(np.exp(log - np.logaddexp.reduce(log)))
    assert model.predict_proba(z) == pytest.approx(np.array(expected), rel=1e-9)


@pytest.mark.parametrize(
    ("top", "second", "level"),
    [
        (0.95, 0.01, "very_likely"),
        (0.90, 0.02, "very_likely"),
        (0.8, 0.04, "likely"),
        (0.6, 0.08, "possibly"),
        (0.45, 0.3, "blend"),
        (0.45, 0.11, "unclear"),
    ],
)
def test_certainty_words_follow_the_thresholds(top: float, second: float, level: str) -> None:
    rest = (1 - top - second) / 4
    assert certainty([rest, top, second, rest, rest, rest]).level == level


def test_a_blend_names_the_two_most_probable_profiles() -> None:
    c = certainty([0.1, 0.45, 0.3, 0.05, 0.05, 0.05])
    names = ["Nerd", "Innovator", "All-rounder", "A", "B", "C"]
    assert describe_certainty(c, names, "nl") == "een mengvorm van Innovator en All-rounder"
    assert describe_certainty(certainty([0.8, 0.2]), names, "en") == "Nerd (likely)"


def test_mass_on_none_of_the_profiles_means_no_clear_profile() -> None:
    c = certainty([0.2, 0.15, 0.05, 0.05, 0.03, 0.02], none=0.5)
    assert c.level == "unclear"
    assert describe_certainty(c, ["A", "B", "C", "D", "E", "F"], "en") == "no clear profile"


def test_a_profile_unlike_any_reference_keeps_a_neutral_name() -> None:
    sig = load_profiles().signatures(FACETS)
    rng = np.random.default_rng(1)
    # Profile B is flat (all means 0): it correlates with no signature at all.
    means = np.vstack([sig[3] + rng.normal(0, 0.1, len(FACETS)), np.zeros(len(FACETS))])
    named = name_profiles(means, FACETS)
    assert named[0].key == "innovator"
    assert named[0].quality > 0.9
    assert named[1].keys == ()
    assert named[1].label(load_profiles(), "nl") == "Profiel B"
    assert named[1].label(load_profiles(), "en") == "Profile B"
