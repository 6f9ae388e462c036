"""The six Career Compass profiles as data, the reference model, and the words for certainty.

Django-free (numpy + ``koers.stats.lpa``). Everything here follows
``spec/compass.md``, "How profiles are assigned":

* signatures: +s for a facet whose high end is typical of a profile, −s for
  one whose low end is, 0 otherwise (s = ``signature_strength`` = 0.8 SD);
* reference mode: an EEI mixture (tidyLPA model 1) with those means, common
  SD 0.75 and the reference shares, on facet scores on the signatures' scale
  (x − 4) / 1.25 (the spec's norm-group standardisation is not used: the only
  norm group Koers has is the campaign itself, see ``SCALE_MIDPOINT``);
* certainty words from calibrated probabilities (a "none of these" component and
  tempered likelihoods; ``calibrated_probabilities``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from koers.stats.lpa import LatentProfileModel

DATA = Path(__file__).resolve().parent / "data" / "profiles.yaml"
# The signatures' scale: facet scores (1–7) as (x − 4) / 1.25 (spec/compass.md). Both the
# reference model and a campaign's fitted model read scores on it; never standardised
# against the campaign (issue 13, point 3: a homogeneous organisation would look average).
SCALE_MIDPOINT = 4.0
SCALE_UNIT = 1.25  # points of the 1–7 scale per signature unit
MIN_MATCH_QUALITY = 0.5

# Facts the report gives per profile (spec/compass.md, "Facts"): sanity checks, not targets.
REPORT_LEAVE_SHARE = {
    "einzelganger": 0.11,
    "nerd": 0.12,
    "status_seeker": 0.02,
    "traditionalist": 0.17,
    "allrounder": 0.17,
    "innovator": 0.16,
}
# Identification, highest first: All-rounder, Innovator; Status Seeker and Nerd middle;
# Einzelgänger and Traditionalist lowest (ties share a rank).
REPORT_IDENTIFICATION_RANK = {
    "allrounder": 1,
    "innovator": 2,
    "status_seeker": 3,
    "nerd": 3,
    "einzelganger": 5,
    "traditionalist": 5,
}


@dataclass(frozen=True)
class ProfileDef:
    key: str
    name: Mapping[str, str]
    share: float
    high: tuple[str, ...]
    low: tuple[str, ...]

    def direction(self, facet: str) -> int:
        """+1 when the facet's high end is typical, −1 when its low end is, else 0."""
        if facet in self.high or f"-{facet}" in self.low:
            return 1
        if facet in self.low or f"-{facet}" in self.high:
            return -1
        return 0


@dataclass(frozen=True)
class ProfileSet:
    profiles: tuple[ProfileDef, ...]
    strength: float
    common_sd: float
    # v1 facet -> the v2 facet whose low end it is (profiles.yaml, `opposite_ends`)
    opposite_ends: Mapping[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.profiles]

    def get(self, key: str) -> ProfileDef:
        for profile in self.profiles:
            if profile.key == key:
                return profile
        raise KeyError(key)

    def facets_used(self, facets: Sequence[str] | None = None) -> set[str]:
        """Facet ids the signatures name; with ``facets`` (an instrument's), also the
        facets that stand in for an absent one's opposite end."""
        named = {f.lstrip("-") for p in self.profiles for f in (*p.high, *p.low)}
        if facets is not None:
            named |= {b for a, b in self.opposite_ends.items() if a in named and a not in facets}
        return named

    def model_facets(self, facets: Sequence[str]) -> list[str]:
        """The facets (in ``facets``' order) the profile model reads: those a signature
        names. The others (sport, networking, …) would only add noise to the model."""
        used = self.facets_used(facets)
        return [f for f in facets if f in used]

    def direction(self, profile: ProfileDef, facet: str, facets: Sequence[str]) -> int:
        """+1/−1/0 as ``ProfileDef.direction``, counting an absent facet named in
        ``opposite_ends`` as the opposite end of ``facet``."""
        d = profile.direction(facet)
        for absent, present in self.opposite_ends.items():
            if present == facet and absent not in facets:
                other = -profile.direction(absent)
                if d and other and d != other:
                    raise ValueError(f"{profile.key}: {absent} and {facet} contradict")
                d = d or other
        return d

    def signatures(self, facets: Sequence[str]) -> np.ndarray:
        """Signature matrix (profiles × facets) in standard-deviation units."""
        return np.array(
            [[self.strength * self.direction(p, f, facets) for f in facets] for p in self.profiles],
            dtype=float,
        )

    def reference_model(self, facets: Sequence[str]) -> LatentProfileModel:
        d = len(facets)
        weights = np.array([p.share for p in self.profiles], dtype=float)
        weights = weights / weights.sum()
        cov = np.repeat(np.eye(d)[None, :, :] * self.common_sd**2, len(self.profiles), axis=0)
        return LatentProfileModel.from_parameters(weights, self.signatures(facets), cov, model=1)


@cache
def load_profiles(path: Path = DATA) -> ProfileSet:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    profiles = tuple(
        ProfileDef(
            key=p["key"],
            name=p["name"],
            share=float(p["share"]),
            high=tuple(p["high"]),
            low=tuple(p["low"]),
        )
        for p in raw["profiles"]
    )
    return ProfileSet(
        profiles,
        float(raw["signature_strength"]),
        float(raw["common_sd"]),
        dict(raw.get("opposite_ends") or {}),
    )


def standardise_scores(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Facet scores (n × d) on the signatures' scale; returns (z, center, scale)."""
    d = np.shape(scores)[1]
    center, scale = np.full(d, SCALE_MIDPOINT), np.full(d, SCALE_UNIT)
    return (np.asarray(scores, dtype=float) - center) / scale, center, scale


# Calibration of the words (docs/compass.md, "How certain is a profile?"). The reference
# model's posteriors are overconfident on data unlike the model (bench/
# compass_certainty_bench.py). Two corrections, both checked by that simulation:
# * a "none of these profiles" component: one normal distribution with the reference
#   mixture's mean and marginal variances and prior weight NO_PROFILE_PRIOR. A person who
#   is not clearly closer to a profile centre than to the population as a whole keeps
#   probability there, and no profile word is said;
# * tempered likelihoods (log-likelihood / CERTAINTY_TEMPERATURE): facet scores carry
#   item noise the model leaves out, and real profiles may be less distinct than assumed.
NO_PROFILE_PRIOR = 0.2
CERTAINTY_TEMPERATURE = 1.5
# A blend: no profile reaches .5, but the two most probable hold this much together.
BLEND_MIN = 0.7
LEVELS = ("very_likely", "likely", "possibly", "blend", "unclear")


@dataclass(frozen=True)
class Certainty:
    level: str  # very_likely | likely | possibly | blend | unclear
    top: int
    second: int
    probability: float  # of the top profile
    second_probability: float = 0.0
    none: float = 0.0  # probability of "none of these profiles"


def certainty(probabilities: Sequence[float], none: float = 0.0) -> Certainty:
    """Words for how certain an assignment is.

    ``probabilities`` per named profile (calibrated; they sum to ``1 − none``).
    Highest ≥ .90 very likely, ≥ .70 likely, ≥ .50 possibly (spec/compass.md); below
    .50 a blend of the two most probable when they hold at least ``BLEND_MIN`` together,
    else no clear profile ("unclear").
    """
    p = np.asarray(probabilities, dtype=float)
    order = np.argsort(-p, kind="stable")
    top = int(order[0])
    second = int(order[1]) if p.size > 1 else top
    best, runner_up = float(p[top]), float(p[second]) if p.size > 1 else 0.0
    if best >= 0.90:
        level = "very_likely"
    elif best >= 0.70:
        level = "likely"
    elif best >= 0.50:
        level = "possibly"
    elif best + runner_up >= BLEND_MIN:
        level = "blend"
    else:
        level = "unclear"
    return Certainty(level, top, second, best, runner_up, float(none))


CERTAINTY_WORDS = {
    "very_likely": {"nl": "zeer waarschijnlijk", "en": "very likely"},
    "likely": {"nl": "waarschijnlijk", "en": "likely"},
    "possibly": {"nl": "mogelijk", "en": "possibly"},
}


def describe_certainty(c: Certainty, names: Sequence[str], language: str) -> str:
    """'All-rounder (waarschijnlijk)', 'een mengvorm van Nerd en Einzelgänger' or
    'geen duidelijk profiel'."""
    if c.level == "blend":
        if language == "en":
            return f"a blend of {names[c.top]} and {names[c.second]}"
        return f"een mengvorm van {names[c.top]} en {names[c.second]}"
    if c.level == "unclear":
        return "no clear profile" if language == "en" else "geen duidelijk profiel"
    return f"{names[c.top]} ({CERTAINTY_WORDS[c.level][language]})"


def _log_normal(z: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """Σ over observed facets of log N(z; mean, sd²); missing facets are left out."""
    seen = ~np.isnan(z)
    terms = -0.5 * ((np.nan_to_num(z) - mean) / sd) ** 2 - np.log(sd) - 0.5 * np.log(2 * np.pi)
    return np.asarray(np.where(seen, terms, 0.0).sum(axis=-1))


def calibrated_probabilities(
    z: np.ndarray, facets: Sequence[str], profiles: ProfileSet | None = None
) -> np.ndarray:
    r"""Calibrated probabilities (n × (K + 1)): each reference profile, then "none of these".

    With reference shares π_k, signatures s_k, common SD σ, the mixture's grand mean
    ḡ = Σ π_k s_k and marginal variances v = σ² + Σ π_k (s_k − ḡ)², w = NO_PROFILE_PRIOR
    and T = CERTAINTY_TEMPERATURE:

    .. math::

        a_k = [\log((1-w)\pi_k) + \log N(z; s_k, σ^2 I)] / T,\quad
        a_0 = [\log w + \log N(z; ḡ, \mathrm{diag}\,v)] / T,\quad
        q = \mathrm{softmax}(a)

    The order of the named profiles is that of the reference posteriors (tempering and
    a common factor keep it), so the most probable profile does not change.
    """
    profiles = profiles or load_profiles()
    sig = profiles.signatures(facets)
    shares = np.array([p.share for p in profiles.profiles], dtype=float)
    sd = np.full(sig.shape, profiles.common_sd)
    return tempered_probabilities(z, sig, sd, shares)


def tempered_probabilities(
    z: np.ndarray, means: np.ndarray, sds: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    r"""Calibrated probabilities (n × (K + 1)) of any mixture of independent normals.

    Profile k has mean ``means[k]`` and SDs ``sds[k]`` per facet and prior share
    ``shares[k]``; the last column is "none of these profiles": one normal with the
    mixture's grand mean and marginal variances (within plus between profiles), prior
    ``NO_PROFILE_PRIOR``; all log-likelihoods are divided by ``CERTAINTY_TEMPERATURE``
    (see :func:`calibrated_probabilities`). Missing facets (NaN) are left out, so a
    partial respondent's words rest on the facets they answered. The reference model
    and a campaign's fitted model (EEI: a diagonal covariance) both use this.
    """
    z = np.atleast_2d(np.asarray(z, dtype=float))
    means = np.asarray(means, dtype=float)
    sds = np.asarray(sds, dtype=float)
    shares = np.asarray(shares, dtype=float)
    shares = shares / shares.sum()
    grand = shares @ means
    marginal_sd = np.sqrt(shares @ sds**2 + shares @ (means - grand) ** 2)
    named = np.stack([_log_normal(z, means[k], sds[k]) for k in range(len(shares))], axis=1)
    logits = np.column_stack(
        [
            named + np.log((1 - NO_PROFILE_PRIOR) * shares),
            _log_normal(z, grand, marginal_sd) + np.log(NO_PROFILE_PRIOR),
        ]
    )
    logits = logits / CERTAINTY_TEMPERATURE
    logits -= logits.max(axis=1, keepdims=True)
    q = np.exp(logits)
    return np.asarray(q / q.sum(axis=1, keepdims=True))


def classify_reference(scores: np.ndarray, facets: Sequence[str]) -> list[Certainty]:
    """The reference-model path of ``services.assign_profiles`` on facet scores (n × d):
    only the facets the profile model reads (``ProfileSet.model_facets``)."""
    used = load_profiles().model_facets(facets)
    keep = [list(facets).index(f) for f in used]
    z, _, _ = standardise_scores(scores[:, keep])
    q = calibrated_probabilities(z, used)
    return [certainty(row[:-1], row[-1]) for row in q]
