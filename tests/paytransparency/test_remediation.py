"""Remediation cost against a hand computation on a 12-person category, and the model rule
and the factor decomposition against statsmodels on generated data with planted effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from koers.stats.regression import Factor
from koers.stats.remediation import decompose, model_targets, remediation

# Six women and six men of one category; hourly total pay, hours per week.
WOMEN = [(19.0, 32), (22.0, 40), (24.0, 40), (26.0, 40), (28.0, 40), (31.0, 40)]
MEN = [(24.0, 40), (26.0, 40), (28.0, 40), (30.0, 40), (32.0, 40), (34.0, 40)]


def category():
    people = WOMEN + MEN
    hourly = np.array([p for p, _ in people])
    yearly_hours = np.array([h * 52.0 for _, h in people])
    female = np.array([True] * 6 + [False] * 6)
    return hourly, yearly_hours, female


def test_the_remediation_sums_match_a_hand_computation_on_twelve_people():
    hourly, yearly_hours, female = category()
    result = remediation(hourly, yearly_hours, female, charges_pct=25.0)
    # By hand: men's mean 174 / 6 = 29, women's 150 / 6 = 25; gap 4 / 29 = 13.79 %.
    assert result.underpaid == "female"
    assert result.gap_pct == pytest.approx(4 / 29 * 100)
    # Everyone below men's mean up to 29: raises 10, 7, 5, 3, 1 an hour (31 stays);
    # the first works 32 × 52 = 1664 hours, the others 40 × 52 = 2080.
    other = result.rule("other_mean")
    assert other is not None
    assert other.n_raised == 5
    assert other.annual_cost == pytest.approx(10 * 1664 + (7 + 5 + 3 + 1) * 2080)  # 49 920
    assert other.annual_cost_with_charges == pytest.approx(49920 * 1.25)
    # After: women 29, 29, 29, 29, 29, 31, mean 176 / 6; gap (29 − 29.333) / 29.
    assert other.gap_after_pct == pytest.approx((29 - 176 / 6) / 29 * 100)
    # The least that closes the mean: 4 an hour for each woman: 4 × (1664 + 5 × 2080).
    close = result.rule("close_mean")
    assert close is not None
    assert close.n_raised == 6
    assert close.annual_cost == pytest.approx(4 * 12064)  # 48 256
    assert close.gap_after_pct == pytest.approx(0.0, abs=1e-9)
    # The model without factors predicts a woman, as a man, the men's mean log pay:
    # target = geometric mean of the men's pay = 28.80; women below it: 19, 22, 24, 26, 28.
    g = (24 * 26 * 28 * 30 * 32 * 34) ** (1 / 6)
    model = result.rule("model")
    assert model is not None
    assert model.n_raised == 5
    assert model.annual_cost == pytest.approx((g - 19) * 1664 + (4 * g - 100) * 2080)


def test_a_gap_in_favour_of_women_raises_the_men():
    hourly, yearly_hours, female = category()
    result = remediation(hourly, yearly_hours, ~female)
    assert result.underpaid == "male"
    assert result.gap_pct is not None
    assert result.gap_pct < 0
    other = result.rule("other_mean")
    assert other is not None
    assert other.annual_cost == pytest.approx(49920)
    assert other.annual_cost_with_charges == pytest.approx(49920)  # 0 % charges


def test_no_gap_costs_nothing_and_negative_charges_are_refused():
    hourly = np.array([20.0, 20.0])
    result = remediation(hourly, np.array([2080.0, 2080.0]), np.array([True, False]))
    assert result.underpaid == ""
    assert result.rules == ()
    with pytest.raises(ValueError, match="at least 0"):
        remediation(hourly, np.array([2080.0, 2080.0]), np.array([True, False]), charges_pct=-1)


def planted(seed: int = 7, n: int = 400) -> pd.DataFrame:
    """Men have more tenure and more often a wo degree; pay rises 2 % a year of tenure,
    12 % for wo over hbo, and women earn 6 % less for the same factors."""
    rng = np.random.default_rng(seed)
    female = rng.random(n) < 0.4
    tenure = rng.gamma(2.0, 3.0, n) + np.where(female, 0.0, 3.0)
    education = np.where(rng.random(n) < np.where(female, 0.3, 0.6), "wo", "hbo")
    log_pay = (
        np.log(30.0)
        + 0.02 * tenure
        + 0.12 * (education == "wo")
        - 0.06 * female
        + rng.normal(0, 0.05, n)
    )
    return pd.DataFrame(
        {
            "pay": np.exp(log_pay),
            "female": female.astype(float),
            "tenure": tenure,
            "education": education,
        }
    )


def test_the_model_targets_are_statsmodels_predictions_for_the_other_sex():
    smf = pytest.importorskip("statsmodels.formula.api")
    data = planted()
    fit = smf.ols("np.log(pay) ~ female + tenure + C(education)", data=data).fit()
    as_men = np.exp(fit.predict(data.assign(female=0.0)))
    targets = model_targets(
        data["pay"],
        data["female"] > 0,
        factors=[Factor.from_values("education", data["education"])],
        numerics={"tenure": data["tenure"]},
    )
    assert targets is not None
    women = (data["female"] > 0).to_numpy()
    np.testing.assert_allclose(targets[women], as_men[women], rtol=1e-10)
    # A man keeps his own fitted pay as target.
    np.testing.assert_allclose(targets[~women], np.exp(fit.fittedvalues)[~women], rtol=1e-10)


def test_each_factors_share_is_its_mean_difference_times_the_pooled_coefficient():
    smf = pytest.importorskip("statsmodels.formula.api")
    data = planted()
    women = (data["female"] > 0).to_numpy()
    result = decompose(
        data["pay"],
        women,
        factors=[Factor.from_values("education", data["education"])],
        numerics={"tenure": data["tenure"]},
    )
    assert result is not None
    fit = smf.ols("np.log(pay) ~ female + tenure + C(education)", data=data).fit()
    log_pay = np.log(data["pay"])
    total = log_pay[~women].mean() - log_pay[women].mean()
    d_tenure = data["tenure"][~women].mean() - data["tenure"][women].mean()
    d_wo = (data["education"][~women] == "wo").mean() - (data["education"][women] == "wo").mean()
    by = {f.factor: f for f in result.factors}
    assert result.total == pytest.approx(total, rel=1e-10)
    assert by["tenure"].log_points == pytest.approx(d_tenure * fit.params["tenure"], rel=1e-8)
    assert by["education"].log_points == pytest.approx(
        d_wo * fit.params["C(education)[T.wo]"], rel=1e-8
    )
    assert by["tenure"].share == pytest.approx(by["tenure"].log_points / total)
    assert result.unexplained == pytest.approx(-fit.params["female"], rel=1e-8)
    # The planted effects come back: 6 % unexplained, tenure 3 years × 2 %, wo 30 points × 12 %.
    assert result.unexplained == pytest.approx(0.06, abs=0.015)
    assert by["tenure"].log_points == pytest.approx(0.06, abs=0.015)
    assert by["education"].log_points == pytest.approx(0.036, abs=0.015)
