"""Generated respondents from the six reference profiles (demo data and model checks).

Each respondent draws a profile with the reference shares and then, per scale, one latent
score: for a facet 4 + 1.25·z with z from N(signature, common SD²); for an outcome scale
(identification, career scales, gender stigma) the profile's planted mean plus a
person-level deviation N(0, ``OUTCOME_TRAIT_SD``²). Every item of the scale is answered
around that latent score with item noise N(0, ``ITEM_NOISE``²), rounded and clipped to 1..7,
reversed for reverse-keyed items: the items of one scale correlate through their latent
score, as in real data, so alpha and omega are realistic. The outcome means per profile
follow the order the report gives (spec/compass.md, "Facts"): the check page says so,
because its agreement with the report is then planted, not found.

``strength`` scales the signatures (1: the reference profiles; 0.5: profiles half as
distinct; 0: no profiles at all): the recovery study ``bench/lpa_recovery_bench.py`` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from koers.compass.profiles import REPORT_LEAVE_SHARE, load_profiles
from koers.instruments import Instrument

# Outcome means per profile (1–7), ordered as the report describes.
OUTCOMES = {
    "identification": {
        "allrounder": 5.6,
        "innovator": 5.3,
        "status_seeker": 4.8,
        "nerd": 4.7,
        "einzelganger": 4.2,
        "traditionalist": 4.1,
    },
    "career_clarity": {
        "innovator": 5.6,
        "allrounder": 5.3,
        "status_seeker": 5.1,
        "traditionalist": 4.8,
        "einzelganger": 4.6,
        "nerd": 4.2,
    },
    "career_commitment": {
        "status_seeker": 5.2,
        "allrounder": 5.3,
        "innovator": 5.4,
        "einzelganger": 4.2,
        "nerd": 4.3,
        "traditionalist": 4.1,
    },
    "career_exploration": {
        "status_seeker": 4.9,
        "allrounder": 5.0,
        "innovator": 5.1,
        "einzelganger": 3.7,
        "nerd": 3.8,
        "traditionalist": 3.6,
    },
    "gender_stigma": {
        k: 2.6
        for k in (
            "nerd",
            "einzelganger",
            "traditionalist",
            "innovator",
            "allrounder",
            "status_seeker",
        )
    },
}


ITEM_NOISE = 0.8  # SD of an item answer around its scale's latent score (scale points)
OUTCOME_TRAIT_SD = 0.9  # SD of a person's latent outcome score around the profile mean


@dataclass(frozen=True)
class GeneratedRespondent:
    profile: str
    answers: dict[str, Any]


def _choice(rng: np.random.Generator, item: Any) -> str:
    return str(item.options[int(rng.integers(len(item.options)))].value)


def generate_respondents(
    instrument: Instrument,
    n: int,
    *,
    seed: int = 2016,
    departments: list[str] | None = None,
    strength: float = 1.0,
) -> list[GeneratedRespondent]:
    profiles = load_profiles()
    rng = np.random.default_rng(seed)
    shares = np.array([p.share for p in profiles.profiles])
    shares = shares / shares.sum()
    facets = [s.id for s in instrument.scales if s.kind == "facet"]
    signatures = strength * profiles.signatures(facets)
    scale_items = [item for item in instrument.items if item.type == "scale"]
    scales = list(dict.fromkeys(str(item.scale) for item in scale_items))
    column = {scale: j for j, scale in enumerate(scales)}
    profile = rng.choice(len(shares), size=n, p=shares)
    keys = [profiles.profiles[k].key for k in profile]
    # Latent score per person and scale (1–7 metric), then every item around it.
    latent = 4.0 + rng.normal(0.0, OUTCOME_TRAIT_SD, size=(n, len(scales)))
    z = rng.normal(signatures[profile], profiles.common_sd)
    for f, facet in enumerate(facets):
        if facet in column:
            latent[:, column[facet]] = 4.0 + 1.25 * z[:, f]
    for scale, means in OUTCOMES.items():
        if scale in column:
            planted = np.array([means[key] for key in keys])
            latent[:, column[scale]] = planted + rng.normal(0.0, OUTCOME_TRAIT_SD, size=n)
    centres = latent[:, [column[str(item.scale)] for item in scale_items]]
    values = np.clip(np.rint(centres + rng.normal(0.0, ITEM_NOISE, size=centres.shape)), 1, 7)
    reverse = np.array([bool(item.reverse) for item in scale_items])
    values = np.where(reverse, 8 - values, values).astype(int)
    has_future = "future_sector" in {i.id for i in instrument.items}
    out = []
    for person in range(n):
        key = keys[person]
        answers: dict[str, Any] = {
            item.id: int(values[person, j]) for j, item in enumerate(scale_items)
        }
        for item in instrument.items:
            if item.type == "choice":
                answers[item.id] = _choice(rng, item)
            elif item.type == "number":
                low, high = item.min or 0, item.max or 0
                answers[item.id] = int(rng.integers(low, high + 1)) if high > low else low
        answers["title"] = str(rng.choice(["engineer", "technicus", "onderzoeker"]))
        answers["work_status"] = "yes"
        if has_future:
            answers["future_sector"] = _leave_answer(instrument, rng, REPORT_LEAVE_SHARE[key])
        if departments:
            answers["department"] = str(rng.choice(departments))
        out.append(GeneratedRespondent(key, answers))
    return out


def _leave_answer(instrument: Instrument, rng: np.random.Generator, share: float) -> str:
    """'non_technical' (wants to leave the technical sector) with the profile's share."""
    return "non_technical" if rng.random() < share else "technical"
