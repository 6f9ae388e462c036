"""The women and men in service as numpy arrays: the input of every pay-gap computation.

:func:`pay_data` turns the canonical employee frame (``spec/hr-data.md``) into arrays in the
frame's row order (hourly total and base pay, variable and annual pay, the female mask);
:func:`category_codes` codes the categories of workers of Art. 9(1)(g) and :func:`controls`
the covariates of the adjusted gap. :func:`category_design` gives one category's arrays for a
model within it (the Art. 10 workbook). The indicators themselves are
:mod:`koers.stats.paygap`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from koers.stats.regression import Factor
from koers.stats.workforce import GENDERS, gender_masks, in_service, level_sort_key, to_days

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

WEEKS_PER_YEAR = 52
DEFAULT_CONTROLS = ("job_level", "age", "tenure", "hours", "education")
CATEGORY_CONTROLS = ("age", "tenure", "hours", "education")
EDUCATION_ORDER = ("unknown", "mbo", "hbo", "wo", "phd")


@dataclass
class PayData:
    """Arrays for the women and men in service, in the frame's row order."""

    female: BoolArray
    total: FloatArray  # hourly total pay
    base: FloatArray  # hourly base pay
    variable: FloatArray  # annual variable pay
    annual: FloatArray  # annual total pay
    rows: BoolArray  # mask over the frame
    frame: pd.DataFrame


def pay_data(employees: pd.DataFrame, on: dt.date) -> tuple[PayData, dict[str, int]]:
    population = in_service(employees, on)
    masks = gender_masks(employees)
    counts = {g: int(np.sum(population & m)) for g, m in zip(GENDERS, masks, strict=True)}
    rows = population & (masks[0] | masks[1])
    salary = employees["annual_base_salary"].to_numpy(dtype=np.float64)[rows]
    hours = employees["hours_per_week"].to_numpy(dtype=np.float64)[rows]
    if "annual_variable_pay" in employees:
        variable = employees["annual_variable_pay"].to_numpy(dtype=np.float64)[rows]
        variable = np.where(np.isnan(variable), 0.0, variable)
    else:
        variable = np.zeros(len(salary))
    bad = ~(salary > 0) | ~(hours > 0) | ~(variable >= 0)
    if bad.any():
        raise ValueError(
            f"{int(bad.sum())} people in service on {on.isoformat()} have a missing or "
            "non-positive salary or hours, or negative variable pay; validate the data "
            "first (koers.hrfile.check_for_paygap)"
        )
    annual = salary + variable
    yearly_hours = hours * WEEKS_PER_YEAR
    data = PayData(
        female=masks[0][rows],
        total=annual / yearly_hours,
        base=salary / yearly_hours,
        variable=variable,
        annual=annual,
        rows=rows,
        frame=employees,
    )
    return data, counts


def factorize(values: pd.Series, name: str) -> tuple[IntArray, list[str]]:
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        raise ValueError(
            f"{name} is missing for {int(np.sum(codes < 0))} people in service; validate the "
            "data first (koers.hrfile.check_for_paygap)"
        )
    return codes.astype(np.intp), [str(u) for u in uniques]


def category_codes(data: PayData) -> tuple[IntArray, list[str]]:
    frame, rows = data.frame, data.rows
    if "category" in frame and frame["category"].notna().any():
        values = frame["category"][rows]
        if values.isna().any():
            default = (
                frame["job_family"][rows].astype(str) + " / " + frame["job_level"][rows].astype(str)
            )
            values = values.where(values.notna(), default)
        return factorize(values, "category")
    family_codes, families = factorize(frame["job_family"][rows], "job_family")
    level_codes, levels = factorize(frame["job_level"][rows], "job_level")
    combined, combos = pd.factorize(family_codes.astype(np.int64) * len(levels) + level_codes)
    n_levels = len(levels)
    labels = [f"{families[int(c) // n_levels]} / {levels[int(c) % n_levels]}" for c in combos]
    return combined.astype(np.intp), labels


def controls_of(
    data: PayData, on: dt.date, controls: Sequence[str]
) -> tuple[list[Factor], dict[str, FloatArray]]:
    frame, rows = data.frame, data.rows
    factors: list[Factor] = []
    numerics: dict[str, FloatArray] = {}
    for name in controls:
        if name == "job_level":
            codes, labels = factorize(frame["job_level"][rows], "job_level")
            factors.append(Factor.from_codes("job_level", codes, labels, level_sort_key))
        elif name == "education":
            if "education" not in frame:
                continue
            education = frame["education"][rows]
            education = education.where(education.notna() & (education != ""), "unknown")
            codes, labels = factorize(education, "education")
            factors.append(Factor.from_codes("education", codes, labels, education_key))
        elif name == "age":
            numerics["age"] = on.year - frame["birth_year"].to_numpy(dtype=np.float64)[rows]
        elif name == "tenure":
            days = (np.datetime64(on, "D") - to_days(frame["hire_date"])[rows]).astype(np.float64)
            numerics["tenure"] = days / 365.25
        elif name == "hours":
            numerics["hours"] = frame["hours_per_week"].to_numpy(dtype=np.float64)[rows]
        else:
            raise ValueError(f"unknown control {name!r}; choose from {DEFAULT_CONTROLS}")
    for key, values in numerics.items():
        if np.isnan(values).any():
            raise ValueError(f"control {key!r} is missing for some people; validate the data first")
    return factors, numerics


def education_key(label: str) -> tuple[int, str]:
    return (
        EDUCATION_ORDER.index(label) if label in EDUCATION_ORDER else len(EDUCATION_ORDER),
        label,
    )


@dataclass(frozen=True)
class CategoryDesign:
    """The women and men in service in one category, as arrays for a model within it.

    ``hourly`` is hourly total pay and ``yearly_hours`` = hours per week × 52 (so hourly ×
    yearly hours is annual total pay); ``factors`` and ``numerics`` are the requested
    controls coded as in the adjusted gap (:data:`CATEGORY_CONTROLS` and ``job_level``).
    """

    category: str
    female: BoolArray
    hourly: FloatArray
    yearly_hours: FloatArray
    factors: tuple[Factor, ...]
    numerics: dict[str, FloatArray]


def category_design(
    employees: pd.DataFrame, on: dt.date, category: str, controls: Sequence[str]
) -> CategoryDesign | None:
    """The arrays of ``category`` (a label as in :attr:`CategoryGap.category`) on ``on``;
    None when nobody of the category is in service."""
    data, _counts = pay_data(employees, on)
    codes, labels = category_codes(data)
    if category not in labels:
        return None
    rows = codes == labels.index(category)
    factors, numerics = controls_of(data, on, controls)
    return CategoryDesign(
        category=category,
        female=data.female[rows],
        hourly=data.total[rows],
        yearly_hours=employees["hours_per_week"].to_numpy(dtype=np.float64)[data.rows][rows]
        * WEEKS_PER_YEAR,
        factors=tuple(Factor(f.name, f.codes[rows], f.labels) for f in factors),
        numerics={k: v[rows] for k, v in numerics.items()},
    )
