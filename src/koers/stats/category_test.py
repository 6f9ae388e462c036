"""A permutation test per category of workers: is women's and men's pay more different
than relabelling the same people at random gives? (issue 13)

Welch's t-test on log hourly pay (``CategoryGap.p_value``) assumes near-normal
means; in categories of 5-20 people with skewed pay it rejects too often, so the
Art. 10 rule reported a finding in 7.0 % of simulated organisations of 250 women
and 750 men treated identically, against the 5 % it promises. A permutation
test needs no such assumption: under identical treatment the gender labels
within a category are exchangeable, so the share of random relabellings whose
difference is at least as large as the observed one is a valid p-value at every
size (``p = (1 + #{|d*| ≥ |d|}) / (B + 1)``; Phipson & Smyth 2010).

The statistic is the difference of mean log hourly total pay, two-sided, as
Welch's. Given the category's total, it is a monotone function of the women's
sum, so each relabelling only draws which ``n_female`` of the ``n`` people are
called women. The draws are seeded, so a report gives the same p-values every
time it is built. Pure (no Django).

References: Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be
zero. Stat. Appl. Genet. Mol. Biol. 9(1), 39.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from koers.stats.paydata import category_codes, pay_data

SEED = 20_261_207
MIN_PERMUTATIONS = 999
MAX_PERMUTATIONS = 19_999


def permutations_for(n_tests: int, alpha: float = 0.05) -> int:
    """Enough relabellings that Holm's smallest threshold, ``alpha / m``, can be reached
    with room to spare (the smallest attainable p-value is ``1 / (B + 1)``)."""
    wanted = math.ceil(20 * max(n_tests, 1) / alpha) - 1
    return int(min(max(wanted, MIN_PERMUTATIONS), MAX_PERMUTATIONS))


def permutation_p(
    values: np.ndarray, female: np.ndarray, n_permutations: int, rng: np.random.Generator
) -> float | None:
    """Two-sided permutation p-value of the difference in means of ``values``.

    None when a group is empty. Relabellings are drawn in chunks to bound memory.
    """
    n, n_female = len(values), int(female.sum())
    if n_female == 0 or n_female == n:
        return None
    centred = values - values.mean()
    observed = abs(float(centred[female].sum()))
    at_least = 0
    left = n_permutations
    chunk = max(1, 2_000_000 // n)
    while left > 0:
        b = min(chunk, left)
        keys = rng.random((b, n))
        chosen = np.argpartition(keys, n_female - 1, axis=1)[:, :n_female]
        sums = np.abs(centred[chosen].sum(axis=1))
        at_least += int(np.sum(sums >= observed - 1e-12 * (1 + observed)))
        left -= b
    return (1 + at_least) / (n_permutations + 1)


def category_p_values(
    employees: pd.DataFrame, on: dt.date, categories: list[str], alpha: float = 0.05
) -> dict[str, float | None]:
    """Permutation p-values for the named categories (labels as in ``CategoryGap``)."""
    if not categories:
        return {}
    data, _counts = pay_data(employees, on)
    codes, labels = category_codes(data)
    log_pay = np.log(data.total)
    n_permutations = permutations_for(len(categories), alpha)
    result: dict[str, float | None] = {}
    for label in categories:
        c = labels.index(label)
        members = codes == c
        rng = np.random.default_rng([SEED, c])
        result[label] = permutation_p(log_pay[members], data.female[members], n_permutations, rng)
    return result
