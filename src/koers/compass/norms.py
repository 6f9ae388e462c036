"""Where a score stands among the others of a norm group, with a 95 % interval.

Django-free. The personal report says "hoger dan of even hoog als ongeveer 58–77 % van
de anderen": the share of the *other* respondents (the person is never in their own
norm group) whose score is at most the person's, with the exact (Clopper–Pearson) 95 %
interval for that share in the population the norm group is drawn from.

.. math::

    \\hat p = \\frac{\\#\\{x_i \\le s\\}}{n},\\qquad
    [\\mathrm{B}(0.025; k, n-k+1),\\ \\mathrm{B}(0.975; k+1, n-k)]

with k = #{x_i ≤ s} (``scipy.stats.percentileofscore(norm, s, kind="weak")`` / 100) and
B the beta quantile (Clopper & Pearson, 1934, *Biometrika* 26, 404–413). "As high as or
higher than" is exactly this count: ties count as "as high as", never as "higher".

A percentile is only given when the norm group has at least ``MIN_NORM_OTHERS`` others:
the smallest n for which the widest 95 % interval (at p̂ = ½) is at most 20 percentage
points, so the reader gets a range of at most ±10 points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta

MAX_INTERVAL_WIDTH = 0.20
# Smallest n with max_k (upper − lower) ≤ MAX_INTERVAL_WIDTH (tests/compass/test_norms.py).
MIN_NORM_OTHERS = 104


@dataclass(frozen=True)
class NormPosition:
    n_others: int
    n_at_or_below: int  # others whose score is at most the person's
    share: float  # n_at_or_below / n_others, 0–1
    low: float  # 95 % Clopper–Pearson interval for the share, 0–1
    high: float

    @property
    def low_percent(self) -> int:
        """Lower bound in whole percent, rounded down (the interval never shrinks)."""
        return math.floor(100 * self.low + 1e-9)

    @property
    def high_percent(self) -> int:
        """Upper bound in whole percent, rounded up."""
        return math.ceil(100 * self.high - 1e-9)

    @property
    def percent(self) -> int:
        return round(100 * self.share)


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided interval for a binomial proportion k/n."""
    alpha = 1 - confidence
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


def widest_interval(n: int) -> float:
    """Width of the widest 95 % Clopper–Pearson interval over k = 0..n."""
    return max(hi - lo for lo, hi in (clopper_pearson(k, n) for k in range(n + 1)))


def norm_position(
    score: float | None,
    others: Sequence[float] | np.ndarray,
    *,
    min_others: int = MIN_NORM_OTHERS,
) -> NormPosition | None:
    """The share of ``others`` at most as high as ``score`` with its 95 % interval.

    ``others`` must not contain the person's own score. Missing values are ignored;
    None when the score is missing or fewer than ``min_others`` others have one.
    """
    if score is None or math.isnan(score):
        return None
    values = np.asarray(others, dtype=float)
    values = values[~np.isnan(values)]
    n = int(values.size)
    if n < min_others:
        return None
    k = int(np.count_nonzero(values <= score))
    low, high = clopper_pearson(k, n)
    return NormPosition(n, k, k / n, low, high)
