"""The Art. 9 report: indicators (a)-(g) for the reference year, in the directive's order.

Pure (no Django): the figures are :func:`koers.stats.paygap.compute_pay_gap` of the snapshot,
with the category column set from the organisation's category scheme
(:func:`koers.paytransparency.figures.with_categories`); (a)-(f) go through the scan's own
:func:`koers.scan.report_pay.pay_section` with the viewer's :class:`Discloser`, so a figure is
shown or withheld exactly as on the Gender Scan. (a)-(f) are published (Art. 9(1), (7)); (g) is
given to workers and their representatives (Art. 9(6)): HR sees every category with n, others
only categories with at least k women and k men.

``flat_rows`` is the CSV (one row per figure); ``to_json`` the JSON download. Both keep full
precision; the PDF and the page round to one decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from koers.paytransparency.figures import with_categories
from koers.scan.report_pay import pay_section
from koers.stats.paygap import compute_pay_gap

if TYPE_CHECKING:
    from koers.stats.disclosure import Discloser

CODES = ("a", "b", "c", "d", "e", "f", "g")


def build_report(
    frame: pd.DataFrame,
    on: dt.date,
    d: Discloser,
    *,
    mapping: Mapping[str, str] | None = None,
    scheme_version: int | None = None,
) -> dict[str, Any] | None:
    """The report's figures on ``on``; None without women and men in service."""
    employees = with_categories(frame, mapping)
    result = compute_pay_gap(employees, on, adjust=False, adjust_flagged=False)
    section = pay_section(employees, on, d, result)
    if section is None:
        return None
    ind = {row["code"]: row for row in section["indicators"]}
    categories = []
    for c in sorted(result.categories, key=lambda c: c.category):
        shown = d.hr or d.enough(c.n_female, c.n_male) and min(c.n_female, c.n_male) > 0
        if not shown:
            continue
        categories.append(
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
        )
    return {
        "reference_date": on,
        "reference_year": on.year,
        "counts": section["counts"],
        "headcount": sum(result.counts.values()),
        "scheme_version": scheme_version,
        "a": ind["a"],
        "b": ind["b"],
        "c": ind["c"],
        "d": ind["d"],
        "e": section["variable_shares"],
        "f": section["quartiles"],
        "g": categories,
        "g_complete": d.hr,
        "n_categories": len(result.categories),
    }


def to_json(report: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON download: the indicators under their letters, full precision."""

    def gap(row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in ("value", "n_female", "n_male")}

    return {
        "directive": "2023/970",
        "article": "9(1)",
        "reference_date": report["reference_date"].isoformat(),
        "reference_year": report["reference_year"],
        "category_scheme_version": report["scheme_version"],
        "a_mean_gap_pct": gap(report["a"]),
        "b_variable_mean_gap_pct": gap(report["b"]),
        "c_median_gap_pct": gap(report["c"]),
        "d_variable_median_gap_pct": gap(report["d"]),
        "e_share_receiving_variable": {
            g: {"share": report["e"][g]["share"], "n": report["e"][g]["n"]}
            for g in ("female", "male")
        },
        "f_quartile_bands": [
            {k: q[k] for k in ("band", "n", "female_share", "male_share")} for q in report["f"]
        ],
        "g_categories": list(report["g"]),
        "g_complete": report["g_complete"],
    }


def flat_rows(report: Mapping[str, Any]) -> list[list[Any]]:
    """CSV rows: indicator, group, figure, value, n_female, n_male."""
    rows: list[list[Any]] = [["indicator", "group", "figure", "value", "n_female", "n_male"]]
    for code, figure in (
        ("a", "mean_gap_pct"),
        ("b", "variable_mean_gap_pct"),
        ("c", "median_gap_pct"),
        ("d", "variable_median_gap_pct"),
    ):
        row = report[code]
        rows.append([code, "all", figure, row["value"], row["n_female"], row["n_male"]])
    for g in ("female", "male"):
        e = report["e"][g]
        rows.append(["e", g, "share_receiving_variable", e["share"], "", ""])
    for q in report["f"]:
        rows.append(
            [
                "f",
                f"band {q['band']}",
                "female_share",
                q["female_share"],
                q["n_female"],
                q["n_male"],
            ]
        )
        rows.append(
            ["f", f"band {q['band']}", "male_share", q["male_share"], q["n_female"], q["n_male"]]
        )
    for c in report["g"]:
        for figure in (
            "mean_gap_pct",
            "median_gap_pct",
            "base_mean_gap_pct",
            "variable_mean_gap_pct",
        ):
            rows.append(["g", c["category"], figure, c[figure], c["n_female"], c["n_male"]])
    return rows


def flagged_categories(
    frame: pd.DataFrame, on: dt.date, d: Discloser, *, mapping: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Art. 10(1)(a): the categories whose mean gap of hourly total pay is 5 % or more either
    way, with the scan's within-category adjusted gap (age, tenure, hours, education).

    Outside HR only categories with at least k women and k men are listed.
    """
    result = compute_pay_gap(with_categories(frame, mapping), on, adjust=False)
    return [
        {
            "category": c.category,
            "n_female": c.n_female,
            "n_male": c.n_male,
            "mean_gap_pct": c.mean_gap_pct,
            "base_mean_gap_pct": c.base_mean_gap_pct,
            "variable_mean_gap_pct": c.variable_mean_gap_pct,
            "adjusted_gap_pct": c.adjusted_gap_pct,
            "indicative": c.indicative,
        }
        for c in sorted(result.categories, key=lambda c: c.category)
        if c.exceeds_threshold and (d.hr or d.enough(c.n_female, c.n_male))
    ]
