"""The selection funnel's figures against a hand computation and scipy (docs/cli-funnel.md)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import hypergeom
from scipy.stats.contingency import relative_risk

from koers.stats.funnel import (
    compute_funnel,
    impact_ratio,
    katz_interval,
    label,
    shortfall,
)

STAGES = ("applied", "screened", "interviewed", "offered", "hired")


def fisher_two_sided_by_hand(k_w: int, n_w: int, k_m: int, n_m: int) -> float:
    """Sum of the hypergeometric probabilities no larger than the observed one."""
    total, passed = n_w + n_m, k_w + k_m
    dist = hypergeom(total, passed, n_w)
    observed = dist.pmf(k_w)
    lo, hi = max(0, passed - n_m), min(passed, n_w)
    return float(
        sum(dist.pmf(k) for k in range(lo, hi + 1) if dist.pmf(k) <= observed * (1 + 1e-7))
    )


def test_a_worked_funnel_gives_the_hand_counted_rates_ratio_and_shortfall():
    # 40 women and 60 men apply; 20 women and 45 men are screened; 8 women and 30 men get
    # an interview; 4 women and 12 men an offer; 3 women and 10 men are hired.
    women = [0] * 20 + [1] * 12 + [2] * 4 + [3] * 1 + [4] * 3
    men = [0] * 15 + [1] * 15 + [2] * 18 + [3] * 2 + [4] * 10
    funnel = compute_funnel(STAGES, ["female"] * 40 + ["male"] * 60, women + men)
    first = funnel.transitions[0]
    assert (first.female.n, first.female.passed) == (40, 20)
    assert (first.male.n, first.male.passed) == (60, 45)
    assert first.impact_ratio == pytest.approx(0.5 / 0.75)
    # 40 · 45/60 = 30 women would have to pass: 10 more than the 20 who did.
    assert first.shortfall == 10
    second = funnel.transitions[1]
    assert (second.female.n, second.female.passed, second.male.n, second.male.passed) == (
        20,
        8,
        45,
        30,
    )
    # 20 · 30/45 = 13.33…: 14 women, 6 more.
    assert second.shortfall == 6
    overall = funnel.overall
    assert (overall.female.n, overall.female.passed, overall.male.n, overall.male.passed) == (
        40,
        3,
        60,
        10,
    )
    assert overall.impact_ratio == pytest.approx((3 / 40) / (10 / 60))
    assert [t.start for t in funnel.transitions] == list(STAGES[:-1])
    assert [t.end for t in funnel.transitions] == list(STAGES[1:])


@pytest.mark.parametrize(
    ("k_w", "n_w", "k_m", "n_m"),
    [(20, 40, 45, 60), (8, 20, 30, 45), (3, 40, 10, 60), (1, 7, 9, 11), (50, 50, 30, 31)],
)
def test_the_interval_is_the_katz_log_interval_of_scipy(k_w, n_w, k_m, n_m):
    ours = katz_interval(k_w, n_w, k_m, n_m)
    theirs = relative_risk(k_w, n_w, k_m, n_m).confidence_interval(0.95)
    assert ours == pytest.approx((theirs.low, theirs.high), rel=1e-9)
    se = math.sqrt(1 / k_w - 1 / n_w + 1 / k_m - 1 / n_m)
    ratio = (k_w / n_w) / (k_m / n_m)
    assert ours[0] == pytest.approx(ratio * math.exp(-1.959963984540054 * se))


@pytest.mark.parametrize(("k_w", "n_w", "k_m", "n_m"), [(0, 10, 5, 10), (5, 10, 0, 10)])
def test_no_interval_when_a_count_is_zero(k_w, n_w, k_m, n_m):
    assert katz_interval(k_w, n_w, k_m, n_m) is None


def test_fishers_test_matches_the_hypergeometric_sum_by_hand():
    rng = np.random.default_rng(7)
    for _ in range(30):
        n_w, n_m = int(rng.integers(5, 40)), int(rng.integers(5, 40))
        k_w, k_m = int(rng.integers(0, n_w + 1)), int(rng.integers(0, n_m + 1))
        gender = ["female"] * n_w + ["male"] * n_m
        furthest = [1] * k_w + [0] * (n_w - k_w) + [1] * k_m + [0] * (n_m - k_m)
        t = compute_funnel(STAGES[:2], gender, furthest).transitions[0]
        assert t.p_fisher == pytest.approx(fisher_two_sided_by_hand(k_w, n_w, k_m, n_m), abs=1e-9)


def test_the_shortfall_is_the_smallest_number_of_extra_women_reaching_the_mens_rate():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n_w, n_m = int(rng.integers(1, 60)), int(rng.integers(1, 60))
        k_w, k_m = int(rng.integers(0, n_w + 1)), int(rng.integers(0, n_m + 1))
        # All women passing (rate 1) always reaches the men's rate, so a smallest s exists.
        brute = next(
            s for s in range(n_w - k_w + 1) if Fraction(k_w + s, n_w) >= Fraction(k_m, n_m)
        )
        assert shortfall(k_w, n_w, k_m, n_m) == brute


def test_exact_arithmetic_does_not_ask_for_one_woman_too_many():
    # 3 of 10 men pass; 3 of 10 women already do: in floating point 10 · 0.3 = 3.0000000004.
    assert shortfall(3, 10, 3, 10) == 0
    assert shortfall(2, 10, 3, 10) == 1


@pytest.mark.parametrize(
    ("n_w", "n_m", "ratio", "p", "expected"),
    [
        (4, 50, 0.2, 0.001, "too_little_data"),
        (50, 4, 0.2, 0.001, "too_little_data"),
        (5, 5, 0.5, 0.01, "signal"),
        (50, 50, 0.79, 0.049, "signal"),
        (50, 50, 0.8, 0.01, "watch"),
        (50, 50, 0.5, 0.05, "watch"),
        (50, 50, 0.9, 0.2, "no_signal"),
        (50, 50, None, 0.5, "no_signal"),
    ],
)
def test_the_label_follows_the_ratio_and_the_test(n_w, n_m, ratio, p, expected):
    assert label(n_w, n_m, ratio, p) == expected


def test_a_flagged_stage_says_whether_one_or_two_more_women_would_lift_the_ratio():
    # 6 of 10 women and 9 of 10 men pass: IR 0.667; 7/10 → 0.778, 8/10 → 0.889.
    gender = ["female"] * 10 + ["male"] * 10
    furthest = [1] * 6 + [0] * 4 + [1] * 9 + [0] * 1
    t = compute_funnel(STAGES[:2], gender, furthest).transitions[0]
    assert t.label in ("signal", "watch")
    assert t.one_more_reaches is False
    assert t.two_more_reach is True
    # An unflagged stage carries no such note.
    calm = compute_funnel(STAGES[:2], gender, [1] * 9 + [0] + [1] * 9 + [0]).transitions[0]
    assert calm.label == "no_signal"
    assert calm.one_more_reaches is None


def test_other_and_unknown_genders_are_counted_not_dropped():
    t = compute_funnel(STAGES[:2], ["female", "male", "other", "other"], [1, 0, 1, 0]).transitions[
        0
    ]
    assert (t.other.n, t.other.passed) == (2, 1)
    assert (t.female.n, t.male.n) == (1, 1)


def test_job_families_are_counted_apart_and_add_up_to_the_total():
    rng = np.random.default_rng(11)
    n = 300
    gender = rng.choice(["female", "male", "other"], size=n, p=[0.35, 0.6, 0.05]).tolist()
    furthest = rng.integers(0, len(STAGES), size=n).tolist()
    family = rng.choice(["ict", "engineering", "staff"], size=n).tolist()
    funnel = compute_funnel(STAGES, gender, furthest, family)
    assert sorted(funnel.by_job_family) == ["engineering", "ict", "staff"]
    for s, total in enumerate(funnel.transitions):
        for g in ("female", "male", "other"):
            parts = [getattr(ts[s], g) for ts in funnel.by_job_family.values()]
            assert sum(p.n for p in parts) == getattr(total, g).n
            assert sum(p.passed for p in parts) == getattr(total, g).passed


def test_the_ratio_is_undefined_when_no_man_passes():
    assert impact_ratio(3, 10, 0, 10) is None
    assert impact_ratio(0, 10, 3, 10) == 0.0
