"""Headcounts, the leaky pipeline, part-time work and training spend, by gender.

All functions take the canonical employee frame (see ``spec/hr-data.md``;
``koers.hrfile`` produces it) and a reference date, and count the people in
service on that date. Supervisory-board members are not employees and are left
out everywhere except :func:`board_composition`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

GENDERS = ("female", "male", "other")
SUPERVISORY_BOARD = "supervisory_board"
PART_TIME_BELOW_HOURS = 35.0  # CBS: part-time is fewer than 35 hours a week
FULL_TIME_HOURS = 40.0

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def to_days(values: pd.Series) -> npt.NDArray[np.datetime64]:
    """Dates of any resolution as ``datetime64[D]`` (NaT kept)."""
    return np.asarray(values.to_numpy(), dtype="datetime64[D]")


def employed_on(employees: pd.DataFrame, day: dt.date) -> BoolArray:
    """In service on ``day``: hire_date ≤ day and (exit_date empty or exit_date ≥ day).

    ``exit_date`` is the last day of employment (``spec/paygap.md``). Rows without
    a hire date are not in service. Supervisory-board members are included; see
    :func:`staff_mask`.
    """
    stamp = np.datetime64(day, "D")
    hire = to_days(employees["hire_date"])
    mask: BoolArray = hire <= stamp
    if "exit_date" in employees:
        mask &= ~(to_days(employees["exit_date"]) < stamp)
    return mask


def staff_mask(employees: pd.DataFrame) -> BoolArray:
    """False for supervisory-board members, who are not employees."""
    if "management_layer" not in employees:
        return np.ones(len(employees), dtype=bool)
    return np.asarray(employees["management_layer"].to_numpy() != SUPERVISORY_BOARD, dtype=bool)


def in_service(employees: pd.DataFrame, day: dt.date) -> BoolArray:
    """Staff in service on ``day`` (the population of every staff metric)."""
    return employed_on(employees, day) & staff_mask(employees)


def gender_masks(employees: pd.DataFrame) -> tuple[BoolArray, BoolArray, BoolArray]:
    """``(female, male, other)`` boolean arrays from the canonical ``gender`` column."""
    gender = employees["gender"].to_numpy()
    female = np.asarray(gender == "female", dtype=bool)
    male = np.asarray(gender == "male", dtype=bool)
    other = np.asarray(gender == "other", dtype=bool)
    return female, male, other


def level_sort_key(level: str) -> tuple[int, float, str]:
    """Numeric levels in numeric order first ("2" < "10"), then the rest by name."""
    try:
        number = float(level)
    except (TypeError, ValueError):
        return (1, 0.0, str(level))
    if math.isnan(number):
        return (2, 0.0, str(level))
    return (0, number, str(level))


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None when ``whole`` is 0 (never 0 by convention)."""
    return part / whole if whole else None


def headcount_by(employees: pd.DataFrame, on: dt.date, by: str | None = None) -> pd.DataFrame:
    """Headcount by gender, overall or per value of ``by``.

    Returns one row per group with ``n_female``, ``n_male``, ``n_other``,
    ``n_total`` and ``female_share`` = n_female / n_total (NaN when empty).
    Groups of ``job_level`` are in level order (:func:`level_sort_key`), other
    groups by name.

    Examples
    --------
    >>> import pandas as pd, datetime as dt
    >>> df = pd.DataFrame({"gender": ["female", "male", "male"],
    ...                    "hire_date": pd.to_datetime(["2020-01-01"] * 3),
    ...                    "job_level": ["2", "10", "2"]})
    >>> headcount_by(df, dt.date(2024, 1, 1), "job_level")["female_share"].tolist()
    [0.5, 0.0]
    """
    mask = in_service(employees, on)
    frame = pd.DataFrame(
        {
            "group": employees[by].to_numpy()[mask] if by else np.full(mask.sum(), "all"),
            "gender": employees["gender"].to_numpy()[mask],
        }
    )
    table = pd.crosstab(frame["group"], frame["gender"]).reindex(
        columns=list(GENDERS), fill_value=0
    )
    table.columns = [f"n_{g}" for g in GENDERS]
    table["n_total"] = table.sum(axis=1)
    table["female_share"] = table["n_female"] / table["n_total"].replace(0, np.nan)
    keys = [str(k) for k in table.index]
    order = sorted(
        range(len(keys)),
        key=lambda i: level_sort_key(keys[i]) if by == "job_level" else (0, 0.0, keys[i]),
    )
    table = table.iloc[order]
    table.index.name = by or "group"
    return table.reset_index()


def leaky_pipeline(employees: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Share of women per job level, lowest level first (the "leaky pipeline")."""
    return headcount_by(employees, on, "job_level")


@dataclass(frozen=True)
class WorkPattern:
    """Part-time work and training spend of one gender on a date."""

    gender: str
    n: int
    n_part_time: int
    part_time_share: float | None
    mean_hours: float | None
    fte: float
    training_spend: float | None
    training_per_fte: float | None


def work_patterns(
    employees: pd.DataFrame,
    on: dt.date,
    *,
    part_time_below: float = PART_TIME_BELOW_HOURS,
    full_time_hours: float = FULL_TIME_HOURS,
) -> dict[str, WorkPattern]:
    """Part-time share, mean contract hours and training spend per FTE, by gender.

    part-time: hours_per_week < ``part_time_below`` (CBS definition, 35 h);
    FTE = hours_per_week / ``full_time_hours``; training per FTE = Σ
    training_spend / Σ FTE (None when the file has no training_spend column or
    the FTE is 0).
    """
    mask = in_service(employees, on)
    hours = employees["hours_per_week"].to_numpy(dtype=np.float64)
    spend = (
        employees["training_spend"].to_numpy(dtype=np.float64)
        if "training_spend" in employees
        else None
    )
    result: dict[str, WorkPattern] = {}
    for name, gender_mask in zip(GENDERS, gender_masks(employees), strict=True):
        rows = mask & gender_mask
        h = hours[rows]
        n = int(rows.sum())
        fte = float(np.sum(h) / full_time_hours)
        total = None if spend is None else float(np.nansum(spend[rows]))
        result[name] = WorkPattern(
            gender=name,
            n=n,
            n_part_time=int(np.sum(h < part_time_below)),
            part_time_share=share(float(np.sum(h < part_time_below)), n),
            mean_hours=float(np.mean(h)) if n else None,
            fte=fte,
            training_spend=total,
            training_per_fte=None if total is None else share(total, fte),
        )
    return result


def board_composition(employees: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Headcount by gender per management layer, supervisory board included.

    The only figure in which supervisory-board members count (the SER report's
    board figures).
    """
    mask = employed_on(employees, on)
    layers = (
        employees["management_layer"].to_numpy()[mask]
        if "management_layer" in employees
        else np.full(mask.sum(), "none")
    )
    frame = pd.DataFrame({"layer": layers, "gender": employees["gender"].to_numpy()[mask]})
    table = pd.crosstab(frame["layer"], frame["gender"]).reindex(
        index=["supervisory_board", "board", "subtop", "none"], columns=list(GENDERS), fill_value=0
    )
    table.columns = [f"n_{g}" for g in GENDERS]
    table["n_total"] = table.sum(axis=1)
    table["female_share"] = table["n_female"] / table["n_total"].replace(0, np.nan)
    table.index.name = "management_layer"
    return table.reset_index()
