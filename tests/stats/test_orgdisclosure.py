"""Confidentiality across organisations: each rule by a hand-worked example."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.stats.orgdisclosure import (
    Policy,
    Summary,
    check_figure,
    check_filters,
    check_lag,
    check_subset,
    dominance_share,
    latest_publishable,
    months_before,
)

EVEN = [100, 100, 100, 100, 100, 100]


def test_a_figure_of_five_balanced_organisations_is_shown() -> None:
    decision = check_figure([100, 90, 80, 110, 95])
    assert decision.allowed
    assert decision.n_organisations == 5
    assert decision.refusals == ()


def test_a_figure_of_four_organisations_is_refused_with_a_reason_in_both_languages() -> None:
    decision = check_figure([100, 100, 100, 100])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "threshold"
    assert "4 organisatie" in decision.reason("nl")
    assert "minstens 5" in decision.reason("nl")
    assert "4 organisation" in decision.reason("en")
    assert "at least 5" in decision.reason("en")


def test_organisations_contributing_nothing_do_not_count() -> None:
    assert not check_figure([100, 100, 100, 100, 0, 0]).allowed


def test_the_minimum_can_be_raised_but_not_lowered() -> None:
    assert not check_figure(EVEN, Policy(min_organisations=7)).allowed
    with pytest.raises(ValueError, match="at least 5"):
        Policy(min_organisations=4)
    with pytest.raises(ValueError, match="at most 0.25"):
        Policy(max_share=0.3)
    with pytest.raises(ValueError, match="p is at least"):
        Policy(p_percent=5)
    with pytest.raises(ValueError, match="lag is at least"):
        Policy(lag_months=1)


def test_a_figure_one_organisation_dominates_is_refused() -> None:
    # Six organisations, but one has 400 of the 900 employees (44 %): the share of women
    # over them would mostly describe that one employer.
    decision = check_figure([400, 100, 100, 100, 100, 100])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "dominance"
    assert "25 %" in decision.reason("nl")
    assert "25 %" in decision.reason("en")
    assert dominance_share([400, 100, 100, 100, 100, 100]) == pytest.approx(400 / 900)


def test_exactly_a_quarter_is_not_dominance() -> None:
    # 250 of 1000 is 25 %: allowed ("more than 25 %" is refused).
    assert check_figure([250, 250, 200, 150, 150]).allowed
    assert not check_figure([251, 250, 200, 150, 149]).allowed


def test_pay_amounts_pass_the_p_percent_rule() -> None:
    # Hundepool et al. (2012) §4.2.3, worked by hand: amounts 240, 230, 100, 100, 100, 100.
    # total − x1 − x2 = 870 − 240 − 230 = 400 ≥ 0.10 · 240 = 24: allowed.
    assert check_figure(EVEN, amounts=[240, 230, 100, 100, 100, 100]).allowed


def test_pay_amounts_two_organisations_dominate_are_refused_by_the_p_percent_rule() -> None:
    # Balanced headcount, but two organisations hold nearly all of the pay:
    # x1 = 1000, x2 = 900, rest = 4 · 10 = 40 < 0.10 · 1000 = 100: the second-largest
    # could estimate the largest one's pay bill to within 10 % from the total.
    decision = check_figure(EVEN, amounts=[1000, 900, 10, 10, 10, 10])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "p_percent"
    assert "p%-regel" in decision.reason("nl")
    assert "p % rule" in decision.reason("en")
    # Exactly at the boundary: rest = 100 = 0.10 · 1000 is allowed.
    assert check_figure(EVEN, amounts=[1000, 900, 25, 25, 25, 25]).allowed
    # A stricter p refuses it.
    assert not check_figure(EVEN, Policy(p_percent=20), amounts=[1000, 900, 25, 25, 25, 25]).allowed


def test_pay_amounts_from_fewer_than_five_organisations_are_refused() -> None:
    decision = check_figure(EVEN, amounts=[100, 100, 100, 100, 0, 0])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "threshold"


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=0, max_size=30))
def test_the_p_percent_rule_matches_its_definition(amounts: list[float]) -> None:
    positive = sorted((a for a in amounts if a > 0), reverse=True)
    decision = check_figure([1.0] * 10, Policy(), amounts=amounts)
    if len(positive) < 5:
        assert not decision.allowed
        return
    rest = sum(positive) - positive[0] - (positive[1] if len(positive) > 1 else 0)
    assert decision.allowed == (rest >= 0.10 * positive[0])


def test_a_subset_is_refused_by_subtraction_when_its_complement_is_small() -> None:
    # Eight organisations; "large employers" are six of them. The six pass, but the
    # programme total minus the six would show the remaining two.
    subset = Summary.of([100, 100, 100, 100, 100, 100])
    complement = Summary.of([30, 40])
    decision = check_subset(subset, complement, label="size=large")
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "complement"
    assert "size=large" in decision.reason("en")
    assert "totaal min deze selectie" in decision.reason("nl")
    # The same subset with an empty complement is the whole programme: allowed.
    assert check_subset(subset, Summary.of([])).allowed


def test_a_complement_dominated_by_one_organisation_refuses_the_subset() -> None:
    subset = Summary.of([100] * 5)
    complement = Summary.of([500, 10, 10, 10, 10])
    decision = check_subset(subset, complement)
    assert not decision.allowed
    assert [r.code for r in decision.refusals] == ["complement", "dominance"]


ORGS = {
    f"o{i}": {"size": "large" if i < 6 else "small", "sector": "ict" if i % 2 else "bouw"}
    for i in range(12)
}
HEADS = {f"o{i}": 100 for i in range(12)}


def test_a_filter_with_a_passing_subset_and_complement_is_allowed() -> None:
    assert check_filters(ORGS, HEADS, [("size", "large")]).allowed
    assert check_filters(ORGS, HEADS, [("sector", "ict")]).allowed


def test_a_combination_of_two_filters_is_checked_with_its_differences() -> None:
    # large & ict = {o1, o3, o5}: three organisations, refused.
    decision = check_filters(ORGS, HEADS, [("size", "large"), ("sector", "ict")])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "threshold"


def test_two_filters_whose_difference_is_small_are_refused() -> None:
    orgs = {f"o{i}": {"a": "y", "b": "y" if i < 7 else "n"} for i in range(10)}
    orgs.update({f"p{i}": {"a": "n", "b": "n"} for i in range(6)})
    heads = dict.fromkeys(orgs, 100)
    # a=y: 10 (complement 6), b=y: 7 (complement 9), a&b: 7 (complement 9) all pass,
    # but "a=y & not b=y" is three organisations.
    decision = check_filters(orgs, heads, [("a", "y"), ("b", "y")])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "filters"
    assert "a=y & not b=y" in decision.reason("en")


def test_more_than_two_filters_are_refused() -> None:
    decision = check_filters(ORGS, HEADS, [("size", "large"), ("sector", "ict"), ("x", 1)])
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "filters"


def test_pay_amounts_of_a_filter_are_checked_too() -> None:
    amounts = {o: 1000.0 for o in ORGS}
    amounts["o0"] = 100000.0  # holds nearly all the pay of the large employers
    decision = check_filters(ORGS, HEADS, [("size", "large")], amounts=amounts)
    assert not decision.allowed
    assert decision.refusal is not None
    assert decision.refusal.code == "p_percent"


def test_figures_wait_three_months_after_their_reference_date() -> None:
    today = dt.date(2026, 12, 7)
    assert latest_publishable(today) == dt.date(2026, 9, 7)
    assert check_lag(dt.date(2026, 9, 7), today).allowed
    late = check_lag(dt.date(2026, 9, 30), today)
    assert not late.allowed
    assert late.refusal is not None
    assert late.refusal.code == "lag"
    assert "30-12-2026" in late.reason("nl")
    assert "2026-12-30" in late.reason("en")
    assert not check_lag(dt.date(2026, 12, 1), today, Policy(lag_months=6)).allowed


def test_months_are_calendar_months_clamped_to_the_month_end() -> None:
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2028, 5, 31), 3) == dt.date(2028, 2, 29)
    assert months_before(dt.date(2026, 2, 15), 3) == dt.date(2025, 11, 15)
    assert months_before(dt.date(2026, 1, 31), -1) == dt.date(2026, 2, 28)


def test_negative_contributions_are_an_error() -> None:
    with pytest.raises(ValueError, match="never negative"):
        check_figure([5, -1, 3, 4, 5])
