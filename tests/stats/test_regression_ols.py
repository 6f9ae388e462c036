"""koers.stats.regression against statsmodels (formula OLS) and the Oaxaca identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from koers.stats.regression import Factor, fit_ols, oaxaca_blinder


def data(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "level": rng.choice(["1", "2", "3", "10", "11"], n),
            "edu": rng.choice(["mbo", "hbo", "wo", "unknown"], n, p=[0.4, 0.3, 0.2, 0.1]),
            "age": rng.integers(20, 67, n).astype(float),
            "tenure": rng.uniform(0, 30, n),
            "hours": rng.choice([24.0, 32.0, 36.0, 40.0], n),
            "female": (rng.random(n) < 0.4).astype(float),
        }
    )
    df["y"] = (
        3.0
        + 0.04 * df["level"].astype(int)
        + 0.006 * df["age"]
        + 0.004 * df["tenure"]
        - 0.05 * df["female"]
        + 0.03 * (df["edu"] == "wo")
        + rng.normal(0, 0.08, n)
    )
    return df


@pytest.fixture(params=["grouped sums", "dense"])
def solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with X'X from grouped sums (large data) and from a dense X (small data)."""
    import koers.stats.regression as regression

    monkeypatch.setattr(regression, "_DENSE_CELLS", 0 if request.param == "grouped sums" else 10**9)
    return str(request.param)


@pytest.mark.usefixtures("solver")
def test_coefficients_and_standard_errors_match_statsmodels() -> None:
    df = data()
    ours = fit_ols(
        df["y"],
        factors=[Factor.from_values("level", df["level"]), Factor.from_values("edu", df["edu"])],
        numerics={c: df[c] for c in ("female", "age", "tenure", "hours")},
    )
    ref = smf.ols("y ~ C(level) + C(edu) + female + age + tenure + hours", df).fit()
    for name in ("female", "age", "tenure", "hours", "Intercept"):
        k = ours.index(name)
        assert ours.params[k] == pytest.approx(ref.params[name], rel=1e-9)
        assert ours.bse[k] == pytest.approx(ref.bse[name], rel=1e-9)
    for level in ("11", "2", "3"):
        k = ours.index(f"level[{level}]")
        assert ours.params[k] == pytest.approx(ref.params[f"C(level)[T.{level}]"], rel=1e-9)
    assert ours.r_squared == pytest.approx(ref.rsquared, rel=1e-12)
    assert ours.df_resid == ref.df_resid
    low, high = ours.conf_int("female")
    assert (low, high) == pytest.approx(tuple(ref.conf_int().loc["female"]), rel=1e-9)
    assert np.allclose(ours.fitted, ref.fittedvalues, rtol=1e-12)


def test_levels_are_ordered_by_the_sort_key() -> None:
    factor = Factor.from_values("level", ["10", "2", "1", "2"], sort_key=lambda s: int(s))
    assert factor.labels == ("1", "2", "10")
    assert factor.codes.tolist() == [2, 1, 0, 1]


@pytest.mark.usefixtures("solver")
def test_collinear_columns_are_not_identifiable_and_the_rest_still_fit() -> None:
    df = data(800, 1)
    fit = fit_ols(
        df["y"],
        factors=[Factor.from_values("level", df["level"])],
        numerics={"female": df["female"], "age": df["age"], "age_again": df["age"] * 2 + 1},
    )
    ref = smf.ols("y ~ C(level) + female + age", df).fit()
    assert not fit.identifiable[fit.index("age")]
    assert np.isnan(fit.params[fit.index("age_again")])
    assert fit.rank == len(fit.names) - 1
    assert fit.params[fit.index("female")] == pytest.approx(ref.params["female"], rel=1e-9)
    assert fit.bse[fit.index("female")] == pytest.approx(ref.bse["female"], rel=1e-9)


def test_a_factor_with_one_level_adds_nothing() -> None:
    x = np.arange(20.0)
    fit = fit_ols(3 + x, factors=[Factor.from_values("one", ["a"] * 20)], numerics={"x": x})
    assert fit.names == ("Intercept", "x")
    assert fit.params == pytest.approx([3.0, 1.0])


@pytest.mark.usefixtures("solver")
def test_oaxaca_parts_add_up_and_unexplained_is_minus_the_group_coefficient() -> None:
    df = data(2000, 2)
    factors = [Factor.from_values("level", df["level"]), Factor.from_values("edu", df["edu"])]
    numerics = {c: df[c].to_numpy() for c in ("age", "tenure", "hours")}
    result = oaxaca_blinder(df["y"], df["female"] == 1, factors=factors, numerics=numerics)
    assert result is not None
    pooled = smf.ols("y ~ C(level) + C(edu) + age + tenure + hours + female", df).fit()
    men, women = df[df["female"] == 0], df[df["female"] == 1]
    assert result.total == pytest.approx(men["y"].mean() - women["y"].mean(), rel=1e-12)
    assert result.explained + result.unexplained == pytest.approx(result.total, rel=1e-9)
    assert result.unexplained == pytest.approx(-pooled.params["female"], rel=1e-9)
    assert result.se_unexplained == pytest.approx(pooled.bse["female"], rel=1e-9)
    # Jann (2008): unexplained = X̄_A'(β_A − β*) + X̄_B'(β* − β_B), from group regressions.
    formula = "y ~ C(level) + C(edu) + age + tenure + hours"
    beta_a, beta_b = smf.ols(formula, men).fit(), smf.ols(formula, women).fit()
    star = pooled.params.drop("female")
    design = pooled.model.data.orig_exog.drop(columns="female")
    xa = design[df["female"] == 0].mean()
    xb = design[df["female"] == 1].mean()
    jann = xa @ (beta_a.params - star) + xb @ (star - beta_b.params)
    assert result.unexplained == pytest.approx(jann, rel=1e-8)
    assert result.explained == pytest.approx((xa - xb) @ star, rel=1e-9)
    assert sum(result.explained_by.values()) == pytest.approx(result.explained, rel=1e-12)


@pytest.mark.usefixtures("solver")
def test_oaxaca_explained_standard_error_follows_jann() -> None:
    df = data(1500, 3)
    factors = [Factor.from_values("level", df["level"])]
    result = oaxaca_blinder(
        df["y"], df["female"] == 1, factors=factors, numerics={"age": df["age"].to_numpy()}
    )
    assert result is not None
    pooled = smf.ols("y ~ C(level) + age + female", df).fit()
    design = pooled.model.data.orig_exog
    a, b = design[df["female"] == 0], design[df["female"] == 1]
    keep = [c for c in design.columns if c != "female"]
    diff = (a[keep].mean() - b[keep].mean()).to_numpy()
    cov = pooled.cov_params().loc[keep, keep].to_numpy()
    beta = pooled.params[keep].to_numpy()
    var = diff @ cov @ diff
    var += beta @ np.cov(a[keep].to_numpy(), rowvar=False) @ beta / len(a)
    var += beta @ np.cov(b[keep].to_numpy(), rowvar=False) @ beta / len(b)
    assert result.se_explained == pytest.approx(np.sqrt(var), rel=1e-9)
    low, high = result.conf_int("explained")
    assert high - low == pytest.approx(2 * 1.959963984540054 * result.se_explained, rel=1e-12)


def test_oaxaca_is_none_without_both_groups() -> None:
    assert oaxaca_blinder([1.0, 2.0, 3.0], [False, False, False]) is None
