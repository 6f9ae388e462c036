"""koers.stats.inclusion against independent computations and seeded simulations."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.decomposition import FactorAnalysis
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from koers.stats.effects import hedges_g, welch_from_summary, welch_interval
from koers.stats.inclusion import compare_genders, compare_rounds
from koers.stats.scales import ScaleKey

KEY5 = {"s": ScaleKey(items=("s1", "s2", "s3", "s4"), response_min=1, response_max=5)}


def _likert_round(
    rng: np.random.Generator,
    n_women: int,
    n_men: int,
    gaps: dict[str, float],
    scales: dict[str, int],
    *,
    loading: float = 0.8,
) -> pd.DataFrame:
    """Simulated answers on 1..5: per scale a normal trait (women shifted by ``gaps`` in SD
    units), items = 3 + loading·trait + noise, rounded and clipped."""
    gender = np.array(["woman"] * n_women + ["man"] * n_men)
    columns: dict[str, np.ndarray] = {"gender": gender}
    for scale, k in scales.items():
        trait = rng.normal(size=n_women + n_men)
        trait[:n_women] += gaps.get(scale, 0.0)
        for j in range(k):
            raw = 3 + loading * trait + rng.normal(scale=0.6, size=trait.size)
            columns[f"{scale}{j + 1}"] = np.clip(np.rint(raw), 1, 5)
    return pd.DataFrame(columns)


def _key(scales: dict[str, int]) -> dict[str, ScaleKey]:
    return {
        s: ScaleKey(items=tuple(f"{s}{j + 1}" for j in range(k)), response_min=1, response_max=5)
        for s, k in scales.items()
    }


# --- Welch ------------------------------------------------------------------------------


def test_the_welch_interval_matches_scipy_and_statsmodels() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(3.2, 0.5, size=11)
    b = rng.normal(3.6, 0.9, size=57)
    ours = welch_interval(a, b)
    scipy_result = stats.ttest_ind(a, b, equal_var=False)
    scipy_ci = scipy_result.confidence_interval(0.95)
    assert ours.ci_low == pytest.approx(scipy_ci.low, abs=1e-10)
    assert ours.ci_high == pytest.approx(scipy_ci.high, abs=1e-10)
    assert ours.p_value == pytest.approx(scipy_result.pvalue, abs=1e-12)
    assert ours.df == pytest.approx(scipy_result.df, rel=1e-12)
    low, high = CompareMeans(DescrStatsW(a), DescrStatsW(b)).tconfint_diff(usevar="unequal")
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), abs=1e-10)


def test_the_welch_interval_leaves_out_missing_answers_and_needs_two_per_group() -> None:
    with_nan = welch_interval([1.0, np.nan, 3.0, 4.0], [2.0, 2.5, np.nan])
    assert with_nan.difference == pytest.approx(8 / 3 - 2.25)
    assert welch_interval([1.0], [2.0, 3.0]).ci_low is None
    flat = welch_interval([2.0, 2.0], [3.0, 3.0])
    assert flat.difference == -1.0
    assert flat.ci_low is None
    assert not flat.excludes_zero


def test_the_welch_interval_covers_a_zero_gap_at_about_the_nominal_rate() -> None:
    # Small women's group, unequal variances: where Student's pooled interval goes wrong.
    rng = np.random.default_rng(18)
    reps, covered, student_covered = 4000, 0, 0
    for _ in range(reps):
        women = rng.normal(3.0, 1.2, size=8)
        men = rng.normal(3.0, 0.6, size=60)
        covered += not welch_interval(women, men).excludes_zero
        pooled = stats.ttest_ind(women, men, equal_var=True).confidence_interval(0.95)
        student_covered += pooled.low <= 0 <= pooled.high
    assert 0.94 <= covered / reps <= 0.96
    assert student_covered / reps < 0.90  # the reason for Welch


def test_a_planted_gap_is_detected_and_a_small_group_says_it_cannot_tell() -> None:
    rng = np.random.default_rng(7)
    detected = sum(
        welch_interval(rng.normal(2.5, 0.8, 40), rng.normal(3.0, 0.8, 120)).ci_high < 0
        for _ in range(500)
    )
    assert detected / 500 > 0.85  # power for 0.625 SD at 40/120 is about 0.94
    small = sum(
        welch_interval(rng.normal(2.5, 0.8, 5), rng.normal(3.0, 0.8, 120)).ci_high < 0
        for _ in range(500)
    )
    assert small / 500 < 0.5


# --- Hedges' g --------------------------------------------------------------------------


def test_hedges_g_matches_statsmodels_and_a_hand_computation() -> None:
    a = np.array([1.0, 2, 3, 4, 5, 6])
    b = np.array([3.0, 4, 5, 6, 7, 8, 9])
    ours = hedges_g(a, b)
    # By hand: s_p² = (5·3.5 + 6·(14/3)) / 11, d = −2.5 / s_p, J(11) = Γ(5.5)/(√5.5 Γ(5)).
    pooled = math.sqrt((5 * 3.5 + 6 * 14 / 3) / 11)
    j = math.gamma(5.5) / (math.sqrt(5.5) * math.gamma(5))
    assert ours.g == pytest.approx(j * -2.5 / pooled, rel=1e-12)
    # statsmodels uses the approximation J ≈ 1 − 3/(4N − 9): equal to about 1e-3 here.
    smd, _ = effectsize_smd(a.mean(), a.std(ddof=1), 6, b.mean(), b.std(ddof=1), 7)
    assert ours.g == pytest.approx(smd, rel=2e-3)


def test_hedges_g_interval_agrees_with_the_normal_approximation_in_large_groups() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.normal(0.3, 1, 600), rng.normal(0, 1, 900)
    ours = hedges_g(a, b)
    smd, var = effectsize_smd(a.mean(), a.std(ddof=1), 600, b.mean(), b.std(ddof=1), 900)
    half = 1.959964 * math.sqrt(var)
    assert ours.ci_low == pytest.approx(smd - half, abs=0.003)
    assert ours.ci_high == pytest.approx(smd + half, abs=0.003)


def test_hedges_g_interval_bounds_are_the_noncentral_t_quantiles() -> None:
    a, b = [4.0, 5, 3, 4, 5, 4, 2], [3.0, 2, 3, 4, 2, 3, 3, 2, 1, 3]
    ours = hedges_g(a, b)
    n_a, n_b, df = 7, 10, 15
    root = math.sqrt(n_a * n_b / (n_a + n_b))
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    d = ours.g / j
    assert stats.nct.cdf(d * root, df, ours.ci_low / j * root) == pytest.approx(0.975, abs=1e-8)
    assert stats.nct.cdf(d * root, df, ours.ci_high / j * root) == pytest.approx(0.025, abs=1e-8)


def test_hedges_g_interval_keeps_its_coverage_in_small_groups() -> None:
    rng = np.random.default_rng(11)
    delta, reps, covered = 0.5, 1500, 0
    j = math.gamma(34 / 2) / (math.sqrt(34 / 2) * math.gamma(33 / 2))
    for _ in range(reps):
        result = hedges_g(rng.normal(delta, 1, 6), rng.normal(0, 1, 30))
        # The interval is for J·δ, like g itself.
        covered += result.ci_low <= j * delta <= result.ci_high
    assert 0.935 <= covered / reps <= 0.965


# --- One round --------------------------------------------------------------------------


def test_compare_genders_finds_planted_gaps_and_not_absent_ones() -> None:
    scales = {"safety": 4, "belonging": 4, "bias": 4, "satisfaction": 3}
    rng = np.random.default_rng(42)
    frame = _likert_round(rng, 60, 180, {"safety": -0.8, "bias": 0.8}, scales)
    result = compare_genders(frame, _key(scales), label="2026")
    assert result.gap("safety").gap.ci_high < 0
    assert result.gap("bias").gap.ci_low > 0
    assert result.gap("safety").effect.ci_high < 0
    assert result.gap("bias").effect.ci_low > 0
    assert not result.gap("belonging").gap.excludes_zero
    assert not result.gap("satisfaction").gap.excludes_zero
    assert (result.n_women, result.n_men, result.n_all) == (60, 180, 240)


def test_the_gap_is_welch_on_the_scale_scores_with_reverse_keys_and_the_half_rule() -> None:
    frame = pd.DataFrame(
        {
            "s1": [4, 5, 2, 3, 4, 2, 1, 5],
            "s2": [4, np.nan, 2, 2, 5, 1, 1, 5],
            "s3": [2, 1, np.nan, 4, 1, np.nan, 5, 1],  # reversed
            "s4": [np.nan, 5, np.nan, 3, 4, np.nan, 1, 5],
            "gender": ["woman"] * 4 + ["man"] * 3 + ["rather_not_say"],
        }
    )
    key = {"s": ScaleKey(("s1", "s2", "s3", "s4"), frozenset({"s3"}), 1, 5)}
    gap = compare_genders(frame, key).gap("s")
    # Scores: reversed s3 = 6 − s3; mean of answered items, at least 2 of 4.
    women = [(4 + 4 + 4) / 3, (5 + 5 + 5) / 3, (2 + 2) / 2, (3 + 2 + 2 + 3) / 4]
    men = [(4 + 5 + 5 + 4) / 4, (2 + 1) / 2, (1 + 1 + 1 + 1) / 4]
    expected = stats.ttest_ind(women, men, equal_var=False)
    assert gap.gap.difference == pytest.approx(np.mean(women) - np.mean(men))
    assert gap.gap.p_value == pytest.approx(expected.pvalue)
    assert (gap.n_women, gap.n_men) == (4, 3)


def test_alpha_per_gender_matches_a_hand_worked_example() -> None:
    # Women: item variances 1.3, 1.5, 1.3, 1.3 and sum-score variance 19.3, so
    # alpha = 4/3 · (1 − 5.4/19.3) = 0.9603; the men's items do not hang together.
    women = np.array([[1, 2, 2, 3], [2, 3, 3, 4], [3, 3, 4, 4], [4, 5, 5, 5], [2, 2, 3, 2]])
    men = np.array([[1, 5, 2, 4], [5, 1, 4, 3], [3, 3, 1, 5], [2, 4, 5, 1], [4, 2, 3, 2]])
    frame = pd.DataFrame(np.vstack([women, men]), columns=["s1", "s2", "s3", "s4"])
    frame["gender"] = ["woman"] * 5 + ["man"] * 5
    result = compare_genders(frame, KEY5)
    # Hand: k/(k−1)·(1 − Σ item variances / variance of the sum), sample variances.
    item_vars = [np.var(women[:, j], ddof=1) for j in range(4)]
    total_var = np.var(women.sum(axis=1), ddof=1)
    hand = 4 / 3 * (1 - sum(item_vars) / total_var)
    assert sum(item_vars) == pytest.approx(1.3 + 1.5 + 1.3 + 1.3)
    assert total_var == pytest.approx(19.3)
    assert hand == pytest.approx(4 / 3 * (1 - 5.4 / 19.3))
    reliability = result.reliability_of("s")
    assert reliability.group("woman").alpha == pytest.approx(hand, rel=1e-12)
    assert reliability.group("man").alpha < 0.6
    assert reliability.warning
    assert reliability.weak_groups == ("man",)


def test_omega_per_gender_matches_a_factor_analysis_fit_by_scikit_learn() -> None:
    rng = np.random.default_rng(5)
    n, loadings = 400, np.array([0.9, 0.7, 0.6, 0.5])
    trait = rng.normal(size=n)
    items = 3 + np.outer(trait, loadings) + rng.normal(scale=0.6, size=(n, 4))
    frame = pd.DataFrame(items, columns=["s1", "s2", "s3", "s4"])
    frame["gender"] = np.where(np.arange(n) < 150, "woman", "man")
    key = {"s": ScaleKey(("s1", "s2", "s3", "s4"), response_min=-10, response_max=20)}
    result = compare_genders(frame, key).reliability_of("s")
    for group, rows in (("woman", slice(0, 150)), ("man", slice(150, n))):
        fa = FactorAnalysis(n_components=1, tol=1e-10, max_iter=10000).fit(items[rows])
        lam, psi = fa.components_[0], fa.noise_variance_
        omega = lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())
        assert result.group(group).omega == pytest.approx(omega, abs=1e-4)
    assert not result.warning


def test_a_scale_that_does_not_hold_for_women_is_flagged_for_women_only() -> None:
    rng = np.random.default_rng(9)
    men = _likert_round(rng, 0, 150, {}, {"s": 4})
    women = pd.DataFrame(rng.integers(1, 6, size=(40, 4)), columns=["s1", "s2", "s3", "s4"])
    women["gender"] = "woman"
    result = compare_genders(pd.concat([women, men], ignore_index=True), KEY5)
    reliability = result.reliability_of("s")
    assert reliability.warning
    assert reliability.weak_groups == ("woman",)
    assert reliability.group("man").alpha > 0.8


def test_reliability_with_too_few_complete_cases_is_unknown_not_a_warning() -> None:
    frame = pd.DataFrame(
        {"s1": [1, 2, 4], "s2": [2, 2, 5], "s3": [1, 3, 4], "s4": [2, 3, 5], "gender": "woman"}
    )
    group = compare_genders(frame, KEY5).reliability_of("s").group("woman")
    assert group.omega is None  # omega needs more complete cases than items
    assert group.alpha is not None


def test_share_agreeing_counts_answers_above_the_middle_per_gender() -> None:
    frame = pd.DataFrame(
        {
            "s1": [5, 4, 3, 2, np.nan, 4, 1, 5],
            "s2": [1, 1, 1, 1, 1, 1, 1, 1],
            "s3": [3, 3, 3, 3, 3, 3, 3, 3],
            "s4": [4, 4, 4, 4, 4, 4, 4, 4],
            "gender": ["woman"] * 5 + ["man"] * 2 + [None],
        }
    )
    item = next(i for i in compare_genders(frame, KEY5).items if i.item == "s1")
    assert (item.n_women, item.share_women) == (4, 0.5)  # 5, 4 of 5, 4, 3, 2
    assert (item.n_men, item.share_men) == (2, 0.5)  # 4 of 4, 1
    assert (item.n_all, item.share_all) == (7, 4 / 7)


def test_compare_genders_asks_for_the_gender_column() -> None:
    with pytest.raises(ValueError, match="gender column"):
        compare_genders(pd.DataFrame({"s1": [1]}), KEY5)


def test_results_are_plain_json() -> None:
    rng = np.random.default_rng(1)
    scales = {"s": 4}
    one = compare_genders(_likert_round(rng, 20, 40, {}, scales), _key(scales), label="a")
    two = compare_genders(_likert_round(rng, 20, 40, {}, scales), _key(scales), label="b")
    text = json.dumps(
        {"round": one.to_dict(), "trend": [t.to_dict() for t in compare_rounds([one, two])]}
    )
    assert '"label": "a"' in text
    assert '"marked"' in text


# --- Rounds -----------------------------------------------------------------------------


def test_a_narrowing_gap_is_marked_and_an_unchanged_one_is_not() -> None:
    scales = {"safety": 4, "bias": 4, "satisfaction": 3}
    key = _key(scales)
    rng = np.random.default_rng(2026)
    first = compare_genders(
        _likert_round(rng, 80, 240, {"safety": -1.0, "bias": 1.0}, scales), key, label="2025"
    )
    second = compare_genders(
        _likert_round(rng, 80, 240, {"safety": -0.1, "bias": 1.0}, scales), key, label="2026"
    )
    trends = {t.scale: t for t in compare_rounds([first, second])}
    assert trends["safety"].marked
    assert trends["safety"].narrowed
    assert trends["safety"].gap_change.difference > 0
    assert not trends["bias"].marked
    assert not trends["satisfaction"].marked
    assert (trends["safety"].before, trends["safety"].after) == ("2025", "2026")


def test_the_change_of_a_gap_combines_both_rounds_uncertainty() -> None:
    before = welch_from_summary(3.0, 0.9, 20, 3.5, 0.8, 60)
    after = welch_from_summary(3.3, 0.7, 25, 3.4, 0.9, 70)
    rounds = [
        _result_with("a", before, (3.0, 0.9, 20), (3.5, 0.8, 60)),
        _result_with("b", after, (3.3, 0.7, 25), (3.4, 0.9, 70)),
    ]
    (trend,) = compare_rounds(rounds)
    se = math.sqrt(before.std_error**2 + after.std_error**2)
    df = se**4 / (before.std_error**4 / before.df + after.std_error**4 / after.df)
    half = stats.t.ppf(0.975, df) * se
    change = after.difference - before.difference
    assert (trend.gap_change.ci_low, trend.gap_change.ci_high) == pytest.approx(
        (change - half, change + half)
    )
    # Each gender's own change is Welch across the rounds.
    assert trend.women_change.difference == pytest.approx(0.3)
    v_after, v_before = 0.7**2 / 25, 0.9**2 / 20
    welch_df = (v_after + v_before) ** 2 / (v_after**2 / 24 + v_before**2 / 19)
    assert trend.women_change.df == pytest.approx(welch_df)
    assert trend.women_change.p_value == pytest.approx(
        stats.ttest_ind_from_stats(3.3, 0.7, 25, 3.0, 0.9, 20, equal_var=False).pvalue
    )


def _result_with(label: str, gap, women, men):  # type: ignore[no-untyped-def]
    from koers.stats.inclusion import EffectSize, GenderGap, InclusionResult

    return InclusionResult(
        label=label,
        n_all=women[2] + men[2],
        n_women=women[2],
        n_men=men[2],
        gaps=(
            GenderGap(
                "s",
                women[2],
                men[2],
                women[0],
                men[0],
                women[1],
                men[1],
                gap,
                EffectSize(None, None, None),
            ),
        ),
        reliability=(),
        items=(),
    )


def test_no_change_is_marked_at_about_the_nominal_rate() -> None:
    rng = np.random.default_rng(33)
    reps, marked = 1500, 0
    for _ in range(reps):
        gaps = []
        for _round in range(2):
            women, men = rng.normal(2.8, 1.0, 15), rng.normal(3.2, 0.7, 50)
            gaps.append(
                _result_with(
                    str(_round),
                    welch_interval(women, men),
                    (women.mean(), women.std(ddof=1), 15),
                    (men.mean(), men.std(ddof=1), 50),
                )
            )
        marked += compare_rounds(gaps)[0].marked
    assert 0.035 <= marked / reps <= 0.065
