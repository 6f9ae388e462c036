"""The six Career Compass profiles as data, the reference model, and the words for certainty.

Django-free (numpy + ``koers.stats.lpa``). Everything here follows
``spec/compass.md``, "How profiles are assigned":

* signatures: +s for a facet whose high end is typical of a profile, −s for
  one whose low end is, 0 otherwise (s = ``signature_strength`` = 0.8 SD);
* reference mode: an EEI mixture (tidyLPA model 1) with those means, common
  SD 0.75 and the reference shares, on facet scores standardised against the
  norm group (midpoint 4 and SD 1.25 until a norm group of ≥ 300 exists);
* certainty words from the highest posterior probability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from koers.stats.lpa import LatentProfileModel, match_profiles, norm_standardization

DATA = Path(__file__).resolve().parent / "data" / "profiles.yaml"
NORM_MIN_ROWS = 300  # rows a norm group needs before it replaces midpoint 4 / SD 1.25
FITTED_MIN_ROWS = 300  # complete responses a population needs for a fitted model
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
    typical: Mapping[str, str]
    next_steps: tuple[Mapping[str, str], ...]

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

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.profiles]

    def get(self, key: str) -> ProfileDef:
        for profile in self.profiles:
            if profile.key == key:
                return profile
        raise KeyError(key)

    def facets_used(self) -> set[str]:
        return {f.lstrip("-") for p in self.profiles for f in (*p.high, *p.low)}

    def signatures(self, facets: Sequence[str]) -> np.ndarray:
        """Signature matrix (profiles × facets) in standard-deviation units."""
        return np.array(
            [[self.strength * p.direction(f) for f in facets] for p in self.profiles], dtype=float
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
            typical=p["typical"],
            next_steps=tuple(p["next_steps"]),
        )
        for p in raw["profiles"]
    )
    return ProfileSet(profiles, float(raw["signature_strength"]), float(raw["common_sd"]))


def standardise_scores(
    scores: np.ndarray, norm: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardise facet scores (n × d) against a norm group; returns (z, center, scale)."""
    center, scale = norm_standardization(norm, scores.shape[1], min_rows=NORM_MIN_ROWS)
    return (scores - center) / scale, center, scale


@dataclass(frozen=True)
class Certainty:
    level: str  # very_likely | likely | possibly | blend
    top: int
    second: int
    probability: float


def certainty(posteriors: Sequence[float]) -> Certainty:
    """Words for how certain an assignment is (spec/compass.md): ≥ .90, .70–.90, .50–.70, < .50."""
    p = np.asarray(posteriors, dtype=float)
    order = np.argsort(-p, kind="stable")
    top, second = int(order[0]), int(order[1]) if p.size > 1 else int(order[0])
    best = float(p[top])
    if best >= 0.90:
        level = "very_likely"
    elif best >= 0.70:
        level = "likely"
    elif best >= 0.50:
        level = "possibly"
    else:
        level = "blend"
    return Certainty(level, top, second, best)


CERTAINTY_WORDS = {
    "very_likely": {"nl": "zeer waarschijnlijk", "en": "very likely"},
    "likely": {"nl": "waarschijnlijk", "en": "likely"},
    "possibly": {"nl": "mogelijk", "en": "possibly"},
}


def describe_certainty(c: Certainty, names: Sequence[str], language: str) -> str:
    """'All-rounder (waarschijnlijk)' or 'een mengvorm van Nerd en Einzelgänger'."""
    if c.level == "blend":
        if language == "en":
            return f"a blend of {names[c.top]} and {names[c.second]}"
        return f"een mengvorm van {names[c.top]} en {names[c.second]}"
    return f"{names[c.top]} ({CERTAINTY_WORDS[c.level][language]})"


@dataclass(frozen=True)
class NamedProfile:
    index: int
    key: str | None  # reference profile key, None for a neutral name
    name: Mapping[str, str]
    quality: float


def name_fitted_profiles(
    standardised_means: np.ndarray, facets: Sequence[str], profiles: ProfileSet | None = None
) -> list[NamedProfile]:
    """Name fitted profiles after the best one-to-one matching reference signature.

    A profile whose match correlation is below 0.5 keeps a neutral name
    ("Profiel A" / "Profile A").
    """
    profiles = profiles or load_profiles()
    matches = match_profiles(
        standardised_means,
        profiles.signatures(facets),
        names=profiles.keys,
        min_quality=MIN_MATCH_QUALITY,
    )
    out = []
    for m in matches:
        if m.accepted and m.name is not None:
            ref = profiles.get(m.name)
            out.append(NamedProfile(m.profile, ref.key, ref.name, m.quality))
        else:
            letter = chr(ord("A") + m.profile)
            out.append(
                NamedProfile(
                    m.profile,
                    None,
                    {"nl": f"Profiel {letter}", "en": f"Profile {letter}"},
                    m.quality,
                )
            )
    return out
