"""Career Compass: do the certainty words of a campaign's *fitted* model mean what they say?

Not a speed benchmark: a seeded calibration study (issue 13, open points (a) and (d)).
Each data set is a simulated campaign (``koers.compass.recovery.fitted_certainty``): the
demo generator's respondents at a profile ``strength`` (1: the reference profiles, 0.5:
half as distinct, 0: no profiles), fitted as a campaign is (K by the BLRT, names by the
signatures); then 3,000 new respondents of the same population are classified, with all
facet scores and with only 7 (a partial respondent). The peer is the rule before: words
from the fitted posteriors themselves ("raw"). A word must be right at least as often as
it says: "zeer waarschijnlijk" 9 times in 10, "waarschijnlijk" 7, "mogelijk" 5.

    .venv/bin/python bench/compass_fitted_certainty_bench.py            # 3 strengths x 2 seeds
    .venv/bin/python bench/compass_fitted_certainty_bench.py --quick    # strength 0.5, one seed
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from koers.compass.recovery import CertaintyRow, fitted_certainty

WORDS = ("very_likely", "likely", "possibly")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--n", type=int, default=1000, help="campaign size")
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    strengths = [0.5] if args.quick else [1.0, 0.5, 0.0]
    seeds = range(13, 13 + (1 if args.quick else args.seeds))
    table: dict[tuple[float, str, str, str], list[CertaintyRow]] = defaultdict(list)
    for strength in strengths:
        for seed in seeds:
            k, rows = fitted_certainty(args.n, strength=strength, seed=seed)
            print(f"strength {strength} seed {seed}: K = {k}")
            for r in rows:
                table[(r.strength, r.facets, r.rule, r.level)].append(r)
    print(f"\n{'strength':>8} {'facets':>6} {'rule':<9}" + "".join(f"{w:>27}" for w in WORDS))
    for strength in strengths:
        for facets in ("all", "7"):
            for rule in ("tempered", "raw"):
                cells = []
                for word in WORDS:
                    rows = table[(strength, facets, rule, word)]
                    said = sum(r.said for r in rows) / len(rows)
                    weighted = [(r.right, r.said) for r in rows if r.right is not None]
                    total = sum(s for _, s in weighted)
                    right = sum(a * s for a, s in weighted) / total if total else None
                    text = "—" if right is None else f"{100 * right:.1f}%"
                    cells.append(f"said {100 * said:5.1f}%, right {text:>6}")
                print(f"{strength:>8} {facets:>6} {rule:<9}" + "".join(f"{c:>27}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
