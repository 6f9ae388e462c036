"""Gender Scan improvement areas: false alarms under identical treatment, and power.

Simulates organisations in which women and men are treated identically
(``koers.scan.simulate``: same chance of promotion, leaving, variable pay,
hires from the same share of women, pay and levels blind to gender), runs the
real report path (``build_context(hr=True)``) on each, and prints per rule and
size how often it reports a *finding* (the false-alarm rate; goal ≤ 5 %) and a
*signal worth watching*. Then the same with real differences built in (women
promoted half as often, leaving 1.6× as often, hired at 0.6× their share, paid
6 % less after controls) to show what the rules still find (power). The peer is
the nominal level: each finding rate is printed next to the 5 % it must stay
under, with its Monte Carlo standard error.

    .venv/bin/python bench/scan_findings_bench.py            # 400 organisations per size
    .venv/bin/python bench/scan_findings_bench.py --quick    # 60 per size
    .venv/bin/python bench/scan_findings_bench.py --orgs 1000 --seed 7
"""

from __future__ import annotations

import argparse
import math
import time

from koers.scan.improvement import load_rules
from koers.scan.simulate import Effects, Tally, count_findings

# Staff (women, men) at the start of the period: 100 to 1,000 people, 25-30 % women,
# and the three organisations of issue 13.
SIZES = {
    "25/75": (25, 75),
    "60/190": (60, 190),
    "150/350": (150, 350),
    "250/750": (250, 750),
    "300/900": (300, 900),
}
POWER = Effects(promotion_ratio=0.5, leave_ratio=1.6, hire_ratio=0.6, pay_gap=0.06)
POWER_RULES = (
    "promotion_rate_women_lower",
    "outflow_women_higher",
    "hires_share_low",
    "adjusted_gap",
)


def _rate(count: int, n: int) -> str:
    return f"{100 * count / n:5.1f}"


def print_table(title: str, tally: Tally, rules: tuple[str, ...]) -> None:
    labels = list(tally)
    print(f"\n{title}")
    print("finding % (signal %) per organisation; size = women/men at the start of the period")
    print(f"{'rule':32}" + "".join(f"{label:>16}" for label in labels))
    for rule in rules:
        cells = []
        for label in labels:
            counts = tally[label]
            n = counts["orgs"]
            found, signal = counts.get(rule, 0), counts.get(rule + "~signal", 0)
            cells.append(f"{_rate(found, n)} ({_rate(signal, n)})")
        print(f"{rule:32}" + "".join(f"{c:>16}" for c in cells))
    n = tally[labels[0]]["orgs"]
    print(
        f"n = {n} organisations per size; Monte Carlo s.e. of a 5 % rate: "
        f"{100 * math.sqrt(0.05 * 0.95 / n):.1f} points"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 organisations per size")
    parser.add_argument("--orgs", type=int, default=None, help="organisations per size")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    n = args.orgs or (60 if args.quick else 400)
    rules = tuple(rule.id for rule in load_rules().rules)
    started = time.perf_counter()
    null = count_findings(SIZES, n, seed=args.seed)
    print_table("Identical treatment (every finding is a false alarm)", null, rules)
    power = count_findings(
        {"25/75": (25, 75), "60/190": (60, 190), "300/900": (300, 900)},
        n,
        seed=args.seed + 1,
        effects=POWER,
    )
    print_table(
        "Real differences (promotion ×0.5, leaving ×1.6, hiring ×0.6, pay −6 %)",
        power,
        POWER_RULES,
    )
    worst = max(
        (counts.get(rule, 0) / counts["orgs"], rule, label)
        for label, counts in null.items()
        for rule in rules
    )
    print(f"\nhighest false-alarm rate: {100 * worst[0]:.1f} % ({worst[1]}, {worst[2]})")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
