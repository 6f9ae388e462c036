"""Generated respondents from the six reference profiles (demo data and model checks).

Each respondent draws a profile with the reference shares, standardised facet
scores from N(signature, common SD²), then every item answer around the facet
score (4 + 1.25·z) with item noise, rounded and clipped to 1..7, reversed for
reverse-keyed items. Outcome scales (identification, career scales) follow the
order the report gives per profile (spec/compass.md, "Facts"), so the check page
can compare them.
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


@dataclass(frozen=True)
class GeneratedRespondent:
    profile: str
    answers: dict[str, Any]


def _choice(rng: np.random.Generator, item: Any) -> str:
    return str(item.options[int(rng.integers(len(item.options)))].value)


def generate_respondents(
    instrument: Instrument, n: int, *, seed: int = 2016, departments: list[str] | None = None
) -> list[GeneratedRespondent]:
    profiles = load_profiles()
    rng = np.random.default_rng(seed)
    shares = np.array([p.share for p in profiles.profiles])
    shares = shares / shares.sum()
    facets = [s.id for s in instrument.scales if s.kind == "facet"]
    signatures = profiles.signatures(facets)
    out = []
    for _ in range(n):
        k = int(rng.choice(len(shares), p=shares))
        key = profiles.profiles[k].key
        z = rng.normal(signatures[k], profiles.common_sd)
        facet_score = dict(zip(facets, 4 + 1.25 * z, strict=True))
        answers: dict[str, Any] = {}
        for item in instrument.items:
            if item.type == "scale" and item.scale in facet_score:
                centre = facet_score[item.scale]
            elif item.type == "scale" and item.scale in OUTCOMES:
                centre = OUTCOMES[item.scale][key]
            elif item.type == "scale":
                centre = 4.0
            else:
                centre = None
            if centre is not None:
                value = int(np.clip(np.rint(centre + rng.normal(0, 0.8)), 1, 7))
                answers[item.id] = 8 - value if item.reverse else value
            elif item.type == "choice":
                answers[item.id] = _choice(rng, item)
            elif item.type == "number":
                low, high = item.min or 0, item.max or 0
                answers[item.id] = int(rng.integers(low, high + 1)) if high > low else low
        answers["title"] = str(rng.choice(["engineer", "technicus", "onderzoeker"]))
        answers["work_status"] = "yes"
        if "future_sector" in {i.id for i in instrument.items}:
            answers["future_sector"] = _leave_answer(instrument, rng, REPORT_LEAVE_SHARE[key])
        if departments:
            answers["department"] = str(rng.choice(departments))
        out.append(GeneratedRespondent(key, answers))
    return out


def _leave_answer(instrument: Instrument, rng: np.random.Generator, share: float) -> str:
    """'non_technical' (wants to leave the technical sector) with the profile's share."""
    return "non_technical" if rng.random() < share else "technical"
