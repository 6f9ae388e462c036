"""Pay rise after return from leave, per category of workers (EU 2023/970 Art. 10).

The joint pay assessment shows "the share of workers with a pay rise after return from
maternity, paternity, parental or carer's leave" (Art. 10(2), as summarised in issue 17).
Koers computes it from two snapshots of the organisation's HR file and the optional columns
``leave_type`` and ``leave_return_date`` (docs/hr-data.md). Pure (numpy/pandas, no Django).

Definitions (docs/pay-transparency.md, "Pay rise after leave"):

* the **window** is the 12 months before the reference date ``R``: ``R − 12 months <
  leave_return_date ≤ R`` (the same 12 months as the file's other yearly figures,
  variable pay and training spend; a calendar reporting period would leave a returner of
  last December outside the window of a June snapshot);
* the **earlier snapshot** ``P`` is the organisation's latest snapshot on or before the
  window's start, ``R − 12 months``, so its pay precedes every counted return
  (:func:`comparison_date`); without one the figure cannot be computed;
* **returners**: staff in service on ``R`` in the category (on ``R``) whose latest leave
  of one of the four types ended in the window; **others**: every other member of the
  category in service on ``R`` (the category's general pay rise over the same snapshots);
* a worker **had a rise** when their hourly base pay, ``annual_base_salary /
  (hours_per_week × 52)``, on ``R`` is higher than on ``P``; hourly, so that working fewer
  hours after the leave is not counted as a cut. Only workers with pay on both snapshots
  (the same pseudonymised ``employee_id``, in service on ``P``) count; the others are
  reported as ``n_without_earlier_pay``.

Shares are ``n_rise / n``; ``None`` when ``n`` is 0. Women and men are given separately;
which of these a viewer may see is the caller's decision (a ``Discloser``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.paygap import WEEKS_PER_YEAR
from koers.stats.workforce import in_service

LEAVE_TYPES = ("maternity", "paternity", "parental", "carer")
WINDOW_MONTHS = 12
GROUPS = (
    "returners",
    "returners_female",
    "returners_male",
    "others",
    "others_female",
    "others_male",
)


def window_start(on: dt.date) -> dt.date:
    """``on`` minus 12 months (29 February → 28 February)."""
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


def comparison_date(dates: Iterable[dt.date], on: dt.date) -> dt.date | None:
    """The earlier snapshot to compare with: the latest of ``dates`` on or before
    :func:`window_start` of ``on``; None when there is none."""
    start = window_start(on)
    earlier = [d for d in dates if d <= start]
    return max(earlier) if earlier else None


@dataclass(frozen=True)
class RiseShare:
    """Workers of one group with pay on both snapshots, and how many had a rise."""

    n: int
    n_rise: int

    @property
    def share(self) -> float | None:
        return self.n_rise / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "n_rise": self.n_rise, "share": self.share}


@dataclass(frozen=True)
class LeaveRise:
    """The figure for one category. ``previous_date`` None: no earlier snapshot, nothing
    computed (every count 0). ``has_leave_data`` False: the current snapshot has no leave
    columns."""

    category: str
    reference_date: dt.date
    window_start: dt.date
    previous_date: dt.date | None
    has_leave_data: bool
    n_returned: int  # returned in the window, in service in the category on R
    n_without_earlier_pay: int  # of those, no pay on P (hired after P, or not in P's file)
    returners: RiseShare
    returners_female: RiseShare
    returners_male: RiseShare
    others: RiseShare
    others_female: RiseShare
    others_male: RiseShare
    returned_by_type: dict[str, int]
    # Everyone in service in the category on R (the column totals the rows are part of:
    # returners + others + those without pay on P), for planning what may be shown.
    staff: int
    staff_female: int
    staff_male: int

    @property
    def computable(self) -> bool:
        return self.has_leave_data and self.previous_date is not None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("reference_date", "window_start", "previous_date"):
            value = getattr(self, key)
            out[key] = value.isoformat() if value is not None else None
        for key in GROUPS:
            out[key] = getattr(self, key).to_dict()
        out["computable"] = self.computable
        return out


def _categories(frame: pd.DataFrame) -> pd.Series:
    default = frame["job_family"].astype(str) + " / " + frame["job_level"].astype(str)
    if "category" not in frame:
        return default
    return frame["category"].astype(object).where(frame["category"].notna(), default)


def _hourly_base(frame: pd.DataFrame) -> np.ndarray:
    base = frame["annual_base_salary"].to_numpy(dtype=np.float64)
    hours = frame["hours_per_week"].to_numpy(dtype=np.float64)
    return np.asarray(base / (hours * WEEKS_PER_YEAR), dtype=np.float64)


def _share(rows: np.ndarray, rise: np.ndarray) -> RiseShare:
    return RiseShare(int(rows.sum()), int((rows & rise).sum()))


def leave_pay_rise(
    current: pd.DataFrame,
    on: dt.date,
    previous: tuple[dt.date, pd.DataFrame] | None,
    category: str,
) -> LeaveRise:
    """The share with a pay rise among the category's returners from leave and among the
    category's other workers, between the earlier snapshot ``previous`` = ``(P, frame)``
    and ``current`` on ``on`` (module docstring for the definitions). Both frames carry
    the category each worker is in (``category``, else ``job_family / job_level``)."""
    start = window_start(on)
    has_leave = {"leave_type", "leave_return_date"} <= set(current.columns)
    empty = RiseShare(0, 0)
    staff = current[in_service(current, on)]
    staff = staff[(_categories(staff) == category).to_numpy()]
    returned = np.zeros(len(staff), dtype=bool)
    kinds = np.full(len(staff), None, dtype=object)
    if has_leave:
        back = staff["leave_return_date"].to_numpy(dtype="datetime64[s]")
        kinds = staff["leave_type"].astype(object).to_numpy()
        returned = (
            np.isin(kinds, LEAVE_TYPES)
            & (back > np.datetime64(start, "s"))
            & (back <= np.datetime64(on, "s"))
        )
    by_type = {t: int((returned & (kinds == t)).sum()) for t in LEAVE_TYPES}
    gender = staff["gender"].to_numpy()
    female, male = gender == "female", gender == "male"
    n_staff, n_female, n_male = len(staff), int(female.sum()), int(male.sum())
    if previous is None or not has_leave:
        return LeaveRise(
            category=category,
            reference_date=on,
            window_start=start,
            previous_date=previous[0] if previous else None,
            has_leave_data=has_leave,
            n_returned=int(returned.sum()),
            n_without_earlier_pay=0,
            returned_by_type=by_type,
            **dict.fromkeys(GROUPS, empty),
            staff=n_staff,
            staff_female=n_female,
            staff_male=n_male,
        )
    day, before = previous
    before = before[in_service(before, day)]
    earlier = pd.Series(_hourly_base(before), index=before["employee_id"].astype(str).to_numpy())
    earlier = earlier[~earlier.index.duplicated(keep=False) & earlier.notna().to_numpy()]
    ids = staff["employee_id"].astype(str).to_numpy()
    then = earlier.reindex(ids).to_numpy(dtype=np.float64)
    now = _hourly_base(staff)
    known = ~np.isnan(then) & ~np.isnan(now)
    rise = known & (now > then * (1 + 1e-9))
    others = ~returned & known
    back_known = returned & known
    return LeaveRise(
        category=category,
        reference_date=on,
        window_start=start,
        previous_date=day,
        has_leave_data=True,
        n_returned=int(returned.sum()),
        n_without_earlier_pay=int((returned & ~known).sum()),
        returners=_share(back_known, rise),
        returners_female=_share(back_known & female, rise),
        returners_male=_share(back_known & male, rise),
        others=_share(others, rise),
        others_female=_share(others & female, rise),
        others_male=_share(others & male, rise),
        returned_by_type=by_type,
        staff=n_staff,
        staff_female=n_female,
        staff_male=n_male,
    )
