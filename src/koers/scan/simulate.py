"""Simulated organisations for the improvement areas' false-alarm and power checks.

:func:`simulate_org` builds the canonical employee frame (the columns
``koers.hrfile`` produces) of an organisation in which, by default, women and
men are treated **identically**: the same chance to be promoted, to leave and
to get variable pay, hires drawn from the same share of women as the staff,
job level, family, management and pay set without regard to gender. Women work
part-time more often (that is a choice of hours, not a treatment; hourly pay
does not depend on hours). Every improvement rule's null hypothesis holds, so
every finding it reports is a false alarm. Keyword arguments put a real
difference in (``promotion_ratio=0.5``: women promoted half as often), for the
power check.

Used by ``tests/scan/test_false_alarms.py`` and ``bench/scan_findings_bench.py``;
pure (no Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

REFERENCE_DATE = dt.date(2026, 6, 30)
PERIOD_START = dt.date(2025, 6, 30)  # koers.scan.report.default_period(REFERENCE_DATE)

FAMILIES = ("Engineer", "Monteur", "Software engineer", "Projectleider", "Staf", "Inkoop")
LEVEL_WEIGHTS = np.array([8, 12, 14, 14, 13, 11, 10, 8, 6, 4], dtype=np.float64)
EDUCATION = np.array(["mbo", "hbo", "wo", "phd", "unknown"])

PROMOTION_P = 0.10  # per person in service at the start of the period
LEAVE_P = 0.12
HIRE_RATE = 0.12  # hires over the period, as a share of the staff at its start
VARIABLE_P = 0.30
PAY_SD = 0.06  # residual sd of log hourly pay within level, tenure and education


@dataclass(frozen=True)
class Effects:
    """Real differences between women and men; the defaults are identical treatment."""

    promotion_ratio: float = 1.0  # women's chance of promotion / men's
    leave_ratio: float = 1.0  # women's chance of leaving / men's
    hire_ratio: float = 1.0  # women's share of hires / their share of the staff
    pay_gap: float = 0.0  # women's hourly pay lower by this fraction (0.05 = 5 %)
    variable_ratio: float = 1.0
    training_ratio: float = 1.0
    management_ratio: float = 1.0  # women's chance of a management post / men's


def _days(start: dt.date, offsets: np.ndarray) -> np.ndarray:
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def simulate_org(
    rng: np.random.Generator, n_female: int, n_male: int, effects: Effects | None = None
) -> pd.DataFrame:
    """An organisation with ``n_female`` women and ``n_male`` men in service at the
    start of the period (30-06-2025), its hires and leavers up to 30-06-2026.

    Parameters
    ----------
    rng : the seeded generator (each call draws a new organisation)
    n_female, n_male : staff at the start of the period
    effects : real differences; None or ``Effects()`` for identical treatment
    """
    fx = effects or Effects()
    n_start = n_female + n_male
    female_share = n_female / n_start
    n_hires = int(rng.binomial(n_start, HIRE_RATE))
    hire_female = rng.random(n_hires) < min(1.0, female_share * fx.hire_ratio)
    female = np.concatenate(
        [np.arange(n_start) < n_female, hire_female]  # staff at the start, then the hires
    )
    n = len(female)
    hired_in_period = np.arange(n) >= n_start
    period = (REFERENCE_DATE - PERIOD_START).days

    level = rng.choice(np.arange(4, 14), n, p=LEVEL_WEIGHTS / LEVEL_WEIGHTS.sum())
    family = rng.choice(np.array(FAMILIES), n)
    age = np.clip(np.round(24 + 1.6 * (level - 4) + rng.normal(0, 8, n)), 19, 66)
    tenure_years = np.minimum(rng.exponential(7.0, n) + 1.0, age - 18)
    hire_offset = np.where(
        hired_in_period,
        rng.integers(1, period + 1, n),  # hired inside the period
        -np.round(tenure_years * 365.25).astype(np.int64),
    )
    hire_date = _days(PERIOD_START, hire_offset)
    education = np.where(
        level <= 6,
        rng.choice(EDUCATION, n, p=[0.7, 0.2, 0.02, 0.0, 0.08]),
        np.where(
            level <= 9,
            rng.choice(EDUCATION, n, p=[0.2, 0.55, 0.17, 0.03, 0.05]),
            rng.choice(EDUCATION, n, p=[0.05, 0.45, 0.4, 0.1, 0.0]),
        ),
    )
    part_time = rng.random(n) < np.where(female, 0.40, 0.15)
    hours = np.where(
        part_time, rng.choice([24.0, 28.0, 32.0], n), rng.choice([36.0, 38.0, 40.0], n)
    )

    edu_effect = {"mbo": 0.0, "hbo": 0.06, "wo": 0.1, "phd": 0.14, "unknown": 0.0}
    tenure_now = tenure_years + 1.0
    log_hourly = (
        np.log(17.0)
        + 0.1 * (level - 4)
        + 0.012 * np.minimum(tenure_now, 10)
        + np.vectorize(edu_effect.__getitem__)(education)
        + rng.normal(0, PAY_SD, n)
    )
    hourly = np.exp(log_hourly) * np.where(female, 1.0 - fx.pay_gap, 1.0)
    base = np.round(hourly * hours * 52, 2)
    p_variable = VARIABLE_P * np.where(female, fx.variable_ratio, 1.0)
    variable = np.where(
        rng.random(n) < p_variable, np.round(base * rng.uniform(0.03, 0.12, n), 2), 0.0
    )
    # Training spend is skewed: a third gets none, the rest a course of very unequal cost.
    course = rng.lognormal(np.log(900.0), 0.8, n) * np.where(female, fx.training_ratio, 1.0)
    training = np.where(rng.random(n) < 1 / 3, 0.0, np.round(course * hours / 40, 2))

    # Leaving: staff at the start leave with the same chance, on a uniform day of the period.
    p_leave = LEAVE_P * np.where(female, fx.leave_ratio, 1.0)
    leaves = ~hired_in_period & (rng.random(n) < p_leave)
    exit_offset = rng.integers(0, period, n)
    exit_date = np.where(
        leaves, _days(PERIOD_START, exit_offset), np.datetime64("NaT", "D")
    ).astype("datetime64[D]")

    # Promotion: staff at the start, the same chance, before they leave.
    p_promote = PROMOTION_P * np.where(female, fx.promotion_ratio, 1.0)
    promoted = ~hired_in_period & (rng.random(n) < p_promote)
    last_day = np.where(leaves, exit_offset, period)
    promoted &= last_day >= 1
    promo_offset = np.floor(rng.random(n) * np.maximum(last_day, 1)).astype(np.int64) + 1
    promotion_date = np.where(
        promoted, _days(PERIOD_START, np.minimum(promo_offset, period)), np.datetime64("NaT", "D")
    ).astype("datetime64[D]")
    # Earlier promotions (before the period) for some, as in a real file.
    earlier = ~promoted & (rng.random(n) < 0.3) & (hire_offset < -400)
    earlier_offset = -rng.integers(30, 365 * 3, n)
    promotion_date = np.where(
        earlier & (earlier_offset > hire_offset),
        _days(PERIOD_START, earlier_offset),
        promotion_date,
    ).astype("datetime64[D]")

    # Management: board and subtop drawn among the two highest levels of the staff in
    # service at the reference date, with weights that ignore gender by default.
    management = np.full(n, "none", dtype=object)
    in_service = ~leaves
    top = np.flatnonzero(in_service & (level >= 12))
    n_top = min(len(top), max(2, n_start // 30))
    if n_top:
        weight = np.where(female[top], fx.management_ratio, 1.0)
        chosen = rng.choice(top, n_top, replace=False, p=weight / weight.sum())
        management[chosen] = "subtop"
        management[chosen[: max(1, n_top // 8)]] = "board"

    return pd.DataFrame(
        {
            "source_row": np.arange(n) + 2,
            "employee_id": [f"E{i:05d}" for i in range(n)],
            "gender": np.where(female, "female", "male"),
            "birth_year": (REFERENCE_DATE.year - age).astype(np.float64),
            "hire_date": hire_date.astype("datetime64[s]"),
            "exit_date": exit_date.astype("datetime64[s]"),
            "job_family": family,
            "job_level": level.astype(str),
            "is_technical": pd.array(np.isin(family, FAMILIES[:4]), dtype="boolean"),
            "management_layer": management.astype(str),
            "hours_per_week": hours,
            "annual_base_salary": base,
            "annual_variable_pay": variable,
            "education": education,
            "department": family,
            "last_promotion_date": promotion_date.astype("datetime64[s]"),
            "training_spend": training,
        }
    )


Tally = dict[str, dict[str, int]]


def count_findings(
    sizes: Mapping[str, tuple[int, int]],
    n_orgs: int,
    *,
    seed: int = 13,
    effects: Effects | None = None,
    run: Callable[[pd.DataFrame], list[dict[str, object]]] | None = None,
) -> Tally:
    """How often each rule reports a finding or a signal, per size.

    Returns ``{size label: {"orgs": n, "<rule id>": findings, "<rule id>~signal": signals,
    "<rule id>~too_small": groups too small to judge}}``.
    ``run`` maps a frame to its findings (default: the real report path,
    ``build_context(frame, REFERENCE_DATE, hr=True)["findings"]``).
    """
    if run is None:
        from koers.scan.report import build_context

        def run(frame: pd.DataFrame) -> list[dict[str, object]]:
            findings: list[dict[str, object]] = build_context(frame, REFERENCE_DATE, hr=True)[
                "findings"
            ]
            return findings

    tally: Tally = {}
    for label, (n_female, n_male) in sizes.items():
        rng = np.random.default_rng([seed, n_female, n_male])
        counts: dict[str, int] = {"orgs": n_orgs}
        for _ in range(n_orgs):
            for finding in run(simulate_org(rng, n_female, n_male, effects)):
                key = str(finding["id"])
                level = str(finding.get("level", "finding"))
                if level != "finding":
                    key += "~" + level  # "~signal", "~too_small"
                counts[key] = counts.get(key, 0) + 1
        tally[label] = counts
    return tally
