"""The projection's inputs from one employee frame (``spec/hr-data.md``); pure, no Django.

:func:`koers.targets.data.population_inputs` is the one place that reads the Gender Scan's
data; it hands the frame of the latest snapshot to :func:`inputs_from_frame` here.

Definitions (``spec/targets.md``), for a reference date ``R``:

* the population: board / supervisory board by ``management_layer``; a sub-top category
  by its job levels and job families (the file's ``management_layer = subtop`` when the
  definition names neither); a job level by ``job_level``; inflow and promotion over all
  staff. The split keeps core (``is_technical``) or staff functions.
* headcount: in the population and in service on ``R`` (the supervisory board, who are not
  staff, by their seat dates; everyone else as staff).
* outflow per gender: leavers of the population with ``R − 1 year ≤ exit_date < R``
  divided by its headcount on ``R − 1 year`` (0 when it had nobody of that gender then).
  One file shows each person at their current level, so promotions *out of* a level are
  not visible in it; the dated snapshots will show them.
* hires per year: the mean over the two years up to ``R`` of hires into the population
  (``hire_date`` in ``(R − 2 years, R]``) plus, for a level or the sub-top, promotions into
  it (``last_promotion_date`` in that window, people hired before it), rounded half up to
  a whole number; the women's share of those is the status quo's hire share.
* inflow / promotion targets: the women's share of the hires (promotions) in the last
  12 months, and the yearly number as above.

People of another or unknown gender are counted (``other``) and left out of the share.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.stats.workforce import SUPERVISORY_BOARD, employed_on, gender_masks, staff_mask, to_days

BoolArray = npt.NDArray[np.bool_]
STOCKS = ("board", "supervisory_board", "subtop", "job_level")
FLOWS = ("inflow", "promotion")


@dataclass(frozen=True)
class Selection:
    """Which people a target is about."""

    population: str  # one of STOCKS or FLOWS
    split: str = "all"  # all, staff, core
    job_levels: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()


@dataclass(frozen=True)
class PopulationInputs:
    """Counts and rates of one population on ``reference_date``.

    For a stock (board, sub-top, level) ``women``/``men``/``other`` are the headcount on the
    reference date; for a flow (inflow, promotion) the hires or promotions in the last
    12 months.
    """

    reference_date: dt.date
    is_flow: bool
    women: int
    men: int
    other: int
    hires_per_year: int  # stock: hires (and promotions) into it; flow: hires or promotions
    women_share_of_hires: float | None  # over the two years behind hires_per_year
    outflow_women: float | None = None  # stock only
    outflow_men: float | None = None
    start_women: int = 0  # stock: headcount a year before the reference date
    start_men: int = 0
    leavers_women: int = 0
    leavers_men: int = 0

    @property
    def share(self) -> float | None:
        total = self.women + self.men
        return None if total == 0 else self.women / total


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _text(frame: pd.DataFrame, column: str) -> npt.NDArray[np.str_]:
    if column not in frame:
        return np.full(len(frame), "", dtype=object)
    return np.asarray(frame[column].fillna("").astype(str).to_numpy(), dtype=object)


def _dates(frame: pd.DataFrame, column: str) -> npt.NDArray[np.datetime64]:
    if column not in frame:
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
    return to_days(frame[column])


def population_mask(frame: pd.DataFrame, selection: Selection) -> BoolArray:
    """Rows of ``frame`` in the population (whatever their dates)."""
    layer = _text(frame, "management_layer")
    if selection.population == "supervisory_board":
        mask = np.asarray(layer == SUPERVISORY_BOARD, dtype=bool)
    else:
        mask = staff_mask(frame).copy()
        if selection.population == "board":
            mask &= layer == "board"
        elif selection.population == "subtop":
            if selection.job_levels or selection.job_families:
                levels = np.isin(_text(frame, "job_level"), list(selection.job_levels))
                families = np.isin(_text(frame, "job_family"), list(selection.job_families))
                mask &= levels | families
            else:
                mask &= layer == "subtop"
        elif selection.population == "job_level":
            mask &= np.isin(_text(frame, "job_level"), list(selection.job_levels))
        elif selection.population not in FLOWS:
            raise ValueError(f"unknown population {selection.population!r}")
    if selection.split != "all" and "is_technical" in frame:
        technical = frame["is_technical"].fillna(False).astype(bool).to_numpy()
        mask &= technical if selection.split == "core" else ~technical
    return np.asarray(mask, dtype=bool)


def _counts(mask: BoolArray, genders: tuple[BoolArray, BoolArray, BoolArray]) -> list[int]:
    return [int(np.sum(mask & g)) for g in genders]


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def inputs_from_frame(
    frame: pd.DataFrame, reference_date: dt.date, selection: Selection
) -> PopulationInputs:
    """The counts and rates of ``selection`` on ``reference_date`` (module docstring)."""
    members = population_mask(frame, selection)
    genders = gender_masks(frame)
    ref = np.datetime64(reference_date, "D")
    year_ago = _years_back(reference_date, 1)
    two_years_ago = np.datetime64(_years_back(reference_date, 2), "D")
    hire = _dates(frame, "hire_date")
    promoted = _dates(frame, "last_promotion_date")
    hired_recently = (hire > two_years_ago) & (hire <= ref)
    if selection.population in FLOWS:
        dates = hire if selection.population == "inflow" else promoted
        last_year = members & (dates > np.datetime64(year_ago, "D")) & (dates <= ref)
        two_years = members & (dates > two_years_ago) & (dates <= ref)
        women, men, other = _counts(last_year, genders)
        w2, m2, _o2 = _counts(two_years, genders)
        return PopulationInputs(
            reference_date=reference_date,
            is_flow=True,
            women=women,
            men=men,
            other=other,
            hires_per_year=_round_half_up(int(np.sum(two_years)) / 2),
            women_share_of_hires=None if w2 + m2 == 0 else w2 / (w2 + m2),
        )
    now = members & employed_on(frame, reference_date)
    then = members & employed_on(frame, year_ago)
    exit_ = _dates(frame, "exit_date")
    left = members & (exit_ >= np.datetime64(year_ago, "D")) & (exit_ < ref)
    women, men, other = _counts(now, genders)
    start_w, start_m, _ = _counts(then, genders)
    left_w, left_m, _ = _counts(left, genders)
    arrivals = members & hired_recently
    if selection.population in ("job_level", "subtop"):
        arrivals |= members & (promoted > two_years_ago) & (promoted <= ref) & ~hired_recently
    arrived_w, arrived_m, _ = _counts(arrivals, genders)
    return PopulationInputs(
        reference_date=reference_date,
        is_flow=False,
        women=women,
        men=men,
        other=other,
        hires_per_year=_round_half_up(int(np.sum(arrivals)) / 2),
        women_share_of_hires=(
            None if arrived_w + arrived_m == 0 else arrived_w / (arrived_w + arrived_m)
        ),
        outflow_women=0.0 if start_w == 0 else left_w / start_w,
        outflow_men=0.0 if start_m == 0 else left_m / start_m,
        start_women=start_w,
        start_men=start_m,
        leavers_women=left_w,
        leavers_men=left_m,
    )


def counted_ids(
    frame: pd.DataFrame, reference_date: dt.date, selection: Selection
) -> tuple[frozenset[str], frozenset[str]]:
    """The (pseudonymised) ids of the women and the men that :func:`inputs_from_frame` counts
    for the share: a stock's headcount on ``reference_date``, a flow's hires (promotions) of
    the last 12 months. The yearly monitor compares them between snapshots, as the Gender
    Scan does, so a viewer outside HR cannot difference two years down to a person."""
    members = population_mask(frame, selection)
    ref = np.datetime64(reference_date, "D")
    if selection.population in FLOWS:
        dates = _dates(frame, "hire_date" if selection.population == "inflow" else
                       "last_promotion_date")  # fmt: skip
        year_ago = np.datetime64(_years_back(reference_date, 1), "D")
        counted = members & (dates > year_ago) & (dates <= ref)
    else:
        counted = members & employed_on(frame, reference_date)
    female, male, _other = gender_masks(frame)
    ids = _text(frame, "employee_id")
    return frozenset(ids[counted & female]), frozenset(ids[counted & male])
