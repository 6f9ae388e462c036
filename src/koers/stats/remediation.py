"""What closing a category's pay gap costs, and which factors explain the gap (Art. 10).

Pure (numpy, no Django). Input is one category of workers
(:func:`koers.stats.paygap.category_design`): hourly total pay, yearly hours, female
indicator and the factors HR names as objective, gender-neutral justification.

**The underpaid group** is the sex whose mean hourly total pay is lower (women when the
mean gap is positive; Art. 10(1)(a) applies either way). Three rules, all in gross pay
per year (hourly raise × hours per week × 52), before and after employer charges
(a percentage HR sets: employer's social security, pension and holiday-pay contributions
differ per employer, so it is an input, not a constant):

``model``
    Every worker of the underpaid group is raised to the pay the category's model predicts
    for the other sex with the same factors, if they earn less: the model is the adjusted
    gap's OLS of log hourly total pay on a female indicator and the factors
    (``spec/paygap.md``, "Adjusted gap"), so the target of a woman is
    ``exp(x'β̂)`` with the female indicator set to 0, i.e. her fitted pay times
    ``exp(−δ̂)``. The target is the model's exp of the predicted log, the conditional
    *median* under log-normal errors, not the mean; no smearing factor (Duan 1983) is
    applied, so the target is never inflated by the residual spread. This is the rule
    issue 17 names: "every worker below the pay predicted for their category and justified
    factors up to it"; the model is the log-pay regression with a sex indicator that
    regression-based pay-equity tools use (e.g. the Swiss federal Logib tool).
``other_mean``
    Every worker of the underpaid group who earns less than the other sex's mean hourly
    total pay in the category is raised to that mean.
``close_mean``
    The least that closes the mean gap: every worker of the underpaid group gets the same
    hourly raise Δ = mean(other) − mean(underpaid), so the group's mean rises by exactly Δ;
    cost = Δ × Σ yearly hours of the group.

The **decomposition** is the twofold Oaxaca–Blinder decomposition with pooled reference
coefficients including the group indicator (Jann 2008; Fortin 2008) of the difference in
mean log hourly total pay men − women, as the Gender Scan computes it
(:func:`koers.stats.regression.oaxaca_blinder`): each factor's explained part
``(x̄_men − x̄_women)' β*_factor`` and its share of the total difference.

References
----------
Duan, N. (1983). Smearing estimate: a nonparametric retransformation method. JASA 78, 605–610.
Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression models. Stata J. 8(4).
Fortin, N. (2008). The gender wage gap among young adults in the United States: the
importance of money versus people. J. Human Resources 43(4), 884–918.
Directive (EU) 2023/970, Art. 10(1), (2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from koers.stats.regression import Factor, fit_ols, oaxaca_blinder

FloatArray = npt.NDArray[np.float64]
RULES = ("model", "other_mean", "close_mean")
# Below this absolute difference in mean log pay (0.1 %) a factor's share is not given.
_MIN_TOTAL = 1e-3


@dataclass(frozen=True)
class RuleCost:
    rule: str
    n_raised: int  # people whose pay goes up
    annual_cost: float  # gross raises per year, euro
    annual_cost_with_charges: float
    gap_after_pct: float | None  # the mean gap of hourly total pay after the raises


@dataclass(frozen=True)
class Remediation:
    underpaid: str  # "female" | "male" | "" (no gap)
    n_female: int
    n_male: int
    gap_pct: float | None  # mean gap of hourly total pay, before
    charges_pct: float
    rules: tuple[RuleCost, ...]
    model_available: bool  # False: the model could not be fitted (too few people)

    def rule(self, name: str) -> RuleCost | None:
        return next((r for r in self.rules if r.rule == name), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _gap(hourly: FloatArray, female: npt.NDArray[np.bool_]) -> float | None:
    if not female.any() or female.all():
        return None
    men, women = float(hourly[~female].mean()), float(hourly[female].mean())
    return (men - women) / men * 100.0


def _cost(
    rule: str,
    hourly: FloatArray,
    target: FloatArray,
    yearly_hours: FloatArray,
    group: npt.NDArray[np.bool_],
    female: npt.NDArray[np.bool_],
    charges_pct: float,
) -> RuleCost:
    raise_hourly = np.where(group, np.maximum(target - hourly, 0.0), 0.0)
    annual = float(raise_hourly @ yearly_hours)
    return RuleCost(
        rule=rule,
        n_raised=int((raise_hourly > 0).sum()),
        annual_cost=annual,
        annual_cost_with_charges=annual * (1.0 + charges_pct / 100.0),
        gap_after_pct=_gap(hourly + raise_hourly, female),
    )


def model_targets(
    hourly: npt.ArrayLike,
    female: npt.ArrayLike,
    *,
    factors: Sequence[Factor] = (),
    numerics: Mapping[str, npt.ArrayLike] | None = None,
    underpaid_female: bool = True,
) -> FloatArray | None:
    """Each worker's predicted hourly pay as the *other* sex (``exp`` of the fitted log pay
    with the female indicator flipped for the underpaid group); None when the female
    coefficient is not identifiable or no degrees of freedom are left."""
    y = np.log(np.asarray(hourly, dtype=np.float64))
    f = np.asarray(female, dtype=bool)
    nums = {k: np.asarray(v, dtype=np.float64) for k, v in (numerics or {}).items()}
    fit = fit_ols(y, factors=factors, numerics={"female": f.astype(np.float64), **nums})
    k = fit.index("female")
    if not fit.identifiable[k] or fit.df_resid <= 0:
        return None
    delta = float(fit.params[k])
    # fitted = x'β + δ·female; as a man: fitted − δ·female; as a woman: fitted + δ·(1 − female).
    shift = -delta * f if underpaid_female else delta * (~f)
    result: FloatArray = np.exp(fit.fitted + shift)
    return result


def remediation(
    hourly: npt.ArrayLike,
    yearly_hours: npt.ArrayLike,
    female: npt.ArrayLike,
    *,
    factors: Sequence[Factor] = (),
    numerics: Mapping[str, npt.ArrayLike] | None = None,
    charges_pct: float = 0.0,
) -> Remediation:
    """The annual cost of each rule (module docstring) for one category."""
    pay = np.asarray(hourly, dtype=np.float64)
    hours = np.asarray(yearly_hours, dtype=np.float64)
    f = np.asarray(female, dtype=bool)
    if charges_pct < 0:
        raise ValueError("employer charges are a percentage of at least 0")
    gap = _gap(pay, f)
    n_female, n_male = int(f.sum()), int((~f).sum())
    if gap is None or gap == 0:
        return Remediation("", n_female, n_male, gap, charges_pct, (), False)
    underpaid_female = gap > 0
    group = f if underpaid_female else ~f
    other_mean = float(pay[~group].mean())
    rules = []
    targets = model_targets(
        pay, f, factors=factors, numerics=numerics, underpaid_female=underpaid_female
    )
    if targets is not None:
        rules.append(_cost("model", pay, targets, hours, group, f, charges_pct))
    rules.append(
        _cost("other_mean", pay, np.full(len(pay), other_mean), hours, group, f, charges_pct)
    )
    delta = other_mean - float(pay[group].mean())
    rules.append(_cost("close_mean", pay, pay + delta, hours, group, f, charges_pct))
    return Remediation(
        underpaid="female" if underpaid_female else "male",
        n_female=n_female,
        n_male=n_male,
        gap_pct=gap,
        charges_pct=charges_pct,
        rules=tuple(rules),
        model_available=targets is not None,
    )


@dataclass(frozen=True)
class FactorShare:
    factor: str
    log_points: float  # explained part, men − women, in log points
    share: float | None  # of the total difference; None when that is about 0


@dataclass(frozen=True)
class Decomposition:
    total: float  # mean log hourly total pay, men − women
    explained: float
    unexplained: float
    factors: tuple[FactorShare, ...]

    @property
    def unexplained_share(self) -> float | None:
        return self.unexplained / self.total if abs(self.total) >= _MIN_TOTAL else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["unexplained_share"] = self.unexplained_share
        return out


def decompose(
    hourly: npt.ArrayLike,
    female: npt.ArrayLike,
    *,
    factors: Sequence[Factor] = (),
    numerics: Mapping[str, npt.ArrayLike] | None = None,
) -> Decomposition | None:
    """Each factor's share of the gap (Oaxaca–Blinder, pooled with group indicator)."""
    y = np.log(np.asarray(hourly, dtype=np.float64))
    result = oaxaca_blinder(y, female, factors=factors, numerics=numerics)
    if result is None:
        return None
    big = abs(result.total) >= _MIN_TOTAL
    return Decomposition(
        total=result.total,
        explained=result.explained,
        unexplained=result.unexplained,
        factors=tuple(
            FactorShare(name, value, value / result.total if big else None)
            for name, value in result.explained_by.items()
        ),
    )
