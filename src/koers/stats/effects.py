"""Two groups compared: the difference of their means with Welch's interval, and Hedges' g
with its exact noncentral-t interval. Pure numpy/scipy (no Django); used by the inclusion
survey (:mod:`koers.stats.inclusion`) for the gap between women and men and its change.

References
----------
Welch, B. L. (1947). The generalization of 'Student's' problem when several different
population variances are involved. *Biometrika*, 34(1–2), 28–35.
Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
estimators. *Journal of Educational Statistics*, 6(2), 107–128.
Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
evaluation of statistical models. In Harlow, Mulaik & Steiger (Eds.), *What if there were no
significance tests?* (pp. 221–257). Erlbaum.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

__all__ = [
    "CONFIDENCE",
    "EffectSize",
    "MeanDifference",
    "finite_or_none",
    "hedges_g",
    "hedges_g_from_summary",
    "summarise",
    "welch_from_summary",
    "welch_interval",
]

FloatArray = npt.NDArray[np.float64]

CONFIDENCE = 0.95


def finite_or_none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


# --- Two means ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanDifference:
    """``a − b`` with Welch's interval; None fields when a group has fewer than 2 people or
    neither group varies."""

    difference: float | None
    ci_low: float | None
    ci_high: float | None
    std_error: float | None
    df: float | None
    p_value: float | None
    confidence: float = CONFIDENCE

    @property
    def excludes_zero(self) -> bool:
        """The interval lies entirely on one side of 0 (the change or gap is larger than its
        uncertainty)."""
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and (self.ci_low > 0.0 or self.ci_high < 0.0)
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "excludes_zero": self.excludes_zero}


def welch_from_summary(
    mean_a: float,
    sd_a: float,
    n_a: int,
    mean_b: float,
    sd_b: float,
    n_b: int,
    *,
    confidence: float = CONFIDENCE,
) -> MeanDifference:
    """Welch's interval for ``mean_a − mean_b`` from each group's mean, SD (n − 1) and n.

    .. math::

        SE = \\sqrt{s_a^2/n_a + s_b^2/n_b},\\qquad
        \\nu = \\frac{SE^4}{\\frac{(s_a^2/n_a)^2}{n_a-1} + \\frac{(s_b^2/n_b)^2}{n_b-1}},\\qquad
        (\\bar a - \\bar b) \\pm t_{\\nu,\\,(1+c)/2}\\, SE

    (Welch, 1947). It does not assume equal variances, which matters here: groups of women
    in technical organisations are often a fifth of the men's size, and Student's pooled
    interval then has the wrong coverage when the variances differ.
    """
    empty = MeanDifference(None, None, None, None, None, None, confidence)
    if n_a < 2 or n_b < 2:
        return empty
    var_a, var_b = sd_a**2 / n_a, sd_b**2 / n_b
    se = math.sqrt(var_a + var_b)
    difference = mean_a - mean_b
    if se <= 0.0:
        return MeanDifference(difference, None, None, 0.0, None, None, confidence)
    df = (var_a + var_b) ** 2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
    t_crit = float(stats.t.ppf((1.0 + confidence) / 2.0, df))
    t_obs = difference / se
    p_value = float(2.0 * stats.t.sf(abs(t_obs), df))
    return MeanDifference(
        difference, difference - t_crit * se, difference + t_crit * se, se, df, p_value, confidence
    )


def _answered(values: npt.ArrayLike) -> FloatArray:
    """The values as floats, without the unanswered (NaN) ones."""
    x = np.asarray(values, dtype=np.float64)
    return x[~np.isnan(x)]


def summarise(values: FloatArray) -> tuple[float, float, int]:
    n = int(values.size)
    mean = float(values.mean()) if n else math.nan
    sd = float(values.std(ddof=1)) if n >= 2 else math.nan
    return mean, sd, n


def welch_interval(
    a: npt.ArrayLike, b: npt.ArrayLike, *, confidence: float = CONFIDENCE
) -> MeanDifference:
    """Welch's interval for ``mean(a) − mean(b)``; NaN values are left out.

    Examples
    --------
    >>> result = welch_interval([3, 4, 4, 5, 2], [2, 3, 3, 2, 2, 3])
    >>> round(result.difference, 3), round(result.df, 2)
    (1.1, 5.52)
    """
    return welch_from_summary(
        *summarise(_answered(a)), *summarise(_answered(b)), confidence=confidence
    )


# --- Effect size -------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectSize:
    """Hedges' g of ``a − b`` with its interval; None when it cannot be computed."""

    g: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float = CONFIDENCE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _correction(df: float) -> float:
    # Hedges' (1981) exact small-sample factor J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)).
    return float(
        math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    )


def _noncentrality_bound(t_obs: float, df: float, tail: float) -> float:
    # The δ with P(T ≤ t_obs | δ) = tail for T ~ noncentral t(ν, δ); the cdf falls as δ grows.
    # Far from t_obs scipy's cdf can return NaN; there it is at its limit (1 below, 0 above).
    def f(delta: float) -> float:
        value = float(stats.nct.cdf(t_obs, df, delta))
        if math.isnan(value):
            value = 1.0 if delta < t_obs else 0.0
        return value - tail

    # Steps of about one standard error of the noncentrality (√(1 + t²/2ν)).
    step = math.sqrt(1.0 + t_obs**2 / (2.0 * df))
    low, high = t_obs - step, t_obs + step
    while f(low) < 0:
        low -= step
    while f(high) > 0:
        high += step
    return float(optimize.brentq(f, low, high, xtol=1e-10))


def hedges_g_from_summary(
    mean_a: float,
    sd_a: float,
    n_a: int,
    mean_b: float,
    sd_b: float,
    n_b: int,
    *,
    confidence: float = CONFIDENCE,
) -> EffectSize:
    """Hedges' g from summary statistics, with the exact noncentral-t interval.

    ``d = (mean_a − mean_b) / s_p`` with the pooled SD
    ``s_p² = ((n_a − 1)s_a² + (n_b − 1)s_b²) / (n_a + n_b − 2)``, and ``g = J(ν) d`` with
    ``ν = n_a + n_b − 2`` and Hedges' (1981) exact factor ``J``. The interval: the statistic
    ``t = d √(n_a n_b / (n_a + n_b))`` has a noncentral t distribution with ν degrees of
    freedom and noncentrality ``δ √(n_a n_b / (n_a + n_b))``; inverting it for the two tails
    gives an interval for δ (Steiger & Fouladi, 1997), which is multiplied by J like the
    estimate. Unlike the normal approximation it keeps its coverage in groups of 5 to 10.
    """
    empty = EffectSize(None, None, None, confidence)
    if n_a < 2 or n_b < 2:
        return empty
    df = n_a + n_b - 2
    pooled = math.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / df)
    if not pooled > 0.0:
        return empty
    d = (mean_a - mean_b) / pooled
    j = _correction(df)
    root = math.sqrt(n_a * n_b / (n_a + n_b))
    t_obs = d * root
    tail = (1.0 - confidence) / 2.0
    low = _noncentrality_bound(t_obs, df, 1.0 - tail) / root
    high = _noncentrality_bound(t_obs, df, tail) / root
    return EffectSize(j * d, j * low, j * high, confidence)


def hedges_g(a: npt.ArrayLike, b: npt.ArrayLike, *, confidence: float = CONFIDENCE) -> EffectSize:
    """Hedges' g of ``a − b`` with its interval (see :func:`hedges_g_from_summary`)."""
    return hedges_g_from_summary(
        *summarise(_answered(a)), *summarise(_answered(b)), confidence=confidence
    )
