"""Ordinary least squares on coded designs, and the Oaxaca–Blinder decomposition.

The design is described, not built: categorical controls are integer codes
(:class:`Factor`) and the rest are numeric columns. The normal equations
``X'X β = X'y`` are assembled from grouped sums (``np.bincount``) instead of
materialising the n × p matrix, which keeps a regression on a million rows at
a few tens of milliseconds. Accuracy comes from (1) centring and scaling the
numeric columns and centring y, (2) equilibrating ``X'X`` to unit diagonal
before an eigendecomposition, (3) one step of iterative refinement on the
residuals. Rank deficiency is handled like a pseudo-inverse (statsmodels'
default ``pinv``): coefficients in the null space are reported as not
identifiable (NaN).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

# Eigenvalues of the equilibrated X'X below this fraction of the largest are
# treated as zero (a singular value ratio of about 3e-6 for X).
_RANK_TOLERANCE = 1e-11
_NULL_LOADING = 1e-6
_DENSE_CELLS = 200_000


@dataclass(frozen=True)
class Factor:
    """A categorical regressor: ``codes[i]`` indexes ``labels``; level 0 is the reference.

    Build one with :meth:`from_values` or :meth:`from_codes`, which sort the
    levels so that the reference level is the lowest.
    """

    name: str
    codes: IntArray
    labels: tuple[str, ...]

    @classmethod
    def from_values(
        cls,
        name: str,
        values: npt.ArrayLike,
        sort_key: Callable[[str], Any] | None = None,
    ) -> Factor:
        """Code ``values`` (as text); levels sorted by ``sort_key`` (default: by text)."""
        codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object)).astype(str))
        return cls.from_codes(name, codes, [str(u) for u in uniques], sort_key)

    @classmethod
    def from_codes(
        cls,
        name: str,
        codes: npt.ArrayLike,
        labels: Sequence[str],
        sort_key: Callable[[str], Any] | None = None,
    ) -> Factor:
        """Re-code ``codes`` into ``labels`` so that levels are sorted by ``sort_key``."""
        order = sorted(range(len(labels)), key=lambda i: (sort_key or str)(labels[i]))
        remap = np.empty(len(labels), dtype=np.intp)
        remap[order] = np.arange(len(labels))
        return cls(name, remap[np.asarray(codes, dtype=np.intp)], tuple(labels[i] for i in order))


@dataclass(frozen=True)
class OLSFit:
    """A fitted linear regression (classical, homoskedastic standard errors).

    ``params[k]`` is NaN where the coefficient is not identifiable (collinear).
    ``cov`` is ``σ² (X'X)⁺`` with ``σ² = RSS / (n − rank)``. ``fitted`` has shape (n,).
    """

    names: tuple[str, ...]
    params: FloatArray
    cov: FloatArray
    identifiable: BoolArray
    n: int
    rank: int
    rss: float
    tss: float
    fitted: FloatArray = field(repr=False)

    @property
    def df_resid(self) -> int:
        return self.n - self.rank

    @property
    def bse(self) -> FloatArray:
        return np.sqrt(np.diag(self.cov))

    @property
    def r_squared(self) -> float:
        return 1.0 - self.rss / self.tss if self.tss > 0 else float("nan")

    def index(self, name: str) -> int:
        return self.names.index(name)

    def conf_int(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval from Student's t with ``n − rank`` degrees of freedom."""
        k = self.index(name)
        if self.df_resid <= 0:
            return (float("nan"), float("nan"))
        q = float(stats.t.ppf(0.5 + level / 2, self.df_resid))
        se = float(np.sqrt(self.cov[k, k]))
        return (float(self.params[k]) - q * se, float(self.params[k]) + q * se)


class _CodedDesign:
    """Products with the implicit design ``X = [1, dummies(factors), numerics]``."""

    def __init__(self, factors: Sequence[Factor], numerics: Mapping[str, FloatArray], n: int):
        self.n = n
        self.factors = [f for f in factors if len(f.labels) > 1]
        self.sizes = [len(f.labels) for f in self.factors]
        self.means = np.array([float(np.mean(v)) if n else 0.0 for v in numerics.values()])
        scale = [float(np.std(v)) if n else 0.0 for v in numerics.values()]
        self.scales = np.array([s if s > 0 else 1.0 for s in scale])
        self.z = [
            (np.asarray(v, dtype=np.float64) - m) / s
            for v, m, s in zip(numerics.values(), self.means, self.scales, strict=True)
        ]
        names = ["Intercept"]
        self.slices: list[slice] = []
        for f in self.factors:
            start = len(names)
            names += [f"{f.name}[{label}]" for label in f.labels[1:]]
            self.slices.append(slice(start, len(names)))
        self.first_numeric = len(names)
        names += list(numerics)
        self.names = tuple(names)
        self.p = len(names)
        # Small designs (the within-category fits) are cheaper as one dense matrix than
        # as many small bincounts.
        self.dense = self._materialise() if n * self.p <= _DENSE_CELLS else None

    def _materialise(self) -> FloatArray:
        x = np.zeros((self.n, self.p))
        x[:, 0] = 1.0
        for f, sl in zip(self.factors, self.slices, strict=True):
            rows = np.flatnonzero(f.codes > 0)
            x[rows, sl.start + f.codes[rows] - 1] = 1.0
        for j, z in enumerate(self.z):
            x[:, self.first_numeric + j] = z
        return x

    def xt(self, v: FloatArray) -> FloatArray:
        """``X' v``."""
        if self.dense is not None:
            return self.dense.T @ v
        out = np.empty(self.p)
        out[0] = v.sum()
        for f, size, sl in zip(self.factors, self.sizes, self.slices, strict=True):
            out[sl] = np.bincount(f.codes, weights=v, minlength=size)[1:]
        for j, z in enumerate(self.z):
            out[self.first_numeric + j] = z @ v
        return out

    def x(self, beta: FloatArray) -> FloatArray:
        """``X β``."""
        if self.dense is not None:
            return self.dense @ beta
        out = np.full(self.n, beta[0])
        for f, sl in zip(self.factors, self.slices, strict=True):
            out += np.concatenate(([0.0], beta[sl]))[f.codes]
        for j, z in enumerate(self.z):
            out += beta[self.first_numeric + j] * z
        return out

    def xtx(self) -> FloatArray:
        """``X'X`` from counts and grouped sums."""
        if self.dense is not None:
            return self.dense.T @ self.dense
        a = np.zeros((self.p, self.p))
        a[0, 0] = self.n
        counts = [
            np.bincount(f.codes, minlength=s) for f, s in zip(self.factors, self.sizes, strict=True)
        ]
        for i, (f, size, sl) in enumerate(zip(self.factors, self.sizes, self.slices, strict=True)):
            a[0, sl] = counts[i][1:]
            a[sl, sl] = np.diag(counts[i][1:].astype(np.float64))
            for j, z in enumerate(self.z):
                a[sl, self.first_numeric + j] = np.bincount(f.codes, weights=z, minlength=size)[1:]
            for k in range(i + 1, len(self.factors)):
                g, gsize, gsl = self.factors[k], self.sizes[k], self.slices[k]
                cross = np.bincount(f.codes * gsize + g.codes, minlength=size * gsize)
                a[sl, gsl] = cross.reshape(size, gsize)[1:, 1:]
        for j, z in enumerate(self.z):
            col = self.first_numeric + j
            a[0, col] = z.sum()
            for k in range(j, len(self.z)):
                a[col, self.first_numeric + k] = z @ self.z[k]
        return np.triu(a) + np.triu(a, 1).T

    def to_original(self) -> FloatArray:
        """Matrix T with β_original = T β_scaled (undoes the centring and scaling)."""
        t = np.eye(self.p)
        for j in range(len(self.z)):
            col = self.first_numeric + j
            t[col, col] = 1.0 / self.scales[j]
            t[0, col] = -self.means[j] / self.scales[j]
        return t


def fit_ols(
    y: npt.ArrayLike,
    *,
    factors: Sequence[Factor] = (),
    numerics: Mapping[str, npt.ArrayLike] | None = None,
) -> OLSFit:
    """Least squares of ``y`` on an intercept, dummies for ``factors`` and ``numerics``.

    Parameters
    ----------
    y : array of shape (n,)
    factors
        Categorical regressors; each contributes ``len(labels) − 1`` dummies
        (level 0 is the reference). Factors with one level add nothing.
    numerics
        Numeric regressors by name, each of shape (n,).

    Returns
    -------
    OLSFit
        Coefficient names follow patsy/statsmodels style: ``Intercept``,
        ``job_level[11]``, ``age``.

    Notes
    -----
    Solves ``X'X β = X'y`` with ``(X'X)⁺`` from an eigendecomposition of the
    equilibrated matrix, plus one refinement step ``β ← β + (X'X)⁺ X'(y − Xβ)``;
    agrees with a QR or SVD solution to about 1e-12 on well-posed problems.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(10.0)
    >>> fit = fit_ols(1 + 2 * x, numerics={"x": x})
    >>> [round(float(b), 10) for b in fit.params]
    [1.0, 2.0]
    """
    yv = np.asarray(y, dtype=np.float64)
    nums = {k: np.asarray(v, dtype=np.float64) for k, v in (numerics or {}).items()}
    n = len(yv)
    design = _CodedDesign(factors, nums, n)
    y_mean = float(np.mean(yv)) if n else 0.0
    yc = yv - y_mean
    a = design.xtx()
    d = np.sqrt(np.where(np.diag(a) > 0, np.diag(a), 1.0))
    eigval, eigvec = np.linalg.eigh(a / np.outer(d, d))
    keep = eigval > _RANK_TOLERANCE * max(float(eigval.max(initial=0.0)), 1e-300)
    vk = eigvec[:, keep]
    pinv = (vk / eigval[keep]) @ vk.T / np.outer(d, d)
    beta = pinv @ design.xt(yc)
    beta += pinv @ design.xt(yc - design.x(beta))  # iterative refinement
    fitted_c = design.x(beta)
    resid = yc - fitted_c
    rank = int(keep.sum())
    rss = float(resid @ resid)
    identifiable = np.all(np.abs(eigvec[:, ~keep]) < _NULL_LOADING, axis=1)
    sigma2 = rss / (n - rank) if n > rank else float("nan")
    t = design.to_original()
    beta[0] += y_mean
    params = t @ beta
    cov = sigma2 * (t @ pinv @ t.T)
    # A non-identifiable coefficient's value depends on the arbitrary null-space choice.
    params = np.where(identifiable, params, np.nan)
    return OLSFit(
        names=design.names,
        params=params,
        cov=cov,
        identifiable=identifiable,
        n=n,
        rank=rank,
        rss=rss,
        tss=float(yc @ yc),
        fitted=fitted_c + y_mean,
    )


@dataclass(frozen=True)
class OaxacaResult:
    """Twofold Oaxaca–Blinder decomposition of ``mean(y | A) − mean(y | B)``.

    With ``y`` = log hourly pay, A = men and B = women, every figure is in log
    points; ``(1 − exp(−unexplained)) × 100`` is the adjusted gap in percent.
    ``explained_by`` splits the explained part over the controls. Standard
    errors: Jann (2008) for the explained part; the unexplained part equals
    minus the pooled group coefficient, so its standard error is that
    coefficient's. Confidence intervals use the normal distribution.
    """

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    total: float
    explained: float
    unexplained: float
    se_total: float
    se_explained: float
    se_unexplained: float
    explained_by: dict[str, float]
    pooled: OLSFit = field(repr=False)

    def conf_int(self, part: str, level: float = 0.95) -> tuple[float, float]:
        """``part`` is ``"total"``, ``"explained"`` or ``"unexplained"``."""
        value = float(getattr(self, part))
        q = float(stats.norm.ppf(0.5 + level / 2))
        se = float(getattr(self, f"se_{part}"))
        return (value - q * se, value + q * se)

    @property
    def explained_share(self) -> float | None:
        return self.explained / self.total if self.total else None


def oaxaca_blinder(
    y: npt.ArrayLike,
    group_b: npt.ArrayLike,
    *,
    factors: Sequence[Factor] = (),
    numerics: Mapping[str, npt.ArrayLike] | None = None,
    group_name: str = "female",
) -> OaxacaResult | None:
    """Twofold decomposition with pooled reference coefficients incl. a group indicator.

    Fits the pooled regression ``y = Xβ* + δ·B + ε`` over both groups (Jann 2008,
    "pooled"; Fortin 2008) and decomposes

    ``ȳ_A − ȳ_B = (X̄_A − X̄_B)'β*  +  [X̄_A'(β_A − β*) + X̄_B'(β* − β_B)]``

    into explained and unexplained parts. Because the pooled residuals average
    zero within each group, the unexplained part equals ``−δ`` exactly.

    Returns None when a group is empty or ``δ`` is not identifiable (group
    membership collinear with the controls).

    References
    ----------
    Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression
    models. The Stata Journal 8(4), 453–479.
    """
    yv = np.asarray(y, dtype=np.float64)
    b = np.asarray(group_b, dtype=bool)
    nums = {k: np.asarray(v, dtype=np.float64) for k, v in (numerics or {}).items()}
    n_b = int(b.sum())
    n_a = len(b) - n_b
    if n_a == 0 or n_b == 0:
        return None
    fit = fit_ols(yv, factors=factors, numerics={group_name: b.astype(np.float64), **nums})
    k = fit.index(group_name)
    if not fit.identifiable[k] or fit.df_resid <= 0:
        return None
    delta = float(fit.params[k])
    mean_a, mean_b = float(np.mean(yv[~b])), float(np.mean(yv[b]))
    beta = np.where(fit.identifiable, fit.params, 0.0)
    diff = np.zeros(len(fit.names))
    explained_by: dict[str, float] = {}
    eta = np.zeros(len(yv))  # X β* without intercept and group term
    for f in factors:
        if len(f.labels) < 2:
            continue
        cols = [fit.index(f"{f.name}[{label}]") for label in f.labels[1:]]
        share_a = np.bincount(f.codes[~b], minlength=len(f.labels))[1:] / n_a
        share_b = np.bincount(f.codes[b], minlength=len(f.labels))[1:] / n_b
        diff[cols] = share_a - share_b
        explained_by[f.name] = float(diff[cols] @ beta[cols])
        eta += np.concatenate(([0.0], beta[cols]))[f.codes]
    for name, values in nums.items():
        col = fit.index(name)
        diff[col] = float(np.mean(values[~b]) - np.mean(values[b]))
        explained_by[name] = float(diff[col] * beta[col])
        eta += beta[col] * values
    explained = float(sum(explained_by.values()))
    # Jann (2008), eq. 10: V(E) = ΔX̄' V(β*) ΔX̄ + β*'[V(X̄_A) + V(X̄_B)]β*.
    var_e = float(diff @ fit.cov @ diff)
    var_e += float(np.var(eta[~b], ddof=1) / n_a if n_a > 1 else 0.0)
    var_e += float(np.var(eta[b], ddof=1) / n_b if n_b > 1 else 0.0)
    var_total = (np.var(yv[~b], ddof=1) / n_a if n_a > 1 else 0.0) + (
        np.var(yv[b], ddof=1) / n_b if n_b > 1 else 0.0
    )
    return OaxacaResult(
        n_a=n_a,
        n_b=n_b,
        mean_a=mean_a,
        mean_b=mean_b,
        total=mean_a - mean_b,
        explained=explained,
        unexplained=-delta,
        se_total=float(np.sqrt(var_total)),
        se_explained=float(np.sqrt(var_e)),
        se_unexplained=float(np.sqrt(fit.cov[k, k])),
        explained_by=explained_by,
        pooled=fit,
    )
