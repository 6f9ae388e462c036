"""The counts and intervals behind the scan's rates, for the improvement rules' tests.

:func:`koers.scan.report.build_context` adds these to its metrics so that each
improvement rule (:mod:`koers.scan.improvement`) can weigh its evidence: a
rate needs its numerator and denominator for an exact test, the training gap
its interval, the Art. 10 category flags how many rest on small groups and how
many survive a test. Disclosure follows the figures they belong to: a count is
given only where the rate it supports is shown to the viewer. Pure (no Django).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.category_test import category_p_values
from koers.stats.disclosure import Discloser
from koers.stats.paygap import INDICATIVE_BELOW_N, compute_pay_gap
from koers.stats.significance import holm, ratio_gap_interval
from koers.stats.workforce import in_service

FULL_TIME_HOURS = 40.0  # koers.stats.workforce.work_patterns' default; cancels in the gap
CATEGORY_ALPHA = 0.05  # family-wise, over the categories with ≥ 5 women and ≥ 5 men

EVIDENCE_METRICS: dict[str, str] = {
    "headcount_end_female": "count",
    "headcount_end_male": "count",
    "hires_male": "count",
    "pipeline_lower_n": "count",
    "pipeline_lower_n_female": "count",
    "pipeline_upper_n": "count",
    "pipeline_upper_n_female": "count",
    "headcount_mean_part_time": "count",
    "headcount_mean_full_time": "count",
    "variable_receiving_female": "count",
    "variable_receiving_male": "count",
    "training_gap_ci_low": "pct",
    "training_gap_ci_high": "pct",
    "n_flagged_small": "count",
    "n_flagged_single": "count",
    "n_flagged_large": "count",
    "n_flagged_significant": "count",
}


def _pipeline_counts(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The people behind ``report._pipeline_metrics``' lower and upper half (same split)."""
    shown = [r for r in rows if not r["hidden"] and r["n_total"]]
    if len(shown) < 2:
        return {f"pipeline_{h}_{k}": None for h in ("lower", "upper") for k in ("n", "n_female")}
    half = len(shown) // 2
    lower, upper = shown[:half], shown[len(shown) - half :]
    return {
        "pipeline_lower_n": sum(r["n_total"] for r in lower),
        "pipeline_lower_n_female": sum(r["n_female"] for r in lower),
        "pipeline_upper_n": sum(r["n_total"] for r in upper),
        "pipeline_upper_n_female": sum(r["n_female"] for r in upper),
    }


def _training_interval(
    employees: pd.DataFrame, on: dt.date, shown: bool
) -> dict[str, float | None]:
    none: dict[str, float | None] = {"training_gap_ci_low": None, "training_gap_ci_high": None}
    if not shown or "training_spend" not in employees:
        return none
    staff = in_service(employees, on)
    gender = employees["gender"].to_numpy()
    spend = np.nan_to_num(employees["training_spend"].to_numpy(dtype=np.float64))
    fte = employees["hours_per_week"].to_numpy(dtype=np.float64) / FULL_TIME_HOURS
    women, men = staff & (gender == "female"), staff & (gender == "male")
    interval = ratio_gap_interval(spend[women], fte[women], spend[men], fte[men])
    if interval is None:
        return none
    return {"training_gap_ci_low": interval[1], "training_gap_ci_high": interval[2]}


def _categories(employees: pd.DataFrame, on: dt.date, d: Discloser) -> dict[str, float | None]:
    """How the Art. 10 flags (``report_pay._categories``, same selection) rest on their n.

    A flag resting on fewer than 5 women or 5 men is "small" (``indicative`` in
    :class:`~koers.stats.paygap.CategoryGap`), on one woman or one man "single".
    Among the categories with at least 5 of each, a permutation test per
    category (:mod:`koers.stats.category_test`; Welch's test rejected too often
    in small skewed categories) with Holm's correction over all of them says
    which flags chance would rarely give (family-wise 5 %).
    """
    result = compute_pay_gap(employees, on, adjust=False, adjust_flagged=False)
    comparable = [c for c in result.categories if d.enough(c.n_female, c.n_male)]
    flagged = [c for c in comparable if c.exceeds_threshold]
    large = [c for c in comparable if min(c.n_female, c.n_male) >= INDICATIVE_BELOW_N]
    p_values = category_p_values(employees, on, [c.category for c in large], CATEGORY_ALPHA)
    tested = [c for c in large if p_values.get(c.category) is not None]
    rejected = holm([float(p_values[c.category] or 1.0) for c in tested], CATEGORY_ALPHA)
    significant = [c for c, r in zip(tested, rejected, strict=True) if r and c.exceeds_threshold]
    return {
        "n_flagged_small": sum(1 for c in flagged if c.indicative),
        "n_flagged_single": sum(1 for c in flagged if min(c.n_female, c.n_male) == 1),
        "n_flagged_large": sum(1 for c in flagged if not c.indicative),
        "n_flagged_significant": len(significant),
    }


def evidence_metrics(
    employees: pd.DataFrame,
    on: dt.date,
    d: Discloser,
    *,
    pipeline: list[dict[str, Any]],
    flows: dict[str, Any],
    work: dict[str, Any],
    pay: dict[str, Any] | None,
) -> dict[str, float | None]:
    """Every key of :data:`EVIDENCE_METRICS`, from the report's (disclosed) sections."""
    figures = flows["figures"]
    m: dict[str, float | None] = {
        "headcount_end_female": figures["headcount_end"]["female"],
        "headcount_end_male": figures["headcount_end"]["male"],
        "hires_male": figures["hires"]["male"],
    }
    m.update(_pipeline_counts(pipeline))
    for name in ("part_time", "full_time"):
        item = work["outflow"][name]
        shown = item["outflow_rate"] is not None
        # Outside HR the mean headcount is withheld (it gives n with the hours): no test then.
        m[f"headcount_mean_{name}"] = item.get("mean_headcount") if shown else None
    for g in ("female", "male"):
        m[f"variable_receiving_{g}"] = (
            None if pay is None else pay["variable_shares"][g]["n_receiving"]
        )
    by_gender = work["by_gender"]
    shown = all(by_gender[g]["training_per_fte"] is not None for g in ("female", "male"))
    m.update(_training_interval(employees, on, shown))
    if pay is None:
        m.update({k: None for k in EVIDENCE_METRICS if k.startswith("n_flagged")})
    else:
        m.update(_categories(employees, on, d))
    return m
