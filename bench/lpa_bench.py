"""Benchmark: Koers LPA model 2 against scikit-learn and StepMix (diagonal Gaussian mixtures).

Usage::

    .venv/bin/python bench/lpa_bench.py              # N = 100,000 × 25, K = 1..8, 5 starts
    .venv/bin/python bench/lpa_bench.py --quick      # N = 5,000, K = 1..4, 2 starts
    .venv/bin/python bench/lpa_bench.py --n 20000 --k-max 6

Data: ``--n`` rows × ``--d`` indicators on a 1–7 scale (continuous, truncated
normal) with six planted profiles (shares as the Career Compass report).

Alignment, per K and start:

- the same initial parameters for all three: a k-means partition (Koers's
  k-means++ and Lloyd iterations, seeded per start, outside the timings)
  and the weights, means and variances of that partition;
- the same stopping rule: the mean per-row log-likelihood changes by less
  than 1e-6 (Koers ``tol_mode="absolute"``, scikit-learn ``tol``, StepMix
  ``abs_tol`` with ``rel_tol=0``), at most 1000 iterations;
- no covariance regularisation (scikit-learn and StepMix ``reg_covar=0``;
  Koers's variance floor, 0.1 % of each indicator's variance, never binds
  on these data).

Koers, like scikit-learn, takes one more EM step after the convergence check,
so from the same start the two give the same parameters and iteration counts.
Where alignment is imperfect: scikit-learn then runs one more E-step to
label the rows, and its ``init_params`` machinery computes an M-step from a
(dummy) partition before the ``*_init`` values replace it; StepMix accepts
starting values only through its internals (``_initialize_parameters`` is
overridden below) and runs an extra E-step per start.  These costs are part
of each library's fit and are timed.  Log-likelihoods are recomputed by one
neutral function from each library's final parameters.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy.special import logsumexp

from koers.stats.lpa import LatentProfileModel
from koers.stats.lpa.em import kmeans

TOL = 1e-6
MAX_ITER = 1000


def planted_data(n: int, d: int, seed: int) -> np.ndarray:
    """Six profiles; values redrawn until they fall inside 1–7 (a truncated normal).

    Not clipped: clipping piles values on exactly 1.0 and 7.0, and a Gaussian
    mixture can then put a zero-variance component on such a pile.
    """
    rng = np.random.default_rng(seed)
    shares = np.array([0.22, 0.19, 0.11, 0.16, 0.16, 0.16])
    means = rng.uniform(2.0, 6.0, size=(6, d))
    sds = rng.uniform(0.6, 1.1, size=(6, d))
    labels = rng.choice(6, size=n, p=shares)
    loc, scale = means[labels], sds[labels]
    x = loc + scale * rng.standard_normal((n, d))
    bad = (x < 1.0) | (x > 7.0)
    while bad.any():
        x[bad] = loc[bad] + scale[bad] * rng.standard_normal(int(bad.sum()))
        bad = (x < 1.0) | (x > 7.0)
    return x


def starting_values(x: np.ndarray, k: int, seed: int) -> dict[str, np.ndarray]:
    """Weights, means and variances of a k-means partition (same for every library)."""
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    rng = np.random.default_rng(seed)
    labels = None
    while labels is None:
        labels = kmeans(z, k, rng)
    weights = np.bincount(labels, minlength=k) / x.shape[0]
    means = np.vstack([x[labels == j].mean(axis=0) for j in range(k)])
    variances = np.vstack([x[labels == j].var(axis=0) for j in range(k)])
    return {"weights": weights, "means": means, "variances": variances}


def log_likelihood(x: np.ndarray, weights: np.ndarray, means: np.ndarray, var: np.ndarray) -> float:
    """Neutral diagonal-Gaussian mixture log-likelihood, the same for every library."""
    comp = np.column_stack(
        [
            np.log(w) - 0.5 * (np.log(2 * np.pi * v).sum() + (((x - m) ** 2) / v).sum(axis=1))
            for w, m, v in zip(weights, means, var, strict=True)
        ]
    )
    return float(logsumexp(comp, axis=1).sum())


def run_koers(x: np.ndarray, k: int, start: dict[str, np.ndarray]) -> tuple[float, tuple, int]:
    d = x.shape[1]
    covs = np.zeros((k, d, d))
    covs[:, np.arange(d), np.arange(d)] = start["variances"]
    t0 = time.perf_counter()
    lpm = LatentProfileModel(
        k,
        model=2,
        n_starts=1,
        tol=TOL,
        tol_mode="absolute",
        max_iter=MAX_ITER,
        weights_init=start["weights"],
        means_init=start["means"],
        covariances_init=covs,
    ).fit(x)
    elapsed = time.perf_counter() - t0
    return elapsed, (lpm.weights_, lpm.means_, lpm.variances_), lpm.n_iter_


def run_sklearn(x: np.ndarray, k: int, start: dict[str, np.ndarray]) -> tuple[float, tuple, int]:
    from sklearn.mixture import GaussianMixture

    t0 = time.perf_counter()
    gm = GaussianMixture(
        k,
        covariance_type="diag",
        tol=TOL,
        reg_covar=0.0,
        max_iter=MAX_ITER,
        init_params="random_from_data",  # cheapest; overridden by the *_init values
        weights_init=start["weights"],
        means_init=start["means"],
        precisions_init=1.0 / start["variances"],
        random_state=0,
    ).fit(x)
    elapsed = time.perf_counter() - t0
    return elapsed, (gm.weights_, gm.means_, gm.covariances_), int(gm.n_iter_)


def run_stepmix(x: np.ndarray, k: int, start: dict[str, np.ndarray]) -> tuple[float, tuple, int]:
    from stepmix.stepmix import StepMix

    class AlignedStepMix(StepMix):  # type: ignore[misc]
        """StepMix started from given parameters (it has no public option for that)."""

        def _initialize_parameters(self, X: np.ndarray, random_state: object) -> None:
            self.weights_ = start["weights"].copy()
            self.log_resp_ = np.zeros((X.shape[0], k))
            self._initialize_parameters_measurement(X, random_state, init_emission=False)
            self._mm.set_parameters(
                {"means": start["means"].copy(), "covariances": start["variances"].copy()}
            )

    t0 = time.perf_counter()
    sm = AlignedStepMix(
        n_components=k,
        measurement="gaussian_diag",
        n_init=1,
        abs_tol=TOL,
        rel_tol=0.0,
        max_iter=MAX_ITER,
        progress_bar=0,
        verbose=0,
        measurement_params={"reg_covar": 0.0},
        random_state=0,
    ).fit(x)
    elapsed = time.perf_counter() - t0
    mm = sm.get_parameters()["measurement"]
    return elapsed, (sm.weights_, mm["means"], mm["covariances"]), int(sm.n_iter_)


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    pools = [f"{p['internal_api']} {p['num_threads']} thread(s)" for p in threadpool_info()]
    return ", ".join(pools) or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=None, help="rows (default 100000)")
    parser.add_argument("--d", type=int, default=25, help="indicators")
    parser.add_argument("--k-max", type=int, default=None, help="largest K (default 8)")
    parser.add_argument("--starts", type=int, default=None, help="starts per K (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="N = 5000, K = 1..4, 2 starts")
    parser.add_argument("--no-stepmix", action="store_true", help="skip StepMix")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each fit this often and keep the fastest"
    )
    args = parser.parse_args()
    n = args.n or (5000 if args.quick else 100_000)
    k_max = args.k_max or (4 if args.quick else 8)
    n_starts = args.starts or (2 if args.quick else 5)
    libraries = {"koers": run_koers, "sklearn": run_sklearn}
    if not args.no_stepmix:
        libraries["stepmix"] = run_stepmix

    x = planted_data(n, args.d, args.seed)
    print(f"LPA benchmark: N={n} x d={args.d}, K=1..{k_max}, {n_starts} starts per K,")
    print(f"same starting values, stop when the mean per-row LL changes < {TOL:g}")
    print(f"BLAS: {blas_info()}; fastest of {args.repeat} timing(s) per fit")
    head = f"{'K':>2} {'LL koers':>15} {'LL sklearn':>15} {'rel diff':>9}"
    if "stepmix" in libraries:
        head += f" {'LL stepmix':>15}"
    head += f" {'t koers':>8} {'t sklearn':>9} {'ratio':>6}"
    if "stepmix" in libraries:
        head += f" {'t stepmix':>9} {'ratio':>6}"
    head += "  iterations koers/sklearn/stepmix"
    print(head)
    totals = dict.fromkeys(libraries, 0.0)
    all_ok = True
    for k in range(1, k_max + 1):
        best = dict.fromkeys(libraries, -np.inf)
        times = dict.fromkeys(libraries, 0.0)
        iters: dict[str, list[int]] = {name: [] for name in libraries}
        for s in range(n_starts if k > 1 else 1):
            start = starting_values(x, k, seed=1000 * k + s)
            for name, runner in libraries.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    runs = [runner(x, k, start) for _ in range(args.repeat)]
                elapsed = min(r[0] for r in runs)
                _, params, n_iter = runs[0]
                times[name] += elapsed
                iters[name].append(n_iter)
                best[name] = max(best[name], log_likelihood(x, *params))
        rel = (best["koers"] - best["sklearn"]) / abs(best["sklearn"])
        all_ok &= rel >= -1e-6
        line = f"{k:>2} {best['koers']:>15.4f} {best['sklearn']:>15.4f} {rel:>9.1e}"
        if "stepmix" in libraries:
            line += f" {best['stepmix']:>15.4f}"
        line += f" {times['koers']:>7.2f}s {times['sklearn']:>8.2f}s"
        line += f" {times['koers'] / times['sklearn']:>6.2f}"
        if "stepmix" in libraries:
            line += f" {times['stepmix']:>8.2f}s {times['koers'] / times['stepmix']:>6.2f}"
        line += "  " + " / ".join(str(sum(v)) for v in iters.values())
        print(line, flush=True)
        for name in libraries:
            totals[name] += times[name]
    summary = f"total: koers {totals['koers']:.2f}s, sklearn {totals['sklearn']:.2f}s"
    summary += f" (ratio {totals['koers'] / totals['sklearn']:.2f}, target <= 0.50)"
    if "stepmix" in libraries:
        summary += f", stepmix {totals['stepmix']:.2f}s"
        summary += f" (ratio {totals['koers'] / totals['stepmix']:.2f}, target <= 0.33)"
    print(summary)
    verdict = "holds" if all_ok else "FAILS"
    print(f"LL of Koers >= scikit-learn's within 1e-6 relative for every K: {verdict}")


if __name__ == "__main__":
    main()
