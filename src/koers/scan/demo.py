"""Demo content: a synthetic HR export of a 1,200-person engineering firm, imported as a scan.

The file is generated in code from a seeded random generator (nobody real is
in it) and written the way a Dutch HR system exports it: a title line, Dutch
headers, ``;`` separators, Windows-1252, CRLF, ``d-m-jjjj`` dates, amounts as
``€ 45.123,50``. Built in are the patterns a Gender Scan is meant to find, so
the demo shows improvement areas: fewer women per level up (leaky pipeline),
more part-time work and outflow among women, fewer promotions for women, and
a few categories with a pay gap of 5 % or more. Tests and the browser tests
use :func:`generate_rows` and :func:`dutch_export` to make their own files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from koers.organisations.models import Organisation

DEMO_REFERENCE_DATE = dt.date(2026, 6, 30)
DEMO_FILENAME = "afas_export_personeel_2026-06-30.csv"

# Canonical column -> Dutch export header (the spec's aliases, as AFAS-like exports write them).
DUTCH_HEADERS = {
    "employee_id": "Personeelsnummer",
    "gender": "Geslacht",
    "birth_year": "Geboortejaar",
    "hire_date": "Datum in dienst",
    "exit_date": "Datum uit dienst",
    "job_family": "Functie",
    "job_level": "Schaal",
    "is_technical": "Technische functie",
    "management_layer": "Managementlaag",
    "hours_per_week": "Uren per week",
    "annual_base_salary": "Bruto jaarsalaris",
    "annual_variable_pay": "Variabele beloning",
    "education": "Opleidingsniveau",
    "department": "Afdeling",
    "last_promotion_date": "Laatste promotie",
    "training_spend": "Opleidingskosten",
}
# The optional leave columns (docs/hr-data.md), written only when the rows have them.
LEAVE_HEADERS = {
    "leave_type": "Soort verlof",
    "leave_return_date": "Datum terugkeer verlof",
}
_LEAVE_NAMES = {
    "maternity": "Zwangerschapsverlof",
    "paternity": "Geboorteverlof",
    "parental": "Ouderschapsverlof",
    "carer": "Zorgverlof",
}

_TECHNICAL = [
    ("Monteur", 4, 7),
    ("Elektrotechnicus", 5, 9),
    ("Werkvoorbereider", 6, 9),
    ("Constructeur", 7, 10),
    ("Software engineer", 7, 11),
    ("Engineer", 8, 12),
    ("Projectleider techniek", 9, 12),
    ("Technisch manager", 11, 13),
]
_STAFF = [
    ("Servicedesk", 4, 7),
    ("Administratief medewerker", 4, 6),
    ("Inkoper", 6, 9),
    ("Marketingmedewerker", 6, 9),
    ("HR-adviseur", 7, 10),
    ("Controller", 8, 11),
    ("Manager bedrijfsvoering", 10, 13),
]
_LEVELS = np.arange(4, 14)
_LEVEL_WEIGHTS = np.array([8, 12, 14, 14, 13, 11, 10, 8, 6, 4], dtype=float)
# Categories where women are paid less on top of the general gap (Art. 10 flags).
_GAP_CATEGORIES = {("Software engineer", 9): 0.075, ("Projectleider techniek", 11): 0.08}


def _day(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    span = max(0, (end - start).days)
    return start + dt.timedelta(days=int(rng.integers(0, span + 1)))


def _person(
    rng: np.random.Generator, number: int, ref: dt.date, female_shift: float = 0.0
) -> dict[str, Any]:
    technical = bool(rng.random() < 0.72)
    level = int(rng.choice(_LEVELS, p=_LEVEL_WEIGHTS / _LEVEL_WEIGHTS.sum()))
    families = [f for f, lo, hi in (_TECHNICAL if technical else _STAFF) if lo <= level <= hi]
    family = str(rng.choice(families))
    p_female = (0.26 - 0.019 * (level - 4)) if technical else (0.64 - 0.03 * (level - 4))
    p_female += female_shift
    female = bool(rng.random() < p_female)
    age = int(np.clip(round(24 + 1.6 * (level - 4) + rng.normal(0, 8)), 19, 66))
    tenure = float(min(rng.exponential(7.5), age - 18))
    hire = ref - dt.timedelta(days=int(tenure * 365.25))
    if female:
        hours = float(rng.choice([40, 36, 32, 28, 24], p=[0.38, 0.12, 0.3, 0.12, 0.08]))
    else:
        hours = float(rng.choice([40, 38, 36, 32], p=[0.72, 0.12, 0.09, 0.07]))
    if level <= 6:
        education = str(rng.choice(["mbo", "hbo", ""], p=[0.75, 0.2, 0.05]))
    elif level <= 9:
        education = str(rng.choice(["mbo", "hbo", "wo", ""], p=[0.2, 0.6, 0.15, 0.05]))
    else:
        education = str(rng.choice(["hbo", "wo", "phd"], p=[0.45, 0.45, 0.1]))
    full_time = 30000.0 * 1.12 ** (level - 4) * (1 + 0.012 * min(tenure, 10))
    full_time *= 1 + rng.normal(0, 0.012)
    if female:
        full_time *= 1 - 0.025 - _GAP_CATEGORIES.get((family, level), 0.0)
    base = round(full_time * hours / 40, 2)
    p_bonus = (0.1 + 0.05 * (level - 4)) * (0.75 if female else 1.0)
    variable = round(base * rng.uniform(0.03, 0.12), 2) if rng.random() < p_bonus else 0.0
    window = ref - dt.timedelta(days=3 * 365)
    promoted = None
    if rng.random() < (0.15 if female else 0.36) and hire < window:
        promoted = _day(rng, window, ref)
    training = round(max(0.0, rng.normal(850 if female else 1100, 400)) * hours / 40, 2)
    if technical:
        department = str(rng.choice(["Engineering", "Productie", "Service", "R&D"]))
    else:
        department = str(rng.choice(["Staf", "Service"]))
    exit_date = None
    p_leave = (0.24 if hours < 35 else 0.15) if female else 0.12
    if rng.random() < p_leave:
        start = max(hire + dt.timedelta(days=60), ref - dt.timedelta(days=730))
        if start < ref - dt.timedelta(days=1):
            exit_date = _day(rng, start, ref - dt.timedelta(days=1))
            if promoted and promoted > exit_date:
                promoted = None
    return {
        "employee_id": str(10000 + number),
        "gender": "V" if female else "M",
        "birth_year": ref.year - age,
        "hire_date": hire,
        "exit_date": exit_date,
        "job_family": family,
        "job_level": str(level),
        "is_technical": technical,
        "management_layer": "",
        "hours_per_week": hours,
        "annual_base_salary": base,
        "annual_variable_pay": variable,
        "education": education,
        "department": department,
        "last_promotion_date": promoted,
        "training_spend": training,
    }


def generate_rows(
    n_staff: int = 1200,
    *,
    seed: int = 2026,
    reference_date: dt.date = DEMO_REFERENCE_DATE,
    female_shift: float = 0.0,
) -> list[dict[str, Any]]:
    """About ``n_staff`` people in service on ``reference_date``, plus the leavers of the
    two years before it and a supervisory board of five (canonical values, Python types).
    ``female_shift`` is added to every person's chance of being a woman (the demo's
    earlier years have fewer women)."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    number = n_in_service = 0
    while n_in_service < n_staff:
        number += 1
        person = _person(rng, number, reference_date, female_shift)
        rows.append(person)
        n_in_service += person["exit_date"] is None
    in_service = [r for r in rows if r["exit_date"] is None]
    top = sorted(in_service, key=lambda r: (-int(r["job_level"]), r["employee_id"]))
    for i, row in enumerate(top[: max(1, n_staff // 35)]):
        row["management_layer"] = "Directie" if i < max(1, n_staff // 300) else "Subtop"
    for i, gender in enumerate(["V", "M", "V", "M", "M"][: max(1, min(5, n_staff // 100))]):
        rows.append(
            {
                "employee_id": f"RVC{i + 1:03d}",
                "gender": gender,
                "birth_year": reference_date.year - 58 + i,
                "hire_date": reference_date - dt.timedelta(days=900 + 200 * i),
                "job_family": "Raad van commissarissen",
                "management_layer": "RvC",
                "is_technical": False,
            }
        )
    return rows


def add_leave(
    rows: list[dict[str, Any]], reference_date: dt.date, seed: int
) -> list[dict[str, Any]]:
    """Give a few percent of the staff in service a latest return from leave in the two
    years before ``reference_date`` (about half of them in the last 12 months): maternity
    leave for women and paternity (birth) leave for men of 25 to 42, parental and carer's
    leave now and then. A random stream of its own, so every other column stays as
    :func:`generate_rows` made it."""
    rng = np.random.default_rng([seed, 17])
    for row in rows:
        draw, kind_draw, day_draw = rng.random(3)
        if row.get("exit_date") is not None or row.get("job_family") == "Raad van commissarissen":
            continue
        age = reference_date.year - int(row["birth_year"])
        young = 25 <= age <= 42
        female = row["gender"] == "V"
        p_birth = (0.07 if female else 0.05) if young else 0.0
        p_other = 0.02 if young else 0.006
        if draw >= p_birth + p_other:
            continue
        if draw < p_birth:
            kind = "maternity" if female else "paternity"
        else:
            kind = "parental" if young and kind_draw < 0.7 else "carer"
        days = int(day_draw * 730)
        back = reference_date - dt.timedelta(days=days)
        if back <= row["hire_date"]:
            continue
        row["leave_type"] = _LEAVE_NAMES[kind]
        row["leave_return_date"] = back
    return rows


def _cell(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if name == "is_technical":
        return "Ja" if value else "Nee"
    if name in ("annual_base_salary", "annual_variable_pay", "training_spend"):
        if not value:
            return ""
        whole, cents = f"{float(value):.2f}".split(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        return f"€ {'.'.join(groups)},{cents}"
    if name == "hours_per_week":
        number = float(value)
        return str(int(number)) if number.is_integer() else str(number).replace(".", ",")
    if name == "education":
        return str(value).upper() if value != "phd" else "PhD"
    return str(value)


def dutch_export(
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str | None = "Personeelsoverzicht Voorbeeld Techniek B.V. per 30-06-2026",
    overrides: Mapping[tuple[int, str], str] | None = None,
    encoding: str = "cp1252",
) -> bytes:
    """Rows as a Dutch Excel CSV export; ``overrides[(index, column)]`` replaces a cell's
    text (tests use it to put mistakes in the file). The leave columns are written only
    when some row has them (:func:`add_leave`)."""
    overrides = overrides or {}
    rows = list(rows)
    headers = dict(DUTCH_HEADERS)
    if any(name in row for row in rows for name in LEAVE_HEADERS):
        headers.update(LEAVE_HEADERS)
    lines = []
    if title:
        lines.append(title + ";" * (len(headers) - 1))
    lines.append(";".join(headers.values()))
    for index, row in enumerate(rows):
        cells = []
        for name in headers:
            text = overrides.get((index, name), _cell(name, row.get(name)))
            cells.append(f'"{text}"' if ";" in text else text)
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# The demo's yearly snapshots, oldest first: (reference date, staff, seed, female_shift).
# The latest is the one the dashboard opens on; the earlier two have fewer people and
# fewer women, so the trend page shows the share of women rising year on year.
DEMO_YEARS = (
    (dt.date(2024, 6, 30), 1120, 2024, -0.05),
    (dt.date(2025, 6, 30), 1160, 2025, -0.025),
    (DEMO_REFERENCE_DATE, 1200, 2026, 0.0),
)


def demo_rows(reference_date: dt.date) -> list[dict[str, Any]]:
    """The generated rows of the demo's snapshot on ``reference_date`` (one of DEMO_YEARS)."""
    for day, n_staff, seed, shift in DEMO_YEARS:
        if day == reference_date:
            rows = generate_rows(n_staff, seed=seed, reference_date=day, female_shift=shift)
            return add_leave(rows, day, seed)
    raise ValueError(f"the demo has no snapshot on {reference_date}")


def load_demo_scan(org: Organisation) -> str:
    """Import the demo exports as the demo organisation's three yearly snapshots (idempotent)."""
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.hrfile.columns import normalise_header
    from koers.scan.models import ColumnMapping, Snapshot
    from koers.scan.services import store_snapshot

    have = set(Snapshot.objects.for_org(org).values_list("reference_date", flat=True))
    for day, _n, _seed, _shift in DEMO_YEARS:
        if day in have:
            continue
        filename = f"afas_export_personeel_{day.isoformat()}.csv"
        title = f"Personeelsoverzicht Voorbeeld Techniek B.V. per {day:%d-%m-%Y}"
        raw = read_table(dutch_export(demo_rows(day), title=title), filename=filename)
        mapping = suggest_mapping(raw.headers)
        checked = check_for_import(parse_employees(raw, mapping), day)
        if checked.problems:
            raise RuntimeError(f"the demo HR file has problems: {checked.problems[:3]}")
        store_snapshot(org, day, checked.employees, filename=filename)
        saved, _ = ColumnMapping.objects.get_or_create(organisation=org)
        saved.mapping = {normalise_header(h): c for h, c in mapping.items()}
        saved.save()
    dates = ", ".join(f"{day:%d-%m-%Y}" for day, *_ in DEMO_YEARS)
    return f"Gender Scan demo: nulmetingen per {dates} geladen"
