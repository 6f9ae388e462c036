"""The numerical pieces of koers.stats.research against statsmodels and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.contingency_tables import Table as SmTable
from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from koers.stats.research import models as m


def _frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c", "d"], n),
            "x1": rng.normal(40, 10, n),
            "x2": rng.normal(0, 1, n),
        }
    )
    df["y"] = 1 + 0.3 * (df.g == "b") - 0.2 * (df.g == "d") + 0.02 * df.x1 + rng.normal(0, 1, n)
    return df


def _design(df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    cols = [np.ones(len(df))] + [(df.g == v).to_numpy(float) for v in "bcd"]
    cols += [df.x1.to_numpy(), df.x2.to_numpy()]
    return np.column_stack(cols), ["Intercept", "g[b]", "g[c]", "g[d]", "x1", "x2"]


def test_least_squares_matches_statsmodels_ols() -> None:
    df = _frame()
    x, names = _design(df)
    fit = m.fit_linear(df.y.to_numpy(), x, names)
    ref = sm.OLS(df.y.to_numpy(), x).fit()
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref.bse, rtol=1e-10)
    est, se, p, low, high = fit.coefficient("x1")
    assert p == pytest.approx(ref.pvalues[4], rel=1e-8)
    assert (low, high) == pytest.approx(tuple(ref.conf_int()[4]), rel=1e-10)
    assert fit.r_squared == pytest.approx(ref.rsquared, rel=1e-10)


def test_the_nested_f_test_is_statsmodels_type_ii_anova_with_partial_eta_squared() -> None:
    df = _frame()
    x, names = _design(df)
    full = m.fit_linear(df.y.to_numpy(), x, names)
    reduced = m.fit_linear(df.y.to_numpy(), x[:, [0, 4, 5]], ["Intercept", "x1", "x2"])
    test = m.nested_f(full, reduced)
    table = anova_lm(smf.ols("y ~ C(g) + x1 + x2", df).fit(), typ=2)
    assert test.f == pytest.approx(table.loc["C(g)", "F"], rel=1e-9)
    assert test.p == pytest.approx(table.loc["C(g)", "PR(>F)"], rel=1e-8)
    ss, resid = table.loc["C(g)", "sum_sq"], table.loc["Residual", "sum_sq"]
    assert test.partial_eta_squared == pytest.approx(ss / (ss + resid), rel=1e-9)
    assert test.eta_ci[0] <= test.partial_eta_squared <= test.eta_ci[1]


def test_the_partial_eta_squared_interval_inverts_the_noncentral_f() -> None:
    df = _frame()
    x, names = _design(df)
    full = m.fit_linear(df.y.to_numpy(), x, names)
    reduced = m.fit_linear(df.y.to_numpy(), x[:, [0, 4, 5]], ["Intercept", "x1", "x2"])
    test = m.nested_f(full, reduced)
    total = test.df_num + test.df_den + 1
    for eta, tail in ((test.eta_ci[0], 0.975), (test.eta_ci[1], 0.025)):
        lam = eta * total / (1 - eta)
        assert stats.ncf.cdf(test.f, test.df_num, test.df_den, lam) == pytest.approx(tail, abs=1e-6)


def test_logistic_regression_matches_statsmodels_logit() -> None:
    rng = np.random.default_rng(1)
    n = 2000
    x = np.column_stack([np.ones(n), rng.random(n) < 0.4, rng.random(n) < 0.5]).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.5 + np.log(2) * x[:, 1] + 0.8 * x[:, 2])))).astype(
        float
    )
    fit = m.fit_logit(y, x, ["Intercept", "a", "b"])
    ref = sm.Logit(y, x).fit(disp=0)
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref.bse, rtol=1e-6)
    assert fit.loglik == pytest.approx(ref.llf, rel=1e-10)
    odds, low, high, p = fit.odds_ratio("a")
    assert (np.log(low), np.log(high)) == pytest.approx(tuple(ref.conf_int()[1]), rel=1e-6)
    assert p == pytest.approx(ref.pvalues[1], rel=1e-5)
    assert fit.converged


def test_proportional_odds_matches_statsmodels_ordered_model() -> None:
    rng = np.random.default_rng(2)
    n = 1500
    x = np.column_stack([rng.random(n) < 0.3, rng.normal(36, 10, n), rng.normal(36, 4, n)])
    latent = -0.8 * x[:, 0] + 0.05 * (x[:, 1] - 36) + 0.1 * (x[:, 2] - 36) + rng.logistic(size=n)
    y = 1 + np.searchsorted([-1.5, -0.1, 0.6, 1.1, 1.45, 1.75], latent)
    fit = m.fit_ordinal(y, x.astype(float), ["woman", "age", "hours"])
    ref = OrderedModel(y, x.astype(float), distr="logit").fit(method="bfgs", disp=0, maxiter=5000)
    np.testing.assert_allclose(fit.params, ref.params[:3], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref.bse[:3], rtol=1e-3)
    # statsmodels stores θ_1 and log increments
    raw = ref.params[3:]
    thresholds = np.cumsum(np.concatenate(([raw[0]], np.exp(raw[1:]))))
    np.testing.assert_allclose(fit.thresholds, thresholds, rtol=1e-4, atol=1e-5)
    assert fit.converged


def test_chi_square_residuals_and_cramers_v_match_scipy_and_statsmodels() -> None:
    table = np.array([[30, 12, 9], [20, 25, 14], [8, 14, 30]])
    chi = m.chi_square(table)
    ref = stats.chi2_contingency(table, correction=False)
    assert chi.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert chi.p == pytest.approx(ref.pvalue, rel=1e-10)
    assert chi.df == ref.dof
    assert chi.cramers_v == pytest.approx(
        stats.contingency.association(table, method="cramer"), rel=1e-12
    )
    np.testing.assert_allclose(chi.residuals, SmTable(table).standardized_resids, rtol=1e-10)
    low, high = chi.v_ci
    assert low < chi.cramers_v < high


def test_the_interval_of_cramers_v_starts_at_zero_when_the_test_is_far_from_significant() -> None:
    chi = m.chi_square(np.array([[20, 25], [19, 14]]))
    assert chi.p > 0.2
    assert chi.v_ci[0] == 0.0
    assert chi.v_ci[1] > chi.cramers_v
    # far in the lower tail the inversion is degenerate; the interval still holds V
    flat = m.chi_square(np.array([[20, 21], [19, 20]]))
    assert flat.v_ci[0] <= flat.cramers_v <= flat.v_ci[1]


def test_cohens_kappa_matches_statsmodels() -> None:
    table = np.array([[412, 38], [120, 180]])
    kappa = m.cohens_kappa(table)
    ref = sm_kappa(table)
    assert kappa.kappa == pytest.approx(ref["kappa"], rel=1e-12)
    assert kappa.se == pytest.approx(ref["std_kappa"], rel=1e-10)
    assert kappa.ci == pytest.approx((ref["kappa_low"], ref["kappa_upp"]), rel=1e-10)
    assert kappa.p == pytest.approx(ref["pvalue_two_sided"], abs=1e-12)


def test_wilson_interval_and_holm_match_statsmodels() -> None:
    assert m.wilson(37, 100) == pytest.approx(proportion_confint(37, 100, method="wilson"))
    p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04]
    assert m.holm_adjust(p) == pytest.approx(list(multipletests(p, method="holm")[1]))


def test_compact_letters_on_hand_worked_examples() -> None:
    groups = ["a", "b", "c", "d"]
    # nothing differs: one letter for all
    assert m.compact_letters(groups, set()) == {g: "a" for g in groups}
    # two blocks: {a, b} and {c, d}
    pairs = {frozenset(p) for p in [("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")]}
    assert m.compact_letters(groups, pairs) == {"a": "a", "b": "a", "c": "b", "d": "b"}
    # a chain: a ≠ c only; b shares with both
    letters = m.compact_letters(["a", "b", "c"], {frozenset(("a", "c"))})
    assert letters == {"a": "a", "b": "ab", "c": "b"}


def test_compact_letters_share_a_letter_exactly_when_not_different() -> None:
    rng = np.random.default_rng(5)
    groups = [f"g{i}" for i in range(6)]
    for _ in range(200):
        pairs = {
            frozenset((a, b))
            for i, a in enumerate(groups)
            for b in groups[i + 1 :]
            if rng.random() < 0.4
        }
        letters = m.compact_letters(groups, pairs)
        for i, a in enumerate(groups):
            assert letters[a]
            for b in groups[i + 1 :]:
                share = bool(set(letters[a]) & set(letters[b]))
                assert share == (frozenset((a, b)) not in pairs)
