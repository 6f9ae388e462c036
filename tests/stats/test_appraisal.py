"""Appraisal parity: the comparisons against statsmodels, the threshold, and simulations
with no difference (nothing is called a difference in at least ~95 % of rounds) and with a
planted one (found)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests

from koers.stats.appraisal import TEXT_MEASURES, compare_appraisals


def simulate(
    seed: int,
    *,
    reviewers: int = 12,
    per_reviewer: int = 10,
    women_share: float = 0.3,
    planted: dict[str, float] | None = None,
    levels: int = 3,
) -> pd.DataFrame:
    """A round: reviewers differ in strictness and style; ``planted`` shifts women's values
    (in standard deviations of the measure)."""
    rng = np.random.default_rng(seed)
    planted = planted or {}
    rows = []
    for r in range(reviewers):
        level = str(9 + r % levels)
        strict = rng.normal(0, 0.4)
        verbose = rng.normal(0, 30)
        for i in range(per_reviewer):
            female = rng.random() < women_share
            shift = {m: planted.get(m, 0.0) if female else 0.0 for m in (*TEXT_MEASURES, "rating")}
            result_share = float(
                np.clip(rng.normal(0.5 + 0.15 * shift["result_share"], 0.15), 0, 1)
            )
            achievement = max(0.0, rng.normal(3 + shift["achievement"], 1))
            doubt = max(0.0, rng.normal(1 + 0.5 * shift["doubt"], 0.5))
            rating = (
                3
                + strict
                + 0.8 * (result_share - 0.5) / 0.15 * 0.3
                + rng.normal(0, 0.5)
                + 0.5 * shift["rating"]
            )
            rows.append(
                {
                    "employee_id": f"e{r}-{i}",
                    "reviewer_id": f"r{r}",
                    "gender": "female" if female else "male",
                    "job_level": level,
                    "rating": rating,
                    "words": max(20.0, rng.normal(150 + verbose + 30 * shift["words"], 30)),
                    "personality": max(0.0, rng.normal(2 + shift["personality"], 1)),
                    "achievement": achievement,
                    "result_share": result_share,
                    "doubt": doubt,
                }
            )
    return pd.DataFrame(rows)


def test_the_rating_gap_is_the_female_coefficient_of_statsmodels_with_level_fixed_effects():
    frame = simulate(1, planted={"rating": -1.0})
    result = compare_appraisals(frame)
    rating = next(c for c in result.comparisons if c.measure == "rating")
    fit = smf.ols(
        "rating ~ female + C(job_level)", frame.assign(female=frame.gender == "female")
    ).fit()
    assert rating.difference == pytest.approx(fit.params["female[T.True]"], rel=1e-9)
    low, high = fit.conf_int().loc["female[T.True]"]
    assert (rating.ci_low, rating.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert rating.p == pytest.approx(fit.pvalues["female[T.True]"], rel=1e-6)


def test_a_text_measure_is_compared_within_reviewer_and_level_only_where_both_genders_are():
    frame = simulate(2, planted={"words": -1.0})
    # A reviewer with only men takes no part in the comparison.
    frame.loc[frame.reviewer_id == "r0", "gender"] = "male"
    result = compare_appraisals(frame)
    words = next(c for c in result.comparisons if c.measure == "words")
    pair = frame.reviewer_id + "|" + frame.job_level
    mixed = frame.groupby(pair)["gender"].transform("nunique") == 2
    data = frame[mixed].assign(pair=pair[mixed], female=frame.gender == "female")
    fit = smf.ols("words ~ female + C(pair)", data).fit()
    assert words.difference == pytest.approx(fit.params["female[T.True]"], rel=1e-9)
    assert words.n_women + words.n_men == len(data)
    assert "r0" not in set(data.reviewer_id)


def test_the_rating_at_equal_text_controls_for_what_the_text_says():
    frame = simulate(3, planted={"result_share": -2.0})
    at_equal = next(
        c for c in compare_appraisals(frame).comparisons if c.measure == "rating_at_equal_text"
    )
    data = frame.assign(female=frame.gender == "female")
    fit = smf.ols("rating ~ female + C(job_level) + result_share + achievement + doubt", data).fit()
    assert at_equal.difference == pytest.approx(fit.params["female[T.True]"], rel=1e-9)


def test_labels_follow_holms_procedure_over_the_rounds_comparisons():
    frame = simulate(4, planted={"words": -1.5, "doubt": 2.0})
    result = compare_appraisals(frame)
    tested = [c for c in result.comparisons if c.p is not None]
    expected = multipletests([c.p for c in tested], alpha=0.05, method="holm")[0]
    assert [c.label == "difference" for c in tested] == list(expected)


def test_fewer_than_five_women_taking_part_shows_no_figure():
    frame = simulate(5, reviewers=4, per_reviewer=6, women_share=0.12)
    result = compare_appraisals(frame)
    for c in result.comparisons:
        if c.n_women < 5 or c.n_men < 5:
            assert c.label == "too_little_data"
            assert (c.difference, c.mean_women, c.p) == (None, None, None)


def test_a_level_with_few_women_is_suppressed_with_a_second_cell():
    frame = simulate(6, reviewers=9)
    # Level 9: only two women.
    women_9 = frame.index[(frame.job_level == "9") & (frame.gender == "female")]
    frame.loc[women_9[2:], "gender"] = "male"
    rows = {r.level: r for r in compare_appraisals(frame).levels}
    assert rows["9"].n_women is None
    assert rows["9"].mean_women is None
    # Complementary suppression: one more women's cell is hidden, so 9 cannot be derived.
    assert sum(r.n_women is None for r in rows.values()) == 2
    assert all(r.n_men is not None for r in rows.values())


def test_other_genders_are_counted_not_compared():
    frame = simulate(7)
    frame.loc[frame.index[:3], "gender"] = "other"
    result = compare_appraisals(frame)
    assert result.n_other == 3
    assert result.n_women + result.n_men == len(frame) - 3


@pytest.mark.slow
def test_rounds_without_a_difference_rarely_show_one():
    """200 rounds of noise, each with 7 comparisons: Holm keeps the family-wise rate ≤ 5 %."""
    any_difference = sum(
        any(c.label == "difference" for c in compare_appraisals(simulate(seed)).comparisons)
        for seed in range(200)
    )
    assert any_difference / 200 <= 0.08  # 5 % expected; binomial sd 1.5 %


@pytest.mark.slow
def test_a_planted_difference_in_doubt_raisers_is_found_in_most_rounds():
    found = sum(
        next(
            c
            for c in compare_appraisals(simulate(seed, planted={"doubt": 1.5})).comparisons
            if c.measure == "doubt"
        ).label
        == "difference"
        for seed in range(100)
    )
    assert found >= 80


def test_small_groups_of_weak_structure_say_too_little_rather_than_a_difference():
    frame = simulate(8, reviewers=3, per_reviewer=5, women_share=0.2, planted={"rating": -0.5})
    assert {c.label for c in compare_appraisals(frame).comparisons} <= {
        "too_little_data",
        "no_difference",
    }
