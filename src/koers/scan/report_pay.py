"""The pay part of the scan report: EU Art. 9 indicators, bands, categories, adjusted gap.

Pure (no Django); called by :func:`koers.scan.report.build_context` with its
:class:`~koers.stats.disclosure.Discloser`. HR roles get every figure with its n,
the mean pay amounts and the category report (g); others get a gap only when
both groups it compares have at least k people, and no amounts or categories.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from koers.scan import charts
from koers.stats.paygap import THRESHOLD_PCT, WEEKS_PER_YEAR, PayGapResult, compute_pay_gap
from koers.stats.workforce import in_service

if TYPE_CHECKING:
    from koers.stats.disclosure import Discloser

MAX_CHART_CATEGORIES = 15


def _means(employees: pd.DataFrame, on: dt.date) -> dict[str, dict[str, float | None]]:
    """Mean hourly and annual total pay of women and men (HR only: these are amounts)."""
    staff = in_service(employees, on)
    base = employees["annual_base_salary"].to_numpy(dtype=np.float64)
    variable = np.nan_to_num(employees["annual_variable_pay"].to_numpy(dtype=np.float64))
    hours = employees["hours_per_week"].to_numpy(dtype=np.float64)
    gender = employees["gender"].to_numpy()
    out: dict[str, dict[str, float | None]] = {}
    for g in ("female", "male"):
        rows = staff & (gender == g)
        annual = base[rows] + variable[rows]
        hourly = annual / (hours[rows] * WEEKS_PER_YEAR)
        out[g] = {
            "hourly": float(np.mean(hourly)) if rows.any() else None,
            "annual": float(np.mean(annual)) if rows.any() else None,
        }
    return out


def _indicators(result: PayGapResult, d: Discloser) -> list[dict[str, Any]]:
    n_f, n_m = result.counts["female"], result.counts["male"]
    r_f, r_m = result.variable.n_receiving_female, result.variable.n_receiving_male
    whole = d.enough(n_f, n_m)
    receivers = d.enough(r_f, r_m)
    rows = [
        ("a", "mean", result.mean_gap_pct, n_f, n_m, whole),
        ("b", "variable_mean", result.variable.mean_gap_pct, r_f, r_m, receivers),
        ("c", "median", result.median_gap_pct, n_f, n_m, whole),
        ("d", "variable_median", result.variable.median_gap_pct, r_f, r_m, receivers),
    ]
    return [
        {
            "code": code,
            "key": key,
            "value": value if shown else None,
            "n_female": n_female if shown else None,
            "n_male": n_male if shown else None,
            "hidden": not shown,
        }
        for code, key, value, n_female, n_male, shown in rows
    ]


def _variable_shares(result: PayGapResult, d: Discloser) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g, n, received, share in (
        (
            "female",
            result.counts["female"],
            result.variable.n_receiving_female,
            result.variable.share_receiving_female,
        ),
        (
            "male",
            result.counts["male"],
            result.variable.n_receiving_male,
            result.variable.share_receiving_male,
        ),
    ):
        split = d.counts({"yes": received, "no": n - received})
        shown = None not in split.values()
        out[g] = {
            "share": share if shown else None,
            "n_receiving": split["yes"],
            "n": n if d.enough(n) else None,
        }
    return out


def _quartiles(result: PayGapResult, d: Discloser) -> list[dict[str, Any]]:
    table = pd.DataFrame(
        [[q.n_female, q.n_male] for q in result.quartiles], columns=["n_female", "n_male"]
    )
    mask = d.table(table)
    rows = []
    for i, q in enumerate(result.quartiles):
        hidden = bool(mask[i].any())
        rows.append(
            {
                "band": q.band,
                "n": q.n,
                "n_female": None if mask[i, 0] else q.n_female,
                "n_male": None if mask[i, 1] else q.n_male,
                "female_share": None if hidden else q.female_share,
                "male_share": None if hidden else q.male_share,
                "hidden": hidden,
            }
        )
    return rows


def _adjusted(result: PayGapResult, d: Discloser) -> dict[str, Any] | None:
    adjusted = result.adjusted
    if adjusted is None or not d.enough(adjusted.n_female, adjusted.n_male):
        return None
    out: dict[str, Any] = {
        "gap_pct": adjusted.gap_pct,
        "ci_low_pct": adjusted.ci_low_pct,
        "ci_high_pct": adjusted.ci_high_pct,
        "n": adjusted.n,
        "n_female": adjusted.n_female,
        "n_male": adjusted.n_male,
        "r_squared": adjusted.r_squared,
        "controls": list(adjusted.controls),
        "oaxaca": None,
    }
    oaxaca = result.oaxaca
    if oaxaca is not None and oaxaca.total:
        out["oaxaca"] = {
            "total": oaxaca.total,
            "explained": oaxaca.explained,
            "unexplained": oaxaca.unexplained,
            "explained_share": oaxaca.explained / oaxaca.total,
            "unexplained_share": oaxaca.unexplained / oaxaca.total,
            "explained_by": [
                {"control": name, "value": value, "share": value / oaxaca.total}
                for name, value in oaxaca.explained_by.items()
            ],
        }
    return out


def _categories(result: PayGapResult, d: Discloser) -> dict[str, Any]:
    rows = sorted(
        result.categories,
        key=lambda c: (not c.exceeds_threshold, -abs(c.mean_gap_pct or 0.0), c.category),
    )
    comparable = [c for c in rows if d.enough(c.n_female, c.n_male)]
    flagged = [c for c in comparable if c.exceeds_threshold]
    out: dict[str, Any] = {
        "n_categories": len(comparable),
        "n_flagged": len(flagged),
        "n_indicative": sum(1 for c in flagged if c.indicative),
        "threshold_pct": THRESHOLD_PCT,
        "rows": None,
        "chart": None,
    }
    if d.hr:  # the internal EU report (g): HR analyst and admin only
        out["rows"] = [
            {
                "category": c.category,
                "n_female": c.n_female,
                "n_male": c.n_male,
                "mean_gap_pct": c.mean_gap_pct,
                "median_gap_pct": c.median_gap_pct,
                "base_mean_gap_pct": c.base_mean_gap_pct,
                "variable_mean_gap_pct": c.variable_mean_gap_pct,
                "exceeds_threshold": c.exceeds_threshold,
                "indicative": c.indicative,
                "adjusted_gap_pct": c.adjusted_gap_pct,
            }
            for c in rows
        ]
        shown = [c for c in rows if c.mean_gap_pct is not None][:MAX_CHART_CATEGORIES]
        out["chart"] = charts.gap_bars(
            [charts.GapRow(c.category, c.mean_gap_pct, c.exceeds_threshold) for c in shown],
            threshold=THRESHOLD_PCT,
        )
    return out


def pay_section(
    employees: pd.DataFrame, on: dt.date, d: Discloser, result: PayGapResult | None = None
) -> dict[str, Any] | None:
    """The pay figures on ``on``; None when there are no women and men in service to compare.

    ``result`` is :func:`~koers.stats.paygap.compute_pay_gap` of the same frame and
    date when the caller already has it.
    """
    result = result if result is not None else compute_pay_gap(employees, on)
    if result.counts["female"] + result.counts["male"] == 0:
        return None
    counts = d.counts(dict(result.counts))
    whole = d.enough(result.counts["female"], result.counts["male"])
    indicators = _indicators(result, d)
    shares = _variable_shares(result, d)
    quartiles = _quartiles(result, d)
    adjusted = _adjusted(result, d)
    categories = _categories(result, d)
    metrics = {
        "mean_gap_pct": indicators[0]["value"],
        "median_gap_pct": indicators[2]["value"],
        "variable_share_female": shares["female"]["share"],
        "variable_share_male": shares["male"]["share"],
        "adjusted_gap_pct": None if adjusted is None else adjusted["gap_pct"],
        "adjusted_ci_low": None if adjusted is None else adjusted["ci_low_pct"],
        "adjusted_ci_high": None if adjusted is None else adjusted["ci_high_pct"],
        "n_categories": categories["n_categories"],
        "n_flagged_categories": categories["n_flagged"],
    }
    return {
        "result": result if d.hr else None,
        "counts": counts,
        "indicators": indicators,
        "variable_shares": shares,
        "base_mean_gap_pct": result.base_mean_gap_pct if whole else None,
        "annual_mean_gap_pct": result.annual_mean_gap_pct if whole else None,
        "annual_median_gap_pct": result.annual_median_gap_pct if whole else None,
        "whole_shown": whole,
        "quartiles": quartiles,
        "quartiles_chart": charts.split_bars(
            [
                charts.SplitRow(str(q["band"]), q["female_share"], q["male_share"], q["n"])
                for q in quartiles
            ]
        ),
        "adjusted": adjusted,
        "means": _means(employees, on) if d.hr else None,
        "categories": categories,
        "metrics": metrics,
        "withheld": False,
    }
