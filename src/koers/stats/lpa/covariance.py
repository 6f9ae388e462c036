"""Covariance structures of the six tidyLPA models and their covariance M-steps.

All functions here work in the *standardised* space used inside the EM
(``koers.stats.lpa.em``): every indicator has mean 0 and variance 1 over the
whole sample, so a single scalar ``floor`` bounds every covariance matrix from
below (``Σ_k ⪰ floor · I``).  In the original units that is
``Σ_k ⪰ floor · diag(s²)`` with ``s²`` the indicator variances, which for the
diagonal models is the familiar per-indicator variance floor.

Models 4 and 5 have no closed-form M-step.  They are updated by a small
limited-memory BFGS (:func:`_minimise_feasible`) on the covariance part of the
EM Q-function, started at the current matrices, accepting only steps that keep
every ``Σ_k - floor · I`` positive definite and that decrease the objective.
The update therefore never lowers Q: the EM is a generalised EM and the
log-likelihood still increases monotonically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Tolerance above the floor under which a variance (or, for the full models,
#: an eigenvalue of a covariance matrix) counts as collapsed.  Models 4 and 5
#: approach the floor only asymptotically (interior-point steps), hence not 0.
COLLAPSE_MARGIN = 0.01


@dataclass(frozen=True)
class ModelSpec:
    """One of the six tidyLPA parameterisations.

    Attributes
    ----------
    number : int
        tidyLPA's model number (1–6).
    mclust : str
        The mclust name where one exists ("EEI", "VVI", "EEE", "VVV"), else "".
    description : str
        What is equal and what varies across profiles.
    diagonal : bool
        Whether covariances are fixed to zero.
    equal_variances : bool
        Whether the variances are shared by all profiles.
    equal_covariances : bool
        Whether the off-diagonal covariances are shared (meaningless when
        ``diagonal``).
    """

    number: int
    mclust: str
    description: str
    diagonal: bool
    equal_variances: bool
    equal_covariances: bool


MODELS: dict[int, ModelSpec] = {
    1: ModelSpec(1, "EEI", "equal variances, covariances fixed to zero", True, True, True),
    2: ModelSpec(2, "VVI", "varying variances, covariances fixed to zero", True, False, True),
    3: ModelSpec(3, "EEE", "equal variances, equal covariances", False, True, True),
    4: ModelSpec(4, "", "varying variances, equal covariances", False, False, True),
    5: ModelSpec(5, "", "equal variances, varying covariances", False, True, False),
    6: ModelSpec(6, "VVV", "varying variances, varying covariances", False, False, False),
}


def check_model(model: int) -> ModelSpec:
    """Return the spec of ``model`` or raise a ValueError that lists the choices."""
    if isinstance(model, bool) or not isinstance(model, int | np.integer) or model not in MODELS:
        raise ValueError(
            f"model must be one of 1, 2, 3, 4, 5, 6 (tidyLPA numbering), got {model!r}"
        )
    return MODELS[int(model)]


def n_covariance_parameters(model: int, n_profiles: int, n_indicators: int) -> int:
    """Number of free variance and covariance parameters of a model.

    Variances: ``d`` when equal across profiles, else ``k·d``.  Covariances:
    none for the diagonal models, ``d(d−1)/2`` when shared, else
    ``k·d(d−1)/2``.
    """
    spec = check_model(model)
    k, d = n_profiles, n_indicators
    n_var = d if spec.equal_variances else k * d
    if spec.diagonal:
        return n_var
    n_off = d * (d - 1) // 2
    return n_var + (n_off if spec.equal_covariances else k * n_off)


def n_parameters(model: int, n_profiles: int, n_indicators: int) -> int:
    """Number of free parameters of a latent profile model.

    ``k·d`` means, ``k − 1`` mixing proportions, plus the variance/covariance
    parameters of the model:

    ======  =====================  ==================================
    model   mclust                 variance/covariance parameters
    ======  =====================  ==================================
    1       EEI                    ``d``
    2       VVI                    ``k·d``
    3       EEE                    ``d(d+1)/2``
    4       (Mplus only)           ``k·d + d(d−1)/2``
    5       (Mplus only)           ``d + k·d(d−1)/2``
    6       VVV                    ``k·d(d+1)/2``
    ======  =====================  ==================================

    Examples
    --------
    >>> n_parameters(1, n_profiles=3, n_indicators=4)
    18
    """
    if n_profiles < 1 or n_indicators < 1:
        raise ValueError("n_profiles and n_indicators must be at least 1")
    k, d = n_profiles, n_indicators
    return k * d + (k - 1) + n_covariance_parameters(model, k, d)


def floor_eigenvalues(scatter: FloatArray, floor: float) -> FloatArray:
    """Maximise ``-log|Σ| - tr(Σ⁻¹ S)`` subject to ``Σ ⪰ floor · I``.

    The constrained maximiser keeps the eigenvectors of ``S`` and raises its
    eigenvalues to at least ``floor`` (Ingrassia 2004, constrained monotone
    EM).  Works on a single matrix or a stack ``(k, d, d)``.
    """
    eigval, eigvec = np.linalg.eigh(scatter)
    eigval = np.maximum(eigval, floor)
    out: FloatArray = (eigvec * eigval[..., None, :]) @ np.swapaxes(eigvec, -1, -2)
    return 0.5 * (out + np.swapaxes(out, -1, -2))


def collapsed_profiles(spec: ModelSpec, cov: FloatArray, floor: float) -> NDArray[np.bool_]:
    """Which profiles have a variance (diagonal models) or an eigenvalue at the floor.

    ``cov`` is ``(k, d)`` variances for the diagonal models and ``(k, d, d)``
    matrices otherwise, in the standardised space.
    """
    limit = floor * (1.0 + COLLAPSE_MARGIN)
    if spec.diagonal:
        return np.asarray((cov <= limit).any(axis=1))
    return np.asarray(np.linalg.eigvalsh(cov)[:, 0] <= limit)


def update_full_covariances(
    spec: ModelSpec,
    nk: FloatArray,
    scatter: FloatArray,
    current: FloatArray | None,
    floor: float,
) -> FloatArray:
    """Covariance M-step of the full models 3–6.

    Parameters
    ----------
    spec : ModelSpec
        One of models 3, 4, 5, 6.
    nk : ndarray of shape (k,)
        Sum of the responsibilities per profile.
    scatter : ndarray of shape (k, d, d)
        Weighted within-profile scatter ``S_k`` (divided by ``nk``) around the
        new means, including the conditional covariances of missing values.
    current : ndarray of shape (k, d, d) or None
        The current covariance matrices: the starting point of the numerical
        update for models 4 and 5 (a structured start is built when None or
        not above the floor).
    floor : float
        Lower bound on the eigenvalues.

    Returns
    -------
    ndarray of shape (k, d, d)
    """
    k = nk.shape[0]
    if spec.number == 3:
        # Q is maximised by the pooled within-profile scatter (mclust EEE).
        pooled = np.tensordot(nk / nk.sum(), scatter, axes=1)
        return np.broadcast_to(floor_eigenvalues(pooled, floor), (k, *pooled.shape)).copy()
    if spec.number == 6 or k == 1:
        # With one profile models 4 and 5 are unconstrained too.
        return floor_eigenvalues(scatter, floor)
    if current is None or not _feasible(current, floor):
        current = feasible_start(spec, nk, scatter, floor)
    start = current
    return _constrained_update(spec, nk, scatter, start, floor)


def feasible_start(
    spec: ModelSpec, nk: FloatArray, scatter: FloatArray, floor: float
) -> FloatArray:
    """Covariance matrices with the structure of model 4 or 5 that are safely above the floor.

    Model 4: the pooled within-profile covariance plus, per profile, whatever
    extra variance that profile has (a positive diagonal keeps it positive
    definite).  Model 5: the pooled variances with each profile's own
    correlations, shrunk 10 % towards the identity.
    """
    margin = 1.0 + 10.0 * COLLAPSE_MARGIN
    pooled = floor_eigenvalues(np.tensordot(nk / nk.sum(), scatter, axes=1), floor * margin)
    d = pooled.shape[0]
    idx = np.arange(d)
    if spec.number == 4:
        extra = np.maximum(scatter[:, idx, idx] - pooled[idx, idx], 0.0)
        out = np.repeat(pooled[None], nk.shape[0], axis=0)
        out[:, idx, idx] += extra
        return out
    if spec.number == 5:
        sd = np.sqrt(np.maximum(scatter[:, idx, idx], floor))
        corr = scatter / (sd[:, :, None] * sd[:, None, :])
        corr = 0.9 * corr + 0.1 * np.eye(d)
        corr[:, idx, idx] = 1.0
        root = np.sqrt(pooled[idx, idx])
        out = corr * root[:, None] * root[None, :]
        shift = floor * margin - np.linalg.eigvalsh(out)[:, 0].min()
        if shift > 0:
            out[:, idx, idx] += shift
        return np.asarray(out)
    raise ValueError(f"feasible_start is for models 4 and 5, not {spec.number}")


def _feasible(cov: FloatArray, floor: float) -> bool:
    """Whether every ``Σ_k − floor·I`` is positive definite."""
    try:
        np.linalg.cholesky(cov - floor * np.eye(cov.shape[-1]))
    except np.linalg.LinAlgError:
        return False
    return True


# --- models 4 and 5: numerical M-step -------------------------------------------------------


def _constrained_update(
    spec: ModelSpec, nk: FloatArray, scatter: FloatArray, start: FloatArray, floor: float
) -> FloatArray:
    """Minimise ``Σ_k n_k [log|Σ_k| + tr(Σ_k⁻¹ S_k)]`` over the structure of model 4 or 5.

    Gradient: ``∂/∂Σ_k = n_k (Σ_k⁻¹ − Σ_k⁻¹ S_k Σ_k⁻¹)``; a shared entry
    collects the gradient of every profile, an off-diagonal entry counts twice
    (``Σ_ij`` and ``Σ_ji``).
    """
    k, d = scatter.shape[0], scatter.shape[1]
    iu = np.triu_indices(d, 1)
    idx = np.arange(d)
    weight = nk / nk.sum()
    eye = np.eye(d)
    shared_var = spec.number == 5

    def unpack(theta: FloatArray) -> FloatArray:
        n_var = d if shared_var else k * d
        var, off = theta[:n_var], theta[n_var:]
        cov = np.zeros((k, d, d))
        cov[:, iu[0], iu[1]] = off if not shared_var else off.reshape(k, -1)
        cov += np.swapaxes(cov, 1, 2)
        cov[:, idx, idx] = var if shared_var else var.reshape(k, d)
        return cov

    def objective(theta: FloatArray) -> tuple[float, FloatArray | None]:
        cov = unpack(theta)
        try:
            np.linalg.cholesky(cov - floor * eye)
            chol = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            return np.inf, None
        logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        inv = np.linalg.inv(cov)
        inv_s = inv @ scatter
        trace = np.trace(inv_s, axis1=1, axis2=2)
        value = float(weight @ (logdet + trace))
        grad_cov = weight[:, None, None] * (inv - inv_s @ inv)
        diag = grad_cov[:, idx, idx]
        off = 2.0 * grad_cov[:, iu[0], iu[1]]
        if shared_var:
            grad = np.concatenate([diag.sum(axis=0), off.ravel()])
        else:
            grad = np.concatenate([diag.ravel(), off.sum(axis=0)])
        return value, grad

    if shared_var:
        theta0 = np.concatenate([start[0, idx, idx], start[:, iu[0], iu[1]].ravel()])
    else:
        theta0 = np.concatenate([start[:, idx, idx].ravel(), start[0, iu[0], iu[1]]])
    theta = _minimise_feasible(objective, theta0)
    return unpack(theta)


def _minimise_feasible(
    fun: Callable[[FloatArray], tuple[float, FloatArray | None]],
    x0: FloatArray,
    *,
    max_iter: int = 30,
    memory: int = 8,
    rtol: float = 1e-12,
) -> FloatArray:
    """Limited-memory BFGS with a backtracking (Armijo) line search.

    ``fun`` returns ``inf`` outside the feasible set; the line search halves
    the step until the point is feasible and decreases the objective enough,
    so every accepted iterate is feasible and better than the last.  Returns
    ``x0`` unchanged if no decrease is found.
    """
    x = x0
    f, g_opt = fun(x)
    if g_opt is None or not np.isfinite(f):
        return x0
    g = g_opt
    hist: list[tuple[FloatArray, FloatArray, float]] = []
    for _ in range(max_iter):
        # Two-loop recursion: p = −H g with H the L-BFGS inverse Hessian.
        q = g.copy()
        alphas: list[float] = []
        for s, y, rho in reversed(hist):
            a = rho * float(s @ q)
            q -= a * y
            alphas.append(a)
        if hist:
            s, y, _ = hist[-1]
            q *= float(s @ y) / float(y @ y)
        else:
            q /= max(1.0, float(np.abs(g).max()))
        for (s, y, rho), a in zip(hist, reversed(alphas), strict=True):
            b = rho * float(y @ q)
            q += (a - b) * s
        p = -q
        slope = float(g @ p)
        if slope >= 0.0:  # not a descent direction: restart from steepest descent
            hist.clear()
            p = -g / max(1.0, float(np.abs(g).max()))
            slope = float(g @ p)
        step = 1.0
        while True:
            x_new = x + step * p
            f_new, g_new = fun(x_new)
            if g_new is not None and f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
            if step < 1e-10:
                return x
        s_vec, y_vec = x_new - x, g_new - g
        sy = float(s_vec @ y_vec)
        if sy > 1e-12:
            hist.append((s_vec, y_vec, 1.0 / sy))
            if len(hist) > memory:
                hist.pop(0)
        decrease = f - f_new
        x, f, g = x_new, f_new, g_new
        if decrease <= rtol * (abs(f) + 1.0):
            break
    return x
