"""The Gender Scan by itself: subtraction of the counts a works-council member sees.

A viewer outside HR sees, for every fixed period (``koers.scan.periods``), the scan's counts
as the solved ledger lets them through (``koers.scan.disclose.build_ledger``). The attacker
here turns every shown count into the set of people it counts (defined here from the scan's
documented definitions, not by the production code), and looks for a combination of the
shown counts (any sums and differences) that is a *count* of fewer than k people: nonzero
only on a group of 1 to k − 1 people, and of one sign on every person it can involve.

"Every person it can involve" includes people the snapshot happens not to have. A headcount
at the end of a quarter minus the one at its start is the quarter's hires minus its leavers;
when nobody left, the difference is +1 on each hire only, but the viewer cannot know that
nobody left (those counts are hidden), so it tells them hires − leavers, not how many were
hired. The attacker therefore adds hypothetical people (a hire, a leaver and a promoted
person of each gender, part-time and full-time, in each quarter): they are in no atom and
count as no one, but a combination must not have the opposite sign on them.

Found (review of 2026-12-08) in the demo organisation of 160 (``generate_rows(160, seed=11)``):
the promotions of men in 2024 (9) minus those of 2024-Q3 (5) are the 4 men promoted in the
other three quarters, each of which was hidden. The ledger now protects the hidden parts of
a sum together (``Ledger._sum_leak``), and the cells of a whole table as the hidden parts of
the headcount (at 300 people: the headcount − the "no layer" row − the men on the board and
in the subtop = the 2 women on the board and in the subtop). Still open (xfail below): at
200 and 300 people a count of 2 women and of 4 people from headcounts and flows of several
quarters. What
remains in the demo (``smallest_isolated`` still finds 2) are
differences: men's headcount on 30 September 2025 minus 30 June 2025 = 1 man hired − 1 man
who left = 0; headcount on 31 March 2024 minus 31 December 2023 = 2 hires − nobody = 2
(hires − leavers; the leavers are hidden).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.disclose import build_ledger
from koers.scan.ledger import Ledger
from koers.scan.periods import fixed_periods
from koers.stats.paygap import compute_pay_gap
from tests import subtraction

K = 5
REF = dt.date(2026, 6, 30)
GENDERS = ("female", "male", "other")
PERIODS = fixed_periods(REF)
PAY_KEYS = ("qn", "q", "recv", "adj", "N")  # pay counts: not mapped to people (privacy.md)


def _frame(n: int, seed: int) -> pd.DataFrame:
    raw = read_table(
        dutch_export(generate_rows(n, seed=seed, reference_date=REF)), filename="x.csv"
    )
    return check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF).employees


def _phantoms(frame: pd.DataFrame) -> pd.DataFrame:
    """Hypothetical people of every kind the shown counts tell apart.

    In service throughout, of every gender, job level, kind of function, management layer
    and part-time or full-time; and per quarter, gender and hours: hired in it, left in
    it, promoted in it, and hired in one quarter and gone in the same or a later one.
    """
    template = frame.iloc[0].to_dict()
    always = {
        **template,
        "hire_date": pd.Timestamp("2000-01-01"),
        "exit_date": pd.NaT,
        "last_promotion_date": pd.NaT,
        "management_layer": "none",
    }
    rows = []
    levels = sorted(set(frame["job_level"].dropna()), key=str)
    for gender, hours, level, technical, layer in itertools.product(
        GENDERS, (24.0, 40.0), levels, (True, False), ("board", "subtop", "none")
    ):
        rows.append(
            {
                **always,
                "gender": gender,
                "hours_per_week": hours,
                "job_level": level,
                "is_technical": technical,
                "management_layer": layer,
            }
        )
    middles = [pd.Timestamp(p.start + (p.end - p.start) / 2) for p in PERIODS if not p.is_year]
    for gender, hours in itertools.product(GENDERS, (24.0, 40.0)):
        base = {**always, "gender": gender, "hours_per_week": hours}
        for i, mid in enumerate(middles):
            rows += [
                {**base, "hire_date": mid},
                {**base, "exit_date": mid},
                {**base, "last_promotion_date": mid},
            ]
            rows += [{**base, "hire_date": mid, "exit_date": later} for later in middles[:i]]
    return pd.DataFrame(rows).astype(frame.dtypes.to_dict())


def _days(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.asarray(pd.to_datetime(frame[column]).to_numpy(), dtype="datetime64[D]")


def people_sets(frame: pd.DataFrame) -> dict[Any, np.ndarray]:
    """Each ledger count's people, from the scan's definitions (docs/gender-scan, flows)."""
    gender = frame["gender"].to_numpy()
    layer = frame["management_layer"].astype(str).to_numpy()
    board = layer == "supervisory_board"
    hire, leave, promoted = (
        _days(frame, c) for c in ("hire_date", "exit_date", "last_promotion_date")
    )

    def employed(day: dt.date) -> np.ndarray:
        d = np.datetime64(day, "D")
        return (hire <= d) & ~(leave < d)

    sets: dict[Any, np.ndarray] = {}

    def per_gender(key: tuple[Any, ...], rows: np.ndarray) -> None:
        sets[key] = rows
        for g in GENDERS:
            sets[(*key, g)] = rows & (gender == g)

    now = employed(REF) & ~board
    per_gender(("T",), now)
    part = frame["hours_per_week"].to_numpy(dtype=float) < 35
    for g in GENDERS:
        sets[("pt", g)] = now & (gender == g) & part
    for name, column, rows in (
        ("pipeline", "job_level", now),
        ("technical", "is_technical", now),
        ("management", "management_layer", employed(REF)),
    ):
        values = frame[column].astype(str).to_numpy()
        for value in set(values[rows]):
            per_gender((name, str(value)), rows & (values == value))
    for period in PERIODS:
        for day in (period.start, period.end):
            per_gender(("T",) if day == REF else ("H", day), employed(day) & ~board)
        lo, hi = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
        per_gender(("hires", period.code), ~board & (hire > lo) & (hire <= hi))
        leavers = ~board & (leave >= lo) & (leave < hi)
        per_gender(("leavers", period.code), leavers)
        sets[("leavers_part_time", period.code)] = leavers & part
        sets[("leavers_full_time", period.code)] = leavers & ~part
        per_gender(("promotions", period.code), ~board & (promoted > lo) & (promoted <= hi))
    return sets


def shown(ledger: Ledger, frame: pd.DataFrame) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """The keys the viewer sees, their sets over the real people and over the phantoms."""
    phantoms = _phantoms(frame)
    real = people_sets(frame)
    both = people_sets(pd.concat([frame, phantoms], ignore_index=True))
    keys, columns = [], []
    for key in ledger.keys():
        value = ledger.value(key)
        if value is None or key[0] in PAY_KEYS:
            continue
        rows = real.get(key, np.zeros(len(frame), dtype=bool))
        assert int(rows.sum()) == value, f"the attacker's set for {key!r} does not match"
        keys.append(key)
        columns.append(both.get(key, np.zeros(len(frame) + len(phantoms), dtype=bool)))
    matrix = np.column_stack(columns).astype(np.float64)
    return keys, matrix[: len(frame)], matrix[len(frame) :]


def smallest_counted(
    people: np.ndarray, phantoms: np.ndarray, k: int = K
) -> tuple[int, np.ndarray] | None:
    """The fewest real people (< k) a combination of the columns *counts*, and its weights.

    A combination counts a group when it is zero on every other real person, positive on
    the group, and positive or zero on every phantom (or all of that with the signs turned).
    Exact, as one mixed-integer programme: weights c free, the combination's value v on
    each small atom in [0, z] with z = 1 when the atom is in the group, Σ v = 1, zero on
    every atom of k or more, ≥ 0 on the phantoms; minimise the people in the group.
    """
    atoms, sizes = np.unique(people, axis=0, return_counts=True)
    keep = atoms.any(axis=1)
    atoms, sizes = atoms[keep], sizes[keep]
    small = sizes < k
    if not small.any():
        return None
    m, s = atoms.shape[1], int(small.sum())
    on_small = atoms[small]
    # Variables: the weights c (m, free), then one binary z per small atom.
    rows = [
        (np.hstack([atoms[~small], np.zeros((int((~small).sum()), s))]), 0.0, 0.0),
        (np.hstack([on_small, np.zeros((s, s))]), 0.0, np.inf),  # v ≥ 0
        (np.hstack([on_small, -np.eye(s)]), -np.inf, 0.0),  # v ≤ z
        (np.hstack([on_small.sum(axis=0, keepdims=True), np.zeros((1, s))]), 1.0, 1.0),
        (np.hstack([phantoms, np.zeros((len(phantoms), s))]), 0.0, np.inf),
    ]
    constraints = [LinearConstraint(a, lo, hi) for a, lo, hi in rows if a.shape[0]]
    result = milp(
        np.concatenate([np.zeros(m), sizes[small].astype(float)]),
        constraints=constraints,
        integrality=np.concatenate([np.zeros(m), np.ones(s)]),
        bounds=Bounds(
            np.concatenate([np.full(m, -np.inf), np.zeros(s)]),
            np.concatenate([np.full(m, np.inf), np.ones(s)]),
        ),
    )
    if result.status != 0 or result.fun >= k - 0.5:
        return None
    return int(round(result.fun)), result.x[:m]


def _ledger(frame: pd.DataFrame) -> Ledger:
    return build_ledger(frame, REF, PERIODS, K, pay=compute_pay_gap(frame, REF))


def _counted_keys(keys: Sequence[Any], weights: np.ndarray) -> dict[Any, float]:
    return {key: round(float(w), 6) for key, w in zip(keys, weights, strict=True) if abs(w) > 1e-7}


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return _frame(160, 11)


def test_a_year_minus_its_shown_quarter_does_not_count_the_other_quarters(
    demo: pd.DataFrame,
) -> None:
    ledger = _ledger(demo)
    year, q3 = ("promotions", "2024", "male"), ("promotions", "2024-Q3", "male")
    assert (ledger.true_value(year), ledger.true_value(q3)) == (9, 5)
    # 9 − 5 = 4 men promoted in 2024-Q1, Q2 and Q4 (each hidden): not both may be shown.
    assert not ledger.is_shown(year, q3)
    for figure in ("hires", "leavers", "promotions"):
        for period in (p for p in PERIODS if p.is_year):
            for g in (*GENDERS, None):
                tail = () if g is None else (g,)
                keys = [(figure, q, *tail) for q in period.quarters]
                total = (figure, period.code, *tail)
                if total not in ledger or not ledger.is_shown(total):
                    continue
                rest = ledger.true_value(total) - sum(
                    ledger.true_value(q) for q in keys if ledger.is_shown(q)
                )
                assert rest == 0 or rest >= K, (total, rest)


def test_the_demo_scan_counts_no_group_under_k_for_a_works_council_member(
    demo: pd.DataFrame,
) -> None:
    ledger = _ledger(demo)
    keys, people, phantoms = shown(ledger, demo)
    found = smallest_counted(people, phantoms)
    assert found is None, _counted_keys(keys, found[1]) if found else None
    # What the exact attacker still finds: differences of two hidden small counts (men's
    # headcount 30-9-2025 − 30-6-2025 = 1 hire − 1 leaver; 31-3-2024 − 31-12-2023 = 2 hires −
    # 0 leavers). Without the phantoms the second looks like a count of the 2 hires: the
    # snapshot has no leaver that quarter, which the viewer is not shown.
    assert subtraction.smallest_isolated(list(people.T.astype(bool)), K) == 2
    found = smallest_counted(people, phantoms[:0])
    assert found is not None
    assert found[0] == 2
    weights = _counted_keys(keys, found[1])
    assert set(weights) == {("H", dt.date(2024, 3, 31)), ("H", dt.date(2023, 12, 31))}


OPEN = "open: a count under k across periods that the ledger's identities miss"


@pytest.mark.parametrize(
    ("n", "seed"),
    [
        (60, 1),
        (90, 2),
        (120, 3),
        # 2 women (hired 12-2024, gone 7-2025; hired 2-2025 part-time) from 15 flow counts.
        pytest.param(200, 4, marks=pytest.mark.xfail(strict=True, reason=OPEN)),
        # 4 people from the headcounts and flows of several quarters.
        pytest.param(300, 5, marks=pytest.mark.xfail(strict=True, reason=OPEN)),
    ],
)
def test_random_small_organisations_count_no_group_under_k(n: int, seed: int) -> None:
    frame = _frame(n, seed)
    keys, people, phantoms = shown(_ledger(frame), frame)
    found = smallest_counted(people, phantoms)
    assert found is None, _counted_keys(keys, found[1]) if found else None
