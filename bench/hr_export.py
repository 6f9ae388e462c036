"""A seeded, realistic Dutch HR export (Excel CSV) for the HR-file benchmark.

What a Dutch HR system hands over: Windows-1252, ``;`` separators, CRLF, a
title line above the header, Dutch column names, ``d-m-yyyy`` dates, amounts
with thousands dots and decimal commas (some with ``€``), gender codes in
several spellings, ja/nee, education in capitals, empty cells for "none".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

ON = dt.date(2026, 6, 30)
HEADER = (
    "Personeelsnummer;Geslacht;Geboortejaar;Datum in dienst;Datum uit dienst;Functie;"
    "Schaal;Technische functie;Managementlaag;Uren per week;Bruto jaarsalaris;"
    "Variabele beloning;Opleidingsniveau;Afdeling;Laatste promotie;Opleidingskosten"
)
FAMILIES = [
    "Monteur",
    "Technicus",
    "Engineer",
    "Planner",
    "Projectleider",
    "Medewerker financiën",
    "HR-adviseur",
    "Calculator",
    "Werkvoorbereider",
    "Servicemonteur",
    "Tekenaar",
    "Inkoper",
]
TECHNICAL = {
    "Monteur",
    "Technicus",
    "Engineer",
    "Werkvoorbereider",
    "Servicemonteur",
    "Tekenaar",
}
DEPARTMENTS = ["Productie", "Service", "Engineering", "Staf", "Projecten", "Verkoop"]


def _dmy(days: np.ndarray) -> np.ndarray:
    """Dates as d-m-yyyy text (no leading zeros, as Excel writes them)."""
    stamps = pd.to_datetime(days.astype("datetime64[D]"))
    text = stamps.day.astype(str) + "-" + stamps.month.astype(str) + "-" + stamps.year.astype(str)
    return np.asarray(text, dtype=object)


def _amounts(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """45.123,50 style; one in ten written as € 45.123,50."""
    cents = np.round(values * 100).astype(np.int64)
    whole, frac = np.divmod(cents, 100)
    plain = [f"{w:,}".replace(",", ".") + f",{f:02d}" for w, f in zip(whole, frac, strict=True)]
    out = np.asarray(plain, dtype=object)
    euro = rng.random(len(out)) < 0.1
    out[euro] = "€ " + out[euro]
    return out


def generate(n: int, seed: int = 2026) -> bytes:
    """``n`` employees as the bytes of a Dutch Excel CSV export."""
    rng = np.random.default_rng(seed)
    gender = rng.choice(np.array(["female", "male", "other"]), n, p=[0.30, 0.68, 0.02])
    female = gender == "female"
    codes = {
        "female": np.array(["V", "v", "vrouw", "Vrouw"]),
        "male": np.array(["M", "m", "man", "Man"]),
        "other": np.array(["X", "anders"]),
    }
    written = np.empty(n, dtype=object)
    for g, spellings in codes.items():
        mask = gender == g
        written[mask] = rng.choice(spellings, int(mask.sum()), p=None)
    level = np.clip(rng.poisson(4.5 - 1.0 * female, n) + 4, 4, 16)
    family = np.array(FAMILIES)[rng.integers(0, len(FAMILIES), n)]
    technical = np.where(np.isin(family, list(TECHNICAL)), "ja", "nee")
    education = rng.choice(
        np.array(["MBO", "HBO", "WO", "PhD", ""]), n, p=[0.4, 0.3, 0.2, 0.03, 0.07]
    )
    birth_year = rng.integers(1960, 2006, n)
    hire = np.datetime64("1990-01-01") + rng.integers(0, 13_000, n).astype("timedelta64[D]")
    hire = np.minimum(hire, np.datetime64(ON))
    leaves = rng.random(n) < 0.12
    exit_date = hire + rng.integers(0, 6000, n).astype("timedelta64[D]")
    promoted = rng.random(n) < 0.3
    promotion = hire + rng.integers(0, 4000, n).astype("timedelta64[D]")
    hours = rng.choice(np.array(["16", "24", "32", "36", "38", "40", "32,5"]), n,
                       p=[0.03, 0.1, 0.2, 0.22, 0.15, 0.25, 0.05])  # fmt: skip
    hours_num = np.array([float(h.replace(",", ".")) for h in hours])
    tenure = (np.datetime64(ON) - hire).astype(np.float64) / 365.25
    log_hourly = (
        2.6 + 0.08 * (level - 3) + 0.004 * (ON.year - birth_year) + 0.003 * tenure
        + 0.05 * (education == "WO") - 0.04 * female + rng.normal(0, 0.12, n)
    )  # fmt: skip
    salary = np.round(np.exp(log_hourly) * hours_num * 52, 2)
    variable = np.where(rng.random(n) < 0.3, np.round(rng.gamma(2.0, 900.0, n), 2), 0.0)
    layer = rng.choice(np.array(["", "geen", "subtop", "directie", "RvC"]), n,
                       p=[0.80, 0.15, 0.035, 0.01, 0.005])  # fmt: skip
    training = np.where(rng.random(n) < 0.5, np.round(rng.gamma(2.0, 400.0, n), 2), 0.0)
    columns = [
        np.char.add("P", np.char.zfill(np.arange(1, n + 1).astype(str), 7)).astype(object),
        written,
        birth_year.astype(str).astype(object),
        _dmy(hire),
        np.where(leaves, _dmy(exit_date), ""),
        family.astype(object),
        level.astype(str).astype(object),
        technical.astype(object),
        layer.astype(object),
        hours.astype(object),
        _amounts(salary, rng),
        np.where(variable > 0, _amounts(variable, rng), ""),
        education.astype(object),
        np.array(DEPARTMENTS, dtype=object)[rng.integers(0, len(DEPARTMENTS), n)],
        np.where(promoted, _dmy(promotion), ""),
        np.where(training > 0, _amounts(training, rng), ""),
    ]
    body = pd.DataFrame({i: c for i, c in enumerate(columns)}).to_csv(
        sep=";", header=False, index=False, lineterminator="\r\n"
    )
    title = f"Personeelsoverzicht per {ON.day}-{ON.month}-{ON.year};;;\r\n"
    return (title + HEADER + "\r\n" + body).encode("cp1252")
