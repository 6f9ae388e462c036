"""The programme's figures in the database, each rule of stats/orgdisclosure on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.programme import figures, measure_figures
from koers.programme.models import SharedYear

TODAY = dt.date(2026, 12, 7)


def _cell(board: dict[str, Any], key: str, year: int = 2024) -> dict[str, Any]:
    row = next(r for r in board["rows"] if r["key"] == key)
    return next(c for c in row["cells"] if c["year"] == year)


def test_the_share_of_women_is_the_ratio_of_sums_over_the_members(
    programme: Any, member: Any
) -> None:
    sizes = [(100, 20), (120, 30), (90, 40), (150, 35), (110, 22), (130, 50)]
    for n, w in sizes:
        member(n, w)
    board = figures.dashboard(programme, today=TODAY)
    cell = _cell(board, "female_share")
    assert cell["value"] == pytest.approx(sum(w for _, w in sizes) / sum(n for n, _ in sizes))
    assert cell["n"] == 6
    assert cell["reason"] == ""


def test_the_pooled_pay_gap_is_computed_from_the_pay_sums(programme: Any, member: Any) -> None:
    for n, w in [(100, 20), (120, 30), (90, 40), (150, 35), (110, 22), (130, 50)]:
        member(n, w, pay=(28.0 + w / 10, 34.0))
    rows = SharedYear.objects.all()
    women = sum(r.pay_sum_women for r in rows) / sum(r.pay_n_women for r in rows)
    men = sum(r.pay_sum_men for r in rows) / sum(r.pay_n_men for r in rows)
    board = figures.dashboard(programme, today=TODAY)
    assert _cell(board, "pay")["value"] == pytest.approx((men - women) / men * 100)


def test_a_figure_of_four_members_is_refused(programme: Any, member: Any) -> None:
    for _ in range(4):
        member()
    cell = _cell(figures.dashboard(programme, today=TODAY), "female_share")
    assert cell["value"] is None
    assert "minstens 5" in cell["reason"]


def test_a_figure_one_member_dominates_is_refused(programme: Any, member: Any) -> None:
    # Six members, one of them with 2,000 of the 2,500 employees (80 %).
    for _ in range(5):
        member(100, 30)
    member(2000, 300)
    board = figures.dashboard(programme, today=TODAY, lang="en")
    cell = _cell(board, "female_share")
    assert cell["value"] is None
    assert "more than 25 %" in cell["reason"]


def test_pay_two_members_hold_is_refused_by_the_p_percent_rule(programme: Any, member: Any) -> None:
    # Balanced headcount, but two members pay a hundred times more per hour: the second
    # could estimate the first one's pay bill from the total (window function in SQL).
    for _ in range(4):
        member(100, 30, pay=(1.0, 1.0))
    member(100, 30, pay=(100.0, 100.0))
    member(100, 30, pay=(95.0, 95.0))
    board = figures.dashboard(programme, today=TODAY, lang="en")
    assert _cell(board, "female_share")["value"] is not None
    pay = _cell(board, "pay")
    assert pay["value"] is None
    assert "p % rule" in pay["reason"]


def test_a_filter_is_refused_by_subtraction_when_its_complement_is_small(
    programme: Any, member: Any
) -> None:
    for _ in range(6):
        member(100, 30, size="large")
    for _ in range(2):
        member(100, 30, size="small")
    whole = figures.dashboard(programme, today=TODAY)
    assert _cell(whole, "female_share")["value"] is not None
    large = figures.dashboard(programme, [("grootte", "large")], today=TODAY, lang="en")
    cell = _cell(large, "female_share")
    assert cell["value"] is None
    assert "total minus this selection" in cell["reason"]


def test_a_filter_with_enough_members_on_both_sides_is_shown(programme: Any, member: Any) -> None:
    for _ in range(5):
        member(100, 30, size="large")
    for _ in range(5):
        member(100, 40, size="small")
    board = figures.dashboard(programme, [("grootte", "small")], today=TODAY)
    assert _cell(board, "female_share")["value"] == pytest.approx(0.4)


def test_figures_wait_three_months_after_the_reference_date(programme: Any, member: Any) -> None:
    for _ in range(5):
        member(years=(2024, 2026), day=(9, 30))
    board = figures.dashboard(programme, today=TODAY)
    assert board["years"] == [2024]  # 30-09-2026 is after the cut-off of 07-09-2026
    later = figures.dashboard(programme, today=dt.date(2027, 1, 1))
    assert later["years"] == [2024, 2026]


def test_measures_go_with_progress_only_when_five_members_chose_them(
    programme: Any, member: Any
) -> None:
    for _ in range(5):
        member(100, 20, years=(2023, 2024), measures=["Mentoring", "Rare"][:1], lift=5)
    for _ in range(5):
        member(100, 20, years=(2023, 2024), lift=1)
    member(100, 20, years=(2023, 2024), measures=["Rare"], lift=1)
    rows = figures.dashboard(programme, today=TODAY)["measures"]
    assert [r["measure"] for r in rows] == ["Mentoring"]
    assert rows[0]["change_with"] == pytest.approx(5.0)
    assert rows[0]["change_without"] == pytest.approx(1.0)


def test_a_measure_almost_everyone_chose_is_refused_by_its_complement(
    programme: Any, member: Any
) -> None:
    for _ in range(7):
        member(100, 20, years=(2023, 2024), measures=["Mentoring"], lift=3)
    member(100, 20, years=(2023, 2024), lift=1)
    (row,) = figures.dashboard(programme, today=TODAY)["measures"]
    assert row["change_with"] is None
    assert row["change_without"] is None


def test_the_dashboard_queries_do_not_grow_with_members(programme: Any, member: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures.dashboard(programme, today=TODAY)
        return len(captured)

    for _ in range(6):
        member(measures=["A"])
    publishing = queries()  # the first view publishes every figure
    steady = queries()  # nothing changed: no member row is loaded, nothing stored
    for _ in range(30):
        member(measures=["A"])
    assert queries() == publishing  # 30 joined: every figure changed and is published again
    assert queries() == steady
    # The release register adds to the aggregates one query when nothing changed; when
    # figures changed, one query per kind of figure for their rows, one for their history
    # and one insert.
    assert steady <= 10
    assert publishing <= 15


def test_a_count_of_organisations_that_singles_one_out_is_not_shown(
    programme: Any, member: Any
) -> None:
    # Five of six chose "A": "5 of 6" would show that one member has no plan.
    for _ in range(5):
        member(measures=["A"])
    member()
    plans = measure_figures.plans(programme, figures.policy())
    assert plans["shown"]
    assert plans["with_plan"] is None
    assert plans["measures"] == []
    for _ in range(4):
        member()
    plans = measure_figures.plans(programme, figures.policy())
    assert plans["with_plan"] == 5
    assert [m["measure"] for m in plans["measures"]] == ["A"]


def test_the_benchmark_uses_the_latest_year_past_the_lag(programme: Any, member: Any) -> None:
    for _ in range(5):
        member(years=(2025, 2026), day=(9, 30))
    mine = member(years=(2025, 2026), day=(9, 30))
    assert figures.benchmark(mine, today=TODAY)["year"] == 2025
