"""Geometry of the projection chart, drawn as inline SVG by the template (pure, no Django).

Like ``koers.scan.charts``: positions in a fixed ``viewBox``, the template only places the
shapes and formats the numbers. One line per scenario (the share of women in each year
from the reference year to the target year) and the target as a dashed line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from koers.scan.charts import FEMALE, GRID, MALE
from koers.targets.projection import Population, TargetPath, project

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 36


@dataclass(frozen=True)
class Line:
    key: str  # "needed", "all_women" or "status_quo"
    shares: tuple[float | None, ...]  # year 0 (the reference year) to the last year
    colour: str
    dash: str = ""


def scenario_lines(path: TargetPath) -> list[Line]:
    """The share per year at what it would take (or, when not reachable, with only women
    hired) and at the status quo."""
    population: Population = path.population
    start = population.share

    def shares(women_hired: float) -> tuple[float | None, ...]:
        return (start, *(s.share for s in project(population, women_hired, path.years)))

    lines = []
    if path.women_per_year is not None:
        lines.append(Line("needed", shares(path.women_per_year), FEMALE))
    else:
        lines.append(Line("all_women", shares(population.hires), FEMALE))
    if path.current_hire_share is not None:
        lines.append(
            Line("status_quo", shares(path.current_hire_share * population.hires), MALE, "6 4")
        )
    return lines


def projection_chart(lines: Sequence[Line], *, target: float, first_year: int) -> dict[str, Any]:
    """Polylines of ``lines`` over the years, a y axis from 0 to a round share above every
    value and the target, and the target line."""
    n_years = max(len(line.shares) for line in lines)
    values = [v for line in lines for v in line.shares if v is not None] + [target]
    n_years = max(n_years, 1)
    top = min(1.0, math.ceil(max(values) * 1.1 * 10) / 10)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (n_years - 1) if n_years > 1 else 0), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    step = 0.1 if top > 0.4 else 0.05
    n_ticks = round(top / step)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": TOP + plot_h,
        "label_y": HEIGHT - 12,
        "grid": GRID,
        "y_ticks": [
            {"y": y(i * step), "text_y": y(i * step) + 4, "value": i * step}
            for i in range(n_ticks + 1)
        ],
        "x_ticks": [{"x": x(i), "year": first_year + i} for i in range(n_years)],
        "target_y": y(target),
        "lines": [
            {
                "key": line.key,
                "colour": line.colour,
                "dash": line.dash,
                "points": " ".join(
                    f"{x(i)},{y(v)}" for i, v in enumerate(line.shares) if v is not None
                ),
                "end": line.shares[-1],
                "end_x": x(len(line.shares) - 1),
                "end_y": y(line.shares[-1]) if line.shares[-1] is not None else None,
            }
            for line in lines
        ],
        "rows": [
            {"year": first_year + i, "values": [line.shares[i] for line in lines]}
            for i in range(n_years)
        ],
    }


def trend_chart(
    lines: Sequence[Line],
    *,
    target: float,
    years: Sequence[int],
    breaks: Sequence[int | None] = (),
) -> dict[str, Any]:
    """The actual share over the snapshots' years (``lines``: "counted" as each year's
    definition was, "recounted" with today's), the target line, and per break a vertical
    marker: ``breaks[i]`` is the new definition's version where year ``i`` starts counting
    with another version than the year before (None elsewhere), drawn midway between the
    two years. A hidden year is a gap."""
    shown = [line for line in lines if any(v is not None for v in line.shares)]
    chart = projection_chart(shown or [Line("counted", (None,) * len(years), FEMALE)],
                             target=target, first_year=years[0] if years else 0)  # fmt: skip
    for tick, year in zip(chart["x_ticks"], years, strict=False):
        tick["year"] = year
    for row, year in zip(chart["rows"], years, strict=False):
        row["year"] = year
    chart["keys"] = [line["key"] for line in chart["lines"]]
    ticks = chart["x_ticks"]
    # Between the last year of the old definition and the first of the new one.
    chart["breaks"] = [
        {
            "x": round((ticks[i - 1]["x"] + ticks[i]["x"]) / 2, 1) if i > 0 else ticks[i]["x"],
            "year": ticks[i]["year"],
            "version": version,
        }
        for i, version in enumerate(breaks[: len(ticks)])
        if version is not None
    ]
    chart["top"] = TOP
    return chart
