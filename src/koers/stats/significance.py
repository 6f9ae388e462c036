"""How strong is the evidence for a difference between women and men?

Small exact tests and intervals for the Gender Scan's improvement areas
(:mod:`koers.scan.improvement`): a rate that looks lower for women at 25
women and 75 men is often chance, and these functions say how often.

* :func:`proportion_lower_p` — one-sided Fisher's exact test of two
  proportions (promotion, variable pay, share of women among hires vs staff).
* :func:`rate_higher_p` — the exact conditional test of two Poisson rates
  (outflow per mean headcount).
* :func:`subset_lower_p` — the hypergeometric test that a subset (the board and
  subtop) holds fewer women than a gender-blind draw from the whole would.
* :func:`ratio_gap_interval` — the gap between two ratio estimates (training
  spend per FTE) with a linearisation (delta-method) interval.
* :func:`holm` — Holm's step-down correction over a family of tests.

All p-values are one-sided in the direction the rule is about, unless stated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]


def proportion_lower_p(x_a: int, n_a: int, x_b: int, n_b: int) -> float | None:
    """P-value of Fisher's exact test that group a's proportion is lower than group b's.

    Tests H0: p_a = p_b against H1: p_a < p_b on the table
    ``[[x_a, n_a − x_a], [x_b, n_b − x_b]]`` (conditional on the margins, so
    exact and conservative at any size). Counts above their n (people promoted
    twice) are capped at n. None when a group is empty.

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. JRSS 98(1), 39-82.
    ``scipy.stats.fisher_exact(alternative="less")``.

    Examples
    --------
    >>> round(proportion_lower_p(11, 311, 53, 863), 3)
    0.052
    """
    if n_a <= 0 or n_b <= 0:
        return None
    x_a, x_b = min(max(x_a, 0), n_a), min(max(x_b, 0), n_b)
    table = [[x_a, n_a - x_a], [x_b, n_b - x_b]]
    return float(stats.fisher_exact(table, alternative="less").pvalue)


def rate_higher_p(
    events_a: int, exposure_a: float, events_b: int, exposure_b: float
) -> float | None:
    """P-value of the exact conditional test that group a's event rate is higher.

    With Poisson counts and exposures ``E`` (mean headcount), given the total
    ``e_a + e_b`` the count ``e_a`` is Binomial(e_a + e_b, E_a / (E_a + E_b))
    under H0: equal rates; the p-value is its upper tail. For leavers, whose
    count is binomial (less variable than Poisson), the test is conservative.
    None when an exposure is 0; 1 when there are no events.

    References
    ----------
    Przyborowski, J. & Wileński, H. (1940). Homogeneity of results in testing
    samples from Poisson series. Biometrika 31, 313-323.
    ``scipy.stats.binomtest(alternative="greater")``.
    """
    if exposure_a <= 0 or exposure_b <= 0:
        return None
    total = events_a + events_b
    if total <= 0:
        return 1.0
    p0 = exposure_a / (exposure_a + exposure_b)
    return float(stats.binomtest(events_a, total, p0, alternative="greater").pvalue)


def subset_lower_p(x: int, n: int, successes: int, population: int) -> float | None:
    """P-value that ``x`` women among ``n`` people is fewer than a gender-blind draw gives.

    ``P(X ≤ x)`` for X ~ Hypergeometric(population, successes, n): the chance
    that picking ``n`` of ``population`` people (``successes`` of them women)
    without regard to gender yields at most ``x`` women. This equals the
    one-sided Fisher test of the subset against the rest.
    """
    if n <= 0 or population <= 0 or n > population:
        return None
    return float(stats.hypergeom.cdf(x, population, successes, n))


def ratio_gap_interval(
    num_a: npt.ArrayLike,
    den_a: npt.ArrayLike,
    num_b: npt.ArrayLike,
    den_b: npt.ArrayLike,
    level: float = 0.95,
) -> tuple[float, float, float] | None:
    """``(gap, low, high)`` in percent of ``1 − R_a / R_b``, with ``R = Σ num / Σ den``.

    The ratio estimator's variance by linearisation (Cochran 1977, §6.3):
    ``Var(R) ≈ n/(n−1) · Σ (num_i − R den_i)² / (Σ den)²``; the interval is
    built on ``log R_a − log R_b`` and transformed back, so it stays below
    100 %. The quantile is Student's t with ``min(n_a, n_b) − 1`` degrees of
    freedom rather than the normal: with skewed amounts (training spend) and 25
    people the normal interval misses 0 about 6 % of the time instead of 5 %
    (bench/scan_findings_bench.py). None when a group has fewer than 2 people or
    a ratio is 0.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley, ch. 6.
    """
    parts = []
    sizes = []
    for num, den in ((num_a, den_a), (num_b, den_b)):
        y = np.asarray(num, dtype=np.float64)
        x = np.asarray(den, dtype=np.float64)
        n = len(y)
        if n < 2 or x.sum() <= 0 or y.sum() <= 0:
            return None
        ratio = float(y.sum() / x.sum())
        var = n / (n - 1) * float(np.sum((y - ratio * x) ** 2)) / float(x.sum()) ** 2
        parts.append((ratio, var / ratio**2))  # Var(log R) ≈ Var(R) / R²
        sizes.append(n)
    (r_a, v_a), (r_b, v_b) = parts
    log_ratio = math.log(r_a / r_b)
    half = float(stats.t.ppf(0.5 + level / 2, min(sizes) - 1)) * math.sqrt(v_a + v_b)
    # gap = 1 − exp(log ratio): the upper end of the log ratio is the lower end of the gap.
    return (
        -math.expm1(log_ratio) * 100.0,
        -math.expm1(log_ratio + half) * 100.0,
        -math.expm1(log_ratio - half) * 100.0,
    )


def holm(p_values: Sequence[float], alpha: float = 0.05) -> list[bool]:
    """Which hypotheses Holm's step-down procedure rejects at family-wise level ``alpha``.

    Sort the m p-values; reject the j-th smallest (j = 1..m) while
    ``p_(j) ≤ alpha / (m − j + 1)`` and stop at the first that is not.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scand. J. Statist. 6, 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005])
    [True, False, False, True]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    rejected = [False] * m
    for j, i in enumerate(order):
        if p_values[i] > alpha / (m - j):
            break
        rejected[i] = True
    return rejected


def welch_p_by_pairs(
    counts: npt.NDArray[np.intp], means: FloatArray, sum_squares: FloatArray
) -> FloatArray:
    """Welch's two-sided t-test per pair of groups: even keys (men) vs odd keys (women).

    From grouped counts, means and sums of squares, so a whole pay file's categories are
    tested in one pass (``koers.stats.paygap`` uses it per category of workers).

    ``t = (m_m − m_f) / √(s²_m/n_m + s²_f/n_f)`` with Welch–Satterthwaite degrees
    of freedom; the sample variances come from grouped sums of squares,
    ``s² = (Σx² − n·x̄²) / (n − 1)`` (log hourly pay, ~2.5-4.5, is far from 0
    relative to its spread, so the cancellation is harmless). NaN where a group
    has < 2 people or both variances are 0.

    References: Welch, B. L. (1947). Biometrika 34, 28-35.
    """
    n = counts.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.maximum(sum_squares - n * means**2, 0.0) / (n - 1)
        se2 = var / n
        se2_m, se2_f = se2[0::2], se2[1::2]
        t = (means[0::2] - means[1::2]) / np.sqrt(se2_m + se2_f)
        df = (se2_m + se2_f) ** 2 / (se2_m**2 / (n[0::2] - 1) + se2_f**2 / (n[1::2] - 1))
        p = 2 * stats.t.sf(np.abs(t), df)
    ok = (n[0::2] >= 2) & (n[1::2] >= 2) & (se2_m + se2_f > 0)
    return np.where(ok, p, np.nan)
