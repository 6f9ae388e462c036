"""In-, out- and through-flow of women and men over a period.

Definitions (issue 6, the ``koers flows`` contract), for staff (supervisory
board excluded) and a period ``start``..``end``:

* headcount_start / headcount_end: in service on ``start`` / on ``end``
  (hire_date ≤ day ≤ exit_date; exit_date is the last day of employment);
* hires: start < hire_date ≤ end;
* leavers: start ≤ exit_date < end, so that end = start + hires − leavers;
* promotions: everyone with start < last_promotion_date ≤ end, or, given an
  events table, every promotion event in that window (several per person
  count); None when neither is available;
* outflow_rate = leavers / ((headcount_start + headcount_end) / 2);
  promotion_rate = promotions / headcount_start (None when a denominator is 0);
* levels: headcount per job level on ``end`` and female_share = n_female /
  everyone in that level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.workforce import (
    GENDERS,
    gender_masks,
    in_service,
    level_sort_key,
    share,
    staff_mask,
    to_days,
)


@dataclass(frozen=True)
class GenderFlows:
    """Flows of one gender over the period."""

    headcount_start: int
    headcount_end: int
    hires: int
    leavers: int
    promotions: int | None
    outflow_rate: float | None
    promotion_rate: float | None


@dataclass(frozen=True)
class LevelHeadcount:
    """Headcount of one job level on the end date."""

    job_level: str
    n_female: int
    n_male: int
    n_other: int
    female_share: float | None


@dataclass(frozen=True)
class FlowsResult:
    """Flows by gender and the pipeline per level. :meth:`to_dict` is the JSON contract."""

    start: dt.date
    end: dt.date
    by_gender: dict[str, GenderFlows]
    levels: tuple[LevelHeadcount, ...]
    female_share_of_hires: float | None
    female_share_of_promotions: float | None
    n_unmatched_events: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of the ``koers flows --json`` contract (docs/cli-paygap.md)."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by_gender": {
                g: {
                    "headcount_start": f.headcount_start,
                    "headcount_end": f.headcount_end,
                    "hires": f.hires,
                    "leavers": f.leavers,
                    "promotions": f.promotions,
                    "outflow_rate": f.outflow_rate,
                    "promotion_rate": f.promotion_rate,
                }
                for g, f in self.by_gender.items()
            },
            "levels": [
                {
                    "job_level": lv.job_level,
                    "n_female": lv.n_female,
                    "n_male": lv.n_male,
                    "n_other": lv.n_other,
                    "female_share": lv.female_share,
                }
                for lv in self.levels
            ],
        }


def compute_flows(
    employees: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    *,
    events: pd.DataFrame | None = None,
) -> FlowsResult:
    """Hires, leavers, promotions and rates by gender between ``start`` and ``end``.

    Parameters
    ----------
    employees
        Canonical employee frame: ``employee_id``, ``gender``, ``hire_date``,
        ``exit_date`` (optional), ``management_layer`` (optional),
        ``job_level``, ``last_promotion_date`` (optional).
    start, end
        The period; ``start`` must not be after ``end``.
    events
        Optional events table (``employee_id``, ``event``, ``date``). When given,
        promotions are its ``promotion`` events with start < date ≤ end, each
        joined to the employee's gender; events of unknown employees or of
        supervisory-board members are not counted (see ``n_unmatched_events``).

    Examples
    --------
    >>> import pandas as pd, datetime as dt
    >>> df = pd.DataFrame({"employee_id": ["1", "2"], "gender": ["female", "male"],
    ...     "hire_date": pd.to_datetime(["2020-01-01", "2024-03-01"]),
    ...     "exit_date": pd.to_datetime([None, "2024-06-30"]), "job_level": ["5", "6"]})
    >>> f = compute_flows(df, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    >>> f.by_gender["male"].hires, f.by_gender["male"].leavers
    (1, 1)
    """
    if start > end:
        raise ValueError(f"the period starts ({start}) after it ends ({end})")
    staff = staff_mask(employees)
    at_start = in_service(employees, start)
    at_end = in_service(employees, end)
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    hire = to_days(employees["hire_date"])
    hires = staff & (hire > lo) & (hire <= hi)
    if "exit_date" in employees:
        leave = to_days(employees["exit_date"])
        leavers = staff & (leave >= lo) & (leave < hi)
    else:
        leavers = np.zeros(len(employees), dtype=bool)
    masks = dict(zip(GENDERS, gender_masks(employees), strict=True))
    promotions, unmatched = _promotions(employees, start, end, events, staff, masks)

    by_gender: dict[str, GenderFlows] = {}
    for gender, mask in masks.items():
        n_start, n_end = int(np.sum(at_start & mask)), int(np.sum(at_end & mask))
        n_leavers = int(np.sum(leavers & mask))
        n_promoted = None if promotions is None else promotions[gender]
        by_gender[gender] = GenderFlows(
            headcount_start=n_start,
            headcount_end=n_end,
            hires=int(np.sum(hires & mask)),
            leavers=n_leavers,
            promotions=n_promoted,
            outflow_rate=share(n_leavers, (n_start + n_end) / 2),
            promotion_rate=None if n_promoted is None else share(n_promoted, n_start),
        )
    n_hires = sum(f.hires for f in by_gender.values())
    return FlowsResult(
        start=start,
        end=end,
        by_gender=by_gender,
        levels=_levels(employees, at_end, masks),
        female_share_of_hires=share(by_gender["female"].hires, n_hires),
        female_share_of_promotions=(
            None if promotions is None else share(promotions["female"], sum(promotions.values()))
        ),
        n_unmatched_events=unmatched,
    )


def _promotions(
    employees: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    events: pd.DataFrame | None,
    staff: np.ndarray,
    masks: dict[str, np.ndarray],
) -> tuple[dict[str, int] | None, int]:
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    if events is not None:
        day = to_days(events["date"])
        chosen = events.loc[
            (events["event"].to_numpy() == "promotion") & (day > lo) & (day <= hi),
            "employee_id",
        ].astype(str)
        gender = pd.Series(
            employees["gender"].to_numpy()[staff],
            index=employees["employee_id"].astype(str).to_numpy()[staff],
        )
        gender = gender[~gender.index.duplicated(keep="last")]
        matched = chosen.map(gender)
        counts = {g: int((matched == g).sum()) for g in GENDERS}
        return counts, int(matched.isna().sum())
    if "last_promotion_date" not in employees:
        return None, 0
    day = to_days(employees["last_promotion_date"])
    promoted = staff & (day > lo) & (day <= hi)
    return {g: int(np.sum(promoted & m)) for g, m in masks.items()}, 0


def _levels(
    employees: pd.DataFrame, at_end: np.ndarray, masks: dict[str, np.ndarray]
) -> tuple[LevelHeadcount, ...]:
    levels = employees["job_level"].to_numpy()[at_end]
    codes, uniques = pd.factorize(pd.Series(levels).astype(str))
    counts = {g: np.bincount(codes[m[at_end]], minlength=len(uniques)) for g, m in masks.items()}
    result = []
    for i, label in enumerate(str(u) for u in uniques):
        n = {g: int(counts[g][i]) for g in GENDERS}
        result.append(
            LevelHeadcount(
                job_level=label,
                n_female=n["female"],
                n_male=n["male"],
                n_other=n["other"],
                female_share=share(n["female"], sum(n.values())),
            )
        )
    return tuple(sorted(result, key=lambda lv: level_sort_key(lv.job_level)))
