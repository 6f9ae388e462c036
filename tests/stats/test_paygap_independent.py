"""`koers paygap` against a naive per-definition implementation on generated data.

The reference below follows spec/paygap.md sentence by sentence with plain
Python (``statistics``, ``fractions``) and a statsmodels formula OLS; it shares
no code with koers.stats.paygap. The generated file is written the Dutch Excel
way and run through the real CLI.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import statistics
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from click.testing import CliRunner

from koers.cli import main

ON = dt.date(2025, 12, 31)
FAMILIES = ("Monteur", "Engineer", "Planner", "HR", "Sales")
EDUCATION = ("MBO", "HBO", "WO", "PhD", "")
HEADER = [
    "Personeelsnummer", "Geslacht", "Geboortejaar", "Datum in dienst", "Datum uit dienst",
    "Functie", "Schaal", "Technische functie", "Managementlaag", "Uren per week",
    "Bruto jaarsalaris", "Variabele beloning", "Opleidingsniveau",
]  # fmt: skip


def generate(n: int, seed: int) -> list[dict[str, Any]]:
    """Employees with leavers, future hires, 'other' gender, a supervisory board and ties."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        gender = rng.choice(["V", "M", "X"], p=[0.35, 0.6, 0.05])
        level = int(rng.integers(3, 9))
        hours = float(rng.choice([24, 32, 36, 38, 40]))
        hire = dt.date(1995, 1, 1) + dt.timedelta(days=int(rng.integers(0, 11_300)))
        exit_date = None
        if rng.random() < 0.12:
            exit_date = hire + dt.timedelta(days=int(rng.integers(0, 4000)))
        if rng.random() < 0.1:
            # A block of identical pay creates ties, also across band boundaries.
            salary = 36 * 52 * 25.0 * hours / 36
        else:
            salary = round(
                hours * 52 * (14 + 3 * level + rng.normal(0, 3)) - 300 * (gender == "V"), 2
            )
        variable = round(float(rng.gamma(2, 800)), 2) if rng.random() < 0.4 else 0.0
        rows.append(
            {
                "id": str(50_000 + i),
                "gender": gender,
                "birth_year": int(rng.integers(1960, 2003)),
                "hire": hire,
                "exit": exit_date,
                "family": FAMILIES[int(rng.integers(0, len(FAMILIES)))],
                "level": str(level),
                "technical": "Ja" if rng.random() < 0.5 else "Nee",
                "layer": "rvc" if rng.random() < 0.02 else "",
                "hours": hours,
                "salary": max(salary, 5000.0),
                "variable": variable,
                "education": EDUCATION[int(rng.integers(0, len(EDUCATION)))],
            }
        )
    return rows


def _dutch_amount(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"€ {groups},{cents}"


def write_dutch_csv(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Personeelsoverzicht gegenereerd"] + [""] * (len(HEADER) - 1))
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow(
                [
                    r["id"], r["gender"], r["birth_year"], r["hire"].strftime("%d-%m-%Y"),
                    r["exit"].strftime("%-d-%-m-%Y") if r["exit"] else "", r["family"],
                    r["level"], r["technical"], r["layer"], str(r["hours"]).replace(".", ","),
                    _dutch_amount(r["salary"]),
                    _dutch_amount(r["variable"]) if r["variable"] else "", r["education"],
                ]
            )  # fmt: skip


# --- the reference implementation ------------------------------------------------


def assert_same(got: Any, expected: Any, path: str = "$") -> None:
    """Numbers to 1e-9 relative, nulls as nulls, categories compared as a set."""
    if isinstance(expected, dict):
        assert set(got) == set(expected), f"{path}: keys differ: {set(got) ^ set(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        if expected and isinstance(expected[0], dict) and "category" in expected[0]:
            got_by = {c["category"]: c for c in got}
            assert set(got_by) == {c["category"] for c in expected}, path
            for item in expected:
                assert_same(got_by[item["category"]], item, f"{path}[{item['category']}]")
        else:
            for i, (a, b) in enumerate(zip(got, expected, strict=True)):
                assert_same(a, b, f"{path}[{i}]")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert got == expected, f"{path}: {got!r} != {expected!r}"
    else:
        assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (
            f"{path}: {got} != {expected}"
        )


def gap(men: float | None, women: float | None) -> float | None:
    if men is None or women is None:
        return None
    return (men - women) / men * 100


def mean_or_none(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def reference_bands(people: list[tuple[float, bool]]) -> list[tuple[int, int]]:
    """(n, n_female) per band, assigning tied groups person by person."""
    people = sorted(people)
    n = len(people)
    q, r = divmod(n, 4)
    sizes = [q + (1 if r >= 1 else 0), q + (1 if r == 3 else 0), q + (1 if r >= 2 else 0), q]
    band_of_place = [b for b, size in enumerate(sizes) for _ in range(size)]
    women = [0, 0, 0, 0]
    groups: dict[int, list[bool]] = {}
    for pay, female in people:
        cents = int(Fraction(pay) * 100 + Fraction(1, 2))  # half up, exact
        groups.setdefault(cents, []).append(female)
    place = 0
    for members in (groups[k] for k in sorted(groups)):
        g, f = len(members), sum(members)
        given = 0
        for taken in range(1, g + 1):
            # women among the first `taken` places of the group: round half up of taken*f/g
            due = int(Fraction(taken * f, g) + Fraction(1, 2))
            if due > given:
                women[band_of_place[place]] += 1
                given += 1
            place += 1
    return [(size, w) for size, w in zip(sizes, women, strict=True)]


def reference(rows: list[dict[str, Any]], on: dt.date) -> dict[str, Any]:
    staff = [
        r for r in rows
        if r["hire"] <= on and (r["exit"] is None or r["exit"] >= on) and r["layer"] != "rvc"
    ]  # fmt: skip
    code = {"V": "female", "M": "male", "X": "other"}
    counts = {
        g: sum(1 for r in staff if code[r["gender"]] == g) for g in ("female", "male", "other")
    }
    people = [r for r in staff if r["gender"] in "VM"]
    for r in people:
        r["total"] = (r["salary"] + r["variable"]) / (r["hours"] * 52)
        r["base"] = r["salary"] / (r["hours"] * 52)
    women = [r for r in people if r["gender"] == "V"]
    men = [r for r in people if r["gender"] == "M"]
    w_var = [r["variable"] for r in women if r["variable"] > 0]
    m_var = [r["variable"] for r in men if r["variable"] > 0]
    bands = reference_bands([(r["total"], r["gender"] == "V") for r in people])
    categories = []
    for label in sorted({f"{r['family']} / {r['level']}" for r in people}):
        cw = [r for r in women if f"{r['family']} / {r['level']}" == label]
        cm = [r for r in men if f"{r['family']} / {r['level']}" == label]
        mean_gap = gap(
            mean_or_none([r["total"] for r in cm]), mean_or_none([r["total"] for r in cw])
        )
        categories.append(
            {
                "category": label,
                "n_female": len(cw),
                "n_male": len(cm),
                "mean_gap_pct": mean_gap,
                "median_gap_pct": gap(
                    median_or_none([r["total"] for r in cm]),
                    median_or_none([r["total"] for r in cw]),
                ),
                "base_mean_gap_pct": gap(
                    mean_or_none([r["base"] for r in cm]), mean_or_none([r["base"] for r in cw])
                ),
                "variable_mean_gap_pct": gap(
                    mean_or_none([r["variable"] for r in cm if r["variable"] > 0]),
                    mean_or_none([r["variable"] for r in cw if r["variable"] > 0]),
                ),
                "exceeds_threshold": mean_gap is not None and abs(mean_gap) >= 5,
            }
        )
    frame = pd.DataFrame(
        {
            "log_pay": [math.log(r["total"]) for r in people],
            "female": [1.0 if r["gender"] == "V" else 0.0 for r in people],
            "level": [r["level"] for r in people],
            "age": [on.year - r["birth_year"] for r in people],
            "tenure": [(on - r["hire"]).days / 365.25 for r in people],
            "hours": [r["hours"] for r in people],
            "education": [r["education"].lower() or "unknown" for r in people],
        }
    )
    fit = smf.ols("log_pay ~ female + C(level) + age + tenure + hours + C(education)", frame).fit()
    return {
        "reference_date": on.isoformat(),
        "counts": counts,
        "mean_gap_pct": gap(statistics.fmean(r["total"] for r in men),
                            statistics.fmean(r["total"] for r in women)),
        "median_gap_pct": gap(statistics.median(r["total"] for r in men),
                              statistics.median(r["total"] for r in women)),
        "variable": {
            "mean_gap_pct": gap(mean_or_none(m_var), mean_or_none(w_var)),
            "median_gap_pct": gap(median_or_none(m_var), median_or_none(w_var)),
            "share_receiving": {"female": len(w_var) / len(women), "male": len(m_var) / len(men)},
        },
        "quartiles": [
            {"band": i + 1, "n": n, "female_share": w / n, "male_share": (n - w) / n}
            for i, (n, w) in enumerate(bands)
        ],
        "categories": categories,
        "adjusted_gap_pct": (1 - math.exp(fit.params["female"])) * 100,
    }  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_koers_paygap_equals_the_reference_on_generated_data(tmp_path: Path, seed: int) -> None:
    rows = generate(700, seed)
    path = tmp_path / "generated.csv"
    write_dutch_csv(rows, path)
    result = CliRunner().invoke(main, ["paygap", str(path), "--on", ON.isoformat(), "--json"])
    assert result.exit_code == 0, result.stderr
    assert_same(json.loads(result.stdout), reference(rows, ON))


def test_seed_1_has_a_tied_group_straddling_the_first_band_boundary() -> None:
    rows = generate(700, 1)
    reference(rows, ON)  # adds r["total"]
    staff = [
        r for r in rows
        if r["hire"] <= ON and (r["exit"] is None or r["exit"] >= ON)
        and r["layer"] != "rvc" and r["gender"] in "VM"
    ]  # fmt: skip
    pays = sorted(round(r["total"], 2) for r in staff)
    boundary = (len(pays) + 3) // 4  # band 1 holds q + 1 when r >= 1
    assert pays[boundary - 1] == pays[boundary]
