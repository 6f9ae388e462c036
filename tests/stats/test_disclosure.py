"""The one suppression rule of DESIGN.md, checked by example and by property."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.stats.disclosure import (
    check_filters,
    check_subset,
    suppress_breakdown,
    suppress_table,
    suppressed_cells,
)


def test_a_cell_under_k_is_suppressed_with_the_next_smallest() -> None:
    result = suppress_breakdown({"A": 3, "B": 12, "C": 7, "D": 40}, k=5)
    assert result.suppressed == {"A", "C"}
    assert result.counts == {"A": None, "B": 12, "C": None, "D": 40}
    assert result.total == 62


def test_two_small_cells_need_no_extra_suppression() -> None:
    assert suppressed_cells({"A": 3, "B": 2, "C": 9}, k=5) == {"A", "B"}


def test_empty_cells_are_shown_and_never_chosen_as_complement() -> None:
    result = suppress_breakdown({"A": 0, "B": 4, "C": 6, "D": 9}, k=5)
    assert result.counts["A"] == 0
    assert result.suppressed == {"B", "C"}


def test_cells_at_k_are_shown() -> None:
    assert suppressed_cells({"A": 5, "B": 5}, k=5) == frozenset()


def test_a_total_under_k_is_not_shown() -> None:
    assert suppress_breakdown({"A": 3, "B": 0}, k=5).total is None


def test_k_below_five_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        suppressed_cells({"A": 1}, k=3)


def test_a_larger_k_is_honoured() -> None:
    assert suppressed_cells({"A": 7, "B": 9, "C": 20}, k=10) == {"A", "B"}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), max_size=8))
def test_no_suppressed_cell_follows_from_the_total(counts: dict[str, int]) -> None:
    hidden = suppressed_cells(counts, k=5)
    shown_nonzero = [n for key, n in counts.items() if key not in hidden and n > 0]
    assert all(n >= 5 for n in shown_nonzero)
    hidden_nonzero = [key for key in hidden if counts[key] > 0]
    if len(hidden_nonzero) == 1:
        # A lone hidden cell would equal total − shown cells: only possible when it is the
        # only non-empty cell, and then the total (that cell, under k) is not shown either.
        assert not shown_nonzero
        assert suppress_breakdown(counts, k=5).total is None


def test_a_gender_table_is_suppressed_per_gender() -> None:
    table = pd.DataFrame(
        {"female": [3, 10, 8], "male": [20, 30, 25]}, index=["level 1", "level 2", "level 3"]
    )
    mask = suppress_table(table, k=5)
    assert mask["female"].tolist() == [True, False, True]
    assert mask["male"].tolist() == [False, False, False]


def test_suppression_on_both_axes_leaves_no_single_hidden_cell() -> None:
    table = pd.DataFrame({"female": [3, 10, 8], "male": [20, 30, 25]})
    mask = suppress_table(table, k=5, by="both")
    for line in [*mask.to_numpy(), *mask.to_numpy().T]:
        assert line.sum() != 1


@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=4), min_size=2, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_table_suppression_hides_every_small_cell(rows: list[list[int]]) -> None:
    table = pd.DataFrame(rows)
    mask = suppress_table(table, k=5, by="both")
    small = (table > 0) & (table < 5)
    assert not (small & ~mask).to_numpy().any()


@pytest.mark.parametrize(
    ("subset", "population", "allowed"),
    [(5, 5, True), (5, 10, True), (4, 20, False), (16, 20, False), (15, 20, True), (20, 20, True)],
)
def test_a_filter_needs_k_inside_and_outside(subset: int, population: int, allowed: bool) -> None:
    assert check_subset(subset, population, k=5).allowed is allowed


def test_a_refused_filter_explains_why() -> None:
    decision = check_subset(17, 20, k=5, label="afdeling=R&D")
    assert not decision.allowed
    assert "fewer than 5" in decision.reason


def _people() -> pd.DataFrame:
    return pd.DataFrame({"dept": ["A"] * 12 + ["B"] * 12, "gender": (["F"] * 6 + ["M"] * 6) * 2})


def test_two_filters_are_checked_alone_and_combined() -> None:
    assert check_filters(_people(), [("dept", "A"), ("gender", "F")], k=5).allowed
    people = _people()
    people.loc[0:2, "gender"] = "M"  # dept A has 3 women now
    decision = check_filters(people, [("dept", "A"), ("gender", "F")], k=5)
    assert not decision.allowed
    assert decision.failing == ("dept=A & gender=F",)


def test_three_filters_are_refused() -> None:
    decision = check_filters(_people(), [("dept", "A"), ("gender", "F"), ("dept", "B")], k=5)
    assert not decision.allowed
    assert "At most 2" in decision.reason


def test_the_difference_of_two_allowed_filters_must_not_be_small() -> None:
    people = pd.DataFrame({"dept": ["A"] * 9 + ["B"] * 20, "gender": ["F"] * 7 + ["M"] * 22})
    assert check_filters(people, [("dept", "A")], k=5).allowed
    assert check_filters(people, [("gender", "F")], k=5).allowed
    decision = check_filters(people, [("dept", "A"), ("gender", "F")], k=5)
    assert not decision.allowed
    assert decision.failing == ("dept=A & not gender=F",)


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("FM")), min_size=0, max_size=40))
def test_no_allowed_pair_of_filters_differs_by_a_small_group(rows: list[tuple[str, str]]) -> None:
    people = pd.DataFrame(rows, columns=["dept", "gender"])
    for dept in "ABC":
        for gender in "FM":
            if check_filters(people, [("dept", dept), ("gender", gender)], k=5).allowed:
                a = people["dept"] == dept
                b = people["gender"] == gender
                for part in (a & ~b, b & ~a, a & b):
                    assert part.sum() == 0 or part.sum() >= 5
