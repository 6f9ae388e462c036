"""No structure: on data without planted effects the analyses call about alpha of their
tests "significant" (seeded; 30 datasets of 300 people, a few seconds)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from koers.stats.research import NO_EFFECTS, run_analysis, simulate

REPS = 30
ALPHA = 0.05

# The tests each analysis reports whose p-value says "an effect" (names as in Result).
TESTED = {
    "function-by-sector": ("chi-square function × sector (df 1)",
                           "chi-square four groups × gender (df 3)"),
    "objective-subjective-sector": ("Cohen's kappa",),
    "income-hours-by-job-sector": ("income: cumulative odds ratio",
                                   "hours: interaction"),
    "income-hours-by-gender": (
        "cumulative odds ratio of a higher income band, women vs men",
        "adjusted difference in contract hours (OLS), women − men",
    ),
    "profiles-by-background": ("chi-square profile × ",),
    "scales-by-profile": ("F profile on ",),
    "leave-by-profile": ("odds ratio leaving, cluster 2", "odds ratio leaving, non-technical",
                         "likelihood-ratio test of profile"),
    "gender-stigma": ("stigma model: ", "clarity model: "),
}  # fmt: skip


@pytest.fixture(scope="module")
def null_p_values() -> dict[str, list[float]]:
    found: dict[str, list[float]] = {key: [] for key in TESTED}
    for rep in range(REPS):
        frame = simulate(300, seed=1000 + rep, effects=NO_EFFECTS)
        for key, prefixes in TESTED.items():
            result = run_analysis(key, frame)
            assert result.refused is None, (key, result.refused)
            for s in result.statistics:
                if any(str(s["name"]).startswith(prefix) for prefix in prefixes):
                    assert s["p"] is not None
                    found[key].append(float(s["p"]))  # type: ignore[arg-type]
    return found


def test_without_structure_about_alpha_of_all_tests_are_significant(
    null_p_values: dict[str, list[float]],
) -> None:
    pooled = np.concatenate([np.asarray(v) for v in null_p_values.values()])
    rate = float(np.mean(pooled < ALPHA))
    # 99.9 % binomial bounds as if the tests were independent (they are nearly so)
    low, high = stats.binom.ppf([0.0005, 0.9995], len(pooled), ALPHA) / len(pooled)
    assert low <= rate <= high, (rate, len(pooled))


@pytest.mark.parametrize("key", list(TESTED))
def test_without_structure_no_analysis_finds_much_more_than_alpha(
    null_p_values: dict[str, list[float]], key: str
) -> None:
    p = np.asarray(null_p_values[key])
    assert len(p) >= REPS
    high = stats.binom.ppf(0.9995, len(p), ALPHA) / len(p)
    assert float(np.mean(p < ALPHA)) <= high


def test_without_structure_the_letters_rarely_split_the_profiles() -> None:
    """Holm keeps the family-wise error: one letter for all profiles in most datasets."""
    split = 0
    for rep in range(REPS):
        result = run_analysis(
            "scales-by-profile", simulate(300, seed=2000 + rep, effects=NO_EFFECTS)
        )
        table = next(t for t in result.tables if "identification" in t.title["en"])
        split += len({row[-1] for row in table.rows}) > 1
    assert split / REPS <= stats.binom.ppf(0.999, REPS, ALPHA) / REPS
