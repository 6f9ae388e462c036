"""The Art. 10 workbook of a flagged category and the remediation budget (pure, no Django).

Frames in, dicts out, like :mod:`koers.scan.report`: the category's arrays come from
:func:`koers.stats.paygap.category_design` on the frame with the scheme's categories, the
figures from :mod:`koers.stats.remediation`. Who sees what (DESIGN.md): the flagged
categories outside HR already have at least k women and k men
(:func:`koers.paytransparency.report.flagged_categories`); a remediation figure is a sum
over the people it raises, so outside HR it is shown only when that is 0 or at least k
people, and a total only when every category's figure is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from koers.paytransparency.figures import with_categories
from koers.stats.leaverise import LeaveRise, RiseShare, comparison_date, leave_pay_rise
from koers.stats.paygap import category_design, compute_pay_gap
from koers.stats.release import ReleasedFamily
from koers.stats.remediation import RULES, Remediation, decompose, remediation

if TYPE_CHECKING:
    from koers.stats.disclosure import Discloser


def category_figures(
    frame: pd.DataFrame,
    on: dt.date,
    category: str,
    mapping: Mapping[str, str] | None,
    factors: Sequence[str],
    charges_pct: float,
) -> dict[str, Any] | None:
    """Remediation and decomposition of one category; None when it has nobody in service."""
    design = category_design(with_categories(frame, mapping), on, category, factors)
    if design is None:
        return None
    cost = remediation(
        design.hourly,
        design.yearly_hours,
        design.female,
        charges_pct=charges_pct,
        factors=design.factors,
        numerics=design.numerics,
    )
    dec = decompose(design.hourly, design.female, factors=design.factors, numerics=design.numerics)
    return {
        "remediation": cost,
        "decomposition": dec,
        # For the page: log points × 100 (about percent for small gaps).
        "decomposition_rows": None
        if dec is None
        else {
            "factors": [
                {"factor": f.factor, "points": f.log_points * 100, "share": f.share}
                for f in dec.factors
            ],
            "unexplained": dec.unexplained * 100,
            "unexplained_share": dec.unexplained_share,
            "total": dec.total * 100,
        },
    }


def _shown(n_raised: int, d: Discloser) -> bool:
    return n_raised == 0 or d.enough(n_raised)


def rule_cells(cost: Remediation, d: Discloser) -> list[dict[str, Any]]:
    """Each rule of one category with whether the viewer may see its figures."""
    return [{"rule": r.rule, "cost": r, "shown": _shown(r.n_raised, d)} for r in cost.rules]


def remediation_overview(
    frame: pd.DataFrame,
    on: dt.date,
    categories: Sequence[tuple[str, Sequence[str]]],
    mapping: Mapping[str, str] | None,
    charges_pct: float,
    d: Discloser,
) -> dict[str, Any]:
    """Per category (label, factors) each rule's cost, and the totals per rule."""
    rows = []
    totals: dict[str, dict[str, Any]] = {
        rule: {"annual": 0.0, "with_charges": 0.0, "n_raised": 0, "complete": True}
        for rule in RULES
    }
    for category, factors in categories:
        figures = category_figures(frame, on, category, mapping, factors, charges_pct)
        if figures is None:
            continue
        cost = figures["remediation"]
        cells: dict[str, dict[str, Any] | None] = {}
        for rule in RULES:
            found = cost.rule(rule)
            total = totals[rule]
            if found is None:
                cells[rule] = None
                total["complete"] = False
                continue
            shown = _shown(found.n_raised, d)
            cells[rule] = {"cost": found, "shown": shown}
            if shown:
                total["annual"] += found.annual_cost
                total["with_charges"] += found.annual_cost_with_charges
                total["n_raised"] += found.n_raised
            else:
                total["complete"] = False
        rows.append({"category": category, "remediation": cost, "cells": cells})
    for total in totals.values():
        total["shown"] = bool(rows) and (d.hr or total["complete"])
    return {"rows": rows, "totals": totals, "charges_pct": charges_pct}


def category_gap(
    frame: pd.DataFrame, on: dt.date, category: str, mapping: Mapping[str, str] | None
) -> tuple[float | None, int, int] | None:
    """The category's mean gap of hourly total pay on ``on`` with its counts; None when the
    category has nobody in service then (evaluation of earlier measures, Art. 10(2))."""
    result = compute_pay_gap(
        with_categories(frame, mapping), on, adjust=False, adjust_flagged=False
    )
    for c in result.categories:
        if c.category == category:
            return c.mean_gap_pct, c.n_female, c.n_male
    return None


def evaluation(
    measures: Sequence[Any],
    history: Sequence[tuple[dt.date, pd.DataFrame]],
    category: str,
    mapping: Mapping[str, str] | None,
    d: Discloser,
) -> list[dict[str, Any]]:
    """For each plan line (``start`` a date or None) the category's gap on the last snapshot
    before the measure started and on the newest snapshot after it; ``history`` oldest first.
    A gap outside HR only when the category has k women and k men on that date."""

    def gap_on(day: dt.date, frame: pd.DataFrame) -> dict[str, Any] | None:
        found = category_gap(frame, day, category, mapping)
        if found is None:
            return None
        gap, n_female, n_male = found
        return {
            "date": day,
            "gap": gap if d.enough(n_female, n_male) else None,
            "withheld": not d.enough(n_female, n_male),
            "n_female": n_female,
            "n_male": n_male,
        }

    out = []
    for line in measures:
        before = after = None
        if line.start is not None:
            earlier = [(day, f) for day, f in history if day <= line.start]
            later = [(day, f) for day, f in history if day > line.start]
            before = gap_on(*earlier[-1]) if earlier else None
            after = gap_on(*later[-1]) if later else None
        change = None
        if before and after and before["gap"] is not None and after["gap"] is not None:
            change = after["gap"] - before["gap"]
        out.append({"line": line, "before": before, "after": after, "change": change})
    return out


def leave_rise(
    current: tuple[dt.date, pd.DataFrame],
    history: Sequence[tuple[dt.date, pd.DataFrame]],
    category: str,
    mapping: Mapping[str, str] | None,
) -> LeaveRise:
    """The pay rise after leave of ``category`` on the current snapshot, compared with the
    earlier snapshot :func:`~koers.stats.leaverise.comparison_date` picks from ``history``
    (each frame gets the scheme's categories)."""
    on, frame = current
    wanted = comparison_date([day for day, _f in history if day < on], on)
    previous = next(
        ((day, with_categories(f, mapping)) for day, f in history if day == wanted), None
    )
    return leave_pay_rise(with_categories(frame, mapping), on, previous, category)


def _group(share: RiseShare, shown: bool) -> dict[str, Any]:
    return {
        "n": share.n if shown else None,
        "n_rise": share.n_rise if shown else None,
        "share": share.share if shown else None,
        "shown": shown,
    }


def leave_rise_rows(result: LeaveRise, d: Discloser) -> list[dict[str, Any]]:
    """The workbook's rows (returners, then the category's other workers): all, women, men.

    HR sees every figure with its n. Everyone else (DESIGN.md): the page (and the desk) also
    shows how many women and men the category has, and returners + others + those without
    pay on the earlier snapshot (never shown here) make up those totals. So the rows are
    planned with those two totals as already shown: a count is shown when it has at least
    k people (or none) and no sum or difference of it with the totals and the counts
    shown before it describes fewer than k people
    (:class:`~koers.stats.release.ReleasedFamily`); e.g. the women among the other
    workers are withheld when a single woman came back from maternity leave. Women and men
    go first, then each row's total.
    """
    groups = ("returners", "others")
    shares = {
        key: {
            "all": getattr(result, key),
            "female": getattr(result, f"{key}_female"),
            "male": getattr(result, f"{key}_male"),
        }
        for key in groups
    }
    shown = {(key, column): True for key in groups for column in ("all", "female", "male")}
    if not d.hr:
        group, gender = _leave_people(result)
        family = ReleasedFamily(len(group), d.k, everyone_known=False)
        family.add(gender == "female")
        family.add(gender == "male")
        for column in ("female", "male", "all"):
            for index, key in enumerate(groups):
                mask = group == index
                if column != "all":
                    mask &= gender == column
                n = int(mask.sum())
                allowed = n == 0 or (n >= d.k and family.admits(mask))
                shown[key, column] = allowed
                if allowed:
                    family.add(mask)
    return [
        {"group": key, **{c: _group(shares[key][c], shown[key, c]) for c in shares[key]}}
        for key in groups
    ]


def _leave_people(result: LeaveRise) -> tuple[np.ndarray, np.ndarray]:
    """One entry per worker in the category on R: row (0 returners, 1 others, 2 neither:
    no pay on the earlier snapshot) and gender ("female", "male", "other")."""
    cells: list[tuple[int, str, int]] = []
    for index, key in enumerate(("returners", "others")):
        everyone, female, male = (
            getattr(result, key),
            getattr(result, f"{key}_female"),
            getattr(result, f"{key}_male"),
        )
        cells += [
            (index, "female", female.n),
            (index, "male", male.n),
            (index, "other", everyone.n - female.n - male.n),
        ]
    counted = {g: sum(n for _i, gg, n in cells if gg == g) for g in ("female", "male", "other")}
    in_category = {
        "female": result.staff_female,
        "male": result.staff_male,
        "other": result.staff - result.staff_female - result.staff_male,
    }
    cells += [(2, g, in_category[g] - counted[g]) for g in in_category]
    group = np.repeat([i for i, _g, _n in cells], [n for _i, _g, n in cells])
    gender = np.repeat([g for _i, g, _n in cells], [n for _i, _g, n in cells])
    return group, gender
