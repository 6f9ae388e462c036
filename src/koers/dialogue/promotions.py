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

Disclosure (viewers outside HR): the 2 × 2 table part-time/full-time × promoted/not
promoted is suppressed with its margins (:func:`koers.stats.disclosure.suppress_with_margins`,
the rule of :mod:`koers.stats.disclosure`); a group's rate is shown only when both its
cells are. HR roles (``scan.view_all_figures``) see every figure with its n.

Beside the Gender Scan. The same viewers see the scan's promotions, headcounts and
part-timers by gender over the same people, and could subtract one page's figures from the
other's: where every part-timer is a woman, the scan's promotions of women minus the
calculator's promotions of part-timers are the promotions of full-time women, 2 in
``tests/dialogue/test_promotions_across_pages.py``. So, outside HR, the table's figures are
planned together with the sets of people behind every count the scan shows (``published``,
:func:`koers.scan.history.shown_sets`) as one release: a figure is shown only when no sum or
difference of it with everything already shown describes fewer than k people
(:class:`koers.stats.disclosure.ReleasedFamily`, the Compass's release plan); when the
scan's figures cannot be mapped to people (``published`` None) nothing is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from koers.stats.disclosure import ReleasedFamily, suppress_with_margins
from koers.stats.workforce import PART_TIME_BELOW_HOURS, in_service, to_days

GROUPS = ("part_time", "full_time")


def promotion_by_hours(
    employees: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    *,
    hr: bool,
    k: int,
    published: Sequence[np.ndarray] | None = (),
) -> dict[str, Any] | None:
    """``{"groups": {group: {n, promoted, rate}}, "start", "end"}`` or None when the
    snapshot has no promotion dates. Hidden figures are None. ``published``: the rows
    behind every figure the viewer already sees on the scan (outside HR)."""
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
    hidden = np.zeros((3, 3), dtype=bool) if hr else suppress_with_margins(cells, k)
    if not hr:
        in_part, in_full = population & part, population & ~part
        sets = {(0, 2): in_part, (1, 2): in_full}
        sets.update({(0, 0): in_part & promoted, (1, 0): in_full & promoted})
        _plan_beside(hidden, sets, published, k)
    groups: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(GROUPS):
        n = int(cells[i].sum())
        shown = not (hidden[i, 0] or hidden[i, 1] or hidden[i, 2])
        groups[name] = {
            "n": None if hidden[i, 2] else n,
            "promoted": None if hidden[i, 0] else int(cells[i, 0]),
            "rate": float(cells[i, 0] / n) if shown and n else None,
        }
    return {"start": start, "end": end, "groups": groups, "hr": hr}


def _plan_beside(
    hidden: np.ndarray,
    sets: dict[tuple[int, int], np.ndarray],
    published: Sequence[np.ndarray] | None,
    k: int,
) -> None:
    """Hide (in ``hidden``) every figure of ``sets`` (entry → rows) that, with the sets of
    ``published`` as shown, would let a sum or difference describe fewer than k people.
    The universe is everyone in any of the sets; in order: the group sizes, then promotions."""
    if published is None:
        hidden[:, :] = True
        return
    universe = np.zeros_like(next(iter(sets.values())))
    for rows in (*published, *sets.values()):
        universe |= rows
    family = ReleasedFamily(int(universe.sum()), k, everyone_known=False, new_only=True)
    for rows in published:
        family.add(rows[universe])
    for entry, rows in sets.items():
        if hidden[entry]:
            continue
        if family.admits(rows[universe]):
            family.add(rows[universe])
        else:
            hidden[entry] = True
