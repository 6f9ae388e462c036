"""Fit a range of profile counts, compute fit indices and choose the number of profiles.

Fit indices for a solution with log-likelihood LL, p free parameters and n rows:

- ``AIC = −2 LL + 2 p`` (Akaike 1974)
- ``BIC = −2 LL + p ln n`` (Schwarz 1978)
- ``SABIC = −2 LL + p ln((n + 2) / 24)`` (Sclove 1987)
- ``CAIC = −2 LL + p (ln n + 1)`` (Bozdogan 1987)
- relative entropy and smallest share: see ``koers.stats.lpa.classification``
- BLRT p-value of k − 1 against k profiles: see ``koers.stats.lpa.blrt``

Selection rule (:func:`select_n_profiles`): among the fitted solutions
whose smallest profile share is at least ``min_share`` and that have no
collapsed variance, the one with the lowest BIC; None when there is none.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from koers.stats.lpa.blrt import BootstrapTask, blrt_result, bootstrap_tasks, run_bootstrap
from koers.stats.lpa.classification import relative_entropy, smallest_share
from koers.stats.lpa.covariance import check_model, n_parameters
from koers.stats.lpa.model import LatentProfileModel, SeedLike

#: The keys of one fit in ``koers lpa --json``, in order (docs/cli-lpa.md).
FIT_KEYS = (
    "n_profiles",
    "log_likelihood",
    "n_parameters",
    "aic",
    "bic",
    "sabic",
    "caic",
    "entropy",
    "smallest_share",
    "warnings",
    "blrt_p",
)


@dataclass(frozen=True)
class ProfileFit:
    """Fit indices of one number of profiles; the indices are None when it was not fitted."""

    n_profiles: int
    n_parameters: int
    log_likelihood: float | None = None
    aic: float | None = None
    bic: float | None = None
    sabic: float | None = None
    caic: float | None = None
    entropy: float | None = None
    smallest_share: float | None = None
    warnings: tuple[str, ...] = ()
    blrt_p: float | None = None
    collapsed: bool = False
    converged: bool | None = None

    @property
    def fitted(self) -> bool:
        return self.log_likelihood is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``koers lpa --json`` (keys in :data:`FIT_KEYS`)."""
        out: dict[str, Any] = {}
        for key in FIT_KEYS:
            value = getattr(self, key)
            if isinstance(value, float) and not math.isfinite(value):
                value = None
            out[key] = list(value) if key == "warnings" else value
        return out


@dataclass(frozen=True)
class ProfileEstimates:
    """Result of :func:`estimate_profiles`.

    Attributes
    ----------
    model : int
    n_rows, n_columns : int
    fits : tuple of ProfileFit
        One per requested number of profiles, in the order requested.
    selected_n_profiles : int or None
        By :func:`select_n_profiles`.
    models : dict
        The fitted :class:`LatentProfileModel` per number of profiles.
    """

    model: int
    n_rows: int
    n_columns: int
    fits: tuple[ProfileFit, ...]
    selected_n_profiles: int | None
    models: dict[int, LatentProfileModel] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``koers lpa --json``."""
        return {
            "model": self.model,
            "n_rows": self.n_rows,
            "n_columns": self.n_columns,
            "fits": [f.to_dict() for f in self.fits],
            "selected_n_profiles": self.selected_n_profiles,
        }


def information_criteria(log_likelihood: float, n_params: int, n_rows: int) -> dict[str, float]:
    """AIC, BIC, sample-size adjusted BIC and CAIC (lower is better).

    Examples
    --------
    >>> ic = information_criteria(-100.0, 5, 100)
    >>> round(ic["bic"], 3)
    223.026
    """
    minus2ll = -2.0 * log_likelihood
    ln_n = math.log(n_rows)
    return {
        "aic": minus2ll + 2.0 * n_params,
        "bic": minus2ll + n_params * ln_n,
        "sabic": minus2ll + n_params * math.log((n_rows + 2.0) / 24.0),
        "caic": minus2ll + n_params * (ln_n + 1.0),
    }


def summarize_fit(model: LatentProfileModel, *, blrt_p: float | None = None) -> ProfileFit:
    """The :class:`ProfileFit` of a fitted model on its training data."""
    k = model.weights_.shape[0]
    ic = information_criteria(model.log_likelihood_, model.n_parameters_, model.n_rows_)
    return ProfileFit(
        n_profiles=k,
        n_parameters=model.n_parameters_,
        log_likelihood=model.log_likelihood_,
        entropy=relative_entropy(model.posteriors_),
        smallest_share=smallest_share(model.posteriors_),
        warnings=tuple(model.warnings_),
        blrt_p=blrt_p,
        collapsed=bool(model.collapsed_.any()),
        converged=model.converged_,
        **ic,
    )


def select_n_profiles(fits: Iterable[ProfileFit], *, min_share: float = 0.05) -> int | None:
    """The number of profiles chosen by the documented rule.

    Lowest BIC among the fitted solutions whose smallest profile share
    (mean posterior probability) is at least ``min_share`` and that have no
    collapsed variance; None when no solution qualifies.  One profile always
    has share 1, so it qualifies unless its variance collapsed.
    """
    eligible = [
        f
        for f in fits
        if f.fitted
        and f.bic is not None
        and not f.collapsed
        and f.smallest_share is not None
        and f.smallest_share >= min_share
    ]
    if not eligible:
        return None
    return min(eligible, key=lambda f: (f.bic, f.n_profiles)).n_profiles


def estimate_profiles(
    X: ArrayLike,
    n_profiles: Iterable[int] = range(1, 9),
    *,
    model: int = 1,
    n_starts: int = 20,
    random_state: SeedLike = None,
    min_share: float = 0.05,
    n_bootstrap: int = 0,
    bootstrap_starts: int = 5,
    n_jobs: int | None = 1,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> ProfileEstimates:
    """Fit latent profile models for several numbers of profiles and pick one.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Indicator scores, NaN for missing values (full-information ML).
    n_profiles : iterable of int, default=range(1, 9)
    model : int, default=1
        tidyLPA model number (see :class:`LatentProfileModel`).
    n_starts : int, default=20
        EM starts per number of profiles.
    random_state : int, Generator or None
        Each k gets its own seed derived from this one and k, so a k's fit
        does not depend on which other k are requested.
    min_share : float, default=0.05
        Smallest acceptable profile share for the selection rule.
    n_bootstrap : int, default=0
        Bootstrap draws for the BLRT of k − 1 vs k (0: no test).  Fits
        k − 1 too when it is not in ``n_profiles``.
    bootstrap_starts : int, default=5
        Starts of the k-profile fit on each bootstrap draw.
    n_jobs : int or None, default=1
        Processes for the bootstrap draws (-1: one per CPU).
    progress : callable, optional
        ``progress(done, total)`` after each EM start and each bootstrap draw.
    **options
        Passed to :class:`LatentProfileModel` (``tol``, ``max_iter``, ``var_floor``, …).

    Returns
    -------
    ProfileEstimates

    Notes
    -----
    A k whose model has more free parameters than there are rows is not
    fitted: it is listed with None indices and a warning.
    """
    spec = check_model(model)
    x = np.asarray(X, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("X must be 2-D (rows × indicators)")
    n, d = int(x.shape[0]), int(x.shape[1])
    ks = [int(k) for k in n_profiles]
    if not ks or min(ks) < 1:
        raise ValueError("n_profiles must hold one or more positive integers")
    seed = random_state
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    entropy = np.random.SeedSequence(seed).entropy

    def fittable(k: int) -> bool:
        return k <= n and n_parameters(spec.number, k, d) <= n

    to_fit = sorted({k for k in ks if fittable(k)})
    blrt_ks = [k for k in to_fit if n_bootstrap > 0 and k >= 2 and fittable(k - 1)]
    to_fit = sorted(set(to_fit) | {k - 1 for k in blrt_ks})
    total = sum(1 if k == 1 else n_starts for k in to_fit) + n_bootstrap * len(blrt_ks)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    models: dict[int, LatentProfileModel] = {}
    for k in to_fit:
        lpm = LatentProfileModel(
            k,
            model=spec.number,
            n_starts=n_starts,
            min_share=min_share,
            random_state=np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(k,))),
            **options,
        )
        models[k] = lpm.fit(x, progress=tick)

    tasks: list[BootstrapTask] = []
    for k in blrt_ks:
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(k, 1)))
        tasks += bootstrap_tasks(models[k - 1], x, n_bootstrap, bootstrap_starts, rng)
    boot = run_bootstrap(tasks, n_jobs=n_jobs, progress=tick) if tasks else []
    p_values: dict[int, float] = {}
    for i, k in enumerate(blrt_ks):
        statistic = 2.0 * (models[k].log_likelihood_ - models[k - 1].log_likelihood_)
        draws = boot[i * n_bootstrap : (i + 1) * n_bootstrap]
        p_values[k] = blrt_result(statistic, draws).p_value

    fits = tuple(
        summarize_fit(models[k], blrt_p=p_values.get(k))
        if k in models
        else _not_fitted(k, spec.number, n, d)
        for k in ks
    )
    return ProfileEstimates(
        model=spec.number,
        n_rows=n,
        n_columns=d,
        fits=fits,
        selected_n_profiles=select_n_profiles(fits, min_share=min_share),
        models={k: models[k] for k in ks if k in models},
    )


def _not_fitted(k: int, model: int, n: int, d: int) -> ProfileFit:
    p = n_parameters(model, k, d)
    reason = (
        f"not fitted: {p} parameters but only {n} rows"
        if p > n
        else f"not fitted: {k} profiles but only {n} rows"
    )
    return ProfileFit(n_profiles=k, n_parameters=p, warnings=(reason,))
