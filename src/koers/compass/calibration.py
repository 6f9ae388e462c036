"""Does a certainty word mean what it says? A seeded simulation of the reference-model path.

Django-free. Respondents are generated in four scenarios, answer the real Compass
items (7-point, item noise, rounding, reverse keys), are scored with the real scoring
key and classified exactly as ``compass.services.assign_profiles`` does in reference
mode (``profiles.classify_reference``); then, per certainty word, we count how often
it is said and how often the named profile is the one the person was generated from.

Scenarios (facet scores in standard-deviation units, ``z``; answers around 4 + 1.25·z):

``reference``
    The reference model itself: profile k with its share, ``z ~ N(s_k, 0.75²)``.
``half``
    Profiles half as distinct: means shrunk halfway toward the grand mean
    ``ḡ = Σ π_k s_k``, same within-profile SD.
``none``
    No profiles at all: one normal distribution with the reference mixture's mean
    and marginal variances. Nobody has a true profile, so every named profile is
    wrong; the right behaviour is to say little.
``correlated``
    The reference profiles with correlated facets: within a profile, facets of the
    same element correlate 0.4 (answer style, halo), which a model that treats
    facets as independent counts twice.

``bench/compass_certainty_bench.py`` prints the table; ``tests/compass/
test_certainty_calibration.py`` runs a small version of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.compass.profiles import (
    LEVELS,
    Certainty,
    ProfileSet,
    certainty,
    classify_reference,
    load_profiles,
    standardise_scores,
)
from koers.instruments import Instrument, get_instrument, scoring_key
from koers.stats.scales import score_scales

FloatArray = npt.NDArray[np.float64]
SCENARIOS = ("reference", "half", "none", "correlated")
ITEM_NOISE = 0.8  # SD of an answer around its facet score (as compass.generate)
WITHIN_ELEMENT_CORRELATION = 0.4


@dataclass(frozen=True)
class Simulated:
    scores: FloatArray  # n × facets, facet scores on 1–7
    truth: npt.NDArray[np.int_]  # generating profile index, −1 when there is none


def _facets(instrument: Instrument) -> list[str]:
    return [s.id for s in instrument.scales if s.kind == "facet"]


def simulate_z(
    scenario: str,
    n: int,
    rng: np.random.Generator,
    profiles: ProfileSet,
    instrument: Instrument,
) -> tuple[FloatArray, npt.NDArray[np.int_]]:
    """Standardised facet scores (n × facets) and the generating profile per row."""
    facets = _facets(instrument)
    sig = profiles.signatures(facets)
    shares = np.array([p.share for p in profiles.profiles], dtype=float)
    shares = shares / shares.sum()
    sd = profiles.common_sd
    grand = shares @ sig
    k = rng.choice(len(shares), size=n, p=shares)
    d = len(facets)
    if scenario == "reference":
        return sig[k] + rng.normal(0.0, sd, (n, d)), k
    if scenario == "half":
        means = grand + 0.5 * (sig - grand)
        return means[k] + rng.normal(0.0, sd, (n, d)), k
    if scenario == "none":
        marginal_var = sd**2 + shares @ (sig - grand) ** 2
        z = grand + rng.normal(0.0, 1.0, (n, d)) * np.sqrt(marginal_var)
        return z, np.full(n, -1)
    if scenario == "correlated":
        elements = np.array([str(s.element) for s in instrument.scales if s.kind == "facet"])
        same = np.equal.outer(elements, elements)
        corr = np.where(same, WITHIN_ELEMENT_CORRELATION, 0.0)
        np.fill_diagonal(corr, 1.0)
        chol = np.linalg.cholesky(corr * sd**2)
        return sig[k] + rng.normal(0.0, 1.0, (n, d)) @ chol.T, k
    raise ValueError(f"unknown scenario {scenario!r}; choose from {SCENARIOS}")


def answer_items(z: FloatArray, instrument: Instrument, rng: np.random.Generator) -> pd.DataFrame:
    """Item answers (1–7, reverse keyed where the item is) around 4 + 1.25·z."""
    facets = _facets(instrument)
    index = {f: i for i, f in enumerate(facets)}
    columns: dict[str, FloatArray] = {}
    for item in instrument.items:
        if item.type != "scale" or item.scale not in index:
            continue
        centre = 4.0 + 1.25 * z[:, index[item.scale]]
        value = np.clip(np.rint(centre + rng.normal(0.0, ITEM_NOISE, len(z))), 1, 7)
        columns[item.id] = 8.0 - value if item.reverse else value
    return pd.DataFrame(columns)


def simulate(scenario: str, n: int, seed: int) -> Simulated:
    instrument = get_instrument("career_compass")
    rng = np.random.default_rng(seed)
    z, truth = simulate_z(scenario, n, rng, load_profiles(), instrument)
    answers = answer_items(z, instrument, rng)
    scores = score_scales(answers, scoring_key(instrument, kind="facet"))
    return Simulated(scores[_facets(instrument)].to_numpy(dtype=float), truth)


@dataclass(frozen=True)
class Row:
    scenario: str
    level: str
    n: int
    said: float  # share of respondents given this word
    right: float | None  # share of those whose named profile is the generating one


def calibration_table(
    scenarios: Sequence[str] = SCENARIOS,
    *,
    n: int = 2000,
    seed: int = 2016,
    rule: Callable[[FloatArray], list[Certainty]] | None = None,
) -> list[Row]:
    """Per scenario and certainty word: how often it is said and how often it is right.

    ``rule`` maps facet scores (n × facets, 1–7) to certainties; by default the
    reference-model path of ``profiles.classify_reference``.
    """
    facets = _facets(get_instrument("career_compass"))
    classify = rule or (lambda x: classify_reference(x, facets))
    rows = []
    for offset, scenario in enumerate(scenarios):
        sim = simulate(scenario, n, seed + offset)
        said = classify(sim.scores)
        levels = np.array([c.level for c in said])
        # A word is right when the named profile is the generating one; a blend when
        # the generating profile is one of the two it names. "Unclear" names none.
        right = np.array(
            [
                t in (c.top, c.second) if c.level == "blend" else c.top == t
                for c, t in zip(said, sim.truth, strict=True)
            ]
        )
        for level in LEVELS:
            mask = levels == level
            count = int(mask.sum())
            accuracy = float(right[mask].mean()) if count and level != "unclear" else None
            rows.append(Row(scenario, level, count, count / n, accuracy))
    return rows


def uncalibrated_rule(scores: FloatArray) -> list[Certainty]:
    """The rule before issue 13: words from the raw reference posteriors, < .50 a blend."""
    facets = _facets(get_instrument("career_compass"))
    z, _, _ = standardise_scores(scores)
    out = []
    for p in load_profiles().reference_model(facets).predict_proba(z):
        c = certainty(p)
        best = c.probability
        level = "blend" if best < 0.5 else c.level
        out.append(Certainty(level, c.top, c.second, best, c.second_probability))
    return out


def accuracy(rows: Sequence[Row], scenario: str, level: str) -> Row:
    return next(r for r in rows if r.scenario == scenario and r.level == level)


def format_table(rows: Sequence[Row]) -> str:
    lines = [f"{'scenario':<11} {'word':<12} {'said':>6} {'right':>6} {'n':>6}"]
    for r in rows:
        right = "—" if r.right is None else f"{100 * r.right:5.1f}%"
        lines.append(f"{r.scenario:<11} {r.level:<12} {100 * r.said:5.1f}% {right:>6} {r.n:>6}")
    return "\n".join(lines)
