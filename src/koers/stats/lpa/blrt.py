"""Bootstrap likelihood-ratio test (BLRT) of k − 1 against k profiles.

The likelihood-ratio statistic ``LR = 2 (LL_k − LL_{k−1})`` has no
chi-square reference distribution for mixtures (the null lies on the
boundary of the parameter space), so its distribution under k − 1 profiles
is simulated (McLachlan 1987; Nylund, Asparouhov & Muthén 2007):

1. fit k − 1 and k profiles to the data: statistic ``LR``;
2. draw B data sets of the same size from the fitted (k − 1)-profile model,
   with the data's pattern of missing values;
3. fit both models to each: ``LR_b``.  The (k − 1)-profile model starts
   from the generating parameters (as Mplus's LRTSTARTS does); the
   k-profile model from ``n_starts`` starts plus one that splits the
   largest profile of that fit, so that ``LR_b`` is rarely negative;
4. ``p = (1 + #{b : LR_b ≥ LR}) / (B + 1)`` (Davison & Hinkley 1997).

The bootstrap fits run in parallel processes (``n_jobs``); each draw has its
own seed from ``numpy.random.SeedSequence``, so the result does not depend on
``n_jobs``.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from koers.stats.lpa.em import FloatArray
from koers.stats.lpa.model import LatentProfileModel, SeedLike


@dataclass(frozen=True)
class BLRTResult:
    """Outcome of a bootstrap likelihood-ratio test.

    Attributes
    ----------
    statistic : float
        ``2 (LL_k − LL_{k−1})`` on the data.
    p_value : float
    bootstrap_statistics : ndarray of shape (B,)
    """

    statistic: float
    p_value: float
    bootstrap_statistics: FloatArray


@dataclass(frozen=True)
class BootstrapTask:
    """One bootstrap draw: everything a worker process needs (picklable)."""

    null: LatentProfileModel
    observed: NDArray[np.bool_] | None
    n_rows: int
    n_starts: int
    seed: np.random.SeedSequence


def bootstrap_lrt(
    null: LatentProfileModel,
    alternative: LatentProfileModel,
    X: ArrayLike,
    *,
    n_bootstrap: int = 100,
    n_starts: int = 5,
    random_state: SeedLike = None,
    n_jobs: int | None = 1,
    progress: Callable[[], None] | None = None,
) -> BLRTResult:
    """Bootstrap likelihood-ratio test of ``null`` (k − 1 profiles) against ``alternative`` (k).

    Parameters
    ----------
    null, alternative : LatentProfileModel
        Both fitted on ``X``, same ``model``, ``alternative`` with one more profile.
    X : array-like of shape (n, d)
        The data both were fitted on (its missing-value pattern is reused).
    n_bootstrap : int, default=100
        Number of bootstrap draws B.  The smallest attainable p-value is
        ``1 / (B + 1)``.
    n_starts : int, default=5
        Starts of the k-profile fit on each draw (plus one split start).
    random_state : int, Generator or None
    n_jobs : int or None, default=1
        Worker processes; ``-1`` for one per CPU, 1 or None to run here.
    progress : callable, optional
        Called after each bootstrap draw.

    Returns
    -------
    BLRTResult

    References
    ----------
    Nylund, K. L., Asparouhov, T., & Muthén, B. O. (2007). Deciding on the
    number of classes in latent class analysis and growth mixture modeling: a
    Monte Carlo simulation study. Structural Equation Modeling, 14(4), 535–569.
    """
    if null.model != alternative.model:
        raise ValueError("null and alternative must use the same model")
    if alternative.weights_.shape[0] != null.weights_.shape[0] + 1:
        raise ValueError("the alternative must have exactly one profile more than the null")
    x = np.asarray(X, dtype=np.float64)
    statistic = 2.0 * (alternative.log_likelihood_ - null.log_likelihood_)
    tasks = bootstrap_tasks(null, x, n_bootstrap, n_starts, random_state)
    stats = np.asarray(run_bootstrap(tasks, n_jobs=n_jobs, progress=progress))
    return blrt_result(statistic, stats)


def blrt_result(statistic: float, bootstrap_statistics: ArrayLike) -> BLRTResult:
    """Combine the observed statistic with its bootstrap draws into a p-value."""
    boot = np.asarray(bootstrap_statistics, dtype=np.float64)
    exceed = int(np.count_nonzero(boot >= statistic - 1e-8 * abs(statistic)))
    return BLRTResult(
        statistic=float(statistic),
        p_value=(1.0 + exceed) / (boot.size + 1.0),
        bootstrap_statistics=boot,
    )


def bootstrap_tasks(
    null: LatentProfileModel,
    x: FloatArray,
    n_bootstrap: int,
    n_starts: int,
    random_state: SeedLike,
) -> list[BootstrapTask]:
    """The ``n_bootstrap`` draws for one test, each with its own seed."""
    if n_bootstrap < 1:
        raise ValueError("n_bootstrap must be at least 1")
    seed = random_state
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    nan = np.isnan(x)
    observed = ~nan if nan.any() else None
    # Drop the training posteriors: they are not needed and would be pickled per task.
    slim = _without_posteriors(null)
    return [
        BootstrapTask(slim, observed, x.shape[0], n_starts, child)
        for child in np.random.SeedSequence(seed).spawn(n_bootstrap)
    ]


def run_bootstrap(
    tasks: Sequence[BootstrapTask],
    *,
    n_jobs: int | None = 1,
    progress: Callable[[], None] | None = None,
) -> list[float]:
    """Run bootstrap draws, in parallel when ``n_jobs`` is not 1; results in task order."""
    workers = _n_workers(n_jobs, len(tasks))
    if workers <= 1:
        out = []
        for task in tasks:
            out.append(bootstrap_statistic(task))
            if progress is not None:
                progress()
        return out
    results: list[float] = [np.nan] * len(tasks)
    # "spawn": a clean interpreter per worker, safe with threaded BLAS in the parent.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(bootstrap_statistic, t): i for i, t in enumerate(tasks)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if progress is not None:
                progress()
    return results


def bootstrap_statistic(task: BootstrapTask) -> float:
    """Simulate one data set from the null model and return its LR statistic."""
    null = task.null
    rng = np.random.default_rng(task.seed)
    x, _ = null.sample(task.n_rows, random_state=rng)
    if task.observed is not None:
        x[~task.observed] = np.nan
    k0 = null.weights_.shape[0]
    common: dict[str, Any] = {
        "model": null.model,
        "tol": null.tol,
        "tol_mode": null.tol_mode,
        "max_iter": null.max_iter,
        "var_floor": null.var_floor,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h0 = LatentProfileModel(
            k0,
            n_starts=1,
            weights_init=null.weights_,
            means_init=null.means_,
            covariances_init=null.covariances_,
            **common,
        ).fit(x)
        weights, means, covs = split_largest_profile(h0)
        h1 = LatentProfileModel(
            k0 + 1,
            n_starts=task.n_starts + 1,
            weights_init=weights,
            means_init=means,
            covariances_init=covs,
            random_state=int(rng.integers(2**63)),
            **common,
        ).fit(x)
    return 2.0 * (h1.log_likelihood_ - h0.log_likelihood_)


def split_largest_profile(fitted: LatentProfileModel) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Starting values for k + 1 profiles: the largest profile split along its main axis.

    The two halves sit half a standard deviation either side of the old mean
    on the first principal axis and keep its covariance matrix, so the start
    has the model's covariance structure.
    """
    j = int(np.argmax(fitted.weights_))
    cov = fitted.covariances_[j]
    eigval, eigvec = np.linalg.eigh(cov)
    shift = 0.5 * np.sqrt(eigval[-1]) * eigvec[:, -1]
    means = np.vstack([fitted.means_, fitted.means_[j] + shift])
    means[j] -= shift
    weights = np.append(fitted.weights_, fitted.weights_[j] / 2.0)
    weights[j] /= 2.0
    covs = np.concatenate([fitted.covariances_, cov[None]], axis=0)
    return weights / weights.sum(), means, covs


def _without_posteriors(model: LatentProfileModel) -> LatentProfileModel:
    slim = LatentProfileModel(**model.get_params())
    slim.__dict__.update({k: v for k, v in model.__dict__.items() if k != "posteriors_"})
    return slim


def _n_workers(n_jobs: int | None, n_tasks: int) -> int:
    if n_jobs is None or n_jobs == 1 or n_tasks <= 1:
        return 1
    cpus = os.cpu_count() or 1
    workers = cpus + 1 + n_jobs if n_jobs < 0 else n_jobs
    return max(1, min(workers, n_tasks))
