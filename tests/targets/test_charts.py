"""The projection chart's geometry: every point where the share puts it."""

from __future__ import annotations

import pytest

from koers.targets.charts import BOTTOM, HEIGHT, LEFT, TOP, WIDTH, projection_chart, scenario_lines
from koers.targets.projection import Population, compute_target_path

EXAMPLE = Population(women=30, men=170, outflow_women=0.12, outflow_men=0.08, hires=25)


def test_the_lines_follow_the_yearly_shares_of_the_worked_example() -> None:
    path = compute_target_path(EXAMPLE, 0.25, 3, current_hire_share=0.15)
    lines = scenario_lines(path)
    assert [line.key for line in lines] == ["needed", "status_quo"]
    assert lines[0].shares[0] == pytest.approx(0.15)
    assert lines[0].shares[-1] == pytest.approx(0.2613535891)
    assert lines[1].shares[-1] == pytest.approx(0.1371998842)
    chart = projection_chart(lines, target=0.25, first_year=2026)
    # The axis runs to 0.3 (the largest value, 26.1 %, plus 10 %, rounded up to a tenth).
    plot_h = HEIGHT - TOP - BOTTOM
    assert chart["target_y"] == pytest.approx(TOP + plot_h * (1 - 0.25 / 0.3), abs=0.05)
    first = chart["lines"][0]["points"].split()
    assert len(first) == 4
    assert first[0] == f"{LEFT:.1f},{TOP + plot_h * (1 - 0.15 / 0.3):.1f}"
    assert first[-1].startswith(f"{WIDTH - 24:.1f},")
    assert [t["year"] for t in chart["x_ticks"]] == [2026, 2027, 2028, 2029]
    assert chart["rows"][3]["values"][0] == pytest.approx(0.2613535891)


def test_an_unreachable_target_draws_the_all_women_line() -> None:
    path = compute_target_path(EXAMPLE, 0.5, 3)
    assert [line.key for line in scenario_lines(path)] == ["all_women"]


def test_a_break_in_the_trend_is_drawn_between_the_two_years():
    from koers.targets.charts import Line, trend_chart

    chart = trend_chart(
        [Line("counted", (0.3, 0.4, 0.5), "#000")],
        target=0.5,
        years=[2024, 2025, 2026],
        breaks=[None, None, 2],
    )
    xs = [tick["x"] for tick in chart["x_ticks"]]
    assert [tick["year"] for tick in chart["x_ticks"]] == [2024, 2025, 2026]
    [mark] = chart["breaks"]
    assert (mark["year"], mark["version"]) == (2026, 2)
    assert xs[1] < mark["x"] < xs[2]
