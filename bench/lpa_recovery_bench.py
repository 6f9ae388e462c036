"""Career Compass fitted model: from how many responses are six profiles recovered? (issue 13.2)

Not a speed benchmark: a seeded recovery study. Each data set is a simulated campaign
(``koers.compass.recovery.simulate``): respondents from the demo generator (six reference
profiles, items around latent scores with noise), scored, and fitted as a campaign's own
model is (``koers.compass.fitting.fit_profiles``: K = 1..8, K by the sequential bootstrap
likelihood-ratio test, BIC and SABIC beside it, names by the best-matching signature).
Per n and structure (``strength`` 1: the reference profiles; 0.5: half as distinct; 0: no
profiles) the table gives the chosen K by each criterion, the adjusted Rand index (ARI)
of the modal assignment against the planted profiles, the share of respondents named
after their planted profile, the share named wrongly at a posterior ≥ .90, and how many
planted profiles got no name. The peer is BIC alone, the rule before issue 13.

The rule ``fitting.MIN_ROWS_TO_FIT`` is the smallest n at which, with the reference
profiles, every data set finds K = 6 by the BLRT and names all six profiles, at least 90 %
of respondents are named after their own profile and the mean ARI is at least 0.9.

    .venv/bin/python bench/lpa_recovery_bench.py            # 300..1500, 5 data sets each
    .venv/bin/python bench/lpa_recovery_bench.py --quick    # 300 and 600, 1 data set each
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from koers.compass.recovery import Recovery, simulate


def row(label: str, results: list[Recovery]) -> str:
    def ks(attr: str) -> str:
        counts = Counter(getattr(r, attr) for r in results)
        return ",".join(f"{k}×{c}" if c > 1 else str(k) for k, c in sorted(counts.items()))

    ari = statistics.mean(r.ari for r in results)
    right = statistics.mean(r.named_right for r in results)
    wrong = statistics.mean(r.wrong_very_likely for r in results)
    missing = max(r.missing for r in results)
    return (
        f"{label:<14}{len(results):>5}  {ks('k_blrt'):<12}{ks('k_sabic'):<12}{ks('k_bic'):<12}"
        f"{ari:>6.2f}{right:>8.2f}{wrong:>8.3f}{missing:>8}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 300 and 600, one data set")
    parser.add_argument("--reps", type=int, default=None, help="data sets per cell")
    parser.add_argument("--n", type=int, nargs="*", default=None, help="sample sizes")
    parser.add_argument("--strength", type=float, nargs="*", default=None)
    parser.add_argument("--bootstrap", type=int, default=19, help="BLRT draws per test")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    sizes = args.n or ([300, 600] if args.quick else [300, 500, 750, 1000, 1500])
    strengths = args.strength or ([1.0] if args.quick else [1.0, 0.5, 0.0])
    reps = args.reps or (1 if args.quick else 5)
    start = time.perf_counter()
    print(
        f"{'structure, n':<14}{'sets':>5}  {'K BLRT':<12}{'K SABIC':<12}{'K BIC':<12}"
        f"{'ARI':>6}{'named':>8}{'wrong≥.9':>8}{'missing':>8}"
    )
    ok = True
    for strength in strengths:
        for n in sizes:
            results = [
                simulate(
                    n, strength=strength, seed=args.seed + 1000 * rep, n_bootstrap=args.bootstrap
                )
                for rep in range(reps)
            ]
            print(row(f"{strength:g}, {n}", results), flush=True)
            if strength == 0.0:
                ok = ok and all(r.k_blrt <= 2 for r in results)
    print(f"\n{time.perf_counter() - start:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
