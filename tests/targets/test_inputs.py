"""The projection's inputs from an employee frame, counted by hand on a small file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from koers.targets.inputs import Selection, inputs_from_frame, population_mask

REF = dt.date(2026, 6, 30)


def person(
    gender: str,
    hired: str,
    left: str | None = None,
    level: str = "8",
    family: str = "Engineer",
    technical: bool = True,
    layer: str = "none",
    promoted: str | None = None,
) -> dict[str, object]:
    return {
        "employee_id": f"{gender}{hired}{left}{level}{layer}{promoted}{family}",
        "gender": gender,
        "hire_date": pd.Timestamp(hired),
        "exit_date": pd.Timestamp(left) if left else pd.NaT,
        "job_level": level,
        "job_family": family,
        "is_technical": technical,
        "management_layer": layer,
        "last_promotion_date": pd.Timestamp(promoted) if promoted else pd.NaT,
    }


def frame() -> pd.DataFrame:
    """Level 12: on 30-06-2025 four women and six men; since then one woman and two men
    left, one woman and one man were hired (in the two years up to the reference date),
    and one woman was promoted into it (hired long before). A sub-top member in level 9
    (by family "Teamleider"); a board of one woman and two men; a supervisory board."""
    rows = [
        *[person("female", "2015-01-01", level="12") for _ in range(3)],
        person("female", "2015-01-01", "2026-01-31", level="12"),  # left this year
        *[person("male", "2014-01-01", level="12") for _ in range(4)],
        person("male", "2014-01-01", "2025-09-30", level="12"),
        person("male", "2014-01-01", "2026-03-31", level="12"),
        person("male", "2014-01-01", "2025-06-29", level="12"),  # left before the year
        person("female", "2025-10-01", level="12"),  # hired this year
        person("male", "2024-09-01", level="12"),  # hired last year, so in both counts
        person("female", "2010-01-01", level="12", promoted="2026-02-01"),
        person("female", "2020-01-01", level="9", family="Teamleider", technical=False),
        person("other", "2020-01-01", level="12"),
        person("female", "2019-01-01", level="14", layer="board"),
        *[person("male", "2019-01-01", level="14", layer="board") for _ in range(2)],
        person("female", "2018-01-01", layer="supervisory_board", technical=False),
    ]
    return pd.DataFrame(rows)


def test_a_job_level_counts_headcount_outflow_and_arrivals_by_hand() -> None:
    inputs = inputs_from_frame(frame(), REF, Selection("job_level", job_levels=("12",)))
    # Now: 3 + 1 hired + 1 promoted in = 5 women; 4 + 1 hired = 5 men; 1 other.
    assert (inputs.women, inputs.men, inputs.other) == (5, 5, 1)
    # On 30-06-2025: 4 women (3 + the leaver) + the one promoted in later (her row says
    # level 12 today: one file cannot tell); men 4 + 2 leavers + 1 hired in 2024 = 7.
    assert (inputs.start_women, inputs.start_men) == (5, 7)
    assert (inputs.leavers_women, inputs.leavers_men) == (1, 2)
    assert inputs.outflow_women == pytest.approx(1 / 5)
    assert inputs.outflow_men == pytest.approx(2 / 7)
    # Arrivals in two years: 1 woman hired, 1 man hired, 1 woman promoted in → 3 / 2 = 1.5,
    # rounded half up to 2; women's share of them 2 / 3.
    assert inputs.hires_per_year == 2
    assert inputs.women_share_of_hires == pytest.approx(2 / 3)
    assert inputs.share == pytest.approx(0.5)


def test_a_subtop_is_its_levels_or_its_families() -> None:
    by_level = Selection("subtop", job_levels=("12",))
    by_both = Selection("subtop", job_levels=("12",), job_families=("Teamleider",))
    assert population_mask(frame(), by_both).sum() == population_mask(frame(), by_level).sum() + 1
    staff_only = Selection("subtop", "staff", job_levels=("12",), job_families=("Teamleider",))
    assert population_mask(frame(), staff_only).sum() == 1


def test_boards_come_from_the_management_layer_and_the_supervisory_board_is_not_staff() -> None:
    board = inputs_from_frame(frame(), REF, Selection("board"))
    assert (board.women, board.men) == (1, 2)
    supervisory = inputs_from_frame(frame(), REF, Selection("supervisory_board"))
    assert (supervisory.women, supervisory.men) == (1, 0)
    inflow = inputs_from_frame(frame(), REF, Selection("inflow"))
    assert inflow.is_flow
    # Hired in the last 12 months: the woman of 2025-10-01 only.
    assert (inflow.women, inflow.men) == (1, 0)
    # Two years: she and the man of 2024-09-01 → 1 a year, women half of them.
    assert inflow.hires_per_year == 1
    assert inflow.women_share_of_hires == pytest.approx(0.5)


def test_promotions_are_counted_by_their_date() -> None:
    promotions = inputs_from_frame(frame(), REF, Selection("promotion"))
    assert (promotions.women, promotions.men, promotions.hires_per_year) == (1, 0, 1)
