"""``LatentProfileModel``: a Gaussian mixture for latent profile analysis (tidyLPA models 1–6)."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from koers.stats.lpa import em
from koers.stats.lpa.covariance import COLLAPSE_MARGIN, ModelSpec, check_model, n_parameters
from koers.stats.lpa.em import FloatArray, Params

SeedLike = int | np.random.Generator | None


class LPAConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before the log-likelihood settled."""


class LatentProfileModel:
    """Latent profile analysis: a Gaussian mixture with tidyLPA's covariance structures.

    Profiles are multivariate normal with profile-specific means; ``model``
    picks what the covariance matrices share (tidyLPA numbering):

    1. equal variances, covariances zero (mclust EEI)
    2. varying variances, covariances zero (VVI)
    3. equal variances and equal covariances (EEE)
    4. varying variances, equal covariances
    5. equal variances, varying covariances
    6. varying variances and covariances (VVV)

    Fitted by EM from several starts; missing values (NaN) by
    full-information maximum likelihood (each row uses its observed
    indicators).  Models 4 and 5 use a numerical M-step (generalised EM).
    See ``docs/lpa.md`` for the formulas.

    Parameters
    ----------
    n_profiles : int, default=2
        Number of profiles ``k``.
    model : {1, 2, 3, 4, 5, 6}, default=1
        Covariance structure, numbered as in tidyLPA.
    n_starts : int, default=10
        Number of EM runs from different starting values; the best is kept.
    init : {"mixed", "kmeans", "random"}, default="mixed"
        Starting values: k-means partitions, random rows as means, or
        alternating (even starts k-means, odd starts random).
    tol : float, default=1e-7
        Convergence threshold on the change of the log-likelihood.
    tol_mode : {"relative", "absolute"}, default="relative"
        ``"relative"``: stop when ``|ΔLL| ≤ tol·|LL|`` (Mplus's RLOGCRITERION).
        ``"absolute"``: stop when the mean per-row log-likelihood changes by
        at most ``tol`` (scikit-learn's rule).
    max_iter : int, default=1000
        Maximum number of EM iterations per start.
    var_floor : float, default=1e-3
        Lower bound on the within-profile variances as a fraction of each
        indicator's total variance (for full covariance matrices: on the
        eigenvalues of the standardised matrix).  A profile at the floor is
        reported as collapsed.
    min_share : float, default=0.05
        A profile whose share (mean posterior probability) is below this is
        reported in ``warnings_``.
    weights_init, means_init, covariances_init : array-like, optional
        Starting values for the first start, shapes ``(k,)``, ``(k, d)`` and
        ``(k, d, d)``; ``means_init`` is required for the others to be used.
        The covariances must have the model's structure.  The remaining
        ``n_starts - 1`` starts are generated as usual.
    random_state : int, numpy.random.Generator or None
        Seed for the starting values.

    Attributes
    ----------
    weights_ : ndarray of shape (k,)
        Mixing proportions.
    means_ : ndarray of shape (k, d)
    covariances_ : ndarray of shape (k, d, d)
        Covariance matrices in the original units (shared ones repeated).
    variances_ : ndarray of shape (k, d)
    log_likelihood_ : float
        Log-likelihood of the fitted parameters on the training data.
    n_parameters_ : int
    n_rows_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X was a DataFrame.
    posteriors_ : ndarray of shape (n, k)
        Posterior profile probabilities of the training rows.
    n_iter_ : int
    converged_ : bool
    collapsed_ : ndarray of bool, shape (k,)
        Profiles with a variance (or eigenvalue) at the floor.
    start_log_likelihoods_ : ndarray of shape (n_starts,)
        Final log-likelihood of every start (replication of the best value is
        a sign that the maximum was found).
    warnings_ : list of str
        Non-convergence, collapsed and small profiles.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (100, 3)), rng.normal(4, 1, (100, 3))])
    >>> lpm = LatentProfileModel(2, model=1, n_starts=3, random_state=0).fit(X)
    >>> [round(float(m)) for m in np.sort(lpm.means_[:, 0])]
    [0, 4]
    """

    def __init__(
        self,
        n_profiles: int = 2,
        *,
        model: int = 1,
        n_starts: int = 10,
        init: Literal["mixed", "kmeans", "random"] = "mixed",
        tol: float = 1e-7,
        tol_mode: Literal["relative", "absolute"] = "relative",
        max_iter: int = 1000,
        var_floor: float = 1e-3,
        min_share: float = 0.05,
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        covariances_init: ArrayLike | None = None,
        random_state: SeedLike = None,
    ) -> None:
        self.n_profiles = n_profiles
        self.model = model
        self.n_starts = n_starts
        self.init = init
        self.tol = tol
        self.tol_mode = tol_mode
        self.max_iter = max_iter
        self.var_floor = var_floor
        self.min_share = min_share
        self.weights_init = weights_init
        self.means_init = means_init
        self.covariances_init = covariances_init
        self.random_state = random_state

    # --- scikit-learn estimator protocol ----------------------------------------------------

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters, as scikit-learn's ``get_params``."""
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters, as scikit-learn's ``set_params``."""
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"unknown parameter {name!r}; valid: {', '.join(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults[k])]
        return f"{type(self).__name__}({', '.join(changed)})"

    # --- fitting ----------------------------------------------------------------------------

    def fit(
        self, X: ArrayLike, y: object = None, *, progress: Callable[[], None] | None = None
    ) -> Self:
        """Estimate the model by EM from ``n_starts`` starting values.

        Parameters
        ----------
        X : array-like of shape (n, d)
            Indicator scores; NaN marks a missing value.
        y : ignored
        progress : callable, optional
            Called without arguments after each start (for progress bars).

        Returns
        -------
        self
        """
        spec = self._check_params()
        x = _as_matrix(X)
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        center, nan = _check_training_data(x, self.n_profiles)
        data = em.prepare(x, spec, center=center, nan=nan)
        scale = data.scale
        constant = np.flatnonzero(~(scale > 1e-12 * np.maximum(np.abs(center), 1.0)))
        if constant.size:
            raise ValueError(
                f"column(s) {constant.tolist()} do not vary; remove them (a constant "
                "indicator cannot separate profiles and has no variance to model)"
            )
        floor = float(self.var_floor)
        best: em.EMResult | None = None
        best_key = (True, np.inf)
        lls, collapsed = [], []
        for start in self._starting_values(data, spec, center, scale, floor):
            params = start() if callable(start) else start
            result = em.run_em(
                data,
                spec,
                params,
                floor=floor,
                tol=self.tol,
                tol_mode=self.tol_mode,
                max_iter=self.max_iter,
            )
            lls.append(result.log_likelihood)
            collapsed.append(bool(em.is_collapsed(spec, result.params, floor).any()))
            # Prefer solutions without a collapsed profile: a variance at the floor
            # inflates the likelihood without describing a real group.
            ll = result.log_likelihood
            key = (collapsed[-1], -ll if np.isfinite(ll) else np.inf)
            if best is None or key < best_key:
                best, best_key = result, key
            if progress is not None:
                progress()
        assert best is not None
        if not np.isfinite(best.log_likelihood):
            raise ValueError("EM failed from every start (non-finite log-likelihood); check X")
        self._spec, self._center, self._scale, self._floor = spec, center, scale, floor
        self._set_params(best.params)
        self.posteriors_ = best.posteriors
        self.log_likelihood_ = best.log_likelihood
        self.n_rows_ = int(x.shape[0])
        self.n_iter_ = best.n_iter
        self.converged_ = best.converged
        self.start_log_likelihoods_ = np.array(lls)
        self.collapsed_ = em.is_collapsed(spec, best.params, floor)
        self.warnings_ = self._diagnose(best.posteriors)
        if not best.converged:
            warnings.warn(
                f"EM did not converge in {self.max_iter} iterations; raise max_iter or tol",
                LPAConvergenceWarning,
                stacklevel=2,
            )
        return self

    @classmethod
    def from_parameters(
        cls,
        weights: ArrayLike,
        means: ArrayLike,
        covariances: ArrayLike,
        *,
        model: int = 1,
    ) -> LatentProfileModel:
        """A fitted model with given parameters (e.g. a reference model) for classification.

        ``covariances`` has shape ``(k, d, d)`` and must have the structure
        of ``model``.
        """
        spec = check_model(model)
        mu = np.atleast_2d(np.asarray(means, dtype=np.float64))
        k, d = mu.shape
        obj = cls(k, model=model)
        obj._spec, obj._center, obj._scale, obj._floor = spec, np.zeros(d), np.ones(d), 0.0
        params = _params_from_user(spec, weights, mu, covariances, np.zeros(d), np.ones(d))
        obj._set_params(params)
        obj.collapsed_ = np.zeros(k, dtype=bool)
        obj.warnings_ = []
        return obj

    # --- using a fitted model ---------------------------------------------------------------

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Posterior profile probabilities, shape ``(n, k)``; rows may contain NaN."""
        return em.normalise(self._log_prob(X))[0]

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """Modal profile (index of the largest posterior probability) per row."""
        return np.asarray(np.argmax(self._log_prob(X), axis=1))

    def score_samples(self, X: ArrayLike) -> FloatArray:
        """Log-likelihood of each row (of its observed indicators)."""
        x = self._check_predict_data(X)
        data = em.prepare(x, self._spec, center=self._center, scale=self._scale)
        per_row = em.normalise(em.log_prob(data, self._spec, self._params))[1]
        # Back to the original units: the log-Jacobian of each row's observed indicators.
        n_obs = (~np.isnan(x)).astype(np.float64)
        return np.asarray(per_row - n_obs @ np.log(self._scale))

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Mean per-row log-likelihood (as scikit-learn's ``score``)."""
        return float(self.score_samples(X).mean())

    def bic(self, X: ArrayLike) -> float:
        """Bayesian information criterion on X: ``−2 LL + p ln n``."""
        n = _as_matrix(X).shape[0]
        return float(-2.0 * self.score(X) * n + self.n_parameters_ * np.log(n))

    def aic(self, X: ArrayLike) -> float:
        """Akaike information criterion on X: ``−2 LL + 2 p``."""
        n = _as_matrix(X).shape[0]
        return float(-2.0 * self.score(X) * n + 2.0 * self.n_parameters_)

    def sample(
        self, n_rows: int, *, random_state: SeedLike = None
    ) -> tuple[FloatArray, NDArray[np.intp]]:
        """Draw rows from the fitted mixture; returns ``(X, profile)``."""
        rng = np.random.default_rng(random_state)
        labels = rng.choice(self.weights_.shape[0], size=n_rows, p=self.weights_)
        out = np.empty((n_rows, self.means_.shape[1]))
        chol = np.linalg.cholesky(self.covariances_)
        for j in range(self.weights_.shape[0]):
            rows = np.flatnonzero(labels == j)
            noise = rng.standard_normal((rows.size, self.means_.shape[1]))
            out[rows] = self.means_[j] + noise @ chol[j].T
        return out, labels

    @property
    def n_parameters_(self) -> int:
        """Number of free parameters."""
        return n_parameters(int(self.model), *self.means_.shape)

    # --- internals --------------------------------------------------------------------------

    def _check_params(self) -> ModelSpec:
        spec = check_model(self.model)
        if not isinstance(self.n_profiles, int | np.integer) or self.n_profiles < 1:
            raise ValueError(f"n_profiles must be a positive integer, got {self.n_profiles!r}")
        if not isinstance(self.n_starts, int | np.integer) or self.n_starts < 1:
            raise ValueError(f"n_starts must be a positive integer, got {self.n_starts!r}")
        if self.init not in ("mixed", "kmeans", "random"):
            raise ValueError(f"init must be 'mixed', 'kmeans' or 'random', got {self.init!r}")
        if self.tol_mode not in ("relative", "absolute"):
            raise ValueError(f"tol_mode must be 'relative' or 'absolute', got {self.tol_mode!r}")
        if not self.tol > 0 or not self.max_iter >= 1:
            raise ValueError("tol must be positive and max_iter at least 1")
        if not 0 < self.var_floor < 1:
            raise ValueError(f"var_floor must be between 0 and 1, got {self.var_floor!r}")
        return spec

    def _starting_values(
        self, data: em.Data, spec: ModelSpec, center: FloatArray, scale: FloatArray, floor: float
    ) -> list[Params | Callable[[], Params]]:
        seed = self.random_state
        if isinstance(seed, np.random.Generator):
            seed = int(seed.integers(2**63))
        children = np.random.SeedSequence(seed).spawn(self.n_starts)
        starts: list[Params | Callable[[], Params]] = []
        first = 0
        if self.means_init is not None:
            k = self.n_profiles
            weights = np.full(k, 1.0 / k) if self.weights_init is None else self.weights_init
            cov = self.covariances_init
            if cov is None:  # the total variances for every profile
                cov = np.repeat(np.diag(scale * scale)[None], k, axis=0)
            user = _params_from_user(spec, weights, self.means_init, cov, center, scale)
            if user.means.shape != (k, data.d):
                raise ValueError(f"means_init must have shape ({k}, {data.d})")
            starts.append(user)
            first = 1
        for i in range(first, self.n_starts):
            if self.n_profiles == 1 and i > 0:
                break  # one profile has a single optimum: more starts add nothing
            method: Literal["kmeans", "random"] = "kmeans"
            if self.init == "random" or (self.init == "mixed" and i % 2 == 1):
                method = "random"
            rng = np.random.default_rng(children[i])
            starts.append(
                partial(em.initial_params, data, spec, int(self.n_profiles), method, rng, floor)
            )
        return starts

    def _set_params(self, params: Params) -> None:
        self._params = params
        s = self._scale
        self.weights_ = params.weights.copy()
        self.means_ = self._center + params.means * s
        if self._spec.diagonal:
            self.variances_ = params.cov * s * s
            k, d = self.variances_.shape
            cov = np.zeros((k, d, d))
            cov[:, np.arange(d), np.arange(d)] = self.variances_
            self.covariances_ = cov
        else:
            self.covariances_ = params.cov * np.outer(s, s)
            self.variances_ = np.diagonal(self.covariances_, axis1=1, axis2=2).copy()
        self.n_features_in_ = int(self.means_.shape[1])

    def _diagnose(self, resp: FloatArray) -> list[str]:
        notes: list[str] = []
        if not self.converged_:
            notes.append(f"EM did not converge in {self.max_iter} iterations")
        names = getattr(self, "feature_names_in_", None)
        for j in np.flatnonzero(self.collapsed_):
            if self._spec.diagonal:
                limit = self._floor * (1.0 + COLLAPSE_MARGIN)
                cols = np.flatnonzero(self._params.cov[j] <= limit)
                labels = [str(names[c]) if names is not None else f"#{c + 1}" for c in cols]
                more = ", …" if len(labels) > 5 else ""
                notes.append(
                    f"profile {j + 1} has a variance at the floor: collapsed "
                    f"({', '.join(labels[:5])}{more})"
                )
            else:
                notes.append(
                    f"profile {j + 1} has a covariance matrix at the floor (nearly singular): "
                    "collapsed"
                )
        share = resp.mean(axis=0)
        for j in np.flatnonzero(share < self.min_share):
            notes.append(
                f"profile {j + 1} holds {share[j]:.1%} of the rows, "
                f"below the minimum share of {self.min_share:.0%}"
            )
        return notes

    def _check_predict_data(self, X: ArrayLike) -> FloatArray:
        if not hasattr(self, "_params"):
            raise RuntimeError("this LatentProfileModel is not fitted yet; call fit(X) first")
        x = _as_matrix(X)
        if np.isinf(x).any():
            raise ValueError("X contains infinite values; use NaN for missing values")
        if x.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {x.shape[1]} columns but the model was fitted on {self.n_features_in_}"
            )
        return x

    def _log_prob(self, X: ArrayLike) -> FloatArray:
        x = self._check_predict_data(X)
        data = em.prepare(x, self._spec, center=self._center, scale=self._scale)
        return em.log_prob(data, self._spec, self._params)


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return a == b


def _as_matrix(X: ArrayLike) -> FloatArray:
    x = np.asarray(X, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"X must be 2-D (rows × indicators), got {x.ndim}-D; "
            "use X.reshape(-1, 1) for a single indicator"
        )
    return x


def _check_training_data(x: FloatArray, n_profiles: int) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Column means and missing mask of the training data, after checks with actionable
    messages.  Fast path (no NaN or inf) first: this runs on every fit."""
    if x.shape[0] < max(n_profiles, 2):
        raise ValueError(f"{x.shape[0]} rows are too few for {n_profiles} profiles")
    if np.isfinite(x).all():
        return x.mean(axis=0), np.zeros(x.shape, dtype=bool)
    if np.isinf(x).any():
        raise ValueError("X contains infinite values; use NaN for missing values")
    nan = np.isnan(x)
    empty_rows = np.flatnonzero(nan.all(axis=1))
    if empty_rows.size:
        shown = ", ".join(str(i) for i in empty_rows[:5])
        raise ValueError(
            f"{empty_rows.size} row(s) have no observed values (e.g. row {shown}); "
            "drop them before fitting"
        )
    if nan.all(axis=0).any():
        raise ValueError(f"column(s) {np.flatnonzero(nan.all(axis=0)).tolist()} are all missing")
    return np.nanmean(x, axis=0), nan


def _params_from_user(
    spec: ModelSpec,
    weights: ArrayLike,
    means: ArrayLike,
    covariances: ArrayLike,
    center: FloatArray,
    scale: FloatArray,
) -> Params:
    """User parameters (original units) → standardised ``Params``, checking the structure."""
    w = np.asarray(weights, dtype=np.float64)
    mu = np.atleast_2d(np.asarray(means, dtype=np.float64))
    cov = np.asarray(covariances, dtype=np.float64)
    k, d = mu.shape
    if w.shape != (k,) or not np.isclose(w.sum(), 1.0) or (w < 0).any():
        raise ValueError(f"weights must be {k} non-negative numbers summing to 1")
    if cov.shape != (k, d, d):
        raise ValueError(f"covariances must have shape ({k}, {d}, {d}), got {cov.shape}")
    try:
        np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError("every covariance matrix must be positive definite") from None
    idx = np.arange(d)
    diag = cov[:, idx, idx]
    off = cov - diag[:, :, None] * np.eye(d)
    tol = 1e-9 * float(np.abs(cov).max())
    if spec.diagonal and np.abs(off).max(initial=0.0) > tol:
        raise ValueError(f"model {spec.number} has zero covariances; covariances must be diagonal")
    if spec.equal_variances and np.abs(diag - diag[0]).max() > tol:
        raise ValueError(f"model {spec.number} has equal variances across profiles")
    if not spec.diagonal and spec.equal_covariances and np.abs(off - off[0]).max() > tol:
        raise ValueError(f"model {spec.number} has equal covariances across profiles")
    std_cov = cov / np.outer(scale, scale)
    return Params(
        weights=w.copy(),
        means=(mu - center) / scale,
        cov=std_cov[:, idx, idx].copy() if spec.diagonal else std_cov,
    )
