"""The numerical pieces of the research analyses: least squares with nested F-tests, logistic
and proportional-odds regression, contingency tables, Cohen's kappa, Holm's adjustment and
compact letter displays. Pure numpy/scipy; each is checked against statsmodels/scipy in
``tests/stats/test_research_models.py`` (Koers never imports statsmodels: it is a test-only
reference, see ``tests/foundation/test_import_cycles.py``).

Designs here are small (a few thousand rows, at most a few dozen columns), so they are built
as dense matrices and solved with ``numpy.linalg.lstsq`` / Cholesky; the Gender Scan's
grouped-sum OLS (:mod:`koers.stats.regression`) is for a million rows and is not needed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

FloatArray = npt.NDArray[np.float64]

CONFIDENCE = 0.95


# --- Least squares -----------------------------------------------------------------------


@dataclass(frozen=True)
class LinearFit:
    """Ordinary least squares with classical (homoskedastic) standard errors.

    ``cov = σ² (X'X)⁻¹`` with ``σ² = RSS / (n − p)``; intervals from Student's t with
    ``n − p`` degrees of freedom (as statsmodels' ``OLS(...).fit()``).
    """

    names: tuple[str, ...]
    params: FloatArray
    cov: FloatArray
    n: int
    df_resid: int
    rss: float
    tss: float

    def index(self, name: str) -> int:
        return self.names.index(name)

    def se(self, name: str) -> float:
        k = self.index(name)
        return float(math.sqrt(self.cov[k, k]))

    def estimate(self, name: str) -> float:
        return float(self.params[self.index(name)])

    def contrast(self, weights: FloatArray) -> tuple[float, float, float, float, float]:
        """``c'β`` with its standard error, t's two-sided p and the 95 % interval."""
        value = float(weights @ self.params)
        se = float(math.sqrt(max(float(weights @ self.cov @ weights), 0.0)))
        if se == 0.0 or self.df_resid <= 0:
            return value, se, float("nan"), float("nan"), float("nan")
        t = value / se
        p = float(2 * stats.t.sf(abs(t), self.df_resid))
        q = float(stats.t.ppf(0.5 + CONFIDENCE / 2, self.df_resid))
        return value, se, p, value - q * se, value + q * se

    def coefficient(self, name: str) -> tuple[float, float, float, float, float]:
        w = np.zeros(len(self.names))
        w[self.index(name)] = 1.0
        return self.contrast(w)

    @property
    def r_squared(self) -> float:
        return 1.0 - self.rss / self.tss if self.tss > 0 else float("nan")


def fit_linear(y: FloatArray, x: FloatArray, names: Sequence[str]) -> LinearFit:
    """Least squares of ``y`` on the columns of ``x`` (which include the intercept).

    Raises ``np.linalg.LinAlgError`` when ``x`` is rank deficient: the callers build designs
    from levels with at least k people, so a collinear design is a programming error.
    """
    n, p = x.shape
    if np.linalg.matrix_rank(x) < p:
        raise np.linalg.LinAlgError("the design matrix is rank deficient")
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    rss = float(resid @ resid)
    df = n - p
    sigma2 = rss / df if df > 0 else float("nan")
    cov = sigma2 * np.linalg.inv(x.T @ x)
    centred = y - y.mean()
    return LinearFit(
        tuple(names),
        np.asarray(beta, dtype=np.float64),
        np.asarray(cov, dtype=np.float64),
        n,
        df,
        rss,
        float(centred @ centred),
    )


@dataclass(frozen=True)
class FTest:
    f: float
    df_num: int
    df_den: int
    p: float
    partial_eta_squared: float
    eta_ci: tuple[float, float]


def nested_f(full: LinearFit, reduced: LinearFit) -> FTest:
    """F-test of the terms in ``full`` but not in ``reduced`` (fitted on the same rows).

    With every other term in both models this is the Type II (and, without interactions
    involving the term, Type III) test of the term, as ``anova_lm(typ=2)``. Partial
    η² = SS_term / (SS_term + SS_resid); its interval inverts the noncentral F
    (Steiger 2004, Psychological Methods 9(2), 164–182) and is converted with
    η² = λ / (λ + df_num + df_den + 1).
    """
    df_num = reduced.df_resid - full.df_resid
    ss_term = reduced.rss - full.rss
    f = (ss_term / df_num) / (full.rss / full.df_resid)
    p = float(stats.f.sf(f, df_num, full.df_resid))
    eta = ss_term / (ss_term + full.rss)
    low_l, high_l = noncentral_interval(
        lambda lam: float(stats.ncf.cdf(f, df_num, full.df_resid, lam)),
        lambda: float(stats.f.cdf(f, df_num, full.df_resid)),
    )
    total = df_num + full.df_resid + 1
    return FTest(
        float(f),
        df_num,
        full.df_resid,
        p,
        float(eta),
        (min(low_l / (low_l + total), eta), max(high_l / (high_l + total), eta)),
    )


def noncentral_interval(
    cdf: Callable[[float], float],
    central_cdf: Callable[[], float],
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Interval for a noncentrality λ ≥ 0 by inverting ``cdf(λ) = P(T ≤ t_obs | λ)``.

    ``cdf`` falls as λ grows. The lower bound is 0 when even λ = 0 leaves the observed
    statistic below the upper quantile (Steiger & Fouladi 1997).
    """
    upper_tail, lower_tail = 0.5 + confidence / 2, 0.5 - confidence / 2

    def bound(target: float) -> float:
        if float(central_cdf()) <= target:
            return 0.0
        high = 10.0
        while float(cdf(high)) > target:
            high *= 2
            if high > 1e7:
                return float("inf")
        return float(optimize.brentq(lambda lam: float(cdf(lam)) - target, 0.0, high, xtol=1e-8))

    return bound(upper_tail), bound(lower_tail)


# --- Logistic regression -----------------------------------------------------------------


def _odds_ratio(
    names: Sequence[str], params: FloatArray, cov: FloatArray, name: str
) -> tuple[float, float, float, float]:
    """exp(β) of coefficient ``name`` with its Wald 95 % interval exp(β ± z·SE), and Wald's
    two-sided p (NaN when the standard error is zero)."""
    k = names.index(name)
    b, se = float(params[k]), float(math.sqrt(cov[k, k]))
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 else float("nan")
    return math.exp(b), math.exp(b - z * se), math.exp(b + z * se), p


@dataclass(frozen=True)
class LogitFit:
    """Maximum-likelihood logistic regression; ``cov`` is the inverse Fisher information."""

    names: tuple[str, ...]
    params: FloatArray
    cov: FloatArray
    n: int
    loglik: float
    converged: bool

    def odds_ratio(self, name: str) -> tuple[float, float, float, float]:
        """exp(β) with its Wald 95 % interval exp(β ± z·SE), and Wald's two-sided p."""
        return _odds_ratio(self.names, self.params, self.cov, name)


def fit_logit(y: FloatArray, x: FloatArray, names: Sequence[str], max_iter: int = 50) -> LogitFit:
    """Logistic regression by Newton–Raphson (iteratively reweighted least squares).

    Stops when the largest step is below 1e-10. With complete separation the estimates run
    off; ``converged`` is then False and callers refuse (they also require at least k
    events and k non-events).
    """
    n, p = x.shape
    beta = np.zeros(p)
    converged = False
    for _ in range(max_iter):
        eta = x @ beta
        mu = special.expit(eta)
        w = mu * (1 - mu)
        info = x.T @ (x * w[:, None])
        try:
            step = np.linalg.solve(info, x.T @ (y - mu))
        except np.linalg.LinAlgError:
            # Separation: fitted probabilities reach 0 or 1, the weights vanish and the
            # information matrix is singular. Not converged; callers refuse.
            break
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-10:
            converged = True
            break
    eta = x @ beta
    mu = special.expit(eta)
    w = mu * (1 - mu)
    try:
        cov = np.linalg.inv(x.T @ (x * w[:, None]))
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.nan)
        converged = False
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    converged = converged and bool(np.all(np.abs(beta) < 25))
    return LogitFit(tuple(names), beta, cov, n, loglik, converged)


# --- Proportional-odds (ordinal logistic) regression -------------------------------------


@dataclass(frozen=True)
class OrdinalFit:
    """Cumulative logit model ``logit P(Y ≤ j) = θ_j − x'β`` (McCullagh 1980).

    ``params`` are the slopes β (positive: higher categories more likely), ``thresholds``
    the cut points θ_1 < … < θ_{J−1}; ``cov`` covers the slopes only. This is the
    parametrisation of statsmodels' ``OrderedModel(distr="logit")``, R's ``MASS::polr``
    and SPSS PLUM (``exp(β)`` is the cumulative odds ratio).
    """

    names: tuple[str, ...]
    params: FloatArray
    thresholds: FloatArray
    cov: FloatArray
    n: int
    converged: bool

    def odds_ratio(self, name: str) -> tuple[float, float, float, float]:
        return _odds_ratio(self.names, self.params, self.cov, name)


def fit_ordinal(y: npt.ArrayLike, x: FloatArray, names: Sequence[str]) -> OrdinalFit:
    """Proportional-odds logistic regression by maximum likelihood.

    ``y`` holds integer categories; only the categories that occur are used, in order.
    ``x`` has no intercept (the thresholds take its place). The columns of ``x`` are
    standardised for the optimiser (BFGS with the exact gradient) and the estimates mapped
    back (β = β_z / s, θ = θ_z + μ'β); the thresholds are parametrised as θ_1,
    log(θ_2 − θ_1), … so that they stay ordered. The covariance is the inverse of the
    observed information, the central-difference Jacobian of the exact gradient at the
    estimate in the natural parameters (θ, β). ``converged``: the largest gradient entry
    of the mean log-likelihood is below 1e-6.
    """
    yv = np.asarray(y)
    levels = np.unique(yv)
    codes = np.searchsorted(levels, yv).astype(np.intp)
    n, p = x.shape
    j = len(levels)
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    z = (x - mu) / sd

    def unpack(par: FloatArray) -> tuple[FloatArray, FloatArray]:
        raw = par[: j - 1]
        theta = np.cumsum(np.concatenate(([raw[0]], np.exp(raw[1:]))))
        return theta, par[j - 1 :]

    def objective(par: FloatArray) -> tuple[float, FloatArray]:
        theta, beta = unpack(par)
        value, g_theta, g_beta = _ordinal_loglik_grad(theta, beta, codes, z)
        # chain rule for θ_m = r_0 + Σ_{i≤m} exp(r_i)
        tail = np.cumsum(g_theta[::-1])[::-1]
        g_raw = np.concatenate(([tail[0]], np.exp(par[1 : j - 1]) * tail[1:]))
        return -value / n, -np.concatenate((g_raw, g_beta)) / n

    cum = np.cumsum(np.bincount(codes, minlength=j))[:-1] / n
    theta0 = special.logit(np.clip(cum, 1e-6, 1 - 1e-6))
    start = np.concatenate(([theta0[0]], np.log(np.maximum(np.diff(theta0), 1e-3)), np.zeros(p)))
    result = optimize.minimize(
        objective, start, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 2000}
    )
    theta_z, beta_z = unpack(result.x)
    beta = beta_z / sd
    theta = theta_z + float(mu @ beta)
    natural = np.concatenate((theta, beta))

    def gradient(v: FloatArray) -> FloatArray:
        _, g_t, g_b = _ordinal_loglik_grad(v[: j - 1], v[j - 1 :], codes, x)
        return np.concatenate((g_t, g_b))

    info = -_jacobian(gradient, natural)
    info = (info + info.T) / 2
    cov = np.linalg.inv(info)[j - 1 :, j - 1 :]
    converged = bool(np.max(np.abs(objective(result.x)[1])) < 1e-6)
    return OrdinalFit(
        tuple(names),
        np.asarray(beta, dtype=np.float64),
        np.asarray(theta, dtype=np.float64),
        np.asarray(cov, dtype=np.float64),
        n,
        converged,
    )


def _ordinal_loglik_grad(
    theta: FloatArray, beta: FloatArray, codes: npt.NDArray[np.intp], x: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Log-likelihood of the cumulative logit model and its gradient in (θ, β)."""
    j = len(theta) + 1
    eta = x @ beta
    cuts = np.concatenate(([-np.inf], theta, [np.inf]))
    u = cuts[codes + 1] - eta
    lo = cuts[codes] - eta
    fu, fl = special.expit(u), special.expit(lo)
    prob = np.maximum(fu - fl, 1e-300)
    du, dl = fu * (1 - fu), fl * (1 - fl)
    g_theta = np.zeros(j - 1)
    upper = codes < j - 1
    np.add.at(g_theta, codes[upper], du[upper] / prob[upper])
    lower = codes > 0
    np.add.at(g_theta, codes[lower] - 1, -dl[lower] / prob[lower])
    g_beta = -(x.T @ ((du - dl) / prob))
    return float(np.sum(np.log(prob))), g_theta, g_beta


def _jacobian(f: Callable[[FloatArray], FloatArray], at: FloatArray) -> FloatArray:
    """Central-difference Jacobian of a vector function (step 1e-5 · max(|x|, 1))."""
    k = len(at)
    out = np.empty((k, k))
    for a in range(k):
        h = 1e-5 * max(abs(float(at[a])), 1.0)
        e = np.zeros(k)
        e[a] = h
        out[:, a] = (np.asarray(f(at + e)) - np.asarray(f(at - e))) / (2 * h)
    return out


# --- Contingency tables ------------------------------------------------------------------


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence of an r × c table (no continuity
    correction, as ``scipy.stats.chi2_contingency(correction=False)``), Cramér's V with its
    interval, adjusted standardised residuals, and the share of cells expected below 5."""

    statistic: float
    df: int
    p: float
    cramers_v: float
    v_ci: tuple[float, float]
    residuals: FloatArray
    expected: FloatArray
    share_expected_below_5: float
    n: int


def chi_square(table: npt.ArrayLike) -> ChiSquare:
    """Test of independence with Cramér's V = √(χ² / (n · (min(r, c) − 1))).

    The interval for V inverts the noncentral chi-square in its noncentrality λ and maps
    it with V = √(λ / (n (min(r, c) − 1))), the population V whose noncentrality is λ
    (Smithson 2003, *Confidence Intervals*, ch. 4); clipped to [0, 1] and widened to hold
    the estimate when the statistic lies in the far lower tail (the inversion then gives
    the degenerate interval [0, 0]). Residuals are Haberman's (1973) adjusted
    residuals ``(O − E) / √(E (1 − r_i/n)(1 − c_j/n))``, approximately standard normal
    under independence: |r| > 1.96 marks a cell that differs at the 5 % level.
    """
    obs = np.asarray(table, dtype=np.float64)
    n = float(obs.sum())
    rows, cols = obs.sum(axis=1), obs.sum(axis=0)
    expected = np.outer(rows, cols) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = float(np.nansum((obs - expected) ** 2 / expected))
        residuals = (obs - expected) / np.sqrt(expected * np.outer(1 - rows / n, 1 - cols / n))
    df = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    p = float(stats.chi2.sf(chi2, df))
    m = min(obs.shape) - 1
    v = math.sqrt(chi2 / (n * m)) if m > 0 and n > 0 else float("nan")
    low, high = noncentral_interval(
        lambda lam: float(stats.ncx2.cdf(chi2, df, lam)),
        lambda: float(stats.chi2.cdf(chi2, df)),
    )

    def to_v(lam: float) -> float:
        return min(1.0, math.sqrt(lam / (n * m))) if m > 0 and n > 0 else float("nan")

    return ChiSquare(
        chi2,
        df,
        p,
        v,
        (min(to_v(low), v), max(to_v(high), v)),
        residuals,
        expected,
        float(np.mean(expected < 5)),
        int(n),
    )


@dataclass(frozen=True)
class Kappa:
    kappa: float
    se: float
    ci: tuple[float, float]
    p: float
    agreement: float


def cohens_kappa(table: npt.ArrayLike) -> Kappa:
    """Cohen's kappa of a square agreement table with the large-sample standard error of
    Fleiss, Cohen & Everitt (1969, Psychological Bulletin 72(5), 323–327); the p-value
    tests κ = 0 with the standard error under the null (as statsmodels' ``cohens_kappa``).
    """
    t = np.asarray(table, dtype=np.float64)
    n = float(t.sum())
    prob = t / n
    rows, cols = prob.sum(axis=1), prob.sum(axis=0)
    po = float(np.trace(prob))
    pe = float(rows @ cols)
    kappa = (po - pe) / (1 - pe)
    k = t.shape[0]
    term1 = sum(prob[i, i] * (1 - (rows[i] + cols[i]) * (1 - kappa)) ** 2 for i in range(k))
    term2 = (1 - kappa) ** 2 * sum(
        prob[i, j] * (cols[i] + rows[j]) ** 2 for i in range(k) for j in range(k) if i != j
    )
    term3 = (kappa - pe * (1 - kappa)) ** 2
    var = (term1 + term2 - term3) / (n * (1 - pe) ** 2)
    var0 = (pe + pe**2 - float(np.sum(rows * cols * (rows + cols)))) / (n * (1 - pe) ** 2)
    se = math.sqrt(max(var, 0.0))
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    p = float(2 * stats.norm.sf(abs(kappa) / math.sqrt(var0))) if var0 > 0 else float("nan")
    return Kappa(float(kappa), se, (kappa - z * se, kappa + z * se), p, po)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's score interval for a proportion (Wilson 1927), as statsmodels'
    ``proportion_confint(method="wilson")``."""
    if n <= 0:
        return float("nan"), float("nan")
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    phat = successes / n
    denom = 1 + z**2 / n
    centre = (phat + z**2 / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


# --- Multiple comparisons ----------------------------------------------------------------


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjusted p-values: ``max_{i ≤ j} min(1, (m − i + 1) p_(i))``,
    as ``statsmodels.stats.multitest.multipletests(method="holm")``."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(p_values[i])))
        adjusted[i] = running
    return adjusted


def compact_letters(groups: Sequence[str], different: set[frozenset[str]]) -> dict[str, str]:
    """Compact letter display: groups sharing a letter do not differ significantly.

    The insert-absorb algorithm of Piepho (2004, J. Comput. Graph. Stat. 13(2), 456–466):
    start with one letter for all groups; for each significantly different pair, split
    every letter column holding both into one without each; then drop columns contained in
    another. Letters are given in the order of ``groups`` (pass them sorted by mean, highest
    first, so "a" marks the highest).
    """
    columns: list[set[str]] = [set(groups)]
    for pair in sorted(different, key=lambda s: sorted(s)):
        a, b = sorted(pair)
        new: list[set[str]] = []
        for col in columns:
            if a in col and b in col:
                new += [col - {a}, col - {b}]
            else:
                new.append(col)
        # absorb: drop columns that are subsets of another one
        kept: list[set[str]] = []
        for i, col in enumerate(new):
            if any(
                col <= other and (col != other or j < i) for j, other in enumerate(new) if j != i
            ):
                continue
            kept.append(col)
        columns = kept
    position = {g: i for i, g in enumerate(groups)}
    columns.sort(key=lambda col: min(position[g] for g in col))
    letters = "abcdefghijklmnopqrstuvwxyz"
    return {g: "".join(letters[i] for i, col in enumerate(columns) if g in col) for g in groups}
