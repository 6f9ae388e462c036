"""Career Compass certainty: is a word right as often as it says? (issue 13.1)

Not a speed benchmark: a seeded calibration check. Respondents are generated in four
scenarios (``koers.compass.calibration``: the reference model, profiles half as distinct,
no profiles at all, profiles with correlated facets), answer the real items, are scored
and classified by the reference-model path, and for each certainty word the table gives
how often it is said and how often the named profile is the generating one (a blend: one
of the two it names; under "none" every named profile is wrong). The peer is the rule
before issue 13: words straight from the reference posteriors.

Goal: "very likely" right at least 90 % wherever it is said, and said to at most 2 % when
there are no profiles.

    .venv/bin/python bench/compass_certainty_bench.py            # 20,000 per scenario
    .venv/bin/python bench/compass_certainty_bench.py --quick    # 2,000 per scenario
"""

from __future__ import annotations

import argparse
import time

from koers.compass.calibration import (
    SCENARIOS,
    accuracy,
    calibration_table,
    format_table,
    uncalibrated_rule,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 respondents per scenario")
    parser.add_argument("--n", type=int, default=None, help="respondents per scenario")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    n = args.n or (2_000 if args.quick else 20_000)
    start = time.perf_counter()
    before = calibration_table(n=n, seed=args.seed, rule=uncalibrated_rule)
    after = calibration_table(n=n, seed=args.seed)
    print(f"{n} respondents per scenario, seed {args.seed}")
    print("\nBefore (raw reference posteriors):")
    print(format_table(before))
    print("\nAfter (calibrated: 'none of these' component, tempered likelihoods):")
    print(format_table(after))
    ok = True
    for scenario in SCENARIOS:
        if scenario == "none":  # no true profile: judged by how rarely a word is said
            continue
        row = accuracy(after, scenario, "very_likely")
        if row.right is not None and row.n >= 30 and row.right < 0.90:
            ok = False
    ok = ok and accuracy(after, "none", "very_likely").said <= 0.02
    print(f"\ngoal met: {ok}   ({time.perf_counter() - start:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
