"""The Gender Scan report: one pure ``build_context()`` for the dashboard and the PDF.

It calls :mod:`koers.stats` on a snapshot's employee frame and returns plain
data (numbers unrounded; the templates round and format them). Who sees what
follows DESIGN.md's privacy table: with ``hr=True`` (HR analyst, admin, the
internal PDF) every figure is shown with its n; with ``hr=False`` (manager,
works council, researcher, the shareable PDF) every count cell under k per
gender is suppressed with :mod:`koers.stats.disclosure`, so are the figures
that would reveal it (shares, rates, gaps of groups under k), and the
internal category report (Art. 9(1)(g)) and pay amounts are left out. The
improvement areas are evaluated on the disclosed metrics only, so no finding
quotes a hidden figure. No Django here: ``tests/scan/test_report.py`` calls it
directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from koers.scan import charts, disclose
from koers.scan.evidence import evidence_metrics
from koers.scan.improvement import Catalogue, evaluate, load_rules
from koers.scan.ledger import Ledger
from koers.scan.periods import Period, default_fixed_period, fixed_periods
from koers.scan.report_pay import pay_section
from koers.stats.disclosure import Discloser
from koers.stats.flows import compute_flows
from koers.stats.paygap import compute_pay_gap
from koers.stats.workforce import (
    GENDERS,
    PART_TIME_BELOW_HOURS,
    board_composition,
    headcount_by,
    in_service,
    work_patterns,
)

COUNT_COLUMNS = ["n_female", "n_male", "n_other"]
PAY_KEYS = ("q", "recv", "adj")  # ledger keys of pay counts, withheld with a gender's pay
FLOW_FIGURES = ("headcount_start", "headcount_end", "hires", "leavers", "promotions")


def default_period(reference_date: dt.date) -> tuple[dt.date, dt.date]:
    """The year up to the reference date (29 February falls back to the 28th)."""
    try:
        start = reference_date.replace(year=reference_date.year - 1)
    except ValueError:
        start = reference_date.replace(year=reference_date.year - 1, day=28)
    return start, reference_date


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _group_rows(table: pd.DataFrame, key: str, d: Discloser) -> list[dict[str, Any]]:
    """Rows of a headcount table with the hidden cells (and what reveals them) removed."""
    counts = table[COUNT_COLUMNS].astype(int)
    mask = d.table(counts)
    rows = []
    for i, (_, record) in enumerate(table.iterrows()):
        hidden = bool(mask[i].any())
        cells = {
            col: (None if mask[i, j] else int(record[col])) for j, col in enumerate(COUNT_COLUMNS)
        }
        total = int(record["n_total"])
        rows.append(
            {
                "key": str(record[key]),
                **cells,
                "n_total": None if hidden else total,
                "female_share": None if hidden else _share(int(record["n_female"]), total),
                "hidden": hidden,
            }
        )
    return rows


def _population(employees: pd.DataFrame, on: dt.date, d: Discloser) -> dict[str, Any]:
    staff = in_service(employees, on)
    gender = employees["gender"].to_numpy()[staff]
    counts = {g: int(np.sum(gender == g)) for g in GENDERS}
    disclosed = d.counts(counts)
    total = sum(counts.values())
    return {
        "counts": disclosed,
        "n_total": total if d.enough(total) else None,
        "female_share": _share(disclosed["female"], total)
        if None not in disclosed.values()
        else None,
        "n_rows": len(employees),
        "raw": counts,
    }


def _pipeline(employees: pd.DataFrame, on: dt.date, d: Discloser) -> list[dict[str, Any]]:
    table = headcount_by(employees, on, "job_level")
    return _group_rows(table, "job_level", d)


def _pipeline_metrics(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """Share of women in the lower and upper half of the job levels (disclosed levels only)."""
    shown = [r for r in rows if not r["hidden"] and r["n_total"]]
    if len(shown) < 2:
        return {"pipeline_lower_share": None, "pipeline_upper_share": None, "pipeline_drop": None}
    half = len(shown) // 2
    lower, upper = shown[:half], shown[len(shown) - half :]
    low = sum(r["n_female"] for r in lower) / sum(r["n_total"] for r in lower)
    up = sum(r["n_female"] for r in upper) / sum(r["n_total"] for r in upper)
    return {"pipeline_lower_share": low, "pipeline_upper_share": up, "pipeline_drop": low - up}


def _management(employees: pd.DataFrame, on: dt.date, d: Discloser) -> list[dict[str, Any]]:
    table = board_composition(employees, on)
    return _group_rows(table, "management_layer", d)


def _technical(employees: pd.DataFrame, on: dt.date, d: Discloser) -> list[dict[str, Any]]:
    if "is_technical" not in employees:
        return []
    frame = employees.assign(is_technical=employees["is_technical"].astype("str"))
    table = headcount_by(frame, on, "is_technical")
    order = {"True": 0, "False": 1}
    rows = _group_rows(table, "is_technical", d)
    return sorted(rows, key=lambda r: order.get(r["key"], 2))


def _flows(employees: pd.DataFrame, start: dt.date, end: dt.date, d: Discloser) -> dict[str, Any]:
    result = compute_flows(employees, start, end)
    known = result.by_gender["female"].promotions is not None
    figures: dict[str, dict[str, int | None]] = {}
    totals: dict[str, int | None] = {}
    for figure in FLOW_FIGURES:
        if figure == "promotions" and not known:
            continue
        raw = {g: int(getattr(result.by_gender[g], figure) or 0) for g in GENDERS}
        figures[figure] = d.counts(raw)
        totals[figure] = sum(raw.values()) if d.enough(sum(raw.values())) else None
    rates: dict[str, dict[str, float | None]] = {"outflow_rate": {}, "promotion_rate": {}}
    for g in GENDERS:
        start_n, end_n = figures["headcount_start"][g], figures["headcount_end"][g]
        leavers = figures["leavers"][g]
        ok = None not in (start_n, end_n, leavers)
        rates["outflow_rate"][g] = result.by_gender[g].outflow_rate if ok else None
        promoted = figures.get("promotions", {}).get(g)
        ok = known and None not in (start_n, promoted)
        rates["promotion_rate"][g] = result.by_gender[g].promotion_rate if ok else None

    def female_share(figure: str) -> float | None:
        cells = figures.get(figure)
        if not cells or None in cells.values():
            return None
        return _share(cells["female"], sum(n or 0 for n in cells.values()))

    return {
        "start": start,
        "end": end,
        "figures": figures,
        "totals": totals,
        "rates": rates,
        "promotions_known": known,
        "hires_female_share": female_share("hires"),
        "promotions_female_share": female_share("promotions"),
    }


def _work(
    employees: pd.DataFrame, on: dt.date, start: dt.date, end: dt.date, d: Discloser
) -> dict[str, Any]:
    patterns = work_patterns(employees, on)
    has_training = "training_spend" in employees
    by_gender = {}
    for g, p in patterns.items():
        split = d.counts({"part_time": p.n_part_time, "full_time": p.n - p.n_part_time})
        shown = None not in split.values()
        by_gender[g] = {
            "n": p.n if d.enough(p.n) or p.n == 0 else None,
            "n_part_time": split["part_time"],
            "part_time_share": p.part_time_share if shown else None,
            "mean_hours": p.mean_hours if d.enough(p.n) else None,
            "fte": p.fte if d.enough(p.n) else None,
            "training_per_fte": p.training_per_fte if has_training and d.enough(p.n) else None,
        }
    hours = employees["hours_per_week"].to_numpy(dtype=np.float64)
    part = hours < PART_TIME_BELOW_HOURS
    outflow: dict[str, dict[str, Any]] = {}
    for name, mask in (("part_time", part), ("full_time", ~part)):
        flows = compute_flows(employees.loc[mask], start, end)
        leavers = sum(f.leavers for f in flows.by_gender.values())
        first = sum(f.headcount_start for f in flows.by_gender.values())
        last = sum(f.headcount_end for f in flows.by_gender.values())
        outflow[name] = {"leavers": leavers, "mean_headcount": (first + last) / 2}
    split = d.counts({k: v["leavers"] for k, v in outflow.items()})
    for name, item in outflow.items():
        item["leavers"] = split[name]
        mean = item["mean_headcount"]
        item["outflow_rate"] = None if split[name] is None or not mean else split[name] / mean
    return {
        "by_gender": by_gender,
        "has_training": has_training,
        "part_time_below": PART_TIME_BELOW_HOURS,
        "outflow": outflow,
    }


def _metrics(
    population: dict[str, Any],
    pipeline: list[dict[str, Any]],
    management: list[dict[str, Any]],
    flows: dict[str, Any],
    work: dict[str, Any],
    pay: dict[str, Any] | None,
) -> dict[str, float | None]:
    counts = population["counts"]
    m: dict[str, float | None] = {
        "n_staff": population["n_total"],
        "n_female": counts["female"],
        "n_male": counts["male"],
        "female_share": population["female_share"],
    }
    m.update(_pipeline_metrics(pipeline))
    top = [r for r in management if r["key"] in ("board", "subtop")]
    if top and not any(r["hidden"] for r in top):
        n = sum(r["n_total"] for r in top)
        women = sum(r["n_female"] for r in top)
        m.update(
            management_n=n, management_n_female=women, management_female_share=_share(women, n)
        )
    else:
        m.update(management_n=None, management_n_female=None, management_female_share=None)
    figures = flows["figures"]
    m["headcount_start_female"] = figures["headcount_start"]["female"]
    m["headcount_start_male"] = figures["headcount_start"]["male"]
    m["hires_female"] = figures["hires"]["female"]
    m["hires_total"] = flows["totals"]["hires"]
    m["hires_female_share"] = flows["hires_female_share"]
    for g in ("female", "male"):
        m[f"leavers_{g}"] = figures["leavers"][g]
        m[f"outflow_rate_{g}"] = flows["rates"]["outflow_rate"][g]
        m[f"promotions_{g}"] = figures.get("promotions", {}).get(g)
        m[f"promotion_rate_{g}"] = flows["rates"]["promotion_rate"][g]
        m[f"part_time_share_{g}"] = work["by_gender"][g]["part_time_share"]
        m[f"training_per_fte_{g}"] = work["by_gender"][g]["training_per_fte"]
    for name in ("part_time", "full_time"):
        m[f"leavers_{name}"] = work["outflow"][name]["leavers"]
        m[f"outflow_rate_{name}"] = work["outflow"][name]["outflow_rate"]
    women, men = m["training_per_fte_female"], m["training_per_fte_male"]
    m["training_gap_pct"] = (men - women) / men * 100 if women is not None and men else None
    keys = (
        "variable_share_female",
        "variable_share_male",
        "mean_gap_pct",
        "median_gap_pct",
        "adjusted_gap_pct",
        "adjusted_ci_low",
        "adjusted_ci_high",
        "n_categories",
        "n_flagged_categories",
    )
    for key in keys:
        m[key] = None if pay is None else pay["metrics"].get(key)
    return m


_LEDGERS: dict[tuple[Any, ...], tuple[Ledger, dict[str, Any] | None, tuple[str, ...]]] = {}
_LEDGER_CACHE_SIZE = 8


def _fingerprint(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame, index=False).sum()) ^ hash(tuple(frame.columns))


def _solved_ledger(
    employees: pd.DataFrame,
    reference_date: dt.date,
    periods: list[Period],
    k: int,
    pay_result: Any,
    previous: tuple[pd.DataFrame, dt.date] | None,
) -> tuple[Ledger, dict[str, Any] | None, tuple[str, ...]]:
    """The suppression of a snapshot for viewers outside HR (the same for every period).

    Solving it takes a moment; the result depends only on the data, so the
    last few are kept in this process (switching periods reuses it).
    """
    key = (
        _fingerprint(employees),
        reference_date,
        k,
        None if previous is None else (_fingerprint(previous[0]), previous[1]),
    )
    if key in _LEDGERS:
        return _LEDGERS[key]
    ledger = disclose.build_ledger(employees, reference_date, periods, k, pay=pay_result)
    withheld: tuple[str, ...] = ()
    since_previous: dict[str, Any] | None = None
    if previous is not None:
        changes = disclose.changes_since(
            employees, reference_date, previous[0], previous[1], periods, k
        )
        withheld = changes.affected_genders(k)
        marked = [item for item in ledger.keys() if changes.small(item, k)]
        for g in withheld:
            marked += [
                item
                for item in ledger.keys()
                if isinstance(item, tuple) and item[0] in PAY_KEYS and item[-1] == g
            ]
        for item in marked:
            ledger.protect(item)
        since_previous = {
            "date": changes.previous_date,
            "withheld": list(withheld),
            "hides": bool(marked),
        }
    ledger.hidden  # noqa: B018 - solve now, once
    if len(_LEDGERS) >= _LEDGER_CACHE_SIZE:
        _LEDGERS.pop(next(iter(_LEDGERS)))
    _LEDGERS[key] = (ledger, since_previous, withheld)
    return ledger, since_previous, withheld


def shown_figure_sets(
    employees: pd.DataFrame,
    reference_date: dt.date,
    k: int,
    previous: tuple[pd.DataFrame, dt.date] | None = None,
) -> list[np.ndarray] | None:
    """The people behind every count the report shows outside HR, over all its fixed periods
    (:func:`koers.scan.disclose.shown_masks`, the same solved ledger as the dashboard), for a
    page that shows figures over the same people beside the scan. None: not mappable."""
    periods = fixed_periods(reference_date)
    pay_result = compute_pay_gap(employees, reference_date)
    ledger, _since, _withheld = _solved_ledger(
        employees, reference_date, periods, k, pay_result, previous
    )
    return disclose.shown_masks(ledger, disclose.figure_masks(employees, reference_date, periods))


def _fixed_period(
    reference_date: dt.date, period: Period | tuple[dt.date, dt.date] | None
) -> Period:
    """The fixed period asked for; anything else (free dates) snaps to the default one."""
    for candidate in fixed_periods(reference_date):
        if period == candidate or period == (candidate.start, candidate.end):
            return candidate
    return default_fixed_period(reference_date)


def build_context(
    employees: pd.DataFrame,
    reference_date: dt.date,
    *,
    period: Period | tuple[dt.date, dt.date] | None = None,
    hr: bool = True,
    k: int = 5,
    lang: str = "nl",
    catalogue: Catalogue | None = None,
    previous: tuple[pd.DataFrame, dt.date] | None = None,
) -> dict[str, Any]:
    """Every figure of the scan on ``reference_date``, disclosed for the viewer.

    Parameters
    ----------
    employees
        A snapshot's canonical employee frame (``koers.hrfile`` columns).
    period
        The flows period. HR: any ``(start, end)``, default the year up to the
        reference date. Others: one of :func:`koers.scan.periods.fixed_periods`
        (a :class:`Period` or its ``(start, end)``); anything else becomes the
        most recent calendar year.
    hr
        True for HR roles (everything with n), False for everyone else (suppressed).
    k
        The minimum group size (``KOERS_MIN_GROUP_SIZE``).
    lang
        Language of the improvement-area texts (``"nl"`` or ``"en"``).
    previous
        The organisation's previous snapshot ``(frame, reference_date)``: for
        viewers outside HR, figures whose people changed by fewer than k since
        then are withheld (:func:`koers.scan.disclose.changes_since`).
    """
    d = Discloser(hr, k)
    fixed: Period | None = None
    if hr:
        if isinstance(period, Period):
            start, end = period.start, period.end
        else:
            start, end = period or default_period(reference_date)
    else:
        fixed = _fixed_period(reference_date, period)
        start, end = fixed.start, fixed.end
    pay_result = compute_pay_gap(employees, reference_date)
    population = _population(employees, reference_date, d)
    pipeline = _pipeline(employees, reference_date, d)
    management = _management(employees, reference_date, d)
    technical = _technical(employees, reference_date, d)
    flows = _flows(employees, start, end, d)
    work = _work(employees, reference_date, start, end, d)
    pay = pay_section(employees, reference_date, d, pay_result)
    since_previous: dict[str, Any] | None = None
    if fixed is not None:
        periods = fixed_periods(reference_date)
        ledger, since_previous, withheld = _solved_ledger(
            employees, reference_date, periods, k, pay_result, previous
        )
        sections = {
            "population": population,
            "pipeline": pipeline,
            "management": management,
            "technical": technical,
            "flows": flows,
            "work": work,
            "pay": pay,
        }
        disclose.apply(ledger, sections, reference_date, fixed, withheld)
    metrics = _metrics(population, pipeline, management, flows, work, pay)
    # The counts and intervals the improvement rules weigh their evidence with (issue 13).
    metrics.update(
        evidence_metrics(
            employees, reference_date, d, pipeline=pipeline, flows=flows, work=work, pay=pay
        )
    )
    findings = evaluate(catalogue or load_rules(), metrics, lang)
    pipeline_chart = charts.share_bars(
        [charts.ShareRow(r["key"], r["female_share"], r["n_total"]) for r in pipeline],
        reference=population["female_share"],
    )
    flows_chart = charts.paired_bars(
        [
            charts.PairRow(
                "outflow", *(flows["rates"]["outflow_rate"][g] for g in ("female", "male"))
            ),
            *(
                [
                    charts.PairRow(
                        "promotion",
                        *(flows["rates"]["promotion_rate"][g] for g in ("female", "male")),
                    )
                ]
                if flows["promotions_known"]
                else []
            ),
        ]
    )
    return {
        "reference_date": reference_date,
        "hr": hr,
        "k": k,
        "population": population,
        "pipeline": pipeline,
        "pipeline_chart": pipeline_chart,
        "technical": technical,
        "management": management,
        "flows": flows,
        "flows_chart": flows_chart,
        "work": work,
        "pay": pay,
        "metrics": metrics,
        "findings": findings,
        "has_suppressed": not hr,
        "period": fixed,
        "periods": [] if hr else fixed_periods(reference_date),
        "since_previous": since_previous,
    }
