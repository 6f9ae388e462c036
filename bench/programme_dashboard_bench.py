"""Programme dashboard benchmark: response time as the number of member organisations grows.

Builds, in a throwaway PostgreSQL database, 5,000 generated organisations, each with the
figures it shares from three yearly snapshots (``SharedYear``: headcount, women, inflow,
outflow, pay sums, targets; what :mod:`koers.programme.extract` copies from a snapshot), a
few chosen measures and three years of Compass profile mix (``SharedProfiles``), and four
programmes with the first 500, 1,000, 2,000 and 5,000 of them as members. For each
programme it opens the office's dashboard (``/programma/<slug>/``, through Django's test
client: access, query log, aggregates, rendering) and prints p50/p95 of the wall time, the
SQL statements per request, and p95 against the 0.5 s goal.

The peer, measured in the same run on the same rows: the dashboard's yearly figures by
loading the rows into pandas (``DataFrame`` from ``.values()``, ``groupby`` sums, maxima and
the second-largest pay sum) instead of aggregating in PostgreSQL. The ratio is the same
figures by Koers' database aggregate (``koers.programme.aggregates.group``: one grouped
aggregate and two window queries) / the pandas peer. "mix p50": the pooled profile mix alone
(:func:`koers.programme.profiles.mix`, one grouped aggregate), part of the page's time.

Fails (exit 1) when the dashboard makes more SQL statements for 5,000 members than for 500.

    .venv/bin/python bench/programme_dashboard_bench.py            # 500 … 5,000 members
    .venv/bin/python bench/programme_dashboard_bench.py --quick    # 50 … 500 members (make bench)
    .venv/bin/python bench/programme_dashboard_bench.py --database postgres://postgres@127.0.0.1/x
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

GOAL = 0.5
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/koers_bench_programme"
YEARS = (2023, 2024, 2025)
MEASURES = [f"Maatregel {i:02d}" for i in range(20)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 … 500 members")
    parser.add_argument("--database", default=DEFAULT_DB, help="a PostgreSQL URL (recreated)")
    parser.add_argument("--repeat", type=int, help="requests per size (default 10 quick, 30)")
    return parser.parse_args()


def recreate(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.KOERS_REQUIRE_2FA = False
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_orgs: int, sizes: list[int]) -> Any:
    """The organisations, one programme per size with the first ``size`` as members."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from koers.organisations.models import Organisation
    from koers.programme.models import (
        PROFILE_FIELDS,
        OfficeMember,
        Participation,
        Programme,
        SharedMeasure,
        SharedProfiles,
        SharedYear,
    )

    rng = np.random.default_rng(21)
    mix = np.array([0.16, 0.16, 0.16, 0.11, 0.19, 0.22])
    office = get_user_model().objects.create_user(username="bureau@bench.example")
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"Org {i}", slug=f"org-{i}") for i in range(n_orgs)],
            batch_size=2000,
        )
        heads = rng.integers(40, 3000, n_orgs)
        shares = rng.uniform(0.08, 0.4, n_orgs)
        chosen = [rng.choice(len(MEASURES), size=3, replace=False) for _ in range(n_orgs)]
        for size in sizes:
            programme = Programme.objects.create(name=f"Bench {size}", slug=f"bench-{size}")
            OfficeMember.objects.create(programme=programme, user=office)
            parts = Participation.objects.bulk_create(
                [
                    Participation(
                        programme=programme,
                        organisation=org,
                        status=Participation.Status.ACTIVE,
                        sector=["ict", "industry", "engineering", "energy"][i % 4],
                        share_scan=True,
                        share_targets=True,
                        share_measures=True,
                        share_compass=True,
                    )
                    for i, org in enumerate(orgs[:size])
                ],
                batch_size=2000,
            )
            rows = []
            for i, part in enumerate(parts):
                n = int(heads[i])
                first = round(n * shares[i]) / n
                for k, year in enumerate(YEARS):
                    women = round(n * (shares[i] + 0.01 * k))
                    rows.append(
                        SharedYear(
                            organisation_id=part.organisation_id,
                            participation=part,
                            year=year,
                            reference_date=dt.date(year, 6, 30),
                            size_class="large" if n >= 250 else "small",
                            headcount=n,
                            women=women,
                            hires=n // 10,
                            hires_women=n // 30,
                            leavers=n // 12,
                            leavers_women=n // 40,
                            pay_n_women=women,
                            pay_n_men=n - women,
                            pay_sum_women=29.0 * women,
                            pay_sum_men=33.0 * (n - women),
                            targets_n=4,
                            targets_met=k,
                            actions_n=3,
                            first_share=first,
                        )
                    )
            SharedYear.objects.bulk_create(rows, batch_size=5000)
            # The Compass profile mix: a quarter of the staff responds each year; a count under
            # 5 is withheld (NULL), as the member's release would.
            profile_rows = []
            for i, part in enumerate(parts):
                respondents = max(20, int(heads[i]) // 4)
                for year in YEARS:
                    counts = rng.multinomial(respondents, mix)
                    profile_rows.append(
                        SharedProfiles(
                            organisation_id=part.organisation_id,
                            participation=part,
                            year=year,
                            reference_date=dt.date(year, 5, 31),
                            size_class="large" if int(heads[i]) >= 250 else "small",
                            respondents=respondents,
                            **{
                                field: None if 0 < c < 5 else int(c)
                                for field, c in zip(PROFILE_FIELDS.values(), counts, strict=True)
                            },
                        )
                    )
            SharedProfiles.objects.bulk_create(profile_rows, batch_size=5000)
            SharedMeasure.objects.bulk_create(
                [
                    SharedMeasure(
                        organisation_id=part.organisation_id,
                        participation=part,
                        measure=MEASURES[m],
                    )
                    for i, part in enumerate(parts)
                    for m in chosen[i]
                ],
                batch_size=5000,
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return office


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def statements(fn: Callable[[], Any]) -> int:
    """SQL statements ``fn`` sends (an execute wrapper: survives the request's reconnects)."""
    from django.db import connection

    count = 0

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        fn()
    return count


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pandas_peer(programme: Any) -> Any:
    """The yearly figures by loading the rows into pandas (the peer)."""
    import pandas as pd

    from koers.programme.figures import shared_years

    frame = pd.DataFrame.from_records(
        shared_years(programme).values(
            "year",
            "headcount",
            "women",
            "hires",
            "hires_women",
            "leavers",
            "leavers_women",
            "pay_n_women",
            "pay_n_men",
            "pay_sum_women",
            "pay_sum_men",
            "targets_n",
            "targets_met",
        )
    )
    grouped = frame.groupby("year")
    sums = grouped.sum(numeric_only=True)
    largest = grouped[["headcount", "hires", "leavers", "targets_n"]].max()
    second = grouped[["pay_sum_women", "pay_sum_men"]].apply(
        lambda g: g.apply(lambda c: c.nlargest(2).iloc[-1])
    )
    return sums, largest, second


def main() -> int:
    args = parse_args()
    sizes = [50, 100, 200, 500] if args.quick else [500, 1000, 2000, 5000]
    repeat = args.repeat or (10 if args.quick else 30)
    try:
        recreate(args.database)
    except Exception as exc:  # noqa: BLE001 - say why and stop
        print(f"PostgreSQL is needed ({args.database}): {exc}")
        return 1
    setup_django(args.database)
    from django.test import Client

    from koers.programme import aggregates, figures, profiles
    from koers.programme.models import Programme

    start = time.perf_counter()
    office = generate(max(sizes), sizes)
    print(f"generated {max(sizes):,} organisations in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(office)
    print(
        f"{'members':>8} {'p50 page':>9} {'p95 page':>9} {'p95/goal':>8} {'SQL':>4} "
        f"{'p50 filt':>9} {'p95 filt':>9} {'SQL':>4} "
        f"{'aggr p50':>9} {'pandas p50':>10} {'aggr/pandas':>11} {'mix p50':>8}"
    )
    counts = {}
    for size in sizes:
        programme = Programme.objects.get(slug=f"bench-{size}")
        url = f"/programma/bench-{size}/"
        # The first view of each publishes its figures (docs/programme.md, rule 6); the
        # statements and times are those of later views, as the office mostly sees it.
        assert client.get(url).status_code == 200
        assert client.get(url + "?grootte=large").status_code == 200
        q = statements(lambda url=url: client.get(url))
        qf = statements(lambda url=url: client.get(url + "?grootte=large"))
        counts[size] = (q, qf)
        page = timed(lambda url=url: client.get(url), repeat)
        filtered = timed(lambda url=url: client.get(url + "?grootte=large"), repeat)
        aggregate = timed(lambda p=programme: aggregates.group(figures.shared_years(p)), repeat)
        peer = timed(lambda p=programme: pandas_peer(p), repeat)
        mix50 = statistics.median(timed(lambda p=programme: profiles.mix(p), repeat))
        agg50, peer50 = statistics.median(aggregate), statistics.median(peer)
        print(
            f"{size:>8,} {statistics.median(page):>8.3f}s {p95(page):>8.3f}s "
            f"{p95(page) / GOAL:>8.2f} {q:>4} {statistics.median(filtered):>8.3f}s "
            f"{p95(filtered):>8.3f}s "
            f"{qf:>4} {agg50:>8.3f}s {peer50:>9.3f}s {agg50 / peer50:>11.2f} {mix50:>7.3f}s"
        )
    first, last = counts[sizes[0]], counts[sizes[-1]]
    if last[0] > first[0] or last[1] > first[1]:
        print(f"FAIL: SQL statements grow with members: {first} -> {last}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
