"""Recovery of planted profiles by a campaign's fitted model: one simulated campaign.

Django-free. Used by the recovery study ``bench/lpa_recovery_bench.py`` (which sets
``fitting.MIN_ROWS_TO_FIT``) and its fast test ``tests/compass/test_fitting.py``. A
simulated campaign runs the real pipeline: the demo generator
(:func:`koers.compass.generate.generate_respondents`, items around latent scores with
noise), scale scoring (:func:`koers.stats.scales.score_scales`) and
:func:`koers.compass.fitting.fit_profiles` (BLRT, SABIC and BIC, naming).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from koers.compass.fitting import fit_profiles, to_signature_scale
from koers.compass.generate import generate_respondents
from koers.instruments import Instrument, get_instrument, scoring_key
from koers.stats.scales import score_scales


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert & Arabie's (1985) adjusted Rand index of two labellings (1 = identical
    partitions, about 0 for chance agreement). 1.0 when both put everyone in one group."""
    _, ia = np.unique(np.asarray(a), return_inverse=True)
    _, ib = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia, ib), 1)
    n = table.sum()

    def pairs(v: np.ndarray) -> float:
        return float((v * (v - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


@dataclass(frozen=True)
class Recovery:
    n: int
    strength: float
    seed: int
    k_blrt: int
    k_bic: int | None
    k_sabic: int | None
    ari: float
    named_right: float  # share whose fitted profile carries exactly their planted name
    wrong_very_likely: float  # share with a wrong (or no single) name at posterior ≥ .90
    missing: int  # planted profiles no fitted profile is named after


def facet_scores(
    instrument: Instrument, n: int, *, seed: int, strength: float
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Generated respondents' facet scores (n × facets) and planted profile keys."""
    people = generate_respondents(instrument, n, seed=seed, strength=strength)
    ids = [item.id for item in instrument.items if item.type == "scale"]
    frame = pd.DataFrame([{i: p.answers.get(i) for i in ids} for p in people], columns=ids)
    scores = score_scales(frame.astype(float), scoring_key(instrument))
    facets = [s.id for s in instrument.scales if s.kind == "facet"]
    return scores[facets].to_numpy(dtype=float), np.array([p.profile for p in people]), facets


def simulate(
    n: int,
    *,
    strength: float = 1.0,
    seed: int = 1,
    n_starts: int = 5,
    n_bootstrap: int = 19,
    max_profiles: int = 8,
) -> Recovery:
    """One simulated campaign of ``n`` respondents, fitted as a campaign would be."""
    instrument = get_instrument("career_compass")
    x, truth, facets = facet_scores(instrument, n, seed=seed, strength=strength)
    fitted = fit_profiles(
        x,
        facets,
        n_starts=n_starts,
        seed=seed,
        n_bootstrap=n_bootstrap,
        max_profiles=max_profiles,
    )
    post = fitted.model.predict_proba(to_signature_scale(x))
    modal = post.argmax(axis=1)
    keys = [fitted.names[i].keys for i in modal]
    right = np.array([k == (t,) for k, t in zip(keys, truth, strict=True)])
    confident = post.max(axis=1) >= 0.9
    named = {k for name in fitted.names for k in name.keys}
    return Recovery(
        n=n,
        strength=strength,
        seed=seed,
        k_blrt=fitted.choice.k,
        k_bic=fitted.choice.bic_k,
        k_sabic=fitted.choice.sabic_k,
        ari=adjusted_rand_index(truth, modal),
        named_right=float(right.mean()),
        wrong_very_likely=float((~right & confident).mean()),
        missing=len(set(truth) - named),
    )


@dataclass(frozen=True)
class CertaintyRow:
    strength: float
    facets: str  # "all" or "7": how many facet scores each test respondent has
    rule: str  # "tempered" (what Koers says) or "raw" (the fitted posteriors, before)
    level: str
    said: float  # share of test respondents given this word
    right: float | None  # share of those whose named profile (one of its names) is planted


def fitted_certainty(
    n: int,
    *,
    strength: float,
    seed: int,
    n_test: int = 3000,
    kept_facets: int = 7,
    n_starts: int = 3,
) -> tuple[int, list[CertaintyRow]]:
    """Do a fitted model's certainty words mean what they say? (issue 13, open point (a), (d))

    One simulated campaign of ``n`` is fitted as a campaign is (BLRT with 19 draws); then
    ``n_test`` new respondents from the same population are classified twice: with every
    facet score, and with only ``kept_facets`` of them (a partial respondent), each by
    Koers's calibrated words (``profiles.tempered_probabilities`` on the fitted means,
    variances and shares; a one-profile model gives no profile) and by the fitted
    posteriors themselves. A word is right when the planted profile is one of the names
    of the profile it names (a profile named after two reference profiles is described
    as both). Returns the chosen K and the rows.
    """
    from koers.compass.profiles import LEVELS, certainty, tempered_probabilities

    instrument = get_instrument("career_compass")
    x, _, facets = facet_scores(instrument, n, seed=seed, strength=strength)
    fitted = fit_profiles(x, facets, n_starts=n_starts, seed=seed, n_bootstrap=19)
    model = fitted.model
    test, truth, _ = facet_scores(instrument, n_test, seed=seed + 10_000, strength=strength)
    rng = np.random.default_rng(seed)
    partial = test.copy()
    for row in partial:
        row[rng.choice(row.size, row.size - kept_facets, replace=False)] = np.nan
    means = np.asarray(model.means_)
    rows: list[CertaintyRow] = []
    for label, data in (("all", test), (str(kept_facets), partial)):
        z = to_signature_scale(data)
        if len(means) == 1:
            tempered = np.column_stack([np.zeros(len(z)), np.ones(len(z))])
        else:
            sds = np.sqrt(np.asarray(model.variances_))
            tempered = tempered_probabilities(z, means, sds, np.asarray(model.weights_))
        raw = model.predict_proba(z)
        for rule, words in (
            ("tempered", [certainty(q[:-1], q[-1]) for q in tempered]),
            ("raw", [certainty(p) for p in raw]),
        ):
            levels = np.array([c.level for c in words])
            right = np.array(
                [
                    t in fitted.names[c.top].keys
                    or (c.level == "blend" and t in fitted.names[c.second].keys)
                    for c, t in zip(words, truth, strict=True)
                ]
            )
            for level in LEVELS:
                mask = levels == level
                count = int(mask.sum())
                accuracy = float(right[mask].mean()) if count and level != "unclear" else None
                rows.append(CertaintyRow(strength, label, rule, level, count / n_test, accuracy))
    return fitted.choice.k, rows
