"""The results page's figures under the disclosure rules: thresholds, subtraction, rounds.

Pure: koers.inclusion.results takes frames and plans, no database.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from koers.inclusion import results
from koers.inclusion.generate import generate_answers
from koers.instruments import get_instrument, scoring_key
from koers.stats.inclusion import compare_genders, compare_rounds
from koers.stats.release import PriorRelease, conditions_key, conditions_mask, key_conditions

K = 5
KEY = scoring_key(get_instrument("inclusion", 1))
COLUMNS = [i for k in KEY.values() for i in k.items]


def _frame(
    n_women: int,
    n_men: int,
    n_other: int = 0,
    *,
    seed: int = 1,
    gaps: dict[str, float] | None = None,
    departments: list[str] | None = None,
) -> pd.DataFrame:
    people = generate_answers(n_women, n_men, n_other, gaps or {}, seed)
    frame = pd.DataFrame(people).reindex(
        columns=[*COLUMNS, "gender", "department", "function_type", *results.OPEN_ITEMS]
    )
    for column in COLUMNS:
        frame[column] = frame[column].astype(float)
    frame["gender"] = frame["gender"].where(frame["gender"].notna(), None)
    if departments is not None:
        frame["department"] = departments
    return frame


def _round(frame: pd.DataFrame, label: str = "r", **kwargs: Any) -> results.Round:
    plan = results.plan_round(results.plan_population(frame), K, **kwargs)
    return results.Round(label=label, frame=frame, plan=plan)


def _scales(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["scale"]: row for row in context["latest"]["scales"]}


def test_gaps_are_shown_with_enough_women_and_men() -> None:
    context = results.build_context([_round(_frame(20, 60))], KEY, k=K)
    assert all(row["shown"] for row in _scales(context).values())
    assert context["latest"]["n_women"] == 20


def test_no_gap_or_share_of_women_is_shown_below_k_women() -> None:
    context = results.build_context([_round(_frame(4, 60))], KEY, k=K)
    latest = context["latest"]
    assert not any(row["shown"] for row in latest["scales"])
    assert latest["n_women"] is None
    assert all(row["women"] is None for row in latest["items"])
    # Men alone would give the women's figures by subtraction from everyone's: not shown.
    assert latest["n_men"] is None
    assert all(row["men"] is None for row in latest["items"])
    assert all("alpha" not in g for row in latest["reliability"] for g in row["groups"])


def test_people_without_woman_or_man_enter_no_figure() -> None:
    # Two people gave another gender or none: "everyone" minus women minus men would be
    # their answers, so "everyone" means women and men.
    frame = _frame(20, 60, 2, seed=3)
    with_others = results.build_context([_round(frame)], KEY, k=K)
    without = results.build_context([_round(results.plan_population(frame))], KEY, k=K)
    assert with_others["latest"]["n_all"] == len(frame)
    assert with_others["latest"]["items"] == without["latest"]["items"]
    assert with_others["latest"]["scales"] == without["latest"]["scales"]


def test_a_small_department_is_suppressed_and_so_is_the_next_smallest() -> None:
    departments = ["A"] * 40 + ["B"] * 25 + ["C"] * 12 + ["D"] * 3
    frame = _frame(20, 60, departments=list(np.random.default_rng(4).permutation(departments)))
    context = results.build_context([_round(frame, breakdowns=("department",))], KEY, k=K)
    cells = {c["value"]: c for c in context["latest"]["breakdowns"]["department"]}
    assert not cells["D"]["shown"]
    # D = everyone − A − B − C: one more department must be hidden.
    assert sum(not c["shown"] for c in cells.values()) >= 2


def test_a_department_with_few_women_shows_no_gap_and_no_mens_figure() -> None:
    # A has 30 people of whom 3 women: A's men = A − A's women would give them away.
    gender = ["woman"] * 3 + ["man"] * 27 + ["woman"] * 20 + ["man"] * 30
    frame = _frame(23, 57, seed=6)
    frame["gender"] = gender
    frame["department"] = ["A"] * 30 + ["B"] * 50
    rnd = _round(frame, breakdowns=("department",))
    assert not rnd.plan.allows((("department", "A"), ("gender", "woman")))
    assert not rnd.plan.allows((("department", "A"), ("gender", "man")))
    context = results.build_context([rnd], KEY, k=K)
    cell = {c["value"]: c for c in context["latest"]["breakdowns"]["department"]}["A"]
    assert not any(row["shown"] for row in cell.get("scales", []))


def test_no_shown_figure_differs_from_another_or_the_total_by_fewer_than_k_people() -> None:
    # Brute force over pairs of shown sets (and the total): nested differences and
    # complements are empty or at least k. tests/stats/test_release_plan.py checks every
    # linear combination for the planner itself.
    rng = np.random.default_rng(8)
    frame = _frame(14, 40, seed=8)
    frame["department"] = rng.choice(["A", "B", "C"], size=len(frame), p=[0.6, 0.3, 0.1])
    frame["function_type"] = rng.choice(["core", "staff"], size=len(frame), p=[0.8, 0.2])
    rnd = _round(frame)
    people = results.plan_population(frame)
    masks = [np.ones(len(people), dtype=bool)]
    for key in rnd.plan.released:
        masks.append(conditions_mask(people, key_conditions(key)))
    assert len(masks) > 3
    for a in masks:
        assert a.sum() == 0 or a.sum() >= K
        assert (~a).sum() == 0 or (~a).sum() >= K
        for b in masks:
            if not (b & ~a).any():  # b inside a: a − b is shown by subtraction
                difference = int((a & ~b).sum())
                assert difference == 0 or difference >= K


def test_a_change_is_not_shown_when_either_round_hides_the_gap() -> None:
    # Round 2 has 4 women: its gap is hidden, and so is the change, which with round 1's shown
    # gap would give round 2's hidden gap by subtraction.
    first = _round(_frame(20, 60, seed=1), "2025")
    second = _round(_frame(4, 60, seed=2), "2026")
    context = results.build_context([first, second], KEY, k=K)
    assert context["trend"]
    for row in context["trend"]:
        assert row["shown"] is False
        assert "gap_change" not in row
        assert "gap_before" not in row
    reverse = results.build_context([second, first], KEY, k=K)
    assert all(row["shown"] is False for row in reverse["trend"])


def test_a_change_between_two_shown_rounds_is_the_statistics_trend() -> None:
    one, two = _frame(30, 80, seed=10), _frame(30, 80, seed=11)
    context = results.build_context([_round(one, "a"), _round(two, "b")], KEY, k=K)
    expected = compare_rounds(
        [
            compare_genders(results.plan_population(one), KEY, label="a", details=False),
            compare_genders(results.plan_population(two), KEY, label="b", details=False),
        ]
    )
    shown = {row["scale"]: row for row in context["trend"]}
    for trend in expected:
        assert shown[trend.scale]["gap_change"] == trend.gap_change.to_dict()


def test_a_replan_after_a_deletion_shows_no_new_figure() -> None:
    frame = _frame(20, 60, seed=12)
    frame["department"] = ["A"] * 40 + ["B"] * 36 + ["C"] * 4
    people = results.plan_population(frame)
    first = results.plan_round(people, K, breakdowns=("department",))
    remaining = people.drop(people.index[:3])
    members = remaining.index.isin(people.index)
    again = results.plan_round(
        remaining,
        K,
        breakdowns=("department",),
        prior=[PriorRelease(members, first.order)],
        keep=first.order,
    )
    assert again.released <= first.released
    assert conditions_key([("department", "C")]) not in again.released


def test_open_answers_show_themes_only_from_ten_answers_and_small_counts_as_fewer() -> None:
    frame = pd.DataFrame({"open_change": ["Meer flexibiliteit graag"] * 2 + ["De cultuur"] * 7})
    (question,) = [q for q in results.open_themes(frame, K) if q["item"] == "open_change"]
    assert question["shown"] is False
    frame = pd.DataFrame(
        {"open_change": ["Meer flexibiliteit graag"] * 2 + ["De cultuur en de grappen"] * 8}
    )
    (question,) = [q for q in results.open_themes(frame, K) if q["item"] == "open_change"]
    themes = {t["theme"]: t["n"] for t in question["themes"]}
    assert question["n"] == 10
    assert themes["culture"] == 8
    assert themes["flexibility"] is None  # 2: fewer than k
    assert themes["careers"] == 0
    assert "flexibiliteit" not in str(question)


def test_open_answer_themes_are_never_broken_down() -> None:
    context = results.build_context([_round(_frame(30, 80, seed=5))], KEY, k=K)
    for question in context["latest"]["open"]:
        assert set(question) <= {"item", "shown", "n", "themes"}


@pytest.mark.parametrize("favourable", ["high", "low"])
def test_worse_for_women_follows_the_scales_direction(favourable: str) -> None:
    scale = "psych_safety" if favourable == "high" else "masculine_culture"
    shift = -1.0 if favourable == "high" else 1.0
    context = results.build_context(
        [_round(_frame(40, 120, seed=9, gaps={scale: shift}))], KEY, k=K
    )
    assert _scales(context)[scale]["worse_for_women"] is True


@pytest.mark.django_db
def test_the_cached_figures_are_those_of_the_answers_and_a_changed_round_is_computed_anew() -> None:
    from koers.inclusion.services import cached_compare

    frame = results.plan_population(_frame(20, 40, seed=5, gaps={"safety": -0.8}))
    first = cached_compare(frame, KEY, label="r", details=True)
    assert first == compare_genders(frame, KEY, label="r", details=True)
    assert cached_compare(frame, KEY, label="r", details=True) == first  # from the cache
    # One answer less (a deletion): a new key, so new figures, never the stale ones.
    fewer = frame.iloc[1:]
    assert cached_compare(fewer, KEY, label="r", details=True) == compare_genders(
        fewer, KEY, label="r", details=True
    )
    assert cached_compare(fewer, KEY, label="r", details=True) != first
