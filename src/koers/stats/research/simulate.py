"""Generated pooled Compass data with planted effects of known size.

``simulate(n, seed, effects=...)`` returns a frame with exactly the contract's columns
(:data:`koers.stats.research.COLUMNS`). The tests plant an effect and check that the
analysis recovers it; the research demo uses the defaults, which are shaped after the
Compass report's findings (chapters 6–7 of ``shared/seeds/001_8baae205fba51f5d.txt``).
``simulate(n, seed, effects=NO_EFFECTS)`` plants nothing: every analysis should then find
"significant" results at about its alpha.

Planted effects (``DEFAULT_EFFECTS``; pass a dict to override some):

* ``share_women`` (0.22) — share of women (the rest men; ``share_other`` 0.01 "other").
* ``share_technical_sector`` (0.68), ``share_technical_function`` (0.49) and
  ``function_sector_or`` (2.0) — the 2 × 2 of function × sector; with the defaults the four
  groups are about 37/31/12/20 % as in the report.
* ``woman_technical_or`` (0.6) — odds ratio of a technical job for women versus men.
* ``subjective_yes_technical`` (0.93), ``subjective_yes_non_technical`` (0.45) — chance that
  someone calls their sector technical, by objective sector.
* ``income_woman`` (−0.8) — women's coefficient in the latent (proportional-odds, logistic)
  income scale; ``income_age`` 0.06 per year, ``income_hours`` 0.08 per hour, ``income_wo``
  0.6. Income bands are cut from that latent scale, so ``exp(income_woman)`` is the
  cumulative odds ratio an ordinal model should recover.
* ``income_non_technical_job`` (0.4), ``income_technical_sector`` (0.5) and
  ``income_job_sector`` (0.0, the interaction: a non-technical job in the technical sector)
  — the same latent scale by job and sector (chapter 6: a non-technical job and the
  technical sector pay more, no interaction).
* ``hours_woman`` (0.0) — difference in contract hours; ``hours_non_technical_both`` (−1.5)
  — fewer hours for a non-technical job outside the technical sector (the report's
  interaction of job and sector on hours).
* ``profile_function`` (1.0), ``profile_institution`` (0.8), ``profile_gender`` (0.8) —
  strength of the dependence of the profile on function (Nerd in technical jobs), institution
  (Status Seeker at hbo) and gender (Traditionalist among women), as log-odds shifts.
* ``identification_means``, ``career_clarity_means``, ``career_commitment_means``,
  ``career_exploration_means`` — each profile's mean on the scale (1–7), before covariates;
  ``scale_sd`` 0.8; ``identification_age`` 0.01 per year.
* ``leave_base`` (−3.1), ``leave_cluster_or`` (2.7), ``leave_function_or`` (5.9),
  ``leave_status_seeker_or`` (0.2), ``leave_non_technical_sector_or`` (8.0) — the logistic
  model of "wants to work outside the technical sector" (``future_sector``);
  ``share_unsure`` 0.05 answer "unsure".
* ``stigma_woman`` (0.8), ``stigma_woman_technical`` (0.6, the interaction),
  ``stigma_woman_ratio`` (−0.3 per step of the gender-ratio scale, interaction) —
  ``gender_stigma = 2.5 + …`` with residual SD ``stigma_sd`` 0.7.
* ``clarity_stigma_woman`` (−0.4) — slope of career clarity on gender stigma for women
  (0 for men).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from koers.stats.research.core import COLUMNS, LEVELS

PROFILES = LEVELS["profile"]

DEFAULT_EFFECTS: dict[str, Any] = {
    "share_women": 0.22,
    "share_other": 0.01,
    "share_technical_sector": 0.68,
    "share_technical_function": 0.49,
    "function_sector_or": 2.0,
    "woman_technical_or": 0.6,
    "subjective_yes_technical": 0.93,
    "subjective_yes_non_technical": 0.45,
    "income_woman": -0.8,
    "income_age": 0.06,
    "income_hours": 0.08,
    "income_wo": 0.6,
    "income_non_technical_job": 0.4,
    "income_technical_sector": 0.5,
    "income_job_sector": 0.0,
    "hours_non_technical_both": -1.5,
    "hours_woman": 0.0,
    "profile_function": 1.0,
    "profile_institution": 0.8,
    "profile_gender": 0.8,
    "identification_means": {
        "nerd": 5.2,
        "einzelganger": 4.9,
        "traditionalist": 4.9,
        "innovator": 5.5,
        "allrounder": 5.6,
        "status_seeker": 5.2,
    },
    "career_clarity_means": {
        "nerd": 4.6,
        "einzelganger": 4.8,
        "traditionalist": 4.9,
        "innovator": 5.5,
        "allrounder": 5.2,
        "status_seeker": 5.2,
    },
    "career_commitment_means": {
        "nerd": 4.2,
        "einzelganger": 4.2,
        "traditionalist": 4.3,
        "innovator": 5.0,
        "allrounder": 5.0,
        "status_seeker": 5.1,
    },
    "career_exploration_means": {
        "nerd": 3.6,
        "einzelganger": 3.6,
        "traditionalist": 3.7,
        "innovator": 4.5,
        "allrounder": 4.4,
        "status_seeker": 4.4,
    },
    "scale_sd": 0.8,
    "identification_age": 0.01,
    "leave_base": -3.1,
    "leave_cluster_or": 2.7,
    "leave_function_or": 5.9,
    "leave_status_seeker_or": 0.2,
    "leave_non_technical_sector_or": 8.0,
    "share_unsure": 0.05,
    "stigma_woman": 0.8,
    "stigma_woman_technical": 0.6,
    "stigma_woman_ratio": -0.3,
    "stigma_sd": 0.7,
    "clarity_stigma_woman": -0.4,
}

_FLAT = {profile: 5.0 for profile in PROFILES}

# No structure: every outcome independent of every grouping; margins as the defaults, except
# that about 18 % (not 4 %) intend to leave, so that small samples still have leavers.
NO_EFFECTS: dict[str, Any] = {
    **DEFAULT_EFFECTS,
    "function_sector_or": 1.0,
    "woman_technical_or": 1.0,
    "subjective_yes_technical": 0.7,
    "subjective_yes_non_technical": 0.7,
    "income_woman": 0.0,
    "income_age": 0.0,
    "income_hours": 0.0,
    "income_wo": 0.0,
    "income_non_technical_job": 0.0,
    "income_technical_sector": 0.0,
    "hours_non_technical_both": 0.0,
    "hours_woman": 0.0,
    "profile_function": 0.0,
    "profile_institution": 0.0,
    "profile_gender": 0.0,
    "identification_means": _FLAT,
    "career_clarity_means": _FLAT,
    "career_commitment_means": _FLAT,
    "career_exploration_means": _FLAT,
    "identification_age": 0.0,
    "leave_base": -1.5,
    "leave_cluster_or": 1.0,
    "leave_function_or": 1.0,
    "leave_status_seeker_or": 1.0,
    "leave_non_technical_sector_or": 1.0,
    "stigma_woman": 0.0,
    "stigma_woman_technical": 0.0,
    "stigma_woman_ratio": 0.0,
    "clarity_stigma_woman": 0.0,
}

PROFILE_SHARES = np.array([0.16, 0.16, 0.16, 0.11, 0.19, 0.22])
# Cut points of the latent income scale (logistic) into the seven bands, for a latent
# mean of about 0: shares near the report's 18/27/16/11/7/5/13 %.
INCOME_CUTS = np.array([-1.5, -0.1, 0.6, 1.1, 1.45, 1.75])


def _cells(p_row: float, p_col: float, odds_ratio: float) -> np.ndarray:
    """Cell probabilities [[a, b], [c, d]] of a 2 × 2 with these margins (P(row 1),
    P(column 1)) and odds ratio ad/bc (Plackett's quadratic)."""
    if abs(odds_ratio - 1.0) < 1e-12:
        a = p_row * p_col
    else:
        s = 1 + (odds_ratio - 1) * (p_row + p_col)
        a = (s - np.sqrt(s * s - 4 * odds_ratio * (odds_ratio - 1) * p_row * p_col)) / (
            2 * (odds_ratio - 1)
        )
    return np.array([[a, p_row - a], [p_col - a, 1 - p_row - p_col + a]])


def simulate(n: int = 863, seed: int = 0, effects: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """``n`` generated respondents with the contract's columns and planted effects.

    ``effects`` overrides entries of :data:`DEFAULT_EFFECTS` (pass :data:`NO_EFFECTS` for
    data without any structure). Deterministic for a given ``seed``. Respondents are spread
    over 12 generated organisations; about 5 % have no profile, 4 % no income band.

    >>> frame = simulate(200, seed=1)
    >>> sorted(frame.columns) == sorted(COLUMNS)
    True
    """
    e: dict[str, Any] = {**DEFAULT_EFFECTS, **(effects or {})}
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    gender = np.where(
        u < e["share_women"],
        "woman",
        np.where(u < e["share_women"] + e["share_other"], "other", "man"),
    )
    woman = gender == "woman"
    age = np.clip(rng.normal(36, 10, n), 22, 67).round()
    hours_noise = rng.normal(0, 4.5, n)
    institution = np.where(rng.random(n) < 0.5, "wo", "hbo")
    wo = institution == "wo"
    education = np.where(
        wo,
        rng.choice([3.0, 4.0, 5.0], n, p=[0.05, 0.8, 0.15]),
        rng.choice([1.0, 2.0], n, p=[0.9, 0.1]),
    )
    cluster = np.where(rng.random(n) < 0.58, "cluster_1", "cluster_2")

    # Sector first, then function given sector with the planted odds ratio; women shift
    # the odds of a technical job by woman_technical_or.
    cells = _cells(
        e["share_technical_sector"], e["share_technical_function"], e["function_sector_or"]
    )
    tech_sector = rng.random(n) < e["share_technical_sector"]
    p_func = np.where(tech_sector, cells[0, 0] / cells[0].sum(), cells[1, 0] / cells[1].sum())
    logit = special.logit(p_func) + np.log(e["woman_technical_or"]) * (woman - e["share_women"])
    tech_function = rng.random(n) < special.expit(logit)
    hours = np.clip(
        36.5
        + e["hours_woman"] * woman
        + e["hours_non_technical_both"] * (~tech_function & ~tech_sector)
        + hours_noise,
        8,
        60,
    ).round()
    sector = np.where(tech_sector, "technical_sector", "non_technical_sector")
    function = np.where(tech_function, "technical", "non_technical")
    job = np.where(
        tech_function,
        rng.choice(["engineer", "researcher", "programmer_ict"], n, p=[0.53, 0.22, 0.25]),
        rng.choice(
            ["consultant", "project_leader", "manager", "teacher"], n, p=[0.3, 0.25, 0.35, 0.1]
        ),
    )
    org_type = np.where(
        tech_sector,
        np.where(rng.random(n) < 0.92, "technical_industry", "technical_consultancy"),
        np.where(rng.random(n) < 0.73, "non_technical", "higher_education"),
    )
    p_yes = np.where(tech_sector, e["subjective_yes_technical"], e["subjective_yes_non_technical"])
    subjective = np.where(rng.random(n) < p_yes, "yes", "no")
    subjective = np.where(rng.random(n) < 0.03, "unsure", subjective)

    # Income: latent logistic scale cut into bands (a proportional-odds model).
    latent = (
        e["income_woman"] * woman
        + e["income_age"] * (age - 36)
        + e["income_hours"] * (hours - 36)
        + e["income_wo"] * (wo - 0.5)
        + e["income_non_technical_job"] * ~tech_function
        + e["income_technical_sector"] * tech_sector
        + e["income_job_sector"] * (~tech_function & tech_sector)
        + rng.logistic(0, 1, n)
    )
    income = 1.0 + np.searchsorted(INCOME_CUTS, latent).astype(float)
    income[rng.random(n) < 0.04] = np.nan

    # Profiles: base shares shifted by function, institution and gender.
    base = np.log(PROFILE_SHARES)
    logits = np.tile(base, (n, 1))
    logits[:, PROFILES.index("nerd")] += e["profile_function"] * (tech_function - 0.5)
    logits[:, PROFILES.index("innovator")] -= e["profile_function"] * (tech_function - 0.5)
    logits[:, PROFILES.index("status_seeker")] += e["profile_institution"] * (~wo - 0.5)
    logits[:, PROFILES.index("innovator")] += e["profile_institution"] * (wo - 0.5)
    logits[:, PROFILES.index("traditionalist")] += e["profile_gender"] * (woman - 0.5)
    prob = special.softmax(logits, axis=1)
    draw = (prob.cumsum(axis=1) < rng.random(n)[:, None]).sum(axis=1)
    profile = np.array(PROFILES, dtype=object)[np.minimum(draw, len(PROFILES) - 1)]
    has_profile = rng.random(n) >= 0.05

    sd = e["scale_sd"]

    def scale(means_key: str, extra: np.ndarray) -> np.ndarray:
        means = np.array([e[means_key][p] for p in profile])
        return np.asarray(np.clip(means + extra + rng.normal(0, sd, n), 1, 7), dtype=np.float64)

    identification = scale("identification_means", e["identification_age"] * (age - 36))
    commitment = scale("career_commitment_means", np.zeros(n))
    exploration = scale("career_exploration_means", np.zeros(n))

    # Gender ratio at work (1 = almost all men … 5 = almost all women).
    ratio_p = np.where(
        tech_sector[:, None], [[0.35, 0.45, 0.15, 0.04, 0.01]], [[0.1, 0.3, 0.4, 0.15, 0.05]]
    )
    ratio = 1.0 + (ratio_p.cumsum(axis=1) < rng.random(n)[:, None]).sum(axis=1).astype(float)
    stigma = np.clip(
        2.5
        + e["stigma_woman"] * woman
        + e["stigma_woman_technical"] * woman * tech_sector
        + e["stigma_woman_ratio"] * woman * (ratio - 2)
        + rng.normal(0, e["stigma_sd"], n),
        1,
        7,
    )
    clarity = scale("career_clarity_means", e["clarity_stigma_woman"] * woman * (stigma - 3.0))

    p_leave = special.expit(
        e["leave_base"]
        + np.log(e["leave_cluster_or"]) * (cluster == "cluster_2")
        + np.log(e["leave_function_or"]) * ~tech_function
        + np.log(e["leave_status_seeker_or"]) * (profile == "status_seeker")
        + np.log(e["leave_non_technical_sector_or"]) * ~tech_sector
    )
    future = np.where(rng.random(n) < p_leave, "non_technical", "technical")
    future = np.where(rng.random(n) < e["share_unsure"], "unsure", future)

    frame = pd.DataFrame(
        {
            "respondent": [f"r{seed:x}-{i:05d}" for i in range(n)],
            "organisation": [f"org-{j:02d}" for j in rng.integers(1, 13, n)],
            "gender": gender,
            "age": age,
            "contract_hours": hours,
            "education_level": education,
            "income_band": income,
            "job_category": job,
            "function_group": function,
            "organisation_type": org_type,
            "sector_objective": sector,
            "sector_subjective": subjective,
            "institution_type": institution,
            "study_cluster": cluster,
            "profile": np.where(has_profile, profile, None),
            "identification": identification,
            "career_clarity": clarity,
            "career_commitment": commitment,
            "career_exploration": exploration,
            "gender_stigma": stigma,
            "future_sector": future,
            "gender_ratio": ratio,
        }
    )
    for column, kind in COLUMNS.items():
        if kind == "category" and column in LEVELS:
            frame[column] = pd.Categorical(frame[column], categories=LEVELS[column])
    return frame[list(COLUMNS)]
