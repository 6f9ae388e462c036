"""The rules of spec/paygap.md on small hand-made frames."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.stats.paygap import compute_pay_gap, pay_gap_pct, quartile_bands

ON = dt.date(2026, 6, 30)


def people(*rows: dict[str, Any]) -> pd.DataFrame:
    """A canonical frame; every person 38 h/week unless given, hired in 2020, in service."""
    defaults: dict[str, Any] = {
        "hire_date": pd.Timestamp("2020-01-01"),
        "exit_date": pd.NaT,
        "job_family": "Engineer",
        "job_level": "5",
        "management_layer": "none",
        "hours_per_week": 38.0,
        "annual_variable_pay": 0.0,
        "birth_year": 1980.0,
        "education": "hbo",
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    frame["hire_date"] = pd.to_datetime(frame["hire_date"])
    frame["exit_date"] = pd.to_datetime(frame["exit_date"])
    return frame


def hourly(amount: float, hours: float = 38.0) -> float:
    """Annual salary that gives ``amount`` per hour."""
    return amount * hours * 52


def test_gaps_are_positive_when_men_earn_more() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": hourly(20)},
        {"gender": "female", "annual_base_salary": hourly(18)},
    )
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.mean_gap_pct == pytest.approx(10.0)
    assert result.median_gap_pct == pytest.approx(10.0)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values() -> None:
    df = people(
        *({"gender": "male", "annual_base_salary": hourly(v)} for v in (10, 20, 30, 100)),
        *({"gender": "female", "annual_base_salary": hourly(v)} for v in (10, 20)),
    )
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.median_gap_pct == pytest.approx((25 - 15) / 25 * 100)


def test_gaps_are_null_not_zero_when_there_are_no_women() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 50_000, "annual_variable_pay": 1000.0},
        {"gender": "male", "annual_base_salary": 60_000},
    )
    result = compute_pay_gap(df, ON)
    data = result.to_dict()
    assert data["mean_gap_pct"] is None
    assert data["median_gap_pct"] is None
    assert data["variable"]["mean_gap_pct"] is None
    assert data["variable"]["share_receiving"] == {"female": None, "male": 0.5}
    assert data["adjusted_gap_pct"] is None
    assert data["categories"][0]["mean_gap_pct"] is None
    assert data["categories"][0]["exceeds_threshold"] is False
    assert [q["female_share"] for q in data["quartiles"]] == [0.0, None, 0.0, None]  # 1,0,1,0


def test_variable_pay_gap_needs_a_receiving_woman_and_man() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 50_000, "annual_variable_pay": 1000.0},
        {"gender": "female", "annual_base_salary": 50_000, "annual_variable_pay": 0.0},
    )
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.variable.mean_gap_pct is None
    assert result.variable.share_receiving_female == 0.0
    assert result.categories[0].variable_mean_gap_pct is None
    assert result.categories[0].mean_gap_pct is not None


def test_variable_pay_gaps_use_annual_amounts_of_receivers() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 50_000, "annual_variable_pay": 2000.0,
         "hours_per_week": 20.0},
        {"gender": "male", "annual_base_salary": 50_000},
        {"gender": "female", "annual_base_salary": 50_000, "annual_variable_pay": 1500.0},
    )  # fmt: skip
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.variable.mean_gap_pct == pytest.approx(25.0)
    assert result.variable.share_receiving_male == 0.5


@pytest.mark.parametrize(
    ("women_pay", "flag"),
    [(95.0, True), (95.0001, False), (105.0, True), (104.9999, False), (95.04, False)],
)
def test_art_10_flag_is_five_percent_either_way_on_unrounded_values(
    women_pay: float, flag: bool
) -> None:
    # 95.04 gives a gap of 4.96 %, shown as 5.0 % but not flagged.
    df = people(
        {"gender": "male", "annual_base_salary": hourly(100)},
        {"gender": "female", "annual_base_salary": hourly(women_pay)},
    )
    [category] = compute_pay_gap(df, ON, adjust=False).categories
    assert category.exceeds_threshold is flag
    assert category.indicative is True


def test_a_category_with_five_women_and_five_men_is_not_indicative() -> None:
    df = people(
        *({"gender": "male", "annual_base_salary": hourly(20 + i)} for i in range(5)),
        *({"gender": "female", "annual_base_salary": hourly(17 + i)} for i in range(5)),
    )
    [category] = compute_pay_gap(df, ON, adjust=False).categories
    assert category.exceeds_threshold
    assert not category.indicative


def test_supervisory_board_members_are_not_employees() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": hourly(20)},
        {"gender": "female", "annual_base_salary": hourly(20)},
        {"gender": "female", "annual_base_salary": hourly(500),
         "management_layer": "supervisory_board"},
        {"gender": "male", "annual_base_salary": hourly(1),
         "management_layer": "supervisory_board", "job_family": "RvC"},
    )  # fmt: skip
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.counts == {"female": 1, "male": 1, "other": 0}
    assert result.mean_gap_pct == 0.0
    assert {c.category for c in result.categories} == {"Engineer / 5"}


def test_other_gender_is_counted_but_left_out_of_comparisons_and_bands() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": hourly(20)},
        {"gender": "female", "annual_base_salary": hourly(18)},
        {"gender": "other", "annual_base_salary": hourly(1000)},
    )
    result = compute_pay_gap(df, ON, adjust=False)
    assert result.counts == {"female": 1, "male": 1, "other": 1}
    assert result.mean_gap_pct == pytest.approx(10.0)
    assert sum(q.n for q in result.quartiles) == 2
    assert result.categories[0].n_female + result.categories[0].n_male == 2


def test_in_service_includes_the_hire_day_and_the_last_day() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 1.0, "hire_date": "2026-06-30"},
        {"gender": "male", "annual_base_salary": 1.0, "exit_date": "2026-06-30"},
        {"gender": "male", "annual_base_salary": 1.0, "exit_date": "2026-06-29"},
        {"gender": "male", "annual_base_salary": 1.0, "hire_date": "2026-07-01"},
    )
    assert compute_pay_gap(df, ON, adjust=False).counts["male"] == 2


def test_a_category_column_replaces_the_default_label() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 40_000, "category": "A"},
        {"gender": "female", "annual_base_salary": 40_000, "category": "A"},
        {"gender": "female", "annual_base_salary": 40_000, "category": None,
         "job_family": "HR", "job_level": "3"},
    )  # fmt: skip
    labels = {c.category for c in compute_pay_gap(df, ON, adjust=False).categories}
    assert labels == {"A", "HR / 3"}


def test_missing_pay_in_the_population_is_an_error_not_a_silent_nan() -> None:
    df = people(
        {"gender": "male", "annual_base_salary": 40_000},
        {"gender": "female", "annual_base_salary": float("nan")},
    )
    with pytest.raises(ValueError, match="validate the data first"):
        compute_pay_gap(df, ON)


def test_adjusted_gap_is_null_when_gender_is_collinear_with_the_controls() -> None:
    df = people(
        *({"gender": "male", "annual_base_salary": 40_000 + 100 * i, "job_level": "5",
           "birth_year": 1970.0 + i} for i in range(6)),
        *({"gender": "female", "annual_base_salary": 38_000 + 100 * i, "job_level": "6",
           "birth_year": 1975.0 + i} for i in range(6)),
    )  # fmt: skip
    result = compute_pay_gap(df, ON)
    assert result.adjusted is None
    assert result.oaxaca is None
    assert result.mean_gap_pct is not None


def test_flagged_categories_get_a_within_category_adjusted_gap() -> None:
    rng = np.random.default_rng(4)
    rows = []
    for i in range(60):
        female = i % 2 == 0
        rows.append(
            {
                "gender": "female" if female else "male",
                "annual_base_salary": float(
                    hourly(30) * np.exp(-0.1 * female + rng.normal(0, 0.02))
                ),
                "birth_year": float(rng.integers(1960, 2000)),
                "hire_date": f"{rng.integers(2000, 2024)}-03-01",
                "education": ["mbo", "hbo", "wo"][i % 3],
            }
        )
    [category] = compute_pay_gap(people(*rows), ON).categories
    assert category.exceeds_threshold
    assert category.adjusted_gap_pct == pytest.approx(100 * (1 - np.exp(-0.1)), abs=1.5)


def test_pay_gap_pct_is_none_without_a_figure() -> None:
    assert pay_gap_pct(None, 10.0) is None
    assert pay_gap_pct(10.0, None) is None
    assert pay_gap_pct(0.0, 1.0) is None
    assert pay_gap_pct(10.0, 9.0) == pytest.approx(10.0)


# --- quartile bands ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "sizes"),
    [(8, [2, 2, 2, 2]), (9, [3, 2, 2, 2]), (10, [3, 2, 3, 2]), (11, [3, 3, 3, 2]),
     (57, [15, 14, 14, 14]), (1, [1, 0, 0, 0]), (3, [1, 1, 1, 0])],
)  # fmt: skip
def test_extra_people_go_to_band_1_then_3_then_2(n: int, sizes: list[int]) -> None:
    bands = quartile_bands(np.arange(n, dtype=float), np.zeros(n, dtype=bool))
    assert [b.n for b in bands] == sizes


def test_a_tied_group_across_a_boundary_is_shared_in_its_ratio() -> None:
    # 9 people: bands of 3, 2, 2, 2. Five are tied at 7.00 (3 women) over places 2-6:
    # band 1 gets 2 places -> round(2 * 3/5) = 1 woman; band 2 gets 2 -> 1; band 3 gets 1 -> 1.
    pay = [5, 7, 7, 7, 7, 7, 9, 10, 11]
    female = [0, 1, 0, 1, 0, 1, 0, 1, 0]
    bands = quartile_bands(pay, female)
    assert [(b.n, b.n_female) for b in bands] == [(3, 1), (2, 1), (2, 1), (2, 1)]
    assert bands[0].female_share == pytest.approx(1 / 3)
    assert bands[0].male_share == pytest.approx(2 / 3)


def test_tied_order_in_the_file_does_not_matter() -> None:
    pay = [5, 7, 7, 7, 7, 7, 9, 10, 11]
    female = [0, 0, 0, 1, 1, 1, 0, 1, 0]  # the tied women listed last
    bands = quartile_bands(pay, female)
    assert [(b.n, b.n_female) for b in bands] == [(3, 1), (2, 1), (2, 1), (2, 1)]


def test_pay_equal_to_the_cent_is_tied() -> None:
    # 12.004 and 11.996 are both 12.00: a tie of two over the boundary after place 1.
    bands = quartile_bands([11.996, 12.004, 20, 30], [True, False, False, False])
    assert [b.n_female for b in bands] == [1, 0, 0, 0]  # round(1 * 1/2) = 1 (half up)
    bands = quartile_bands([11.99, 12.004, 20, 30], [False, True, False, False])
    assert [b.n_female for b in bands] == [0, 1, 0, 0]


def naive_bands(pay: list[float], female: list[bool]) -> list[tuple[int, int]]:
    people = sorted(zip(pay, female, strict=True))
    n = len(people)
    q, r = divmod(n, 4)
    sizes = [q + (r >= 1), q + (r == 3), q + (r >= 2), q]
    band_of = [b for b, size in enumerate(sizes) for _ in range(size)]
    groups: dict[int, list[bool]] = {}
    for p, f in people:
        groups.setdefault(int(Fraction(p) * 100 + Fraction(1, 2)), []).append(f)
    women = [0, 0, 0, 0]
    place = 0
    for key in sorted(groups):
        g, f = len(groups[key]), sum(groups[key])
        given = 0
        for taken in range(1, g + 1):
            if int(Fraction(taken * f, g) + Fraction(1, 2)) > given:
                women[band_of[place]] += 1
                given += 1
            place += 1
    return [(int(s), w) for s, w in zip(sizes, women, strict=True)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([9.5, 10.0, 10.004, 12.25, 12.5, 15.0, 20.0]), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_quartile_bands_match_a_place_by_place_reference(people: list[tuple[float, bool]]) -> None:
    pay = [p for p, _ in people]
    female = [f for _, f in people]
    bands = quartile_bands(pay, female)
    assert [(b.n, b.n_female) for b in bands] == naive_bands(pay, female)
    assert sum(b.n_female for b in bands) == sum(female)


@pytest.mark.parametrize(
    "module",
    ["koers.stats.paygap", "koers.stats.regression", "koers.stats.flows",
     "koers.stats.workforce", "koers.hrfile.columns"],
)  # fmt: skip
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
    assert result.attempted > 0
