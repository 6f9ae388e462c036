"""From an instrument to the plain scoring key that koers.stats.scales uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from koers.instruments import Instrument, get_instrument, scoring_key
from koers.stats.scales import ScaleKey, scale_reliability, score_scales


@pytest.fixture(scope="module")
def compass() -> Instrument:
    return get_instrument("career_compass", 1, include_drafts=True)


def test_the_key_has_every_scale_with_its_items_and_reverse_keys(compass: Instrument) -> None:
    key = scoring_key(compass)
    assert set(key) == {scale.id for scale in compass.scales}
    assert key["extraversion"] == ScaleKey(
        items=("extraversion_1", "extraversion_2", "extraversion_3", "extraversion_4"),
        reverse_items=frozenset({"extraversion_2", "extraversion_4"}),
        response_min=1.0,
        response_max=7.0,
    )
    assert key["career_clarity"].reverse_items == frozenset({"career_clarity_3"})
    assert len(scoring_key(compass, kind="facet")) == len(compass.facets) == 38
    assert set(scoring_key(compass, kind="scale")) == {
        "identification",
        "career_clarity",
        "career_commitment",
        "career_exploration",
        "gender_stigma",
    }


def test_simulated_compass_responses_score_and_reverse_keyed_facets_hang_together(
    compass: Instrument,
) -> None:
    # Respondents with a latent level per scale; reverse-keyed items answer the other way.
    rng = np.random.default_rng(3)
    key = scoring_key(compass)
    n = 400
    columns: dict[str, np.ndarray] = {}
    for _scale_id, scale_key in key.items():
        trait = rng.normal(size=n)
        for item in scale_key.items:
            sign = -1.0 if item in scale_key.reverse_items else 1.0
            raw = 4 + 1.2 * sign * trait + rng.normal(scale=0.8, size=n)
            columns[item] = np.clip(np.rint(raw), 1, 7)
    responses = pd.DataFrame(columns)
    scores = score_scales(responses, key)
    assert scores.shape == (n, len(key))
    assert scores.notna().all().all()
    reliability = scale_reliability(responses, key)
    assert reliability.loc["extraversion", "alpha"] > 0.7
    assert not reliability.loc["extraversion", "below_threshold"]
    assert (reliability["n_respondents"] == n).all()
