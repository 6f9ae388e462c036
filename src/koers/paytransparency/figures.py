"""Pay figures per category of workers, for the Art. 9 report (g) and the Art. 7 letter.

Pure (pandas, no Django). The category of each worker comes from the organisation's category
scheme (:func:`koers.paytransparency.services.category_of`): ``with_categories`` writes it into
the ``category`` column, which :func:`koers.stats.paygap.compute_pay_gap` already reads, so the
gaps per category are the Gender Scan's own computation; a job the scheme does not place keeps
the scan's default ``"{job_family} / {job_level}"``.

The letter's figures (Art. 7(1)): the worker's own pay level and the mean pay of the women and
of the men in their category, gross annual and gross hourly (Art. 3(1)(b)), with the counts.
Pay is total pay as in ``spec/paygap.md``: (base + variable) per year, and that over
``hours_per_week × 52`` per hour. A mean of a group of fewer than k people (0 < n < k) is not
given: the worker could work out a colleague's pay from it (Art. 12(3); DESIGN.md's rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.paygap import WEEKS_PER_YEAR
from koers.stats.workforce import in_service


def default_category(frame: pd.DataFrame) -> pd.Series:
    return frame["job_family"].astype(str) + " / " + frame["job_level"].astype(str)


def with_categories(frame: pd.DataFrame, mapping: Mapping[str, str] | None) -> pd.DataFrame:
    """A copy of ``frame`` whose ``category`` is the scheme's category of each job.

    Without a scheme the frame is returned as it is (the scan's own categories).
    """
    if not mapping:
        return frame
    out = frame.copy()
    mapped = out["job_family"].astype(str).map(dict(mapping))
    out["category"] = mapped.where(mapped.notna(), default_category(out))
    return out


@dataclass(frozen=True)
class GroupPay:
    n: int
    mean_annual: float | None  # None: not given (n == 0, or 0 < n < k)
    mean_hourly: float | None
    withheld: bool  # 0 < n < k: the mean would reveal a colleague's pay


@dataclass(frozen=True)
class LetterFigures:
    worker: str
    reference_date: dt.date
    category: str
    gender: str
    annual: float
    hourly: float
    women: GroupPay
    men: GroupPay
    k: int

    @property
    def withheld(self) -> bool:
        return self.women.withheld or self.men.withheld

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reference_date"] = self.reference_date.isoformat()
        out["withheld"] = self.withheld
        return out


class UnknownWorker(LookupError):
    """The worker is not among the staff in service on the snapshot's reference date."""


def _pay(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    base = frame["annual_base_salary"].to_numpy(dtype=np.float64)
    if "annual_variable_pay" in frame:
        variable = np.nan_to_num(frame["annual_variable_pay"].to_numpy(dtype=np.float64))
    else:
        variable = np.zeros(len(frame))
    annual = base + variable
    hourly = annual / (frame["hours_per_week"].to_numpy(dtype=np.float64) * WEEKS_PER_YEAR)
    return annual, hourly


def letter_figures(
    frame: pd.DataFrame, on: dt.date, worker: str, mapping: Mapping[str, str] | None, k: int
) -> LetterFigures:
    """The Art. 7 answer for ``worker`` (the snapshot's pseudonymised ``employee_id``)."""
    staff = frame[in_service(frame, on)]
    staff = with_categories(staff, mapping)
    if "category" not in staff or staff["category"].isna().all():
        staff = staff.assign(category=default_category(staff))
    else:
        staff = staff.assign(category=staff["category"].fillna(default_category(staff)))
    row = staff[staff["employee_id"].astype(str) == worker]
    if row.empty:
        raise UnknownWorker(worker)
    annual, hourly = _pay(staff)
    position = int(np.flatnonzero((staff["employee_id"].astype(str) == worker).to_numpy())[0])
    category = str(staff["category"].iloc[position])
    in_category = (staff["category"].astype(str) == category).to_numpy()
    gender = staff["gender"].to_numpy()

    def group(g: str) -> GroupPay:
        rows = in_category & (gender == g)
        n = int(rows.sum())
        withheld = 0 < n < k
        if n == 0 or withheld:
            return GroupPay(n, None, None, withheld)
        return GroupPay(n, float(annual[rows].mean()), float(hourly[rows].mean()), False)

    return LetterFigures(
        worker=worker,
        reference_date=on,
        category=category,
        gender=str(gender[position]),
        annual=float(annual[position]),
        hourly=float(hourly[position]),
        women=group("female"),
        men=group("male"),
        k=k,
    )
