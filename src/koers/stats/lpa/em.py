"""EM for Gaussian latent profile models, with missing values by full-information ML.

The data are standardised first (mean 0, variance 1 per indicator over the
observed values); parameters live in that space and
:class:`koers.stats.lpa.LatentProfileModel` converts them back.  All six
models are affine-equivariant under a per-indicator rescaling, so this
changes nothing but the numerics; the log-likelihood is reported in the
original units by adding the log-Jacobian ``−Σ_j n_obs,j · log s_j``.

Diagonal models (1, 2) use one matrix product per E-step and one per M-step:
with ``z_i = [x_i², x_i, 1]`` and ``P = 1/σ²``,

    log π_k + log N(x_i | μ_k, σ²_k) = z_i · [−½ P_k, μ_k P_k, c_k]ᵀ,
    c_k = log π_k − ½ (d log 2π + Σ_j log σ²_kj + Σ_j μ²_kj P_kj),

and the sufficient statistics of the M-step are ``Rᵀ z``.  With missing
values the density of a row factorises over its observed indicators, so
``z_i = [x_i², x_i, m_i, 1]`` (``m_i`` the observed mask, missing entries
set to 0) gives the observed-data log-density and the observed-only
statistics: that is an exact EM for the observed-data likelihood.

Full models (3–6) evaluate, per missingness pattern, the marginal density of
the observed indicators, and the M-step uses the conditional expectations
``E[x_mis | x_obs, k]`` and covariances of the missing values (the classic
EM for the multivariate normal with missing data, per profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from koers.stats.lpa.covariance import (
    ModelSpec,
    collapsed_profiles,
    update_full_covariances,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]

LOG_2PI = float(np.log(2.0 * np.pi))
#: Rows per block in the diagonal E/M pass: the block of ``z`` stays in cache
#: between the two matrix products (measured fastest at 4–16 k rows).
CHUNK_ROWS = 8192
_TINY = float(np.finfo(np.float64).tiny)
_EPS10 = 10.0 * float(np.finfo(np.float64).eps)


@dataclass
class Params:
    """Mixture parameters in the standardised space.

    ``cov`` holds variances ``(k, d)`` for the diagonal models and matrices
    ``(k, d, d)`` otherwise; shared parameters are repeated per profile.
    """

    weights: FloatArray
    means: FloatArray
    cov: FloatArray

    def copy(self) -> Params:
        return Params(self.weights.copy(), self.means.copy(), self.cov.copy())


@dataclass(frozen=True)
class Pattern:
    """Rows that share one pattern of observed indicators."""

    rows: IntArray
    observed: IntArray
    missing: IntArray


@dataclass
class Data:
    """Standardised data prepared for one model.

    ``x`` has missing entries set to 0 (the standardised mean); ``scale`` is
    the standard deviation per indicator used to standardise.
    """

    x: FloatArray
    observed: BoolArray | None
    log_jacobian: float
    z: FloatArray | None = None
    patterns: list[Pattern] | None = None
    n_observed: FloatArray = field(default_factory=lambda: np.zeros(0))
    scale: FloatArray = field(default_factory=lambda: np.zeros(0))

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def d(self) -> int:
        return int(self.x.shape[1])


@dataclass
class EMResult:
    """Outcome of one EM run; ``posteriors`` (n, k) belong to the returned parameters."""

    params: Params
    log_likelihood: float
    n_iter: int
    converged: bool
    posteriors: FloatArray


def prepare(
    x_raw: FloatArray,
    spec: ModelSpec,
    *,
    center: FloatArray,
    scale: FloatArray | None = None,
    nan: BoolArray | None = None,
    force_missing: bool = False,
) -> Data:
    """Standardise ``(x_raw − center) / scale`` (NaN for missing) for the EM of one model.

    ``scale`` defaults to the standard deviation of the observed values
    (``Data.scale``).  ``nan`` is the missing-value mask when the caller
    already has it.  ``force_missing`` takes the missing-data code path even
    when nothing is missing; the tests use it to check that both paths agree.
    """
    if nan is None:
        nan = np.isnan(x_raw)
    has_missing = bool(nan.any()) or force_missing
    n, d = x_raw.shape
    n_obs = (n - nan.sum(axis=0)).astype(np.float64)
    observed = ~nan if has_missing else None
    if spec.diagonal:
        # z = [x², x, (observed mask,) 1]: see the module docstring.  Built in place
        # in column-major order (contiguous columns for the element-wise work here,
        # and measured faster in the matrix products); x is a view of it.
        z = np.empty((n, (3 if has_missing else 2) * d + 1), order="F")
        x, sq = z[:, d : 2 * d], z[:, :d]
        np.subtract(x_raw, center, out=x)
        if has_missing:
            x[nan] = 0.0
            z[:, 2 * d : 3 * d] = observed
        np.multiply(x, x, out=sq)
        if scale is None:
            scale = np.sqrt(sq.sum(axis=0) / n_obs)
        # A constant column gives scale 0; the caller refuses it with a message.
        with np.errstate(divide="ignore", invalid="ignore"):
            x /= scale
            sq /= scale * scale
            log_jacobian = -float(n_obs @ np.log(scale))
        z[:, -1] = 1.0
        return Data(
            x=x,
            observed=observed,
            log_jacobian=log_jacobian,
            z=z,
            n_observed=n_obs,
            scale=scale,
        )
    x = x_raw - center
    if has_missing:
        x[nan] = 0.0
    if scale is None:
        scale = np.sqrt(np.einsum("ij,ij->j", x, x) / n_obs)
    with np.errstate(divide="ignore", invalid="ignore"):
        x /= scale
        log_jacobian = -float(n_obs @ np.log(scale))
    data = Data(x=x, observed=observed, log_jacobian=log_jacobian, n_observed=n_obs, scale=scale)
    if observed is not None:
        data.patterns = _patterns(observed)
    return data


def _patterns(observed: BoolArray) -> list[Pattern]:
    keys, inverse = np.unique(observed, axis=0, return_inverse=True)
    order = np.argsort(inverse.ravel(), kind="stable")
    bounds = np.searchsorted(inverse.ravel()[order], np.arange(keys.shape[0] + 1))
    return [
        Pattern(
            rows=order[bounds[p] : bounds[p + 1]],
            observed=np.flatnonzero(key),
            missing=np.flatnonzero(~key),
        )
        for p, key in enumerate(keys)
    ]


# --- diagonal models ------------------------------------------------------------------------


def _diag_coefficients(params: Params, missing: bool) -> FloatArray:
    """Rows ``W_k`` with ``z_i · W_k = log π_k + log N(x_i | μ_k, σ²_k)``."""
    prec = 1.0 / params.cov
    mp = params.means * prec
    per_dim = -0.5 * (LOG_2PI + np.log(params.cov) + params.means * mp)
    log_w = np.log(np.maximum(params.weights, _TINY))
    if missing:
        return np.ascontiguousarray(np.hstack([-0.5 * prec, mp, per_dim, log_w[:, None]]))
    const = log_w + per_dim.sum(axis=1)
    return np.ascontiguousarray(np.hstack([-0.5 * prec, mp, const[:, None]]))


def _diag_pass(
    z: FloatArray, coef: FloatArray, resp_t: FloatArray | None = None
) -> tuple[float, FloatArray]:
    """One fused E-step and M-step statistics: ``(log-likelihood, Rᵀ z)``.

    Works on blocks of rows in a ``(k, rows)`` layout: reductions over the
    profiles are then element-wise operations on contiguous rows, several
    times faster than reducing a short trailing axis.  With ``resp_t`` of
    shape ``(k, n)`` the posterior probabilities are written there.
    """
    k, q = coef.shape
    n = z.shape[0]
    stats = np.zeros((k, q))
    buf = np.empty((k, min(CHUNK_ROWS, n)))
    ll = 0.0
    for start in range(0, n, CHUNK_ROWS):
        block = z[start : start + CHUNK_ROWS]
        if resp_t is None:
            lp = buf[:, : block.shape[0]]
        else:
            lp = resp_t[:, start : start + CHUNK_ROWS]
        np.matmul(coef, block.T, out=lp)
        top = lp.max(axis=0)
        lp -= top
        _exp_floored(lp)
        total = lp.sum(axis=0)
        ll += float(top.sum() + np.log(total).sum())
        lp *= 1.0 / total
        stats += lp @ block
    return ll, stats


def _exp_floored(shifted: FloatArray) -> None:
    """In-place ``exp`` of log-ratios ≤ 0, with results below ``e⁻⁷⁰⁰`` raised to ``e⁻⁷⁰⁰``.

    Results between 1e-308 and 1e-324 are subnormal numbers, for which
    numpy's exp is 20–50× slower (measured); ``e⁻⁷⁰⁰ ≈ 1e-304`` is a posterior
    probability indistinguishable from zero in every sum it enters.
    """
    np.maximum(shifted, -700.0, out=shifted)
    np.exp(shifted, out=shifted)


def _diag_mstep(spec: ModelSpec, stats: FloatArray, d: int, n: int, floor: float) -> Params:
    """M-step of models 1 and 2 from ``Rᵀ z``."""
    s2, s1 = stats[:, :d], stats[:, d : 2 * d]
    if stats.shape[1] == 3 * d + 1:  # missing values: observed weight per profile and indicator
        w_obs, nk = stats[:, 2 * d : 3 * d], stats[:, 3 * d]
    else:
        nk = stats[:, 2 * d]
        w_obs = np.repeat(nk[:, None], d, axis=1)
    w_safe = np.maximum(w_obs, _EPS10)
    means = s1 / w_safe
    resid = s2 - w_obs * means * means  # Σ_i r_ik m_ij (x_ij − μ_kj)²
    if spec.equal_variances:
        var = np.broadcast_to(resid.sum(axis=0) / w_obs.sum(axis=0), resid.shape).copy()
    else:
        var = resid / w_safe
    return Params(weights=nk / n, means=means, cov=np.maximum(var, floor))


def _diag_log_prob(data: Data, params: Params) -> FloatArray:
    assert data.z is not None
    coef = _diag_coefficients(params, data.observed is not None)
    return np.asarray(data.z @ coef.T)


# --- full models ----------------------------------------------------------------------------

_Cache = list[list[tuple[FloatArray, FloatArray]]]


def _full_log_prob(data: Data, params: Params, *, keep: bool = False) -> tuple[FloatArray, _Cache]:
    """``log π_k + log N(x_obs | μ_k, Σ_k)`` and, with ``keep``, per pattern and profile the
    regression ``B = Σ_mo Σ_oo⁻¹`` and conditional covariance ``Σ_mm − B Σ_om``.

    Small matrices are inverted with numpy's batched LAPACK calls: scipy's
    ``solve_triangular`` on a handful of columns is dominated by BLAS thread
    start-up (measured 10–100× slower here).
    """
    x, k = data.x, params.weights.shape[0]
    log_w = np.log(np.maximum(params.weights, _TINY))
    out = np.empty((data.n, k))
    cache: _Cache = []
    if data.patterns is None:
        chol = np.linalg.cholesky(params.cov)
        linv = np.linalg.inv(chol)
        logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        for j in range(k):
            y = x @ linv[j].T - linv[j] @ params.means[j]
            maha = np.einsum("ij,ij->i", y, y)
            out[:, j] = log_w[j] - 0.5 * (data.d * LOG_2PI + logdet[j] + maha)
        return out, cache
    for pat in data.patterns:
        o, m = pat.observed, pat.missing
        if o.size == 0:
            out[pat.rows] = log_w
            cache.append([])
            continue
        soo = params.cov[:, o[:, None], o[None, :]]
        chol = np.linalg.cholesky(soo)
        linv = np.linalg.inv(chol)
        logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        diff = x[np.ix_(pat.rows, o)][None, :, :] - params.means[:, None, o]
        y = diff @ np.swapaxes(linv, 1, 2)
        maha = np.einsum("kij,kij->ki", y, y)
        out[pat.rows] = (log_w[:, None] - 0.5 * (o.size * LOG_2PI + logdet[:, None] + maha)).T
        if keep and m.size:
            som = params.cov[:, o[:, None], m[None, :]]
            coef = np.swapaxes(np.linalg.solve(soo, som), 1, 2)  # B = Σ_mo Σ_oo⁻¹
            cond = params.cov[:, m[:, None], m[None, :]] - coef @ som
            cache.append([(coef[j], cond[j]) for j in range(k)])
        else:
            cache.append([])
    return out, cache


def _full_mstep(
    spec: ModelSpec,
    data: Data,
    resp: FloatArray,
    old: Params | None,
    cache: _Cache,
    floor: float,
) -> Params:
    """M-step of models 3–6; ``old`` (the current parameters) may be None for complete data."""
    x, k, d = data.x, resp.shape[1], data.d
    nk = resp.sum(axis=0)
    nk_safe = np.maximum(nk, _EPS10)
    means = np.empty((k, d))
    scatter = np.empty((k, d, d))
    for j in range(k):
        r = resp[:, j]
        extra = np.zeros((d, d))
        if data.patterns is None:
            filled = x
        else:
            assert old is not None
            filled = x.copy()
            mu = old.means[j]
            for pat, per_profile in zip(data.patterns, cache, strict=True):
                if not per_profile:
                    continue
                coef, cond = per_profile[j]
                o, m = pat.observed, pat.missing
                filled[np.ix_(pat.rows, m)] = mu[m] + (x[np.ix_(pat.rows, o)] - mu[o]) @ coef.T
                extra[np.ix_(m, m)] += r[pat.rows].sum() * cond
        means[j] = r @ filled / nk_safe[j]
        centred = filled - means[j]
        scatter[j] = ((centred * r[:, None]).T @ centred + extra) / nk_safe[j]
    scatter = 0.5 * (scatter + np.swapaxes(scatter, 1, 2))
    cov = update_full_covariances(spec, nk_safe, scatter, None if old is None else old.cov, floor)
    return Params(weights=nk / data.n, means=means, cov=cov)


# --- shared entry points --------------------------------------------------------------------


def log_prob(data: Data, spec: ModelSpec, params: Params) -> FloatArray:
    """Weighted log-densities ``log π_k + log f_k(x_i,obs)``, shape ``(n, k)``."""
    if spec.diagonal:
        return _diag_log_prob(data, params)
    return _full_log_prob(data, params)[0]


def normalise(log_p: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Posterior probabilities ``(n, k)`` and per-row log-likelihoods from weighted log-densities.

    Computed in a ``(k, n)`` copy (fast reductions); the posteriors returned
    are its transpose, so each profile's column is contiguous.
    """
    lt = np.array(log_p.T, order="C")
    top = lt.max(axis=0)
    lt -= top
    _exp_floored(lt)
    total = lt.sum(axis=0)
    lt *= 1.0 / total
    return lt.T, top + np.log(total)


def run_em(
    data: Data,
    spec: ModelSpec,
    params: Params,
    *,
    floor: float,
    tol: float,
    tol_mode: Literal["relative", "absolute"],
    max_iter: int,
) -> EMResult:
    """EM from ``params`` until the log-likelihood stops changing.

    Converged when ``|ℓ_t − ℓ_{t−1}| ≤ tol · |ℓ_t|`` (``tol_mode="relative"``,
    ℓ the log-likelihood in the original units) or when the mean per-row
    log-likelihood changes by at most ``tol`` (``"absolute"``, scikit-learn's
    rule).  One more EM step follows the check, as in scikit-learn, so that
    the same start and rule give the same parameters; the M-step statistics
    are at hand and the step can only raise the likelihood.  The returned
    log-likelihood and posteriors belong to the returned parameters.
    """
    ll_prev = np.nan
    n_iter = 0
    converged = finishing = False
    k = params.weights.shape[0]
    resp_t = np.empty((k, data.n)) if spec.diagonal else None
    while True:
        if spec.diagonal:
            assert data.z is not None
            assert resp_t is not None
            coef = _diag_coefficients(params, data.observed is not None)
            ll_std, stats = _diag_pass(data.z, coef, resp_t)
        else:
            log_p, cache = _full_log_prob(data, params, keep=data.patterns is not None)
            resp, per_row = normalise(log_p)
            ll_std = float(per_row.sum())
        ll = ll_std + data.log_jacobian
        if finishing or not np.isfinite(ll) or n_iter >= max_iter:
            break
        limit = tol * abs(ll) if tol_mode == "relative" else tol * data.n
        if n_iter > 0 and abs(ll - ll_prev) <= limit:
            converged = finishing = True
        if spec.diagonal:
            params = _diag_mstep(spec, stats, data.d, data.n, floor)
        else:
            params = _full_mstep(spec, data, resp, params, cache, floor)
        n_iter += 1
        ll_prev = ll
    posteriors = resp_t.T if resp_t is not None else resp
    return EMResult(params, ll, n_iter, converged, posteriors)


def is_collapsed(spec: ModelSpec, params: Params, floor: float) -> BoolArray:
    """Per profile: a variance (or an eigenvalue) at the floor."""
    return collapsed_profiles(spec, params.cov, floor)


# --- starting values ------------------------------------------------------------------------


def initial_params(
    data: Data,
    spec: ModelSpec,
    n_profiles: int,
    method: Literal["kmeans", "random"],
    rng: np.random.Generator,
    floor: float,
) -> Params:
    """Starting values for one EM run.

    ``"kmeans"``: k-means++ seeding and Lloyd iterations on the
    mean-imputed standardised data, then one M-step on the hard partition.
    ``"random"``: means at ``k`` distinct random rows, the overall
    (co)variances for every profile, equal weights.  A k-means run that
    leaves a cluster empty falls back to a random start.
    """
    if method == "kmeans":
        labels = kmeans(data.x, n_profiles, rng, observed=data.observed)
        if labels is not None:
            return params_from_labels(data, spec, labels, n_profiles, floor)
    n, d = data.n, data.d
    rows = rng.choice(n, size=n_profiles, replace=False)
    means = data.x[rows].copy()
    weights = np.full(n_profiles, 1.0 / n_profiles)
    if spec.diagonal:
        return Params(weights, means, np.maximum(np.ones((n_profiles, d)), floor))
    total = data.x.T @ data.x / n  # the correlation matrix; shrunk where values are missing
    cov = update_full_covariances(
        spec, weights * n, np.repeat(total[None], n_profiles, axis=0), None, floor
    )
    return Params(weights, means, cov)


def params_from_labels(
    data: Data, spec: ModelSpec, labels: IntArray, n_profiles: int, floor: float
) -> Params:
    """One M-step on a hard partition (missing values imputed by the mean)."""
    resp = np.zeros((data.n, n_profiles))
    resp[np.arange(data.n), labels] = 1.0
    if spec.diagonal:
        assert data.z is not None
        return _diag_mstep(spec, resp.T @ data.z, data.d, data.n, floor)
    complete = Data(x=data.x, observed=None, log_jacobian=data.log_jacobian)
    return _full_mstep(spec, complete, resp, None, [], floor)


def kmeans(
    x: FloatArray,
    k: int,
    rng: np.random.Generator,
    *,
    observed: BoolArray | None = None,
    max_iter: int = 30,
) -> IntArray | None:
    """Lloyd's k-means with k-means++ seeding; None when a cluster ends up empty.

    With ``observed`` (missing entries of ``x`` set to 0) distances use the
    observed coordinates only, scaled up by ``d / n_observed`` (partial
    distance), and centres average the observed values.
    """
    n, d = x.shape
    mask = np.ones_like(x) if observed is None else observed.astype(np.float64)
    sq = np.einsum("ij,ij->i", x, x)
    inflate = d / mask.sum(axis=1)

    def distances(centres: FloatArray) -> FloatArray:
        # Σ_j m_ij (x_ij − c_j)² = Σ m x² − 2 x·c + m·c²   (x is 0 where missing)
        out = sq[:, None] - 2.0 * x @ centres.T + mask @ (centres * centres).T
        return np.asarray(np.maximum(out, 0.0) * inflate[:, None])

    centres = np.empty((k, d))
    centres[0] = x[rng.integers(n)]
    closest = distances(centres[:1])[:, 0]
    for c in range(1, k):
        total = closest.sum()
        if total <= 0.0:
            return None
        centres[c] = x[rng.choice(n, p=closest / total)]
        np.minimum(closest, distances(centres[c : c + 1])[:, 0], out=closest)
    labels = np.full(n, -1, dtype=np.intp)
    for _ in range(max_iter):
        new = np.argmin(distances(centres), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        onehot = np.zeros((n, k))
        onehot[np.arange(n), labels] = 1.0
        counts = onehot.T @ mask
        if (counts.sum(axis=1) == 0).any():
            return None
        centres = np.where(counts > 0, (onehot.T @ x) / np.maximum(counts, 1.0), 0.0)
    return labels
