"""The Gender Scan over time: headline figures per snapshot, the trend and a comparison.

Pure, no Django, like :mod:`koers.scan.report`: it takes reports that
:func:`koers.scan.report.build_context` already built (and disclosed) for each
snapshot, and only picks and lines up their figures. So a viewer outside HR sees
in the trend exactly what each snapshot's own dashboard shows them: a figure the
``Discloser`` (and the ledger) withheld there is ``None`` here too, and a change
is given only when both of its figures are shown. Nothing is recomputed from the
employee rows, so the trend cannot reveal what a report hides.

``tests/scan/test_trend.py`` checks the figures against a computation straight from
the generated rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from koers.scan import charts
from koers.stats.workforce import level_sort_key


@dataclass(frozen=True)
class Figure:
    """A headline figure: where it is in a report's ``metrics`` and how it is formatted.

    ``kind`` is a ``fig`` filter kind: ``share`` (0..1), ``pct`` (already in %) or
    ``count``. A change in a share or a percentage is in percentage points.
    """

    key: str
    kind: str


# The figures the report computes for every snapshot (report._metrics), in page order.
FIGURES: tuple[Figure, ...] = (
    Figure("n_staff", "count"),
    Figure("female_share", "share"),
    Figure("management_female_share", "share"),
    Figure("hires_total", "count"),
    Figure("hires_female", "count"),
    Figure("hires_female_share", "share"),
    Figure("leavers_female", "count"),
    Figure("leavers_male", "count"),
    Figure("outflow_rate_female", "share"),
    Figure("outflow_rate_male", "share"),
    Figure("promotion_rate_female", "share"),
    Figure("promotion_rate_male", "share"),
    Figure("part_time_share_female", "share"),
    Figure("mean_gap_pct", "pct"),
    Figure("median_gap_pct", "pct"),
    Figure("adjusted_gap_pct", "pct"),
)


def headline(report: Mapping[str, Any]) -> dict[str, float | None]:
    """``{figure key: value or None}`` of one report (None: withheld or not computable)."""
    metrics = report["metrics"]
    return {f.key: _number(metrics.get(f.key)) for f in FIGURES}


def level_shares(report: Mapping[str, Any]) -> dict[str, tuple[float | None, int | None]]:
    """``{job level: (women's share, n)}`` as the report's pipeline shows it."""
    return {
        str(row["key"]): (_number(row["female_share"]), row["n_total"])
        for row in report["pipeline"]
    }


def change(kind: str, old: float | None, new: float | None) -> float | None:
    """``new - old``; for shares in percentage points (× 100); None when either is hidden."""
    if old is None or new is None:
        return None
    return (new - old) * 100 if kind == "share" else new - old


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Two reports side by side: every headline figure and each level's women's share."""
    a, b = headline(old), headline(new)
    figures = [
        {
            "key": f.key,
            "kind": f.kind,
            "old": a[f.key],
            "new": b[f.key],
            "change": change(f.kind, a[f.key], b[f.key]),
        }
        for f in FIGURES
    ]
    levels_a, levels_b = level_shares(old), level_shares(new)
    levels = []
    for level in sorted(set(levels_a) | set(levels_b), key=level_sort_key):
        share_a, n_a = levels_a.get(level, (None, None))
        share_b, n_b = levels_b.get(level, (None, None))
        levels.append(
            {
                "level": level,
                "old": share_a,
                "new": share_b,
                "n_old": n_a,
                "n_new": n_b,
                "change": change("share", share_a, share_b),
            }
        )
    return {"figures": figures, "levels": levels}


def changed_figures(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The headline figures (and level shares) that differ between two versions of a date."""
    table = compare(old, new)
    rows = [r for r in table["figures"] if not _same(r["old"], r["new"])]
    rows += [
        {"key": "level", "level": r["level"], "kind": "share", **r}
        for r in table["levels"]
        if not _same(r["old"], r["new"])
    ]
    return rows


def build_trend(items: Sequence[tuple[dt.date, Mapping[str, Any]]]) -> dict[str, Any]:
    """The trend over snapshots, oldest first: ``items`` is ``[(reference_date, report)]``.

    Returns ``dates``, ``figures`` (each with ``values`` per snapshot and the ``change``
    from the first to the last snapshot where both are shown), ``levels`` (women's share
    per job level per snapshot) and ``chart`` (the women's share per snapshot as
    :func:`koers.scan.charts.share_bars`).
    """
    dates = [day for day, _ in items]
    heads = [headline(report) for _, report in items]
    figures = []
    for f in FIGURES:
        values = [h[f.key] for h in heads]
        figures.append(
            {
                "key": f.key,
                "kind": f.kind,
                "values": values,
                "change": change(f.kind, values[0], values[-1]) if values else None,
            }
        )
    shares = [level_shares(report) for _, report in items]
    all_levels = sorted({level for s in shares for level in s}, key=level_sort_key)
    levels = [
        {"level": level, "values": [s.get(level, (None, None))[0] for s in shares]}
        for level in all_levels
    ]
    chart = charts.share_bars(
        [
            charts.ShareRow(_day(day), h["female_share"], _int(h["n_staff"]))
            for day, h in zip(dates, heads, strict=True)
        ]
    )
    return {"dates": dates, "figures": figures, "levels": levels, "chart": chart}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number  # NaN: not computable


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-12


def _day(day: dt.date) -> str:
    """``30-6-2026``: as the scan's tables write a date (``j-n-Y``)."""
    return f"{day.day}-{day.month}-{day.year}"
