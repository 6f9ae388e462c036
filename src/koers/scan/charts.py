"""Geometry of the scan's charts, drawn as inline SVG by the templates (pure, no Django).

Each function turns figures into positions in a fixed coordinate system (the
SVG ``viewBox``); the templates in ``templates/scan/charts/`` only place the
shapes and format the numbers, so the dashboard and the PDF draw the same
chart. Values that are suppressed (None) get no bar but keep their row, with
``hidden`` set so the template can say why. Colours are SVG presentation
attributes (no inline CSS: the Content Security Policy forbids it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

FEMALE = "#a23b72"
MALE = "#0b5c7a"
GRID = "#c9d0da"
WIDTH = 640
ROW = 28
LABEL_WIDTH = 150
VALUE_WIDTH = 120


@dataclass(frozen=True)
class ShareRow:
    label: str
    value: float | None  # fraction 0..1
    n: int | None


def share_bars(rows: Sequence[ShareRow], *, reference: float | None = None) -> dict[str, Any]:
    """Horizontal bars of a share (0–100 %), e.g. women per job level."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = 24
    bars = []
    for i, row in enumerate(rows):
        y = top + i * ROW
        width = None if row.value is None else round(plot * max(0.0, min(1.0, row.value)), 1)
        bars.append(
            {
                "y": y,
                "text_y": y + ROW / 2 + 4,
                "label": row.label,
                "width": width,
                "value": row.value,
                "n": row.n,
                "hidden": row.value is None,
                "value_x": LABEL_WIDTH + (width or 0) + 6,
            }
        )
    height = top + len(rows) * ROW + 8
    ticks = [{"x": round(LABEL_WIDTH + plot * t / 4, 1), "value": t / 4} for t in range(5)]
    ref_x = None if reference is None else round(LABEL_WIDTH + plot * reference, 1)
    return {
        "width": WIDTH,
        "height": height,
        "x0": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": ROW - 8,
        "plot_bottom": height - 8,
        "bars": bars,
        "ticks": ticks,
        "reference_x": ref_x,
        "reference": reference,
        "female": FEMALE,
        "male": MALE,
        "grid": GRID,
    }


@dataclass(frozen=True)
class SplitRow:
    label: str
    female: float | None  # share of women 0..1 in the row
    male: float | None
    n: int | None


def split_bars(rows: Sequence[SplitRow]) -> dict[str, Any]:
    """100 % stacked bars: women (left) and men (right) per row, e.g. quartile pay bands."""
    plot = WIDTH - LABEL_WIDTH - 20
    top = 24
    bars = []
    for i, row in enumerate(rows):
        y = top + i * (ROW + 6)
        hidden = row.female is None or row.male is None
        f_width = 0.0 if hidden else round(plot * (row.female or 0.0), 1)
        m_width = 0.0 if hidden else round(plot * (row.male or 0.0), 1)
        bars.append(
            {
                "y": y,
                "text_y": y + ROW / 2 + 4,
                "label": row.label,
                "female_width": f_width,
                "male_x": LABEL_WIDTH + f_width,
                "male_width": m_width,
                "female": row.female,
                "male": row.male,
                "n": row.n,
                "hidden": hidden,
                "female_text_x": LABEL_WIDTH + 6,
                "male_text_x": LABEL_WIDTH + plot - 6,
            }
        )
    return {
        "width": WIDTH,
        "height": top + len(rows) * (ROW + 6) + 4,
        "x0": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": ROW - 4,
        "bars": bars,
        "female": FEMALE,
        "male": MALE,
    }


@dataclass(frozen=True)
class PairRow:
    label: str
    female: float | None  # a rate 0..1
    male: float | None


def paired_bars(rows: Sequence[PairRow]) -> dict[str, Any]:
    """Women's and men's rate side by side per row (outflow, promotion), common scale."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    values = [v for r in rows for v in (r.female, r.male) if v is not None]
    top_value = max(values, default=0.0)
    scale_max = max(0.05, math.ceil(top_value * 20 + 1e-9) / 20)  # next 5 % step
    top = 24
    bar = 14
    groups = []
    for i, row in enumerate(rows):
        y = top + i * (2 * bar + 18)
        items = []
        for j, (gender, value, colour) in enumerate(
            (("female", row.female, FEMALE), ("male", row.male, MALE))
        ):
            width = None if value is None else round(plot * value / scale_max, 1)
            items.append(
                {
                    "gender": gender,
                    "y": y + j * (bar + 2),
                    "text_y": y + j * (bar + 2) + bar - 3,
                    "width": width,
                    "value": value,
                    "colour": colour,
                    "value_x": LABEL_WIDTH + (width or 0) + 6,
                    "hidden": value is None,
                }
            )
        groups.append({"label": row.label, "label_y": y + bar + 4, "items": items})
    height = top + len(rows) * (2 * bar + 18)
    ticks = [
        {"x": round(LABEL_WIDTH + plot * t / 4, 1), "value": scale_max * t / 4} for t in range(5)
    ]
    return {
        "width": WIDTH,
        "height": height,
        "x0": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": bar,
        "groups": groups,
        "ticks": ticks,
        "plot_bottom": height - 4,
        "female": FEMALE,
        "male": MALE,
        "grid": GRID,
    }


@dataclass(frozen=True)
class GapRow:
    label: str
    gap_pct: float | None
    flagged: bool


def gap_bars(rows: Sequence[GapRow], *, threshold: float = 5.0) -> dict[str, Any]:
    """Diverging bars of pay gaps in percent around 0, with the ±threshold lines."""
    label_width = 230
    plot = WIDTH - label_width - 70
    values = [abs(r.gap_pct) for r in rows if r.gap_pct is not None]
    limit = max(threshold * 2, math.ceil(max(values, default=0.0) / 5) * 5)
    mid = label_width + plot / 2
    top = 24
    bars = []
    for i, row in enumerate(rows):
        y = top + i * (ROW - 4)
        if row.gap_pct is None:
            x, width = mid, 0.0
        else:
            length = plot / 2 * min(abs(row.gap_pct), limit) / limit
            x = mid if row.gap_pct >= 0 else mid - length
            width = length
        bars.append(
            {
                "y": y,
                "text_y": y + (ROW - 4) / 2 + 4,
                "label": row.label,
                "x": round(x, 1),
                "width": round(width, 1),
                "value": row.gap_pct,
                "flagged": row.flagged,
                "colour": FEMALE if row.flagged else "#6b7785",
            }
        )
    height = top + len(rows) * (ROW - 4) + 8
    offset = plot / 2 * threshold / limit
    return {
        "width": WIDTH,
        "height": height,
        "label_width": label_width,
        "label_x": label_width - 8,
        "mid": round(mid, 1),
        "bar_height": ROW - 10,
        "bars": bars,
        "threshold_left": round(mid - offset, 1),
        "threshold_right": round(mid + offset, 1),
        "value_x": label_width + plot + 8,
        "limit": limit,
        "left_x": label_width,
        "right_x": label_width + plot,
        "plot_bottom": height - 4,
        "grid": GRID,
    }
