"""Research export benchmark: the campaign export at a size, before and after, in one run.

Builds, in a throwaway SQLite database, one organisation with one Career Compass campaign of
generated finished responses (the generator of ``bench/pages_bench.py``:
``koers.compass.generate.generate_respondents``), then times, alternately and with the same
row order, the frozen synchronous export (``tests/surveys/export_reference.py``) and
today's :func:`koers.surveys.export.build_export`, each followed by writing the CSV, and
checks that the two CSV files are byte for byte the same. Prints the median and the
slowest of ``--repeat`` runs of each and the ratio; ``--profile`` prints where today's
export spends its time (cProfile, cumulative, top 25).

    .venv/bin/python bench/export_bench.py                      # 5,000 responses
    .venv/bin/python bench/export_bench.py --responses 500 --repeat 3 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.surveys.export_reference: the frozen export
sys.path.insert(0, str(REPO / "bench"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile today's export")
    return parser.parse_args()


def build_campaign(n: int) -> Any:
    import datetime as dt

    from pages_bench import _respondents

    from koers.instruments import get_instrument
    from koers.organisations.models import Organisation
    from koers.surveys.models import Campaign

    org = Organisation.objects.create(slug="bench-export", name="Bench export")
    compass = get_instrument("career_compass")
    campaign = Campaign.objects.create(
        organisation=org,
        name="Kompas",
        instrument_key=compass.key,
        instrument_version=compass.version,
        mode=Campaign.Mode.INVITATIONS,
        departments=["R&D", "Productie", "Staf", "Verkoop"],
        opens_on=dt.date(2026, 3, 1),
    )
    _respondents(campaign, n, seed=23)
    return campaign


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="koers-export-bench-") as db_dir:
        from pages_bench import setup_django

        setup_django(db_dir)
        from tests.surveys import export_reference

        from koers.surveys import export

        start = time.perf_counter()
        campaign = build_campaign(args.responses)
        took = time.perf_counter() - start
        print(f"built a campaign of {args.responses:,} responses in {took:.0f} s")

        def before(seed: int) -> bytes:
            built = export_reference.build_export(campaign, shuffle=random.Random(seed).shuffle)
            return bytes(export.to_csv(built))

        def after(seed: int) -> bytes:
            with mock.patch.object(export, "_shuffle", random.Random(seed).shuffle):
                return bytes(export.to_csv(export.build_export(campaign)))

        times: dict[str, list[float]] = {"before": [], "after": []}
        for run in range(args.repeat + 1):  # the first pair warms caches: not counted
            files = {}
            for label, build in (("before", before), ("after", after)):
                began = time.perf_counter()
                files[label] = build(run)
                if run:
                    times[label].append(time.perf_counter() - began)
            if files["before"] != files["after"]:
                print("FAIL: today's export differs from the synchronous one for the same order")
                return 1
        for label, measured in times.items():
            print(
                f"  {label:7} build_export + CSV: median {statistics.median(measured) * 1000:8.0f}"
                f" ms, slowest {max(measured) * 1000:8.0f} ms ({args.repeat} runs)"
            )
        ratio = statistics.median(times["after"]) / statistics.median(times["before"])
        print(f"  after / before (medians): {ratio:.2f}; the CSV files are byte for byte equal")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            after(0)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    sys.exit(main())
