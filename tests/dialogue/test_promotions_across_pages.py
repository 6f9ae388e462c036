"""The calculator's promotion table beside the Gender Scan: subtraction across the two pages.

A manager or works-council member (``scan.view`` without ``scan.view_all_figures``) sees the
scan's figures (promotions, headcounts, part-timers, leavers by gender, for every fixed
period) and, on ``/keuzes/``, the calculator's part-time/full-time promotion table. The
attacker here takes every figure both pages show this viewer, turns each into the set of
people it counts (defined here from the scan's documented definitions, independently of the
production code) and looks for any linear combination (every sum and
difference) whose people are fewer than k (``tests/subtraction.py``: an exact rank test per
candidate group of small atoms, not the one of ``koers.stats.release.ReleasedFamily``).

Found (issue: outside review): where every part-timer is a woman, the scan shows 7
promotions of women and 0 part-time men, the calculator 5 promotions of part-timers, so
7 − 5 = 2 full-time women were promoted, a group under k that neither page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from koers.dialogue.promotions import promotion_by_hours
from koers.organisations.models import Role
from koers.scan.periods import Period, default_fixed_period, fixed_periods
from koers.scan.report import build_context
from koers.scan.services import store_snapshot
from koers.stats.disclosure import suppress_with_margins
from tests import subtraction

K = 5
REF = dt.date(2026, 6, 30)
GENDERS = ("female", "male", "other")
PERIOD = default_fixed_period(REF)  # the calendar year 2025, the calculator's period


def _org(groups: Iterable[tuple[str, float, int, int]], *, seed: int = 0) -> pd.DataFrame:
    """People per (gender, hours, how many, of whom promoted in 2025), all hired in 2020."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    for gender, hours, n, promoted in groups:
        for i in range(n):
            rows.append(
                {
                    "employee_id": f"{gender[0]}{hours:g}-{i}",
                    "gender": gender,
                    "birth_year": 1980.0,
                    "hire_date": "2020-01-01",
                    "exit_date": None,
                    "job_family": "Zorg",
                    "job_level": "5",
                    "is_technical": False,
                    "management_layer": "none",
                    "hours_per_week": hours,
                    "annual_base_salary": round(hours * (1000 + int(rng.integers(0, 400))), 2),
                    "annual_variable_pay": 0.0,
                    "education": "hbo",
                    "last_promotion_date": "2025-04-15" if i < promoted else None,
                    "training_spend": 0.0,
                }
            )
    frame = pd.DataFrame(rows)
    for column in ("hire_date", "exit_date", "last_promotion_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    frame["is_technical"] = frame["is_technical"].astype("boolean")
    return frame


# All part-timers are women: the leak the review found.
ALL_PART_TIMERS_WOMEN = [
    ("female", 24.0, 20, 5),
    ("female", 40.0, 10, 2),
    ("male", 40.0, 30, 6),
]
# 2 part-time women promoted: the calculator's own rule hides the promotions already.
TWO_PART_TIME_WOMEN = [
    ("female", 24.0, 20, 2),
    ("male", 24.0, 6, 0),
    ("female", 40.0, 10, 5),
    ("male", 40.0, 30, 6),
]


# -- the attacker -------------------------------------------------------------------------------


def _days(frame: pd.DataFrame, column: str) -> np.ndarray:
    return np.asarray(frame[column].to_numpy(), dtype="datetime64[D]")


def _in_service(frame: pd.DataFrame, day: dt.date) -> np.ndarray:
    d = np.datetime64(day, "D")
    left = _days(frame, "exit_date")
    return (_days(frame, "hire_date") <= d) & ~(left < d)


def scan_figures(frame: pd.DataFrame, r: dict[str, Any], period: Period) -> list[np.ndarray]:
    """The sets of people behind every count the scan page shows for ``period``."""
    gender = frame["gender"].to_numpy()
    part = frame["hours_per_week"].to_numpy() < 35
    now = _in_service(frame, REF)
    lo, hi = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    hire, left = _days(frame, "hire_date"), _days(frame, "exit_date")
    promoted = _days(frame, "last_promotion_date")
    flows = {
        "headcount_start": _in_service(frame, period.start),
        "headcount_end": _in_service(frame, period.end),
        "hires": (hire > lo) & (hire <= hi),
        "leavers": (left >= lo) & (left < hi),
        "promotions": (promoted > lo) & (promoted <= hi),
    }
    sets: list[tuple[Any, np.ndarray]] = []
    for g in GENDERS:
        sets.append((r["population"]["counts"][g], now & (gender == g)))
        sets.append((r["work"]["by_gender"][g]["n_part_time"], now & (gender == g) & part))
        for figure, rows in flows.items():
            sets.append((r["flows"]["figures"][figure][g], rows & (gender == g)))
        for table in ("pipeline", "technical", "management"):
            for row in r[table]:
                # One level, one kind, no layers: a row is everyone or no one.
                rows = now if row["n_total"] != 0 else np.zeros_like(now)
                sets.append((row[f"n_{g}"], rows & (gender == g)))
    sets.append((r["population"]["n_total"], now))
    for figure, rows in flows.items():
        sets.append((r["flows"]["totals"][figure], rows))
    leavers = flows["leavers"]
    sets.append((r["work"]["outflow"]["part_time"]["leavers"], leavers & part))
    sets.append((r["work"]["outflow"]["full_time"]["leavers"], leavers & ~part))
    shown = []
    for value, rows in sets:
        if value is None:
            continue
        assert value == int(rows.sum()), "the attacker's set does not match the page"
        shown.append(rows)
    return shown


def calculator_figures(frame: pd.DataFrame, table: dict[str, Any]) -> list[np.ndarray]:
    """The sets behind the calculator's shown counts (its population: in service on start)."""
    part = frame["hours_per_week"].to_numpy() < 35
    population = _in_service(frame, PERIOD.start)
    lo, hi = np.datetime64(PERIOD.start, "D"), np.datetime64(PERIOD.end, "D")
    day = _days(frame, "last_promotion_date")
    promoted = (day > lo) & (day <= hi)
    shown = []
    for name, mask in (("part_time", part), ("full_time", ~part)):
        group = table["groups"][name]
        for value, rows in (
            (group["n"], population & mask),
            (group["promoted"], population & mask & promoted),
        ):
            if value is not None:
                assert value == int(rows.sum())
                shown.append(rows)
    return shown


def smallest_isolated(sets: list[np.ndarray], k: int = K) -> int | None:
    return subtraction.smallest_isolated(sets, k)


def everything_shown(frame: pd.DataFrame, table: dict[str, Any]) -> list[np.ndarray]:
    sets = calculator_figures(frame, table)
    for period in fixed_periods(REF):
        r = build_context(frame, REF, period=period, hr=False, k=K)
        sets += scan_figures(frame, r, period)
    return sets


def margins_only(frame: pd.DataFrame) -> dict[str, Any]:
    """The table as the margins rule alone would show it outside HR (the rule before the
    finding): the 2 × 2 table suppressed with its margins, nothing else."""
    table = promotion_by_hours(frame, PERIOD.start, PERIOD.end, hr=True, k=K)
    assert table is not None
    part = frame["hours_per_week"].to_numpy() < 35
    population = _in_service(frame, PERIOD.start)
    lo, hi = np.datetime64(PERIOD.start, "D"), np.datetime64(PERIOD.end, "D")
    day = _days(frame, "last_promotion_date")
    promoted = (day > lo) & (day <= hi)
    cells = np.array(
        [
            [int(np.sum(population & m & promoted)), int(np.sum(population & m & ~promoted))]
            for m in (part, ~part)
        ]
    )
    hidden = suppress_with_margins(cells, K)
    for i, name in enumerate(("part_time", "full_time")):
        group = table["groups"][name]
        group["n"] = None if hidden[i, 2] else group["n"]
        group["promoted"] = None if hidden[i, 0] else group["promoted"]
    return table


def outside_hr(frame: pd.DataFrame) -> dict[str, Any]:
    table = promotion_by_hours(frame, PERIOD.start, PERIOD.end, hr=False, k=K)
    assert table is not None
    return table


# -- the tests ----------------------------------------------------------------------------------


def test_the_attacker_finds_the_full_time_women_beside_a_table_with_margins_only() -> None:
    frame = _org(ALL_PART_TIMERS_WOMEN)
    alone = margins_only(frame)
    # Each page passes its own rule: every calculator cell is 5 or more.
    assert alone["groups"]["part_time"]["promoted"] == 5
    assert alone["groups"]["full_time"]["promoted"] == 8
    r = build_context(frame, REF, period=PERIOD, hr=False, k=K)
    assert r["flows"]["figures"]["promotions"]["female"] == 7
    assert r["work"]["by_gender"]["male"]["n_part_time"] == 0
    # women promoted − part-timers promoted = full-time women promoted: 7 − 5 = 2.
    assert smallest_isolated(everything_shown(frame, alone)) == 2


def test_outside_hr_the_table_shows_nothing_and_nothing_subtracts() -> None:
    frame = _org(ALL_PART_TIMERS_WOMEN)
    table = outside_hr(frame)
    assert all(v is None for g in table["groups"].values() for v in g.values())
    assert smallest_isolated(everything_shown(frame, table)) is None


@pytest.mark.parametrize("seed", range(4))
def test_random_small_organisations_never_leak_across_the_pages(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    groups = []
    for gender in ("female", "male"):
        for hours in (24.0, 40.0):
            n = int(rng.integers(0, 25))
            groups.append((gender, hours, n, int(rng.binomial(n, 0.3))))
    frame = _org(groups, seed=seed)
    assert smallest_isolated(everything_shown(frame, outside_hr(frame))) is None


@pytest.mark.django_db
def test_through_the_pages_a_manager_sees_no_promotions_that_subtract(
    client: Any, org_a: Any, member_of: Any
) -> None:
    frame = _org(ALL_PART_TIMERS_WOMEN)
    snapshot = store_snapshot(org_a, REF, frame)
    for role in (Role.MANAGER, Role.WORKS_COUNCIL):
        client.force_login(member_of(role))
        page = client.get(reverse("dialogue_costs"))
        table = page.context["promotions"][0]
        url = reverse("scan_snapshot", kwargs={"org": org_a.slug, "pk": snapshot.pk})
        sets = calculator_figures(frame, table)
        for period in fixed_periods(REF):
            r = client.get(url, {"periode": period.code}).context["r"]
            sets += scan_figures(frame, r, period)
        assert all(v is None for g in table["groups"].values() for v in g.values())
        assert "Deze tabel ziet alleen HR" in page.content.decode()
        assert smallest_isolated(sets) is None
    client.force_login(member_of(Role.HR_ANALYST))
    hr = client.get(reverse("dialogue_costs")).context["promotions"][0]
    assert (hr["groups"]["part_time"]["promoted"], hr["groups"]["full_time"]["promoted"]) == (5, 8)
