"""Promotion rates of part-time and full-time staff, for the cost-of-choices calculator.

A pure context builder (frame and ``hr`` in, dict out, no Django), like
:mod:`koers.scan.report`. From a Gender Scan snapshot's canonical frame:

* population: staff (supervisory board excluded) in service on the period's ``start`` (the
  last day before the period) — :func:`koers.stats.workforce.in_service`;
* part-time: ``hours_per_week`` < 35 (CBS definition,
  :data:`koers.stats.workforce.PART_TIME_BELOW_HOURS`), else full-time. The snapshot
  holds each person's hours on its reference date, not on the day of a promotion: someone
  who went part-time after a promotion counts as a part-timer;
* promoted: ``start`` < ``last_promotion_date`` ≤ ``end``;
* rate = promoted / population of the group.

Unlike the scan's promotion rate (:mod:`koers.stats.flows`, which also counts promotions of
people hired during the period), numerator and denominator are the same people here, so
"not promoted" is a count of its own and is protected too.

Disclosure: HR roles (``scan.view_all_figures``) see every figure with its n. Viewers
outside HR see none of the table. Suppressing the 2 × 2 table with its margins
(:func:`koers.stats.disclosure.suppress_with_margins`) is not enough, because the same
viewers see the Gender Scan's promotions, headcounts and part-timers by gender over the same
people: where every part-timer is a woman, the scan's promotions of women minus the
calculator's promotions of part-timers are the promotions of full-time women (2 people in
``tests/dialogue/test_promotions_across_pages.py``), and the scan's promotions minus the
table's are those of people hired or gone during the period. Planning the table together with
every set of people the scan shows (the Compass's release plan) is exact, but on the demo
generator's organisations of 160 and 800 people it hid every figure anyway, at 0.03 s and
4.3 s per page; so outside HR the table is withheld whole, with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.workforce import PART_TIME_BELOW_HOURS, in_service, to_days

GROUPS = ("part_time", "full_time")


def promotion_by_hours(
    employees: pd.DataFrame, start: dt.date, end: dt.date, *, hr: bool, k: int
) -> dict[str, Any] | None:
    """``{"groups": {group: {n, promoted, rate}}, "start", "end"}`` or None when the
    snapshot has no promotion dates. Hidden figures are None."""
    if "last_promotion_date" not in employees or "hours_per_week" not in employees:
        return None
    population = in_service(employees, start)
    hours = employees["hours_per_week"].to_numpy(dtype=np.float64)
    part = hours < PART_TIME_BELOW_HOURS
    day = to_days(employees["last_promotion_date"])
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    promoted = (day > lo) & (day <= hi)
    cells = np.zeros((2, 2), dtype=np.int64)
    for i, mask in enumerate((part, ~part)):
        group = population & mask
        cells[i, 0] = int(np.sum(group & promoted))
        cells[i, 1] = int(np.sum(group & ~promoted))
    check_k(k)
    # Outside HR the table is withheld whole (see the module's docstring).
    hidden = np.zeros((3, 3), dtype=bool) if hr else np.ones((3, 3), dtype=bool)
    groups: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(GROUPS):
        n = int(cells[i].sum())
        shown = not (hidden[i, 0] or hidden[i, 1])
        groups[name] = {
            "n": None if hidden[i, 2] else n,
            "promoted": None if hidden[i, 0] else int(cells[i, 0]),
            "rate": float(cells[i, 0] / n) if shown and n else None,
        }
    return {"start": start, "end": end, "groups": groups, "hr": hr}
