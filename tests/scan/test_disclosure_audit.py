"""An attacker's audit of the Gender Scan outside HR: no hidden count follows from what is shown.

For seeded random HR files (small groups, a lone woman in a level, people of
gender 'other', a small board), the test takes every figure the non-HR report
shows — for every fixed period a viewer can choose — and writes down what an
attacker knows: each shown count, each shown share or rate as a linear
equation (share × total = part), and the identities between the tables (a row
sums to its total, every breakdown of the headcount sums to the headcount by
gender, women + men is public through the fixed quartile size, end = start +
hires − leavers, a year is its quarters). A linear programme then asks, for
every count between 1 and k − 1, its smallest and largest value consistent
with all of that. If both are equal the count has been recomputed.

It also walks the context and fails on any number it does not know how to
model, so a figure added later cannot slip past the audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from koers.scan.periods import fixed_periods
from koers.scan.report import build_context

REF = dt.date(2026, 6, 30)
K = 5
GENDERS = ("female", "male", "other")
TABLES = ("pipeline", "technical", "management")

# Numbers in the context that are not counts of people (or follow from shown counts only).
NOT_COUNTS = {
    "k",
    "work.by_gender.*.mean_hours",
    "work.by_gender.*.training_per_fte",
    "work.part_time_below",
    "work.outflow.*.outflow_rate",  # leavers / a mean headcount of part- or full-timers never shown
    "pay.indicators.*.value",
    "pay.base_mean_gap_pct",
    "pay.annual_mean_gap_pct",
    "pay.annual_median_gap_pct",
    "pay.adjusted.gap_pct",
    "pay.adjusted.ci_low_pct",
    "pay.adjusted.ci_high_pct",
    "pay.adjusted.r_squared",
    "pay.adjusted.oaxaca.*",
    "pay.adjusted.oaxaca.explained_by.*.value",
    "pay.adjusted.oaxaca.explained_by.*.share",
    "pay.quartiles.*.band",
    "pay.quartiles.*.male_share",  # 1 − female_share
    "pay.categories.*",
    "pay.metrics.*",
    "metrics.*",  # checked separately: each is a shown figure or a ratio of shown figures
    "findings.*",
}


def _frame(seed: int) -> pd.DataFrame:
    """A small organisation with a few groups under k, joiners, leavers and promotions."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(12, 90))
    p_female = rng.uniform(0.05, 0.5)
    p_other = rng.choice([0.0, 0.03, 0.08])
    gender = rng.choice(
        ["female", "male", "other"], size=n, p=[p_female, 1 - p_female - p_other, p_other]
    )
    levels = rng.choice(["3", "4", "5", "6", "7"], size=n, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    if seed % 3 == 0:  # one woman alone in the top level
        levels[levels == "7"] = "6"
        first = int(np.flatnonzero(gender == "female")[0]) if (gender == "female").any() else 0
        levels[first] = "7"
    day0 = np.datetime64("2019-01-01")
    hire = day0 + rng.integers(0, 7 * 365, size=n).astype("timedelta64[D]")
    leaves = rng.random(n) < 0.2
    exit_ = np.where(
        leaves,
        hire + rng.integers(30, 900, size=n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    exit_ = np.where(exit_ >= np.datetime64(REF), np.datetime64("NaT"), exit_)
    promoted = np.where(
        rng.random(n) < 0.3,
        np.datetime64("2023-06-01") + rng.integers(0, 1100, size=n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    promoted = np.where(promoted > np.datetime64(REF), np.datetime64("NaT"), promoted)
    layer = rng.choice(["none", "subtop", "board"], size=n, p=[0.85, 0.1, 0.05])
    hours = rng.choice([24.0, 32.0, 36.0, 40.0], size=n)
    base = (30000 + 4000 * levels.astype(int) + rng.normal(0, 2000, size=n)) * hours / 40
    variable = np.where(rng.random(n) < 0.3, np.round(base * 0.05, 2), 0.0)
    frame = pd.DataFrame(
        {
            "employee_id": [f"e{seed}-{i}" for i in range(n)],
            "gender": gender,
            "birth_year": rng.integers(1965, 2000, size=n).astype(float),
            "hire_date": hire.astype("datetime64[s]"),
            "exit_date": exit_.astype("datetime64[s]"),
            "job_family": rng.choice(["Engineer", "Staf"], size=n),
            "job_level": levels,
            "is_technical": pd.array(rng.random(n) < 0.7, dtype="boolean"),
            "management_layer": layer,
            "hours_per_week": hours,
            "annual_base_salary": np.round(base, 2),
            "annual_variable_pay": variable,
            "education": rng.choice(["mbo", "hbo", "wo"], size=n),
            "last_promotion_date": promoted.astype("datetime64[s]"),
            "training_spend": np.round(rng.uniform(0, 2000, size=n), 2),
        }
    )
    board = pd.DataFrame(
        {
            "employee_id": [f"rvc{seed}-{i}" for i in range(3)],
            "gender": ["female", "male", "male"],
            "birth_year": [1960.0, 1962.0, 1958.0],
            "hire_date": pd.to_datetime(["2020-01-01"] * 3).astype("datetime64[s]"),
            "exit_date": pd.to_datetime([None] * 3).astype("datetime64[s]"),
            "job_family": ["RvC"] * 3,
            "job_level": ["0"] * 3,
            "is_technical": pd.array([False] * 3, dtype="boolean"),
            "management_layer": ["supervisory_board"] * 3,
            "hours_per_week": [8.0] * 3,
            "annual_base_salary": [20000.0] * 3,
            "annual_variable_pay": [0.0] * 3,
            "education": ["wo"] * 3,
            "last_promotion_date": pd.to_datetime([None] * 3).astype("datetime64[s]"),
            "training_spend": [0.0] * 3,
        }
    )
    return pd.concat([frame, board], ignore_index=True)


class Attacker:
    """Unknown true counts, linear equations an attacker can write down, and their LP."""

    def __init__(self) -> None:
        self.truth: dict[Any, float] = {}
        self.equations: list[tuple[dict[Any, float], float]] = []
        self.modelled: set[str] = set()

    def var(self, key: Any, true: float) -> Any:
        assert self.truth.setdefault(key, float(true)) == pytest.approx(float(true)), key
        return key

    def eq(self, terms: dict[Any, float], rhs: float = 0.0) -> None:
        lhs = sum(c * self.truth[key] for key, c in terms.items())
        assert lhs == pytest.approx(rhs, abs=1e-6), (terms, rhs)  # the identity must be true
        self.equations.append((terms, rhs))

    def sums(self, total: Any, parts: list[Any]) -> None:
        terms = {total: -1.0}
        for part in parts:
            terms[part] = terms.get(part, 0.0) + 1.0
        self.eq(terms)

    def sees(self, path: str, key: Any, shown: Any) -> None:
        """A count in the context: known when shown; it must then be the true count."""
        self.modelled.add(path)
        if shown is not None:
            assert shown == self.truth[key], (path, key, shown, self.truth[key])
            assert not 0 < shown < K, f"{path} shows a count under k: {shown}"
            self.eq({key: 1.0}, float(shown))

    def ratio(self, path: str, part: Any, whole: dict[Any, float], shown: Any) -> None:
        """A shown share or rate: part − value × whole = 0."""
        self.modelled.add(path)
        if shown is not None:
            terms = {key: -shown * c for key, c in whole.items()}
            terms[part] = terms.get(part, 0.0) + 1.0
            self.eq(terms)

    def recomputed(self) -> list[tuple[Any, float, float, float]]:
        """Counts 0 < n < k whose range given every equation is a single value."""
        keys = list(self.truth)
        index = {key: i for i, key in enumerate(keys)}
        a = np.zeros((len(self.equations), len(keys)))
        b = np.zeros(len(self.equations))
        for row, (terms, rhs) in enumerate(self.equations):
            for key, c in terms.items():
                a[row, index[key]] += c
            b[row] = rhs
        found = []
        for key in keys:
            if not 0 < self.truth[key] < K or isinstance(key, tuple) and key[0] == "const":
                continue
            c = np.zeros(len(keys))
            c[index[key]] = 1.0
            low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            assert low.status == 0, key  # feasible: the true counts satisfy every equation
            if high.status == 0 and -high.fun - low.fun < 0.5:
                found.append((key, self.truth[key], low.fun, -high.fun))
        return found


def _model_snapshot(att: Attacker, hr: dict[str, Any], shown: dict[str, Any]) -> None:
    for g in GENDERS:
        att.var(("T", g), hr["population"]["counts"][g])
    att.var(("T",), hr["population"]["n_total"])
    att.sums(("T",), [("T", g) for g in GENDERS])
    att.sees("population.n_total", ("T",), shown["population"]["n_total"])
    for g in GENDERS:
        att.sees("population.counts.*", ("T", g), shown["population"]["counts"][g])
    att.ratio(
        "population.female_share",
        ("T", "female"),
        {("T",): 1.0},
        shown["population"]["female_share"],
    )
    for name in TABLES:
        staff: list[Any] = {g: [] for g in GENDERS}  # type: ignore[assignment]
        for row_hr, row in zip(hr[name], shown[name], strict=True):
            cells = []
            for g in GENDERS:
                key = att.var((name, row_hr["key"], g), row_hr[f"n_{g}"])
                cells.append(key)
                att.sees(f"{name}.*.n_{g}", key, row[f"n_{g}"])
                if row_hr["key"] != "supervisory_board":
                    staff[g].append(key)
            total = att.var((name, row_hr["key"]), row_hr["n_total"])
            att.sums(total, cells)
            att.sees(f"{name}.*.n_total", total, row["n_total"])
            att.ratio(f"{name}.*.female_share", cells[0], {total: 1.0}, row["female_share"])
            att.modelled.add(f"{name}.*.key")
        for g in GENDERS:
            att.sums(("T", g), staff[g])
    work_hr, work = hr["work"], shown["work"]
    for g in GENDERS:
        pt = att.var(("pt", g), work_hr["by_gender"][g]["n_part_time"])
        ft = att.var(
            ("ft", g), work_hr["by_gender"][g]["n"] - work_hr["by_gender"][g]["n_part_time"]
        )
        att.sums(("T", g), [pt, ft])
        item = work["by_gender"][g]
        att.sees("work.by_gender.*.n", ("T", g), item["n"])
        att.sees("work.by_gender.*.n_part_time", pt, item["n_part_time"])
        att.ratio("work.by_gender.*.part_time_share", pt, {("T", g): 1.0}, item["part_time_share"])
        att.modelled.add("work.by_gender.*.fte")
        if item["fte"] is not None and item["mean_hours"]:  # n = 40 × fte / mean hours
            att.eq({("T", g): 1.0}, round(40 * item["fte"] / item["mean_hours"]))
    pay_hr, pay = hr["pay"], shown["pay"]
    if pay_hr is None:
        return
    att.var(("const", "N"), pay_hr["counts"]["female"] + pay_hr["counts"]["male"])
    att.eq({("const", "N"): 1.0}, att.truth[("const", "N")])
    att.sums(("const", "N"), [("T", "female"), ("T", "male")])
    for g in GENDERS:
        att.sees("pay.counts.*", ("T", g), pay["counts"][g])
    for g in ("female", "male"):
        recv = att.var(("recv", g), pay_hr["variable_shares"][g]["n_receiving"])
        norecv = att.var(("norecv", g), pay_hr["counts"][g] - att.truth[recv])
        att.sums(("T", g), [recv, norecv])
        item = pay["variable_shares"][g]
        att.sees("pay.variable_shares.*.n_receiving", recv, item["n_receiving"])
        att.sees("pay.variable_shares.*.n", ("T", g), item["n"])
        att.ratio("pay.variable_shares.*.share", recv, {("T", g): 1.0}, item["share"])
    for ind in pay["indicators"]:
        receivers = ind["key"].startswith("variable")
        for g in ("female", "male"):
            key = ("recv", g) if receivers else ("T", g)
            att.sees(f"pay.indicators.*.n_{g}", key, ind[f"n_{g}"])
    for g in ("female", "male"):
        parts = []
        for q_hr, q in zip(pay_hr["quartiles"], pay["quartiles"], strict=True):
            key = att.var(("q", q_hr["band"], g), q_hr[f"n_{g}"])
            parts.append(key)
            att.sees(f"pay.quartiles.*.n_{g}", key, q[f"n_{g}"])
        att.sums(("T", g), parts)
    for q_hr, q in zip(pay_hr["quartiles"], pay["quartiles"], strict=True):
        size = att.var(("const", "qn", q_hr["band"]), q_hr["n"])
        att.eq({size: 1.0}, q_hr["n"])  # the size of a quartile is public: n / 4
        att.sums(size, [("q", q_hr["band"], "female"), ("q", q_hr["band"], "male")])
        att.sees("pay.quartiles.*.n", size, q["n"])
        att.ratio(
            "pay.quartiles.*.female_share",
            ("q", q_hr["band"], "female"),
            {size: 1.0},
            q["female_share"],
        )
    if pay_hr["adjusted"] is not None and pay["adjusted"] is not None:
        for g in ("female", "male"):
            key = att.var(("adj", g), pay_hr["adjusted"][f"n_{g}"])
            rest = att.var(("adjx", g), pay_hr["counts"][g] - pay_hr["adjusted"][f"n_{g}"])
            att.sums(("T", g), [key, rest])
            att.sees(f"pay.adjusted.n_{g}", key, pay["adjusted"][f"n_{g}"])
        total = att.var(("adj",), pay_hr["adjusted"]["n"])
        att.sums(total, [("adj", "female"), ("adj", "male")])
        att.sees("pay.adjusted.n", total, pay["adjusted"]["n"])
    att.modelled.update({"pay.adjusted.controls.*", "pay.quartiles.*.hidden"})


def _model_flows(att: Attacker, hr: dict[str, Any], shown: dict[str, Any], code: str) -> None:
    flows_hr, flows = hr["flows"], shown["flows"]
    days = {"headcount_start": flows_hr["start"], "headcount_end": flows_hr["end"]}
    for figure in ("headcount_start", "headcount_end"):
        day = days[figure]
        cells = [att.var(("H", day, g), flows_hr["figures"][figure][g]) for g in GENDERS]
        total = att.var(("H", day), flows_hr["totals"][figure])
        att.sums(total, cells)
        if day == REF:
            for g in GENDERS:
                att.sums(("T", g), [("H", day, g)])
        for g, key in zip(GENDERS, cells, strict=True):
            att.sees(f"flows.figures.{figure}.*", key, flows["figures"][figure][g])
        att.sees(f"flows.totals.{figure}", total, flows["totals"][figure])
    for figure in ("hires", "leavers", "promotions"):
        cells = [att.var((figure, code, g), flows_hr["figures"][figure][g]) for g in GENDERS]
        total = att.var((figure, code), flows_hr["totals"][figure])
        att.sums(total, cells)
        for g, key in zip(GENDERS, cells, strict=True):
            att.sees(f"flows.figures.{figure}.*", key, flows["figures"][figure][g])
        att.sees(f"flows.totals.{figure}", total, flows["totals"][figure])
        share = flows.get(f"{figure}_female_share")
        if figure != "leavers":
            att.ratio(f"flows.{figure}_female_share", cells[0], {total: 1.0}, share)
    start, end = days["headcount_start"], days["headcount_end"]
    for g in GENDERS:
        att.eq(
            {
                ("H", end, g): 1.0,
                ("H", start, g): -1.0,
                ("hires", code, g): -1.0,
                ("leavers", code, g): 1.0,
            }
        )
        rate = flows["rates"]["outflow_rate"][g]
        att.ratio(
            "flows.rates.outflow_rate.*",
            ("leavers", code, g),
            {("H", start, g): 0.5, ("H", end, g): 0.5},
            rate,
        )
        rate = flows["rates"]["promotion_rate"][g]
        att.ratio(
            "flows.rates.promotion_rate.*", ("promotions", code, g), {("H", start, g): 1.0}, rate
        )
    parts = []
    for name in ("part_time", "full_time"):
        key = att.var((name, code), hr["work"]["outflow"][name]["leavers"])
        parts.append(key)
        att.sees("work.outflow.*.leavers", key, shown["work"]["outflow"][name]["leavers"])
    att.sums(("leavers", code), parts)
    att.modelled.update({"flows.promotions_known", "flows.start", "flows.end"})


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every number in the context with a wildcard path (list items and dict keys of genders)."""
    if isinstance(value, dict):
        if "bars" in value or "groups" in value:  # chart geometry drawn from the shown figures
            return
        for key, item in value.items():
            part = "*" if key in GENDERS or key in ("part_time", "full_time") else str(key)
            yield from _leaves(item, f"{path}.{part}" if path else part)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item, f"{path}.*")
    elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        yield path, value


def _unmodelled(shown: dict[str, Any], modelled: set[str]) -> list[str]:
    out = []
    for path, _value in _leaves(shown):
        if path in modelled or path in NOT_COUNTS:
            continue
        if any(rule.endswith("*") and path.startswith(rule[:-1]) for rule in NOT_COUNTS):
            continue
        out.append(path)
    return sorted(set(out))


def _audit(frame: pd.DataFrame) -> tuple[Attacker, list[Any], list[str]]:
    att = Attacker()
    periods = fixed_periods(REF)
    unmodelled: set[str] = set()
    for i, period in enumerate(periods):
        shown = build_context(frame, REF, period=(period.start, period.end), hr=False, k=K)
        hr = build_context(frame, REF, period=(period.start, period.end), hr=True, k=K)
        if i == 0:
            _model_snapshot(att, hr, shown)
        _model_flows(att, hr, shown, period.code)
        unmodelled |= set(_unmodelled(shown, att.modelled))
    # A year is the sum of its quarters.
    for period in periods:
        if period.is_year:
            for figure in ("hires", "leavers", "promotions", "part_time", "full_time"):
                for g in (
                    (*GENDERS, None) if figure in ("hires", "leavers", "promotions") else (None,)
                ):
                    tail = () if g is None else (g,)
                    att.sums(
                        (figure, period.code, *tail), [(figure, q, *tail) for q in period.quarters]
                    )
    return att, att.recomputed(), sorted(unmodelled)


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_count_can_be_recomputed_from_anything_shown(seed: int) -> None:
    att, recomputed, unmodelled = _audit(_frame(seed))
    assert not unmodelled, f"figures the audit does not model: {unmodelled}"
    assert not recomputed, f"hidden counts an attacker recomputes: {recomputed[:8]}"
    # The audit has teeth: the frames do have small groups that had to be hidden.
    assert any(0 < v < K for v in att.truth.values())
