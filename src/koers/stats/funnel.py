"""The selection funnel by gender: who reaches each stage, and whether women fall behind.

Each candidate has the furthest stage they reached (stage index ``0 .. S-1``). For the
transition from stage ``s`` to ``s + 1`` the candidates *at* the stage are those whose
furthest stage is ``s`` or later, and those who *passed* reached ``s + 1`` or later. The
overall figure runs from the first stage to the last.

Per transition, for women (``female``) and men (``male``):

* the rate ``passed / n``;
* the **impact ratio** ``IR = rate_women / rate_men`` (the "four-fifths" ratio of the US
  Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D): a ratio under 0.8
  is the conventional sign of adverse impact);
* its 95 % interval by the Katz log method (Katz, Baptista, Azen & Pike 1978, Biometrics
  34:469–474): ``ln IR ± 1.96 · √(1/k_w − 1/n_w + 1/k_m − 1/n_m)``, none when a count is 0;
* Fisher's exact test, two-sided (``scipy.stats.fisher_exact``);
* the **shortfall**: the smallest number of extra women passing that brings their rate to
  the men's (0 when it already is);
* a **label**, never a pass/fail: ``too_little_data`` (fewer than 5 women or 5 men at the
  stage), ``signal`` (IR under 0.8 and p < 0.05), ``watch`` (one of the two), ``no_signal``;
* for ``signal`` and ``watch``: whether one, or two, more women passing would lift the ratio
  to 0.8 (a ratio that hangs on one or two people is fragile, and the label should say so).

People of another or unknown gender are counted (``other``) and shown, never dropped; they
take no part in the ratio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.stats import fisher_exact

FOUR_FIFTHS = Fraction(4, 5)
ALPHA = 0.05
MIN_PER_GENDER = 5  # DESIGN.md: the group threshold
Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal

LABELS = ("too_little_data", "signal", "watch", "no_signal")
DEFAULT_STAGES = ("applied", "screened", "interviewed", "offered", "hired")
# The Dutch names HR systems export, onto the default stages.
DUTCH_STAGES = {
    "gesolliciteerd": "applied",
    "sollicitatie": "applied",
    "geselecteerd": "screened",
    "gesprek": "interviewed",
    "aanbod": "offered",
    "aangenomen": "hired",
}


@dataclass(frozen=True)
class Count:
    n: int  # at the stage
    passed: int  # reached the next stage (or the last, for the overall figure)

    @property
    def rate(self) -> float | None:
        return self.passed / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "passed": self.passed, "rate": self.rate}


@dataclass(frozen=True)
class Transition:
    start: str
    end: str
    female: Count
    male: Count
    other: Count
    impact_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_fisher: float | None
    shortfall: int | None
    label: str
    # Beside every signal and watch: would 1 (2) more women passing lift IR to 0.8?
    one_more_reaches: bool | None
    two_more_reach: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "female": self.female.to_dict(),
            "male": self.male.to_dict(),
            "other": self.other.to_dict(),
            "impact_ratio": self.impact_ratio,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_fisher": self.p_fisher,
            "shortfall": self.shortfall,
            "label": self.label,
        }


@dataclass(frozen=True)
class Funnel:
    stages: tuple[str, ...]
    transitions: tuple[Transition, ...]
    overall: Transition
    by_job_family: Mapping[str, tuple[Transition, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "stages": list(self.stages),
            "transitions": [t.to_dict() for t in self.transitions],
            "overall": self.overall.to_dict(),
            "by_job_family": {
                family: [t.to_dict() for t in ts] for family, ts in self.by_job_family.items()
            },
        }


def impact_ratio(k_w: int, n_w: int, k_m: int, n_m: int) -> float | None:
    """Women's rate over men's; None when a rate is undefined or the men's rate is 0."""
    if n_w == 0 or n_m == 0 or k_m == 0:
        return None
    return (k_w / n_w) / (k_m / n_m)


def katz_interval(k_w: int, n_w: int, k_m: int, n_m: int) -> tuple[float, float] | None:
    """The Katz log interval of the ratio of two proportions; None when a count is 0."""
    if min(k_w, n_w, k_m, n_m) == 0:
        return None
    ratio = (k_w / n_w) / (k_m / n_m)
    se = math.sqrt(1 / k_w - 1 / n_w + 1 / k_m - 1 / n_m)
    log = math.log(ratio)
    return math.exp(log - Z95 * se), math.exp(log + Z95 * se)


def shortfall(k_w: int, n_w: int, k_m: int, n_m: int) -> int | None:
    """The fewest extra women passing that bring their rate to the men's (exact arithmetic)."""
    if n_w == 0 or n_m == 0:
        return None
    needed = math.ceil(Fraction(k_m, n_m) * n_w - k_w)
    return min(max(needed, 0), n_w - k_w)


def _reaches(extra: int, k_w: int, n_w: int, k_m: int, n_m: int) -> bool | None:
    if n_w == 0 or n_m == 0 or k_m == 0 or k_w + extra > n_w:
        return None
    return Fraction(k_w + extra, n_w) / Fraction(k_m, n_m) >= FOUR_FIFTHS


def label(n_w: int, n_m: int, ratio: float | None, p: float | None) -> str:
    if n_w < MIN_PER_GENDER or n_m < MIN_PER_GENDER:
        return "too_little_data"
    low = ratio is not None and ratio < float(FOUR_FIFTHS)
    significant = p is not None and p < ALPHA
    if low and significant:
        return "signal"
    if low or significant:
        return "watch"
    return "no_signal"


def transition(start: str, end: str, female: Count, male: Count, other: Count) -> Transition:
    k_w, n_w, k_m, n_m = female.passed, female.n, male.passed, male.n
    ratio = impact_ratio(k_w, n_w, k_m, n_m)
    interval = katz_interval(k_w, n_w, k_m, n_m)
    p = None
    if n_w and n_m:
        p = float(fisher_exact([[k_w, n_w - k_w], [k_m, n_m - k_m]]).pvalue)
    verdict = label(n_w, n_m, ratio, p)
    flagged = verdict in ("signal", "watch")
    return Transition(
        start=start,
        end=end,
        female=female,
        male=male,
        other=other,
        impact_ratio=ratio,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        p_fisher=p,
        shortfall=shortfall(k_w, n_w, k_m, n_m),
        label=verdict,
        one_more_reaches=_reaches(1, k_w, n_w, k_m, n_m) if flagged else None,
        two_more_reach=_reaches(2, k_w, n_w, k_m, n_m) if flagged else None,
    )


def _count(furthest: np.ndarray, at: int, to: int) -> Count:
    return Count(n=int((furthest >= at).sum()), passed=int((furthest >= to).sum()))


def _transitions(
    stages: Sequence[str], gender: np.ndarray, furthest: np.ndarray
) -> tuple[tuple[Transition, ...], Transition]:
    groups = {
        g: furthest[gender == g] if g != "other" else furthest[~np.isin(gender, ["female", "male"])]
        for g in ("female", "male", "other")
    }
    steps = tuple(
        transition(
            stages[s],
            stages[s + 1],
            *(_count(groups[g], s, s + 1) for g in ("female", "male", "other")),
        )
        for s in range(len(stages) - 1)
    )
    last = len(stages) - 1
    overall = transition(
        stages[0], stages[last], *(_count(groups[g], 0, last) for g in ("female", "male", "other"))
    )
    return steps, overall


def compute_funnel(
    stages: Sequence[str],
    gender: Sequence[str],
    furthest_stage: Sequence[int],
    job_family: Sequence[str | None] | None = None,
) -> Funnel:
    """The funnel for candidates with ``gender`` (female/male/other) and the index of the
    furthest stage each reached; per job family too when ``job_family`` is given (people
    without one count only in the total)."""
    if len(stages) < 2:
        raise ValueError("a funnel needs at least two stages")
    g = np.asarray(list(gender), dtype=object)
    f = np.asarray(list(furthest_stage), dtype=np.int64)
    if g.shape != f.shape:
        raise ValueError("gender and furthest_stage differ in length")
    if f.size and (f.min() < 0 or f.max() >= len(stages)):
        raise ValueError("a furthest stage is outside the stages")
    transitions, overall = _transitions(stages, g, f)
    families: dict[str, tuple[Transition, ...]] = {}
    if job_family is not None:
        fam = np.asarray([x if x else "" for x in job_family], dtype=object)
        for name in sorted({x for x in fam if x}):
            mask = fam == name
            families[name] = _transitions(stages, g[mask], f[mask])[0]
    return Funnel(tuple(stages), transitions, overall, families)
