"""EU pay-transparency indicators (Directive 2023/970 Art. 9 and 10) and adjusted gaps.

Definitions are those of ``spec/paygap.md``; ``docs/paygap.md`` gives every
formula with its legal reference and the choices we made. In short, over staff
in service on the reference date (supervisory board excluded), comparing women
with men ("other" is counted but left out of comparisons):

* hourly total pay = (annual_base_salary + annual_variable_pay) / (hours_per_week × 52)
* gap = (men's figure − women's figure) / men's figure × 100, None (never 0)
  when a group is missing
* quartile bands of equal headcount with ties (equal to the cent) shared in
  proportion across a boundary
* adjusted gap = (1 − exp(β_female)) × 100 from OLS of log hourly total pay,
  and a twofold Oaxaca–Blinder decomposition (:mod:`koers.stats.regression`).

Everything is computed with numpy on integer codes and one sort, so that a
million rows take well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.stats.paydata import (
    CATEGORY_CONTROLS,
    DEFAULT_CONTROLS,
    EDUCATION_ORDER,
    WEEKS_PER_YEAR,
    CategoryDesign,
    PayData,
    category_codes,
    category_design,
    controls_of,
    pay_data,
)
from koers.stats.regression import Factor, OaxacaResult, OLSFit, fit_ols, oaxaca_blinder
from koers.stats.significance import welch_p_by_pairs
from koers.stats.workforce import share

__all__ = [
    "CATEGORY_CONTROLS",
    "DEFAULT_CONTROLS",
    "EDUCATION_ORDER",
    "INDICATIVE_BELOW_N",
    "THRESHOLD_PCT",
    "WEEKS_PER_YEAR",
    "AdjustedGap",
    "CategoryDesign",
    "CategoryGap",
    "PayGapResult",
    "QuartileBand",
    "VariablePayGap",
    "category_design",
    "compute_pay_gap",
    "pay_gap_pct",
    "quartile_bands",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

THRESHOLD_PCT = 5.0  # Art. 10(1)(a)
INDICATIVE_BELOW_N = 5


@dataclass(frozen=True)
class VariablePayGap:
    """Art. 9(1)(b), (d), (e): variable pay among those who receive it (annual amounts)."""

    mean_gap_pct: float | None
    median_gap_pct: float | None
    share_receiving_female: float | None
    share_receiving_male: float | None
    n_receiving_female: int
    n_receiving_male: int


@dataclass(frozen=True)
class QuartileBand:
    """Art. 9(1)(f): one quartile pay band; band 1 is the lowest paid."""

    band: int
    n: int
    n_female: int
    n_male: int
    female_share: float | None
    male_share: float | None


@dataclass(frozen=True)
class CategoryGap:
    """Art. 9(1)(g) and Art. 10 for one category of workers.

    ``indicative`` marks a flag resting on fewer than 5 women or 5 men;
    ``adjusted_gap_pct`` is, for flagged categories only, the gap that remains
    within the category after controlling for age, tenure, hours and
    education (None when the data cannot identify it). ``p_value`` is Welch's
    two-sided t-test of women's and men's log hourly total pay in the category
    (None with fewer than 2 women or 2 men, or no spread); it tells whether a
    flagged gap could be chance, which the Art. 10 flag itself does not ask. The
    test is on the log because pay is skewed: on the amounts themselves Welch's
    test rejects too often in groups of 5 (bench/scan_findings_bench.py).
    """

    category: str
    n_female: int
    n_male: int
    mean_gap_pct: float | None
    median_gap_pct: float | None
    base_mean_gap_pct: float | None
    variable_mean_gap_pct: float | None
    exceeds_threshold: bool
    indicative: bool
    adjusted_gap_pct: float | None = None
    p_value: float | None = None


@dataclass(frozen=True)
class AdjustedGap:
    """The gap in hourly total pay that remains after the controls, in percent.

    ``gap_pct = (1 − exp(β_female)) × 100``; the interval transforms the 95 %
    t-interval of β_female.
    """

    gap_pct: float
    ci_low_pct: float
    ci_high_pct: float
    coefficient: float
    std_error: float
    n: int
    n_female: int
    n_male: int
    r_squared: float
    controls: tuple[str, ...]
    fit: OLSFit = field(repr=False)


@dataclass(frozen=True)
class PayGapResult:
    """All pay-gap figures on one reference date. :meth:`to_dict` is the JSON contract."""

    reference_date: dt.date
    counts: dict[str, int]
    mean_gap_pct: float | None
    median_gap_pct: float | None
    base_mean_gap_pct: float | None
    annual_mean_gap_pct: float | None
    annual_median_gap_pct: float | None
    variable: VariablePayGap
    quartiles: tuple[QuartileBand, ...]
    categories: tuple[CategoryGap, ...]
    adjusted: AdjustedGap | None
    oaxaca: OaxacaResult | None

    @property
    def adjusted_gap_pct(self) -> float | None:
        return None if self.adjusted is None else self.adjusted.gap_pct

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of the ``koers paygap --json`` contract (docs/cli-paygap.md)."""
        return {
            "reference_date": self.reference_date.isoformat(),
            "counts": dict(self.counts),
            "mean_gap_pct": self.mean_gap_pct,
            "median_gap_pct": self.median_gap_pct,
            "variable": {
                "mean_gap_pct": self.variable.mean_gap_pct,
                "median_gap_pct": self.variable.median_gap_pct,
                "share_receiving": {
                    "female": self.variable.share_receiving_female,
                    "male": self.variable.share_receiving_male,
                },
            },
            "quartiles": [
                {
                    "band": q.band,
                    "n": q.n,
                    "female_share": q.female_share,
                    "male_share": q.male_share,
                }
                for q in self.quartiles
            ],
            "categories": [
                {
                    "category": c.category,
                    "n_female": c.n_female,
                    "n_male": c.n_male,
                    "mean_gap_pct": c.mean_gap_pct,
                    "median_gap_pct": c.median_gap_pct,
                    "base_mean_gap_pct": c.base_mean_gap_pct,
                    "variable_mean_gap_pct": c.variable_mean_gap_pct,
                    "exceeds_threshold": c.exceeds_threshold,
                }
                for c in self.categories
            ],
            "adjusted_gap_pct": self.adjusted_gap_pct,
        }


def pay_gap_pct(men: float | None, women: float | None) -> float | None:
    """``(men − women) / men × 100``; None when either figure is missing or men's is 0."""
    if men is None or women is None or men == 0:
        return None
    return (men - women) / men * 100.0


def _median_sorted(values: FloatArray) -> float | None:
    n = len(values)
    if n == 0:
        return None
    return float((values[(n - 1) // 2] + values[n // 2]) / 2)


def _median(values: FloatArray) -> float | None:
    n = len(values)
    if n == 0:
        return None
    part = np.partition(values, sorted({(n - 1) // 2, n // 2}))
    return float((part[(n - 1) // 2] + part[n // 2]) / 2)


def _mean(values: FloatArray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def quartile_bands(hourly_pay: npt.ArrayLike, female: npt.ArrayLike) -> tuple[QuartileBand, ...]:
    """Four pay bands of (nearly) equal headcount, lowest pay first.

    With ``n = 4q + r`` every band has ``q`` people and the ``r`` extra go to band 1
    (r ≥ 1), band 3 (r ≥ 2) and band 2 (r = 3). People whose pay is equal when
    rounded to the cent (half up) are tied: where a tied group of ``g`` people, ``f``
    of them women, straddles a boundary, the first ``c`` of its places hold
    ``round_half_up(c · f / g)`` women, so that each band gets the group's
    female:male ratio as far as whole people allow.

    Parameters
    ----------
    hourly_pay : array of shape (n,), women and men only
    female : bool array of shape (n,), False for men

    Examples
    --------
    >>> bands = quartile_bands([10, 11, 12, 12, 12, 12, 13, 14], [0, 0, 1, 0, 1, 0, 1, 1])
    >>> [(b.n, b.n_female) for b in bands]
    [(2, 0), (2, 1), (2, 1), (2, 2)]
    """
    pay = np.asarray(hourly_pay, dtype=np.float64)
    is_female = np.asarray(female, dtype=bool)
    order = np.argsort(pay, kind="stable")
    return _bands_from_sorted(pay[order], is_female[order])


def _bands_from_sorted(pay: FloatArray, female: BoolArray) -> tuple[QuartileBand, ...]:
    n = len(pay)
    q, r = divmod(n, 4)
    sizes = [q + (r >= 1), q + (r == 3), q + (r >= 2), q]
    cents = np.floor(pay * 100.0 + 0.5)  # whole cents, as floats: no overflow on casts
    women_cum = np.concatenate(([0], np.cumsum(female, dtype=np.int64)))

    def women_before(position: int) -> int:
        if position <= 0 or position >= n:
            return int(women_cum[min(max(position, 0), n)])
        if cents[position - 1] != cents[position]:
            return int(women_cum[position])
        start = int(np.searchsorted(cents, cents[position], "left"))
        stop = int(np.searchsorted(cents, cents[position], "right"))
        size = stop - start
        women = int(women_cum[stop] - women_cum[start])
        taken = position - start
        # Women among the first `taken` places of the tied group, rounded half up:
        # floor(taken * women / size + 1/2) in exact integer arithmetic.
        return int(women_cum[start]) + (2 * taken * women + size) // (2 * size)

    cum = [women_before(int(b)) for b in np.cumsum([0, *sizes])]
    women = [cum[band + 1] - cum[band] for band in range(4)]
    return tuple(
        QuartileBand(band + 1, int(n), w, int(n) - w, share(w, n), share(n - w, n))
        for band, (n, w) in enumerate(zip(sizes, women, strict=True))
    )


def _adjusted(fit: OLSFit, female: BoolArray, controls: Sequence[str]) -> AdjustedGap | None:
    k = fit.index("female")
    if not fit.identifiable[k] or fit.df_resid <= 0:
        return None
    beta = float(fit.params[k])
    low, high = fit.conf_int("female")
    # −expm1(β) is 1 − exp(β) without cancellation for small β.
    return AdjustedGap(
        gap_pct=float(-np.expm1(beta) * 100.0),
        ci_low_pct=float(-np.expm1(high) * 100.0),
        ci_high_pct=float(-np.expm1(low) * 100.0),
        coefficient=beta,
        std_error=float(np.sqrt(fit.cov[k, k])),
        n=fit.n,
        n_female=int(female.sum()),
        n_male=int((~female).sum()),
        r_squared=fit.r_squared,
        controls=tuple(controls),
        fit=fit,
    )


def compute_pay_gap(
    employees: pd.DataFrame,
    on: dt.date,
    *,
    controls: Sequence[str] = DEFAULT_CONTROLS,
    threshold_pct: float = THRESHOLD_PCT,
    adjust: bool = True,
    adjust_flagged: bool = True,
) -> PayGapResult:
    """Every pay-gap figure of ``spec/paygap.md`` on the reference date ``on``.

    Parameters
    ----------
    employees
        The canonical employee frame (validated, e.g. by
        :func:`koers.hrfile.check_for_paygap`). Uses ``gender``, ``hire_date``,
        ``exit_date``, ``management_layer``, ``hours_per_week``,
        ``annual_base_salary``, ``annual_variable_pay`` (empty = 0),
        ``category`` or ``job_family`` + ``job_level``, and for the adjusted gap
        ``job_level``, ``birth_year`` and ``education``.
    on
        Reference date; the population is staff in service on it.
    controls
        Controls of the adjusted gap, from ``DEFAULT_CONTROLS``.
    threshold_pct
        Art. 10 threshold; a category is flagged when ``|mean gap| ≥`` it.
    adjust, adjust_flagged
        Whether to compute the adjusted gap and Oaxaca–Blinder decomposition,
        and the within-category adjusted gap of flagged categories.

    Returns
    -------
    PayGapResult
        Gaps in percent, shares as fractions, None where undefined.

    Raises
    ------
    ValueError
        When pay, hours or a control is missing for someone in the population.

    References
    ----------
    Directive (EU) 2023/970, Art. 3(1)(k)-(n), 9(1)(a)-(g), 10(1)(a);
    UK SI 2017/172 (Gender Pay Gap Information Regulations), regs 8-13.
    """
    data, counts = pay_data(employees, on)
    female = data.female
    order = np.argsort(data.total, kind="stable")
    total_sorted = data.total[order]
    female_sorted = female[order]

    women_total, men_total = data.total[female], data.total[~female]
    receiving = data.variable > 0
    women_var, men_var = data.variable[female & receiving], data.variable[~female & receiving]
    n_women, n_men = int(female.sum()), int((~female).sum())
    variable = VariablePayGap(
        mean_gap_pct=pay_gap_pct(_mean(men_var), _mean(women_var)),
        median_gap_pct=pay_gap_pct(_median(men_var), _median(women_var)),
        share_receiving_female=share(len(women_var), n_women),
        share_receiving_male=share(len(men_var), n_men),
        n_receiving_female=len(women_var),
        n_receiving_male=len(men_var),
    )
    codes, labels = category_codes(data)
    categories, blocks = _category_gaps(data, codes, labels, order, threshold_pct)
    adjusted: AdjustedGap | None = None
    oaxaca: OaxacaResult | None = None
    if adjust and n_women and n_men:
        factors, numerics = controls_of(data, on, controls)
        oaxaca = oaxaca_blinder(np.log(data.total), female, factors=factors, numerics=numerics)
        if oaxaca is not None:
            adjusted = _adjusted(oaxaca.pooled, female, controls)
    if adjust_flagged and any(c.exceeds_threshold for c in categories):
        categories = _adjust_flagged(data, on, categories, blocks)
    return PayGapResult(
        reference_date=on,
        counts=counts,
        mean_gap_pct=pay_gap_pct(_mean(men_total), _mean(women_total)),
        median_gap_pct=pay_gap_pct(
            _median_sorted(total_sorted[~female_sorted]),
            _median_sorted(total_sorted[female_sorted]),
        ),
        base_mean_gap_pct=pay_gap_pct(_mean(data.base[~female]), _mean(data.base[female])),
        annual_mean_gap_pct=pay_gap_pct(_mean(data.annual[~female]), _mean(data.annual[female])),
        annual_median_gap_pct=pay_gap_pct(
            _median(data.annual[~female]), _median(data.annual[female])
        ),
        variable=variable,
        quartiles=_bands_from_sorted(total_sorted, female_sorted),
        categories=categories,
        adjusted=adjusted,
        oaxaca=oaxaca,
    )


def _category_gaps(
    data: PayData,
    codes: IntArray,
    labels: list[str],
    order: IntArray,
    threshold_pct: float,
) -> tuple[tuple[CategoryGap, ...], dict[int, IntArray]]:
    """Art. 9(1)(g) per category from grouped sums and one grouped sort.

    Key ``2 × category + is_female`` groups each category's men then women; the
    rows sorted by pay (``order``) are stably re-sorted by key, so each group's
    pay is sorted and its median is read off by position.
    """
    n_keys = 2 * len(labels)
    key = codes * 2 + data.female
    counts = np.bincount(key, minlength=n_keys)
    sum_total = np.bincount(key, weights=data.total, minlength=n_keys)
    sum_base = np.bincount(key, weights=data.base, minlength=n_keys)
    log_total = np.log(data.total)
    sum_log = np.bincount(key, weights=log_total, minlength=n_keys)
    sum_log_squares = np.bincount(key, weights=log_total**2, minlength=n_keys)
    receiving = data.variable > 0
    n_recv = np.bincount(key, weights=receiving, minlength=n_keys).astype(np.float64)
    sum_var = np.bincount(key, weights=data.variable, minlength=n_keys)
    key_sorted = key[order]
    narrow = key_sorted.astype(np.uint16) if n_keys <= 65536 else key_sorted
    by_key = order[np.argsort(narrow, kind="stable")]  # radix sort for uint16 keys
    pay_by_key = data.total[by_key]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    low = starts + np.maximum(counts - 1, 0) // 2
    high = starts + counts // 2
    safe = np.minimum
    last = max(len(pay_by_key) - 1, 0)
    medians = np.where(
        counts > 0,
        (pay_by_key[safe(low, last)] + pay_by_key[safe(high, last)]) / 2 if len(pay_by_key) else 0,
        np.nan,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_total = sum_total / counts
        mean_base = sum_base / counts
        mean_var = sum_var / n_recv

    def gap(values: FloatArray, c: int, need: FloatArray) -> float | None:
        if need[2 * c] == 0 or need[2 * c + 1] == 0:
            return None
        return pay_gap_pct(float(values[2 * c]), float(values[2 * c + 1]))

    with np.errstate(invalid="ignore", divide="ignore"):
        p_values = welch_p_by_pairs(counts, sum_log / counts, sum_log_squares.astype(np.float64))
    result = []
    blocks: dict[int, IntArray] = {}
    counts_f = counts.astype(np.float64)
    for c, label in enumerate(labels):
        n_male, n_female = int(counts[2 * c]), int(counts[2 * c + 1])
        mean_gap = gap(mean_total, c, counts_f)
        exceeds = mean_gap is not None and abs(mean_gap) >= threshold_pct
        if exceeds:
            blocks[c] = by_key[starts[2 * c] : starts[2 * c] + n_male + n_female]
        result.append(
            CategoryGap(
                category=label,
                n_female=n_female,
                n_male=n_male,
                mean_gap_pct=mean_gap,
                median_gap_pct=gap(medians, c, counts_f),
                base_mean_gap_pct=gap(mean_base, c, counts_f),
                variable_mean_gap_pct=gap(mean_var, c, n_recv),
                exceeds_threshold=exceeds,
                indicative=min(n_female, n_male) < INDICATIVE_BELOW_N,
                p_value=None if np.isnan(p_values[c]) else float(p_values[c]),
            )
        )
    return tuple(result), blocks


def _adjust_flagged(
    data: PayData,
    on: dt.date,
    categories: tuple[CategoryGap, ...],
    blocks: dict[int, IntArray],
) -> tuple[CategoryGap, ...]:
    factors, numerics = controls_of(data, on, CATEGORY_CONTROLS)
    log_pay = np.log(data.total)
    updated = list(categories)
    for c, rows in blocks.items():
        fit = fit_ols(
            log_pay[rows],
            factors=[Factor(f.name, f.codes[rows], f.labels) for f in factors],
            numerics={
                "female": data.female[rows].astype(np.float64),
                **{k: v[rows] for k, v in numerics.items()},
            },
        )
        adjusted = _adjusted(fit, data.female[rows], CATEGORY_CONTROLS)
        if adjusted is not None:
            updated[c] = replace(categories[c], adjusted_gap_pct=adjusted.gap_pct)
    return tuple(updated)
