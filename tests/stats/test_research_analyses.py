"""Each analysis of chapters 6-7 on generated data with planted effects of known size,
checked against statsmodels/scipy fitted directly on the same rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.multitest import multipletests

from koers.stats.research import ANALYSES, COLUMNS, Result, run_analysis, simulate

# Income without the job and sector effects, so that gender's planted effect is the estimand
# of a model that does not control for job and sector.
NO_JOB_SECTOR = {
    "income_non_technical_job": 0.0,
    "income_technical_sector": 0.0,
    "hours_non_technical_both": 0.0,
    "income_hours": 0.0,
}


def stat(result: Result, name: str) -> dict[str, object]:
    found = [s for s in result.statistics if s["name"] == name]
    assert len(found) == 1, [s["name"] for s in result.statistics]
    return found[0]


def within(s: dict[str, object], value: float) -> bool:
    low, high = s["ci_low"], s["ci_high"]
    assert isinstance(low, float)
    assert isinstance(high, float)
    return low <= value <= high


# --- the contract ----------------------------------------------------------------------------


def test_the_columns_are_exactly_the_contracts() -> None:
    assert list(COLUMNS) == [
        "respondent", "organisation", "gender", "age", "contract_hours", "education_level",
        "income_band", "job_category", "function_group", "organisation_type",
        "sector_objective", "sector_subjective", "institution_type", "study_cluster",
        "profile", "identification", "career_clarity", "career_commitment",
        "career_exploration", "gender_stigma", "future_sector", "gender_ratio",
    ]  # fmt: skip
    assert set(COLUMNS.values()) == {"category", "number"}


@pytest.mark.parametrize("key", list(ANALYSES))
def test_every_analysis_returns_the_contracts_result(key: str) -> None:
    frame = simulate(863, seed=11)
    result = run_analysis(key, frame)
    assert result.key == key
    assert result.refused is None
    assert 0 < result.n <= len(frame)
    assert result.tables
    assert result.statistics
    for s in result.statistics:
        assert {"name", "estimate", "ci_low", "ci_high", "p", "effect_size_name",
                "effect_size"} <= set(s)  # fmt: skip
    for table in result.tables:
        assert set(table.title) == {"nl", "en"}
        assert all(len(row) == len(table.columns) for row in table.rows)
    assert set(result.methods) == {"nl", "en"}
    for language in ("nl", "en"):
        assert str(result.n) in result.methods[language]
        assert "Koers" in result.methods[language]
    assert result.chart is not None
    assert result.chart["kind"] in {"bar", "grouped_bar"}
    categories = result.chart["categories"]
    assert isinstance(categories, list)
    for series in result.chart["series"]:  # type: ignore[attr-defined]
        assert len(series["values"]) == len(categories)
    assert ANALYSES[key].title.keys() == {"nl", "en"}
    assert set(ANALYSES[key].columns) <= set(COLUMNS)


# --- 6.1 function × sector ---------------------------------------------------------------------


def test_function_by_sector_recovers_the_planted_odds_ratio_and_the_four_groups() -> None:
    frame = simulate(6000, seed=1, effects={"function_sector_or": 2.0, "woman_technical_or": 1.0})
    result = run_analysis("function-by-sector", frame)
    assert within(stat(result, "odds ratio technical job, technical vs non-technical sector"), 2.0)
    data = frame.dropna(subset=["function_group", "sector_objective"])
    table = pd.crosstab(data.function_group, data.sector_objective)
    ref = stats.chi2_contingency(table.to_numpy(), correction=False)
    chi = stat(result, "chi-square function × sector (df 1)")
    assert chi["estimate"] == pytest.approx(ref.statistic, rel=1e-4)
    # the report's split with the default effects
    default = run_analysis("function-by-sector", simulate(20000, seed=2))
    shares = [row[3] for row in default.tables[0].rows]
    assert shares == pytest.approx([37, 31, 12, 20], abs=1.5)


def test_four_groups_by_gender_is_scipys_chi_square() -> None:
    frame = simulate(3000, seed=4, effects={"woman_technical_or": 0.4})
    result = run_analysis("function-by-sector", frame)
    data = frame[frame.gender.isin(["woman", "man"])]
    group = data.sector_objective.astype(str) + data.function_group.astype(str)
    ref = stats.chi2_contingency(pd.crosstab(group, data.gender.astype(str)), correction=False)
    s = stat(result, "chi-square four groups × gender (df 3)")
    assert s["estimate"] == pytest.approx(ref.statistic, rel=1e-4)
    assert s["p"] < 0.001


# --- 6.1 objective vs subjective sector --------------------------------------------------------


def test_kappa_is_statsmodels_and_recovers_the_planted_agreement() -> None:
    a, b, share = 0.9, 0.3, 0.68
    frame = simulate(
        8000,
        seed=3,
        effects={
            "subjective_yes_technical": a,
            "subjective_yes_non_technical": b,
            "share_technical_sector": share,
        },
    )
    result = run_analysis("objective-subjective-sector", frame)
    data = frame[frame.sector_subjective.isin(["yes", "no"])]
    table = pd.crosstab(data.sector_objective, data.sector_subjective).loc[
        ["technical_sector", "non_technical_sector"], ["yes", "no"]
    ]
    ref = cohens_kappa(table.to_numpy())
    s = stat(result, "Cohen's kappa")
    assert s["estimate"] == pytest.approx(ref["kappa"], abs=1e-4)
    assert s["ci_low"] == pytest.approx(ref["kappa_low"], abs=1e-4)
    cells = np.array([[share * a, share * (1 - a)], [(1 - share) * b, (1 - share) * (1 - b)]])
    po = np.trace(cells)
    pe = cells.sum(axis=1) @ cells.sum(axis=0)
    assert within(s, (po - pe) / (1 - pe))


# --- 6.1 income and hours by job × sector -----------------------------------------------------


def test_job_and_sector_odds_ratios_and_the_hours_interaction_are_recovered() -> None:
    # income_hours = 0: the hours model controls for the band (no collider). Over seeds 0-19
    # the intervals held the planted interaction 19 (income) and 18 (hours) times of 20.
    frame = simulate(6000, seed=0, effects={"income_hours": 0.0})
    result = run_analysis("income-hours-by-job-sector", frame)
    assert within(stat(result, "income: cumulative odds ratio, non_technical_job"), math.exp(0.4))
    assert within(stat(result, "income: cumulative odds ratio, technical_sector"), math.exp(0.5))
    interaction = "income: cumulative odds ratio, non_technical_job:technical_sector"
    assert within(stat(result, interaction), 1.0)
    # hours: −1.5 for a non-technical job outside the technical sector, so the
    # job × sector coefficient (reference: technical job outside the sector) is +1.5
    hours = stat(result, "hours: interaction non-technical job × technical sector (OLS)")
    assert within(hours, 1.5)
    data = frame[frame.education_level.between(1, 5)].dropna(subset=["income_band"]).copy()
    data["job"] = (data.function_group == "non_technical").astype(float)
    data["sector"] = (data.sector_objective == "technical_sector").astype(float)
    data["woman"] = (data.gender == "woman").astype(float)
    data["wo"] = (data.education_level >= 3).astype(float)
    assert result.n == len(data)
    data["job_x_sector"] = data.job * data.sector
    x = data[["job", "sector", "job_x_sector", "contract_hours", "age", "wo", "woman"]]
    ref = OrderedModel(data.income_band.to_numpy(), x.to_numpy(float), distr="logit").fit(
        method="bfgs", disp=0, maxiter=5000
    )
    odds = stat(result, "income: cumulative odds ratio, technical_sector")["estimate"]
    assert math.log(odds) == pytest.approx(ref.params[1], abs=3e-4)  # type: ignore[arg-type]
    ols = smf.ols("contract_hours ~ job * sector + income_band + age + wo + woman", data).fit()
    assert hours["estimate"] == pytest.approx(ols.params["job:sector"], abs=1e-4)
    table = result.tables[0]
    at = pd.DataFrame({"job": [0, 1, 0, 1], "sector": [1, 1, 0, 0]})
    for column in ("income_band", "age", "wo", "woman"):
        at[column] = data[column].mean()
    np.testing.assert_allclose([row[4] for row in table.rows], ols.predict(at), atol=0.006)


# --- 7 income and hours --------------------------------------------------------------------------


def test_income_odds_ratio_and_hours_difference_are_recovered_and_match_statsmodels() -> None:
    # income_hours = 0: the hours model controls for the income band, which must not depend
    # on hours for the planted difference to be the estimand (no collider).
    frame = simulate(5000, seed=5, effects={**NO_JOB_SECTOR, "hours_woman": -1.5})
    result = run_analysis("income-hours-by-gender", frame)
    odds = stat(result, "cumulative odds ratio of a higher income band, women vs men")
    assert within(odds, math.exp(-0.8))
    hours = stat(result, "adjusted difference in contract hours (OLS), women − men")
    assert within(hours, -1.5)
    data = frame[frame.gender.isin(["woman", "man"]) & frame.education_level.between(1, 5)]
    data = data.dropna(subset=["income_band", "age", "contract_hours"]).copy()
    data["woman"] = (data.gender == "woman").astype(float)
    data["wo"] = (data.education_level >= 3).astype(float)
    assert result.n == len(data)
    x = data[["woman", "age", "contract_hours", "wo"]].to_numpy(float)
    ref = OrderedModel(data.income_band.to_numpy(), x, distr="logit").fit(
        method="bfgs", disp=0, maxiter=5000
    )
    assert math.log(odds["estimate"]) == pytest.approx(ref.params[0], abs=2e-4)  # type: ignore[arg-type]
    ols = smf.ols("contract_hours ~ woman + age + income_band + wo", data).fit()
    assert hours["estimate"] == pytest.approx(ols.params["woman"], abs=1e-4)
    assert hours["ci_low"] == pytest.approx(ols.conf_int().loc["woman", 0], abs=1e-4)


# --- 6.3 profiles by background -------------------------------------------------------------


def test_profile_tests_are_scipys_and_the_residuals_point_at_the_planted_profiles() -> None:
    frame = simulate(4000, seed=6, effects={"profile_function": 1.2, "profile_institution": 0.0})
    result = run_analysis("profiles-by-background", frame)
    data = frame.dropna(subset=["profile"])
    for column in ("function_group", "study_cluster"):
        table = pd.crosstab(data.profile, data[column])
        ref = stats.chi2_contingency(table, correction=False)
        s = stat(result, f"chi-square profile × {column} (df 5)")
        assert s["estimate"] == pytest.approx(ref.statistic, rel=1e-4)
    assert stat(result, "chi-square profile × function_group (df 5)")["p"] < 0.001
    function_table = next(t for t in result.tables if t.title["en"] == "Profile × job")
    residual = [c["en"] for c in function_table.columns].index("technical job: residual")
    rows = {row[0]["en"]: row for row in function_table.rows}
    assert rows["Nerd"][residual] > 1.96
    assert rows["Innovator"][residual] < -1.96
    p_values = [s["p"] for s in result.statistics]
    holm = multipletests(p_values, method="holm")[1]
    assert [s["p_holm"] for s in result.statistics] == pytest.approx(list(holm), abs=1e-5)


# --- 6.4/6.5 scales by profile --------------------------------------------------------------------

BLOCKS = {
    "nerd": 4.0,
    "einzelganger": 4.0,
    "traditionalist": 5.0,
    "innovator": 5.0,
    "allrounder": 6.0,
    "status_seeker": 6.0,
}


def test_letters_recover_which_planted_means_differ() -> None:
    frame = simulate(3000, seed=7, effects={"identification_means": BLOCKS})
    result = run_analysis("scales-by-profile", frame)
    table = next(t for t in result.tables if "identification" in t.title["en"])
    letters = {row[0]: row[-1] for row in table.rows}
    assert letters == {
        "allrounder": "a",
        "status_seeker": "a",
        "innovator": "b",
        "traditionalist": "b",
        "nerd": "c",
        "einzelganger": "c",
    }
    adjusted = {row[0]: row[3] for row in table.rows}
    for profile, mean in BLOCKS.items():
        # the age effect (0.01/year) is averaged out at the mean age; clipping at 7 is rare
        assert adjusted[profile] == pytest.approx(mean, abs=0.12)


def test_the_ancova_is_statsmodels_anova_emmeans_and_holm() -> None:
    frame = simulate(1500, seed=8)
    result = run_analysis("scales-by-profile", frame)
    data = frame.dropna(subset=["profile", "age", "contract_hours", "function_group"]).copy()
    data = data.dropna(subset=["identification"])
    data["non_technical_job"] = (data.function_group == "non_technical").astype(float)
    data["profile"] = data.profile.astype(str)
    formula = "identification ~ C(profile, Treatment('nerd')) + age + contract_hours"
    fit = smf.ols(formula + " + non_technical_job", data).fit()
    anova = anova_lm(fit, typ=2)
    f = stat(result, f"F profile on identification (df 5, {int(fit.df_resid)})")
    assert f["estimate"] == pytest.approx(anova.iloc[0]["F"], rel=1e-4)
    assert f["p"] == pytest.approx(anova.iloc[0]["PR(>F)"], abs=1e-6)
    at = pd.DataFrame(
        {
            "profile": list(BLOCKS),
            "age": data.age.mean(),
            "contract_hours": data.contract_hours.mean(),
            "non_technical_job": data.non_technical_job.mean(),
        }
    )
    emm = dict(zip(BLOCKS, fit.predict(at), strict=True))
    table = next(t for t in result.tables if "identification" in t.title["en"])
    for row in table.rows:
        assert row[3] == pytest.approx(emm[row[0]], abs=1e-3)
    pairs = next(t for t in result.tables if t.title["en"].startswith("Pairwise"))
    rows = [r for r in pairs.rows if r[0] == "identification"]
    names = list(fit.params.index)
    raw = []
    for _, a, b, *_rest in rows:
        w = np.zeros(len(names))
        for profile, sign in ((a, 1), (b, -1)):
            if profile != "nerd":
                w[names.index(f"C(profile, Treatment('nerd'))[T.{profile}]")] += sign
        raw.append(float(fit.t_test(w).pvalue))
    assert [r[6] for r in rows] == pytest.approx(raw, abs=1e-5)
    assert [r[7] for r in rows] == pytest.approx(
        list(multipletests(raw, method="holm")[1]), abs=1e-5
    )


# --- 6.6 leaving ---------------------------------------------------------------------------------


def test_leave_odds_ratios_are_recovered_and_match_statsmodels_logit() -> None:
    frame = simulate(
        9000,
        seed=9,
        effects={"leave_cluster_or": 2.0, "leave_function_or": 5.9, "leave_status_seeker_or": 1.0},
    )
    result = run_analysis("leave-by-profile", frame)
    cluster = stat(result, "odds ratio leaving, cluster 2 vs cluster 1")
    function = stat(result, "odds ratio leaving, non-technical vs technical job")
    assert within(cluster, 2.0)
    assert within(function, 5.9)
    data = frame[
        (frame.sector_objective == "technical_sector")
        & frame.future_sector.isin(["technical", "non_technical"])
    ]
    y = (data.future_sector == "non_technical").to_numpy(float)
    x = sm.add_constant(
        np.column_stack(
            [
                (data.study_cluster == "cluster_2").to_numpy(float),
                (data.function_group == "non_technical").to_numpy(float),
            ]
        )
    )
    ref = sm.Logit(y, x).fit(disp=0)
    assert cluster["estimate"] == pytest.approx(math.exp(ref.params[1]), rel=1e-4)
    assert cluster["ci_low"] == pytest.approx(math.exp(ref.conf_int()[1, 0]), rel=1e-4)
    assert function["estimate"] == pytest.approx(math.exp(ref.params[2]), rel=1e-4)


def test_a_planted_profile_difference_in_leaving_is_found() -> None:
    frame = simulate(6000, seed=10, effects={"leave_status_seeker_or": 0.2})
    result = run_analysis("leave-by-profile", frame)
    lr = next(s for s in result.statistics if s["name"].startswith("likelihood-ratio"))  # type: ignore[union-attr]
    assert lr["p"] < 0.001
    s = stat(result, "odds ratio leaving, status_seeker vs nerd (controlled)")
    assert within(s, 0.2)


# --- 7 gender stigma ----------------------------------------------------------------------------


def test_stigma_interactions_and_the_clarity_slope_are_recovered_and_match_statsmodels() -> None:
    flat = {p: 5.0 for p in BLOCKS}
    frame = simulate(
        6000,
        seed=12,
        effects={
            "stigma_woman_technical": 0.6,
            "stigma_woman_ratio": -0.3,
            "clarity_stigma_woman": -0.4,
            "career_clarity_means": flat,
        },
    )
    result = run_analysis("gender-stigma", frame)
    assert within(stat(result, "stigma model: woman:technical_sector"), 0.6)
    assert within(stat(result, "stigma model: woman:gender_ratio"), -0.3)
    assert within(stat(result, "stigma model: technical_sector"), 0.0)
    assert within(stat(result, "slope of career clarity on stigma, women"), -0.4)
    assert within(stat(result, "slope of career clarity on stigma, men"), 0.0)
    data = frame[frame.gender.isin(["woman", "man"])].copy()
    data["woman"] = (data.gender == "woman").astype(float)
    data["technical_sector"] = (data.sector_objective == "technical_sector").astype(float)
    ref = smf.ols("gender_stigma ~ woman * technical_sector + woman * gender_ratio", data).fit()
    s = stat(result, "stigma model: woman:technical_sector")
    assert s["estimate"] == pytest.approx(ref.params["woman:technical_sector"], abs=1e-4)
    assert s["ci_high"] == pytest.approx(ref.conf_int().loc["woman:technical_sector", 1], abs=1e-4)
    clarity = smf.ols("career_clarity ~ gender_stigma * woman + age + contract_hours", data).fit()
    women = clarity.t_test("gender_stigma + gender_stigma:woman = 0")
    s = stat(result, "slope of career clarity on stigma, women")
    assert s["estimate"] == pytest.approx(float(np.squeeze(women.effect)), abs=1e-4)
    assert s["p"] == pytest.approx(float(np.squeeze(women.pvalue)), abs=1e-6)


def test_the_clarity_slope_for_women_survives_a_dropped_covariate() -> None:
    """With everyone the same age, age leaves the design; the women's slope still matches."""
    frame = simulate(1500, seed=3, effects={"clarity_stigma_woman": -0.4})
    frame["age"] = 40.0
    result = run_analysis("gender-stigma", frame)
    data = frame[frame.gender.isin(["woman", "man"])].dropna(
        subset=["career_clarity", "contract_hours", "gender_stigma"]
    )
    data = data.assign(woman=(data.gender == "woman").astype(float))
    clarity = smf.ols("career_clarity ~ gender_stigma * woman + contract_hours", data).fit()
    women = clarity.t_test("gender_stigma + gender_stigma:woman = 0")
    s = stat(result, "slope of career clarity on stigma, women")
    assert s["estimate"] == pytest.approx(float(np.squeeze(women.effect)), abs=1e-4)


# --- interval coverage ----------------------------------------------------------------------

COVERAGE_REPS = 30


@pytest.mark.parametrize(
    ("key", "name", "effects", "truth"),
    [
        (
            "leave-by-profile",
            "odds ratio leaving, cluster 2 vs cluster 1",
            {"leave_cluster_or": 2.0, "leave_status_seeker_or": 1.0, "leave_base": -2.0},
            2.0,
        ),
        (
            "income-hours-by-gender",
            "cumulative odds ratio of a higher income band, women vs men",
            NO_JOB_SECTOR,
            math.exp(-0.8),
        ),
        ("gender-stigma", "stigma model: woman:technical_sector", {}, 0.6),
    ],
)
def test_the_95_percent_intervals_cover_the_planted_value_about_95_percent_of_the_time(
    key: str, name: str, effects: dict[str, float], truth: float
) -> None:
    covered = sum(
        within(
            stat(run_analysis(key, simulate(1500, seed=500 + rep, effects=effects)), name), truth
        )
        for rep in range(COVERAGE_REPS)
    )
    # P(X <= 24 | 30, 0.95) = 0.016
    assert covered >= 25, covered
