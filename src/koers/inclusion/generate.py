"""Generated answers to the inclusion survey (demo, tests): a one-factor model per scale.

Pure: no Django, so tests and the seeded checks of the demo's planted gaps can call it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from koers.instruments import get_instrument, scoring_key

DEPARTMENTS = ["Engineering", "Productie", "Service", "Staf"]
OPEN_TEXTS = [
    "Meer flexibiliteit in werktijden en thuiswerken zonder dat het je loopbaan kost.",
    "De grappen in de kantine en de stoere cultuur mogen wel minder.",
    "Eerlijke beoordeling en promotie, en meer openheid over salaris.",
    "Leidinggevenden die luisteren en je mening serieus nemen.",
    "Betere regeling voor ouderschapsverlof, ook voor vaders.",
    "Meer ruimte voor ontwikkeling en training.",
    "Ik voel me hier prima thuis.",
]


def generate_answers(
    n_women: int, n_men: int, n_other: int, gaps: dict[str, float], seed: int
) -> list[dict[str, Any]]:
    """Answers of generated respondents (item id -> value), from a one-factor model per scale
    with women's trait shifted by ``gaps``; some items and background questions skipped."""
    instrument = get_instrument("inclusion", 1)
    key = scoring_key(instrument)
    rng = np.random.default_rng(seed)
    genders = ["woman"] * n_women + ["man"] * n_men
    genders += list(rng.choice(["non_binary", "rather_not_say", ""], size=n_other))
    people: list[dict[str, Any]] = []
    for gender in genders:
        answers: dict[str, Any] = {}
        for scale, scale_key in key.items():
            trait = rng.normal() + (gaps.get(scale, 0.0) if gender == "woman" else 0.0)
            for item in scale_key.items:
                if rng.random() < 0.03:
                    continue  # skipped
                sign = -1.0 if item in scale_key.reverse_items else 1.0
                value = 3 + sign * 0.9 * trait + rng.normal(scale=0.6)
                answers[item] = int(np.clip(np.rint(value), 1, 5))
        if gender:
            answers["gender"] = gender
        answers["department"] = str(rng.choice(DEPARTMENTS, p=[0.4, 0.3, 0.2, 0.1]))
        answers["function_type"] = "core" if rng.random() < 0.75 else "staff"
        answers["age_band"] = str(rng.choice(["under_30", "from_30", "from_40", "from_50"]))
        answers["part_time"] = (
            "part_time" if rng.random() < (0.45 if gender == "woman" else 0.1) else "full_time"
        )
        if rng.random() < 0.35:
            answers["open_change"] = str(rng.choice(OPEN_TEXTS))
        people.append(answers)
    return people
