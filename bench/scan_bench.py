"""Gender Scan benchmark: Koers metrics against plain pandas + statsmodels on the same rows.

Generates a seeded sector dataset (default 1,000,000 employees) in the canonical
frame that ``koers.hrfile`` produces, then times in one run

* Koers: ``compute_pay_gap`` (all Art. 9 indicators, Art. 10 flags, adjusted gap,
  Oaxaca–Blinder, within-category adjusted gaps of flagged categories) and
  ``compute_flows``;
* the peer: a straightforward pandas implementation (boolean filters, groupby
  for the indicators and the flows, a sort for the quartile bands) and a
  statsmodels formula OLS for the adjusted gap;

and prints both timings, the ratio, and the largest relative difference over
every number both produce (goal: Koers at most half the time, numbers equal to
1e-9 relative).

    .venv/bin/python bench/scan_bench.py            # 1M rows
    .venv/bin/python bench/scan_bench.py --quick    # 50,000 rows
    .venv/bin/python bench/scan_bench.py --rows 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from koers.stats.flows import compute_flows
from koers.stats.paygap import compute_pay_gap

ON = dt.date(2025, 12, 31)
FROM = dt.date(2025, 1, 1)
FAMILIES = [f"Family {chr(65 + i)}" for i in range(20)]
LEVELS = [str(i) for i in range(1, 13)]
EDUCATION = ["mbo", "hbo", "wo", "phd", "unknown"]


def generate(n: int, seed: int = 2026) -> pd.DataFrame:
    """A sector dataset with a known structure: levels, a gender gap, part-time, leavers."""
    rng = np.random.default_rng(seed)
    gender = rng.choice(np.array(["female", "male", "other"]), n, p=[0.30, 0.68, 0.02])
    female = gender == "female"
    level = np.clip(rng.poisson(4.5 - 1.0 * female, n) + 1, 1, 12)
    family = rng.integers(0, len(FAMILIES), n)
    education = rng.choice(np.array(EDUCATION), n, p=[0.4, 0.3, 0.2, 0.03, 0.07])
    birth_year = rng.integers(1958, 2004, n).astype(np.float64)
    hire = np.datetime64("1990-01-01") + rng.integers(0, 13_000, n).astype("timedelta64[D]")
    leaves = rng.random(n) < 0.12
    exit_date = hire + rng.integers(0, 6000, n).astype("timedelta64[D]")
    exit_date = np.where(leaves, exit_date, np.datetime64("NaT"))
    promoted = rng.random(n) < 0.3
    promotion = hire + rng.integers(0, 6000, n).astype("timedelta64[D]")
    hours = rng.choice(np.array([16.0, 24.0, 32.0, 36.0, 38.0, 40.0]), n,
                       p=[0.03, 0.1, 0.2, 0.22, 0.2, 0.25])  # fmt: skip
    hours = np.where(female & (rng.random(n) < 0.4), 24.0 + 8 * rng.integers(0, 2, n), hours)
    tenure = (np.datetime64(ON) - hire).astype(np.float64) / 365.25
    log_hourly = (
        2.6 + 0.09 * level + 0.004 * (ON.year - birth_year) + 0.003 * np.clip(tenure, 0, None)
        + 0.05 * (education == "wo") - 0.04 * female + rng.normal(0, 0.12, n)
    )  # fmt: skip
    # Salaries to the cent; one in fifty on a round scale amount (ties in the bands).
    salary = np.round(np.exp(log_hourly) * hours * 52, 2)
    salary = np.where(rng.random(n) < 0.02, 24.0 * hours * 52, salary)
    variable = np.where(rng.random(n) < 0.3, np.round(rng.gamma(2.0, 900.0, n), 2), 0.0)
    layer = rng.choice(np.array(["none", "subtop", "board", "supervisory_board"]), n,
                       p=[0.95, 0.035, 0.01, 0.005])  # fmt: skip
    return pd.DataFrame(
        {
            "employee_id": pd.Series(np.arange(n).astype(str), dtype="str"),
            "gender": pd.Series(gender, dtype="str"),
            "birth_year": birth_year,
            "hire_date": pd.Series(hire.astype("datetime64[s]")),
            "exit_date": pd.Series(exit_date.astype("datetime64[s]")),
            "job_family": pd.Series(np.array(FAMILIES)[family], dtype="str"),
            "job_level": pd.Series(np.array(LEVELS)[level - 1], dtype="str"),
            "management_layer": pd.Series(layer, dtype="str"),
            "hours_per_week": hours,
            "annual_base_salary": salary,
            "annual_variable_pay": variable,
            "education": pd.Series(education, dtype="str"),
            "last_promotion_date": pd.Series(
                np.where(promoted, promotion, np.datetime64("NaT")).astype("datetime64[s]")
            ),
        }
    )


# --- the peer: straightforward pandas + statsmodels --------------------------------


def _gap(men: float, women: float) -> float | None:
    if pd.isna(men) or pd.isna(women):
        return None
    return float((men - women) / men * 100)


def peer_pay_gap(df: pd.DataFrame, on: dt.date) -> dict[str, Any]:
    day = pd.Timestamp(on)
    staff = df[
        (df["hire_date"] <= day)
        & (df["exit_date"].isna() | (df["exit_date"] >= day))
        & (df["management_layer"] != "supervisory_board")
    ]
    counts = staff["gender"].value_counts()
    fm = staff[staff["gender"].isin(["female", "male"])].copy()
    fm["total"] = (fm["annual_base_salary"] + fm["annual_variable_pay"]) / (
        fm["hours_per_week"] * 52
    )
    fm["base"] = fm["annual_base_salary"] / (fm["hours_per_week"] * 52)
    overall = fm.groupby("gender")["total"].agg(["mean", "median"])
    receivers = fm[fm["annual_variable_pay"] > 0]
    variable = receivers.groupby("gender")["annual_variable_pay"].agg(["mean", "median"])
    share = receivers.groupby("gender").size() / fm.groupby("gender").size()

    # Quartile bands: sort, cut, and share tied groups (equal to the cent) over boundaries.
    ranked = fm.sort_values("total")
    is_female = (ranked["gender"] == "female").to_numpy()
    cents = np.floor(ranked["total"].to_numpy() * 100 + 0.5)
    n = len(ranked)
    q, r = divmod(n, 4)
    sizes = [q + (r >= 1), q + (r == 3), q + (r >= 2), q]
    cum_women = [0]
    edge = 0
    for size in sizes:
        edge += size
        if 0 < edge < n and cents[edge - 1] == cents[edge]:
            tied = np.flatnonzero(cents == cents[edge])
            start, g = tied[0], len(tied)
            f = int(is_female[tied].sum())
            cum_women.append(int(is_female[:start].sum()) + (2 * (edge - start) * f + g) // (2 * g))
        else:
            cum_women.append(int(is_female[:edge].sum()))
    quartiles = []
    for band, size in enumerate(sizes):
        women = cum_women[band + 1] - cum_women[band]
        quartiles.append(
            {
                "band": band + 1,
                "n": size,
                "female_share": women / size if size else None,
                "male_share": (size - women) / size if size else None,
            }
        )

    fm["category"] = fm["job_family"] + " / " + fm["job_level"]
    by_cat = fm.groupby(["category", "gender"]).agg(
        n=("total", "size"), mean=("total", "mean"), median=("total", "median"),
        base=("base", "mean"),
    ).unstack("gender")  # fmt: skip
    var_cat = (
        receivers.assign(category=fm["category"])
        .groupby(["category", "gender"])["annual_variable_pay"]
        .mean()
        .unstack("gender")
    )
    categories = []
    for category, row in by_cat.iterrows():
        mean_gap = _gap(row[("mean", "male")], row[("mean", "female")])
        vrow = var_cat.loc[category] if category in var_cat.index else None
        categories.append(
            {
                "category": category,
                "n_female": int(np.nan_to_num(row[("n", "female")])),
                "n_male": int(np.nan_to_num(row[("n", "male")])),
                "mean_gap_pct": mean_gap,
                "median_gap_pct": _gap(row[("median", "male")], row[("median", "female")]),
                "base_mean_gap_pct": _gap(row[("base", "male")], row[("base", "female")]),
                "variable_mean_gap_pct": None if vrow is None
                else _gap(vrow.get("male", np.nan), vrow.get("female", np.nan)),
                "exceeds_threshold": mean_gap is not None and abs(mean_gap) >= 5,
            }
        )  # fmt: skip

    fm["log_pay"] = np.log(fm["total"])
    fm["female"] = (fm["gender"] == "female").astype(float)
    fm["age"] = on.year - fm["birth_year"]
    fm["tenure"] = (day - fm["hire_date"]).dt.days / 365.25
    fm["hours"] = fm["hours_per_week"]
    ols = smf.ols(
        "log_pay ~ female + C(job_level) + age + tenure + hours + C(education)", data=fm
    ).fit()
    return {
        "reference_date": on.isoformat(),
        "counts": {g: int(counts.get(g, 0)) for g in ("female", "male", "other")},
        "mean_gap_pct": _gap(overall.loc["male", "mean"], overall.loc["female", "mean"]),
        "median_gap_pct": _gap(overall.loc["male", "median"], overall.loc["female", "median"]),
        "variable": {
            "mean_gap_pct": _gap(variable.loc["male", "mean"], variable.loc["female", "mean"]),
            "median_gap_pct": _gap(
                variable.loc["male", "median"], variable.loc["female", "median"]
            ),
            "share_receiving": {"female": float(share["female"]), "male": float(share["male"])},
        },
        "quartiles": quartiles,
        "categories": categories,
        "adjusted_gap_pct": (1 - math.exp(ols.params["female"])) * 100,
    }


def peer_flows(df: pd.DataFrame, start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    staff = df[df["management_layer"] != "supervisory_board"]
    employed = staff["exit_date"].isna()
    at_start = (staff["hire_date"] <= lo) & (employed | (staff["exit_date"] >= lo))
    at_end = (staff["hire_date"] <= hi) & (employed | (staff["exit_date"] >= hi))
    hires = (staff["hire_date"] > lo) & (staff["hire_date"] <= hi)
    leavers = (staff["exit_date"] >= lo) & (staff["exit_date"] < hi)
    promoted = (staff["last_promotion_date"] > lo) & (staff["last_promotion_date"] <= hi)
    counts = pd.DataFrame(
        {"start": at_start, "end": at_end, "hires": hires, "leavers": leavers,
         "promotions": promoted, "gender": staff["gender"]}
    ).groupby("gender").sum()  # fmt: skip
    by_gender = {}
    for g in ("female", "male", "other"):
        c = counts.loc[g]
        mean_hc = (c["start"] + c["end"]) / 2
        by_gender[g] = {
            "headcount_start": int(c["start"]), "headcount_end": int(c["end"]),
            "hires": int(c["hires"]), "leavers": int(c["leavers"]),
            "promotions": int(c["promotions"]),
            "outflow_rate": c["leavers"] / mean_hc if mean_hc else None,
            "promotion_rate": c["promotions"] / c["start"] if c["start"] else None,
        }  # fmt: skip
    levels = staff[at_end].groupby(["job_level", "gender"]).size().unstack(fill_value=0)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by_gender": by_gender,
        "levels": [
            {
                "job_level": level,
                "n_female": int(row.get("female", 0)),
                "n_male": int(row.get("male", 0)),
                "n_other": int(row.get("other", 0)),
                "female_share": row.get("female", 0) / row.sum(),
            }
            for level, row in levels.iterrows()
        ],  # fmt: skip
    }


# --- comparison -----------------------------------------------------------------


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            name = item.get("category", item.get("job_level", item.get("band", i)))
            yield from flatten(item, f"{path}[{name}]")
    else:
        yield path, value


def max_relative_difference(ours: Any, theirs: Any) -> tuple[float, str, int]:
    a, b = dict(flatten(ours)), dict(flatten(theirs))
    if set(a) != set(b):
        missing = sorted(set(a) ^ set(b))[:5]
        raise SystemExit(f"the two implementations report different figures: {missing}")
    worst, where = 0.0, ""
    for key, x in a.items():
        y = b[key]
        if isinstance(x, str) or isinstance(x, bool) or x is None or y is None:
            diff = 0.0 if x == y else math.inf
        else:
            scale = max(abs(x), abs(y))
            diff = abs(x - y) / scale if scale else 0.0
        if diff > worst or not where:
            worst, where = diff, key
    return worst, where, len(a)


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def koers_scan(df: pd.DataFrame) -> dict[str, Any]:
    return {
        "paygap": compute_pay_gap(df, ON).to_dict(),
        "flows": compute_flows(df, FROM, ON).to_dict(),
    }


def peer_scan(df: pd.DataFrame) -> dict[str, Any]:
    return {"paygap": peer_pay_gap(df, ON), "flows": peer_flows(df, FROM, ON)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 rows (make bench)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each")
    args = parser.parse_args()
    if args.quick:
        args.rows = 50_000

    print(f"generating {args.rows:,} employees (seed {args.seed}) ...", flush=True)
    df = generate(args.rows, args.seed)
    koers_scan(df.head(1000))  # warm-up: imports, first-call overheads
    peer_scan(df.head(1000))
    koers_times, peer_times = [], []
    for _ in range(args.repeat):
        t, ours = timed(koers_scan, df)
        koers_times.append(t)
        t, theirs = timed(peer_scan, df)
        peer_times.append(t)
    k, p = min(koers_times), min(peer_times)
    worst, where, n_numbers = max_relative_difference(ours, theirs)
    paygap = ours["paygap"]
    print(f"rows: {args.rows:,}; in service: {sum(paygap['counts'].values()):,}; "
          f"categories: {len(paygap['categories'])}, flagged: "
          f"{sum(c['exceeds_threshold'] for c in paygap['categories'])}")  # fmt: skip
    print(f"koers (numpy, coded OLS):            {k:8.3f} s")
    print(f"pandas groupby + statsmodels OLS:    {p:8.3f} s")
    print(f"ratio koers / peer:                  {k / p:8.3f}  (goal <= 0.5)")
    print(f"max relative difference over {n_numbers} numbers: {worst:.3e} at {where}"
          "  (goal <= 1e-9)")  # fmt: skip
    print(f"mean gap {paygap['mean_gap_pct']:.4f} %, adjusted gap "
          f"{paygap['adjusted_gap_pct']:.4f} %")  # fmt: skip


if __name__ == "__main__":
    main()
