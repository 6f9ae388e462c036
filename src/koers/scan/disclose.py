"""The Gender Scan as viewers outside HR see it: every count of every table suppressed together.

:func:`build_ledger` registers each count the non-HR report can show, for this
snapshot and for every fixed period they may choose (:mod:`koers.scan.periods`),
with the identities that link them (:class:`koers.scan.ledger.Ledger`):

* headcount by gender on the reference date = the sum of every breakdown of
  it (job levels, technical functions, the staff rows of the management
  table, pay quartiles, part-time and full-time, receiving variable pay or
  not, in the adjusted-gap model or not); a row = the sum of its cells;
* women + men is public: the pay quartiles have a fixed size (n/4), so each
  quartile row's women + men is known;
* per period and gender: headcount at the end = at the start + hires −
  leavers; a year = the sum of its quarters; leavers = part-time leavers +
  full-time leavers; a period's end date is the next period's start date.

:func:`changes_since` compares the snapshot with the previous one by
pseudonymised id; :func:`apply` writes the ledger's verdict into the sections
built by :mod:`koers.scan.report`. Pure (no Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from koers.scan import charts
from koers.scan.ledger import GRAND, TOTAL, Ledger
from koers.scan.periods import Period
from koers.stats.flows import compute_flows
from koers.stats.paygap import PayGapResult
from koers.stats.workforce import (
    GENDERS,
    PART_TIME_BELOW_HOURS,
    board_composition,
    headcount_by,
    in_service,
)

PAY_GENDERS = ("female", "male")
FLOW_COUNTS = ("hires", "leavers", "promotions")
TABLES = ("pipeline", "technical", "management")
STAFF_LAYERS = ("board", "subtop", "none")


def _h(day: dt.date, reference_date: dt.date, *gender: str) -> tuple[Any, ...]:
    """The key of the headcount on ``day``; on the reference date it is the population's."""
    return ("T", *gender) if day == reference_date else ("H", day, *gender)


def _table(
    ledger: Ledger, name: str, table: pd.DataFrame, key: str, staff: set[str] | None
) -> None:
    for _, record in table.iterrows():
        row = str(record[key])
        cells = [ledger.add((name, row, g), int(record[f"n_{g}"])) for g in GENDERS]
        ledger.add((name, row), int(record["n_total"]), tier=TOTAL)
        ledger.sums_to((name, row), cells)
    every: list[Any] = []
    for g in GENDERS:
        rows: list[Any] = [
            (name, str(r), g) for r in table[key] if staff is None or str(r) in staff
        ]
        rest = ledger.true_value(("T", g)) - sum(ledger.true_value(c) for c in rows)
        if rest:  # people the table leaves out (e.g. without a job level): never shown
            rows.append(ledger.add((name, "missing", g), rest, shown=False))
        ledger.sums_to(("T", g), rows)
        every.extend(rows)
    # Implied by the above, registered so that the hidden cells of the whole table are
    # judged together (Ledger._sum_leak): the headcount minus the shown cells of several
    # rows is the sum of their hidden cells, e.g. the women on the board and in the subtop.
    ledger.sums_to(("T",), every)


def _flows(ledger: Ledger, frame: pd.DataFrame, ref: dt.date, periods: Sequence[Period]) -> None:
    hours = frame["hours_per_week"].to_numpy(dtype=np.float64)
    part = hours < PART_TIME_BELOW_HOURS
    for period in sorted(periods, key=lambda p: p.is_year):  # quarters first
        result = compute_flows(frame, period.start, period.end)
        known = result.by_gender["female"].promotions is not None
        for day, attr in ((period.start, "headcount_start"), (period.end, "headcount_end")):
            cells = [
                ledger.add(_h(day, ref, g), getattr(result.by_gender[g], attr)) for g in GENDERS
            ]
            total = ledger.add(_h(day, ref), sum(ledger.true_value(c) for c in cells), tier=GRAND)
            ledger.sums_to(total, cells)
        for figure in FLOW_COUNTS:
            if figure == "promotions" and not known:
                continue
            cells = [
                ledger.add((figure, period.code, g), int(getattr(result.by_gender[g], figure)))
                for g in GENDERS
            ]
            ledger.add((figure, period.code), sum(ledger.true_value(c) for c in cells), tier=TOTAL)
            ledger.sums_to((figure, period.code), cells)
            if period.is_year:
                for g in (*GENDERS, None):
                    tail = () if g is None else (g,)
                    ledger.sums_to(
                        (figure, period.code, *tail), [(figure, q, *tail) for q in period.quarters]
                    )
        for g in GENDERS:
            ledger.relate(
                {
                    _h(period.end, ref, g): 1,
                    _h(period.start, ref, g): -1,
                    ("hires", period.code, g): -1,
                    ("leavers", period.code, g): 1,
                }
            )
        parts = []
        for name, mask in (("part_time", part), ("full_time", ~part)):
            flows = compute_flows(frame.loc[mask], period.start, period.end)
            n = sum(f.leavers for f in flows.by_gender.values())
            parts.append(ledger.add(("leavers_" + name, period.code), n))
        ledger.sums_to(("leavers", period.code), parts)
        if period.is_year:
            for name in ("part_time", "full_time"):
                ledger.sums_to(
                    ("leavers_" + name, period.code),
                    [("leavers_" + name, q) for q in period.quarters],
                )


def _pay(ledger: Ledger, pay: PayGapResult) -> None:
    ledger.add(("N",), pay.counts["female"] + pay.counts["male"], constant=True)
    ledger.sums_to(("N",), [("T", "female"), ("T", "male")])
    for band in pay.quartiles:
        size = ledger.add(("qn", band.band), band.n, constant=True)
        cells = [
            ledger.add(("q", band.band, "female"), band.n_female),
            ledger.add(("q", band.band, "male"), band.n_male),
        ]
        ledger.sums_to(size, cells)
    for g in PAY_GENDERS:
        ledger.sums_to(("T", g), [("q", b.band, g) for b in pay.quartiles])
        received = getattr(pay.variable, f"n_receiving_{g}")
        ledger.add(("recv", g), received)
        ledger.add(("norecv", g), pay.counts[g] - received, shown=False)
        ledger.sums_to(("T", g), [("recv", g), ("norecv", g)])
    adjusted = pay.adjusted
    if adjusted is not None:
        for g in PAY_GENDERS:
            n = getattr(adjusted, f"n_{g}")
            ledger.add(("adj", g), n)
            ledger.add(("adjx", g), pay.counts[g] - n, shown=False)
            ledger.sums_to(("T", g), [("adj", g), ("adjx", g)])
        ledger.add(("adj",), adjusted.n, tier=TOTAL)
        ledger.sums_to(("adj",), [("adj", g) for g in PAY_GENDERS])


def build_ledger(
    frame: pd.DataFrame,
    reference_date: dt.date,
    periods: Sequence[Period],
    k: int,
    *,
    pay: PayGapResult | None = None,
) -> Ledger:
    """Every count the non-HR report can show, for every period in ``periods``."""
    ledger = Ledger(k)
    staff = in_service(frame, reference_date)
    gender = frame["gender"].to_numpy()[staff]
    cells = [ledger.add(("T", g), int(np.sum(gender == g)), tier=GRAND) for g in GENDERS]
    ledger.add(("T",), int(staff.sum()), tier=GRAND)
    ledger.sums_to(("T",), cells)
    _table(ledger, "pipeline", headcount_by(frame, reference_date, "job_level"), "job_level", None)
    if "is_technical" in frame:
        technical = frame.assign(is_technical=frame["is_technical"].astype("str"))
        table = headcount_by(technical, reference_date, "is_technical")
        _table(ledger, "technical", table, "is_technical", None)
    layers = board_composition(frame, reference_date)
    _table(ledger, "management", layers, "management_layer", set(STAFF_LAYERS))
    for g in GENDERS:
        hours = frame["hours_per_week"].to_numpy(dtype=np.float64)[staff][gender == g]
        n_part = int(np.sum(hours < PART_TIME_BELOW_HOURS))
        ledger.add(("pt", g), n_part)
        ledger.add(("ft", g), len(hours) - n_part, shown=False)
        ledger.sums_to(("T", g), [("pt", g), ("ft", g)])
    _flows(ledger, frame, reference_date, periods)
    if pay is not None and pay.counts["female"] + pay.counts["male"] > 0:
        _pay(ledger, pay)
    return ledger


# -- the previous snapshot ----------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What changed since the previous snapshot, as counts per ledger key."""

    previous_date: dt.date
    added: dict[Any, int] = field(default_factory=dict)  # people now in the cell who changed
    removed: dict[Any, int] = field(default_factory=dict)  # people then in it who changed

    def small(self, key: Any, k: int) -> bool:
        """The cell's change could single someone out: 0 < change < k either way."""
        return any(0 < d.get(key, 0) < k for d in (self.added, self.removed))

    def affected_genders(self, k: int) -> tuple[str, ...]:
        return tuple(g for g in GENDERS if self.small(("T", g), k))


# The columns the report reads; a change in any other column (department, source row) is no change.
COMPARED_COLUMNS = (
    "gender",
    "birth_year",
    "hire_date",
    "exit_date",
    "job_family",
    "job_level",
    "category",
    "is_technical",
    "management_layer",
    "hours_per_week",
    "annual_base_salary",
    "annual_variable_pay",
    "education",
    "last_promotion_date",
    "training_spend",
)


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    part = frame[columns]
    return part.astype(str).where(part.notna().to_numpy(), "<empty>")


def changes_since(
    frame: pd.DataFrame,
    reference_date: dt.date,
    previous: pd.DataFrame,
    previous_date: dt.date,
    periods: Sequence[Period],
    k: int,
) -> Changes:
    """Who joined, left or changed between the snapshots (matched by pseudonymised id).

    A person changed when any column both files have differs, or when they are
    in service on one reference date and not on the other. The counts of the
    changed people (as they are now, and as they were) per ledger cell tell
    which figures could be differenced.
    """
    columns = [c for c in COMPARED_COLUMNS if c in frame.columns and c in previous.columns]
    now = _as_text(frame, columns).set_axis(frame["employee_id"].astype(str).to_numpy())
    then = _as_text(previous, columns).set_axis(previous["employee_id"].astype(str).to_numpy())
    now = now.assign(_in=in_service(frame, reference_date))
    then = then.assign(_in=in_service(previous, previous_date))
    now = now[~now.index.duplicated()]
    then = then[~then.index.duplicated()]
    common = now.index.intersection(then.index)
    differs = (now.loc[common] != then.loc[common]).any(axis=1)
    changed = set(common[differs.to_numpy()])
    ids_now = frame["employee_id"].astype(str)
    ids_then = previous["employee_id"].astype(str)
    mask_now = (~ids_now.isin(common) | ids_now.isin(changed)).to_numpy()
    mask_then = (~ids_then.isin(common) | ids_then.isin(changed)).to_numpy()

    def counts(rows: pd.DataFrame, day: dt.date) -> dict[Any, int]:
        if rows.empty:
            return {}
        ledger = build_ledger(rows.reset_index(drop=True), day, periods, k)
        return {key: ledger.true_value(key) for key in ledger.keys()}

    return Changes(
        previous_date,
        counts(frame.loc[mask_now], reference_date),
        counts(previous.loc[mask_then], previous_date),
    )


# -- writing the verdict into the report sections ------------------------------------------------


def _share(ledger: Ledger, part: Any, whole: Any) -> float | None:
    """A share only when its part and whole are both shown (a share with one gives the other)."""
    if not ledger.is_shown(part, whole):
        return None
    total = ledger.true_value(whole)
    return ledger.true_value(part) / total if total else None


def _rows(ledger: Ledger, name: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for g in GENDERS:
            row[f"n_{g}"] = ledger.value((name, row["key"], g))
        row["n_total"] = ledger.value((name, row["key"]))
        row["female_share"] = _share(ledger, (name, row["key"], "female"), (name, row["key"]))
        row["hidden"] = row["female_share"] is None or any(row[f"n_{g}"] is None for g in GENDERS)


def apply(
    ledger: Ledger,
    sections: dict[str, Any],
    reference_date: dt.date,
    period: Period,
    withheld: Sequence[str] = (),
) -> None:
    """Overwrite every count of ``sections`` with what ``ledger`` lets the viewer see.

    ``withheld``: genders whose change since the previous snapshot is under k;
    their means, rates and pay gaps are left out too.
    """
    v = ledger.value
    population = sections["population"]
    population["counts"] = {g: v(("T", g)) for g in GENDERS}
    population["n_total"] = v(("T",))
    population["female_share"] = _share(ledger, ("T", "female"), ("T",))
    population["n_rows"] = None
    population["raw"] = None
    for name in TABLES:
        _rows(ledger, name, sections[name])

    flows = sections["flows"]
    flows["period_code"] = period.code
    for g in GENDERS:
        start, end = _h(period.start, reference_date, g), _h(period.end, reference_date, g)
        flows["figures"]["headcount_start"][g] = v(start)
        flows["figures"]["headcount_end"][g] = v(end)
        for figure in FLOW_COUNTS:
            if figure in flows["figures"]:
                flows["figures"][figure][g] = v((figure, period.code, g))
        leavers = ("leavers", period.code, g)
        rate = flows["rates"]["outflow_rate"]
        rate[g] = rate[g] if ledger.is_shown(leavers, start, end) and g not in withheld else None
        promoted = ("promotions", period.code, g)
        rate = flows["rates"]["promotion_rate"]
        ok = promoted in ledger and ledger.is_shown(promoted, start) and g not in withheld
        rate[g] = rate[g] if ok else None
    flows["totals"]["headcount_start"] = v(_h(period.start, reference_date))
    flows["totals"]["headcount_end"] = v(_h(period.end, reference_date))
    for figure in FLOW_COUNTS:
        if figure in flows["totals"]:
            flows["totals"][figure] = v((figure, period.code))
    flows["hires_female_share"] = _share(
        ledger, ("hires", period.code, "female"), ("hires", period.code)
    )
    flows["promotions_female_share"] = (
        _share(ledger, ("promotions", period.code, "female"), ("promotions", period.code))
        if flows["promotions_known"]
        else None
    )

    work = sections["work"]
    for g, item in work["by_gender"].items():
        item["n"] = v(("T", g))
        item["n_part_time"] = v(("pt", g))
        item["part_time_share"] = _share(ledger, ("pt", g), ("T", g))
        item["fte"] = item["fte"] if item["n"] is not None else None
        if g in withheld:
            item["mean_hours"] = item["fte"] = item["training_per_fte"] = None
    for name, item in work["outflow"].items():
        item["leavers"] = v(("leavers_" + name, period.code))
        item.pop("mean_headcount", None)
        item["outflow_rate"] = item["outflow_rate"] if item["leavers"] is not None else None

    pay = sections["pay"]
    if pay is not None:
        _apply_pay(ledger, pay, withheld)


def _apply_pay(ledger: Ledger, pay: dict[str, Any], withheld: Sequence[str]) -> None:
    v = ledger.value
    pay["counts"] = {g: v(("T", g)) for g in GENDERS}
    blocked = any(g in withheld for g in PAY_GENDERS)
    pay["withheld"] = blocked
    for item in pay["indicators"]:
        receivers = item["key"].startswith("variable")
        n_f = v(("recv", "female")) if receivers else v(("T", "female"))
        n_m = v(("recv", "male")) if receivers else v(("T", "male"))
        item["n_female"], item["n_male"] = n_f, n_m
        if blocked:
            item["value"] = None
        item["hidden"] = item["value"] is None
    for g, item in pay["variable_shares"].items():
        item["n_receiving"] = v(("recv", g))
        item["n"] = v(("T", g))
        item["share"] = None if blocked else _share(ledger, ("recv", g), ("T", g))
    sizes_known = ledger.is_shown(("T", "female"), ("T", "male"))
    for q in pay["quartiles"]:
        band = q["band"]
        f, m = ("q", band, "female"), ("q", band, "male")
        q["n_female"], q["n_male"] = v(f), v(m)
        q["n"] = q["n"] if sizes_known else None
        shown = ledger.is_shown(f, m) and not blocked
        total = ledger.true_value(f) + ledger.true_value(m)
        q["female_share"] = ledger.true_value(f) / total if shown and total else None
        q["male_share"] = ledger.true_value(m) / total if shown and total else None
        q["hidden"] = q["female_share"] is None
    pay["quartiles_chart"] = charts.split_bars(
        [
            charts.SplitRow(str(q["band"]), q["female_share"], q["male_share"], q["n"])
            for q in pay["quartiles"]
        ]
    )
    if blocked:
        pay["base_mean_gap_pct"] = pay["annual_mean_gap_pct"] = pay["annual_median_gap_pct"] = None
        pay["adjusted"] = None
        pay["categories"]["n_categories"] = pay["categories"]["n_flagged"] = None
        pay["categories"]["n_indicative"] = None
    adjusted = pay["adjusted"]
    if adjusted is not None:
        adjusted["n"] = v(("adj",))
        adjusted["n_female"] = v(("adj", "female"))
        adjusted["n_male"] = v(("adj", "male"))
    metrics = pay["metrics"]
    metrics["mean_gap_pct"] = pay["indicators"][0]["value"]
    metrics["median_gap_pct"] = pay["indicators"][2]["value"]
    metrics["variable_share_female"] = pay["variable_shares"]["female"]["share"]
    metrics["variable_share_male"] = pay["variable_shares"]["male"]["share"]
    for key, source in (("adjusted_gap_pct", "gap_pct"), ("adjusted_ci_low", "ci_low_pct")):
        metrics[key] = None if adjusted is None else adjusted[source]
    metrics["adjusted_ci_high"] = None if adjusted is None else adjusted["ci_high_pct"]
    metrics["n_categories"] = pay["categories"]["n_categories"]
    metrics["n_flagged_categories"] = pay["categories"]["n_flagged"]
