"""The peer of ``koers paygap FILE --on DATE --json``: a plain pandas + statsmodels script.

What an analyst would write for one known Dutch Excel export (``;``, decimal
commas, thousands dots, ``€`` amounts, a title line, Windows-1252, ``d-m-yyyy``
dates): ``pandas.read_csv`` with those options, a few ``str`` clean-ups and
``map``s for the codes, boolean filters and ``groupby`` for the Art. 9
indicators, a sort for the quartile bands, and a statsmodels formula OLS for the
adjusted gap. It checks nothing beyond what pandas checks. It prints the same
JSON keys as Koers (``PayGapResult.to_dict()`` without the optional parts), so
``bench/hrfile_bench.py`` can compare every number.

    python bench/peer_paygap_pandas.py FILE --on 2026-06-30
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

COLUMNS = {
    "Personeelsnummer": "employee_id",
    "Geslacht": "gender",
    "Geboortejaar": "birth_year",
    "Datum in dienst": "hire_date",
    "Datum uit dienst": "exit_date",
    "Functie": "job_family",
    "Schaal": "job_level",
    "Technische functie": "is_technical",
    "Managementlaag": "management_layer",
    "Uren per week": "hours_per_week",
    "Bruto jaarsalaris": "annual_base_salary",
    "Variabele beloning": "annual_variable_pay",
    "Opleidingsniveau": "education",
    "Afdeling": "department",
    "Laatste promotie": "last_promotion_date",
    "Opleidingskosten": "training_spend",
}
GENDER = {"v": "female", "vrouw": "female", "f": "female", "female": "female", "w": "female",
          "m": "male", "man": "male", "male": "male",
          "x": "other", "anders": "other", "other": "other", "onbekend": "other"}  # fmt: skip
LAYER = {"geen": "none", "none": "none", "subtop": "subtop", "directie": "board",
         "board": "board", "rvc": "supervisory_board"}  # fmt: skip
AMOUNTS = ("annual_base_salary", "annual_variable_pay", "training_spend")
DATES = ("hire_date", "exit_date", "last_promotion_date")


def read(path: str) -> pd.DataFrame:
    df = pd.read_csv(
        path,
        sep=";",
        skiprows=1,
        encoding="cp1252",
        decimal=",",
        dtype={name: str for name in ("Personeelsnummer", "Schaal", *COLUMNS)
               if name not in ("Geboortejaar", "Uren per week")},
    ).rename(columns=COLUMNS)  # fmt: skip
    for name in AMOUNTS:
        text = df[name].str.replace(r"[€\s.]", "", regex=True).str.replace(",", ".")
        df[name] = pd.to_numeric(text).fillna(0.0)
    for name in DATES:
        df[name] = pd.to_datetime(df[name], format="%d-%m-%Y")
    df["gender"] = df["gender"].str.strip().str.lower().map(GENDER)
    df["management_layer"] = df["management_layer"].str.lower().map(LAYER).fillna("none")
    df["education"] = df["education"].str.lower().fillna("unknown")
    return df


def _gap(men: float, women: float) -> float | None:
    if pd.isna(men) or pd.isna(women):
        return None
    return float((men - women) / men * 100)


def _quartiles(fm: pd.DataFrame) -> list[dict[str, Any]]:
    # Sort, cut in four, and share tied groups (equal to the cent) over boundaries.
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
    bands = []
    for band, size in enumerate(sizes):
        women = cum_women[band + 1] - cum_women[band]
        bands.append(
            {
                "band": band + 1,
                "n": size,
                "female_share": women / size if size else None,
                "male_share": (size - women) / size if size else None,
            }
        )
    return bands


def _categories(fm: pd.DataFrame, receivers: pd.DataFrame) -> list[dict[str, Any]]:
    by_cat = fm.groupby(["category", "gender"]).agg(
        n=("total", "size"), mean=("total", "mean"), median=("total", "median"),
        base=("base", "mean"),
    ).unstack("gender")  # fmt: skip
    var_cat = (
        receivers.groupby(["category", "gender"])["annual_variable_pay"].mean().unstack("gender")
    )
    out = []
    for category, row in by_cat.iterrows():
        mean_gap = _gap(row[("mean", "male")], row[("mean", "female")])
        vrow = var_cat.loc[category] if category in var_cat.index else None
        out.append(
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
    return out


def pay_gap(df: pd.DataFrame, on: dt.date) -> dict[str, Any]:
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
    fm["category"] = fm["job_family"] + " / " + fm["job_level"]
    overall = fm.groupby("gender")["total"].agg(["mean", "median"])
    receivers = fm[fm["annual_variable_pay"] > 0]
    variable = receivers.groupby("gender")["annual_variable_pay"].agg(["mean", "median"])
    share = receivers.groupby("gender").size() / fm.groupby("gender").size()
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
        "quartiles": _quartiles(fm),
        "categories": _categories(fm, receivers),
        "adjusted_gap_pct": (1 - math.exp(ols.params["female"])) * 100,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--on", required=True, type=dt.date.fromisoformat)
    args = parser.parse_args()
    print(json.dumps(pay_gap(read(args.file), args.on), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
