"""Load and fault benchmark: simulated respondents against Koers under gunicorn + PostgreSQL.

Not a test: run it, read the figures (issue 7, "Load and faults"). In one run it

1. creates a fresh PostgreSQL database (``koers_load``), migrates it, collects
   the static files and starts Koers under gunicorn (4 sync workers) on
   127.0.0.1 with production settings: DEBUG off, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1, KOERS_HTTPS=false (plain HTTP, so no redirect) and
   the documented default DB_CONN_MAX_AGE (600) unless ``--conn-max-age``;
2. opens a Career Compass campaign and drives simulated respondents, bounded
   in count and time, from threads on the same machine (standard library
   http.client; no requests/httpx in the venv). Each one starts on the open
   link (GET for the CSRF cookie, POST; the reply sets the cookie that holds
   the link secret), follows its /invullen/<slot>/ link, opens section pages,
   autosaves every answer as survey.js does (POST /invullen/<slot>/opslaan
   with the cookie, JSON {item, value, version}, X-CSRFToken; 409 =
   conflict with the current value/version in the body), changes some
   answers, sends some deliberately stale saves (must get 409), reloads the
   page (must show what was acknowledged) and submits the section form twice
   (a double submit must not conflict). A failed request is retried like
   survey.js does. Half-way one gunicorn *worker* is killed with SIGKILL;
3. checks in the database that every answer the client got an OK for (200
   saved/unchanged, or a 302 after a form submit) is there exactly once, with
   the acknowledged value ("lost answers", must be 0);
4. measures peak autosave throughput of Koers and of the ceiling app in
   ../shared/bench/ceiling (a bare Django view doing one raw upsert; gunicorn
   -w 4, its own database) with the *same* generator, wrk -t2 -c32 (installed
   with apt-get when missing and possible; otherwise the Python generator
   drives both), in two interleaved rounds against machine noise, with the CPU
   split per run (server, PostgreSQL, wrk, other processes), and prints Koers
   as a fraction of the ceiling (goal 0.25). A full run also measures a second
   Koers with DB_CONN_MAX_AGE=600 (persistent connections, as the ceiling has);
5. ramps target autosave rates (open loop: latency counted from the scheduled
   send time) to find the highest rate at which p95 stays under 100 ms;
6. when Koers is below the goal, profiles the autosave path in one process
   (cProfile, WSGI handler, same settings and database) and prints where the
   time goes and how many queries one autosave makes.

All processes and both databases are removed at the end, also on Ctrl-C or an
error. Traffic comes from one address (127.0.0.1), so the run raises Koers's
per-address ceiling (KOERS_PUBLIC_REQUESTS_PER_MINUTE) and says so; it keeps
the per-response save limit (respondents take --think seconds per answer, the
throughput runs spread saves over enough responses) and counts every 429.
Rate-limit counters live in Redis (CACHE_URL, as in production) when it runs.

    .venv/bin/python bench/load_respondents.py                 # ~2.5-3 minutes
    .venv/bin/python bench/load_respondents.py --quick         # ~1 minute
    .venv/bin/python bench/load_respondents.py --respondents 400 --duration 30
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Any

# bench/ is not a package: make its load/ package importable however this script is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.child import child_main  # noqa: E402
from load.common import CEILING_DIR, VENV_BIN, say  # noqa: E402
from load.run import Bench  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200, help="at most this many")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of phase 1")
    parser.add_argument("--concurrency", type=int, default=200, help="respondents at a time")
    parser.add_argument(
        "--think", type=float, default=0.6, help="seconds a respondent takes per answer"
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/13",
        help="CACHE_URL for Koers (rate-limit counters), as in production; '' for per process",
    )
    parser.add_argument("--sections", type=int, default=3, help="sections per respondent")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (both apps)")
    parser.add_argument("--peak-seconds", type=int, default=6, help="per wrk run")
    parser.add_argument("--step-seconds", type=float, default=3.0, help="per ramp step")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DB_CONN_MAX_AGE for Koers (default: Koers's own default, 600)",
    )
    parser.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE", help="extra Koers setting"
    )
    parser.add_argument("--quick", action="store_true", help="a ~1 minute run")
    parser.add_argument("--no-wrk", action="store_true", help="Python generator for the peak")
    parser.add_argument("--profile", action="store_true", help="profile even above the goal")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--no-variant", action="store_true", help="skip the DB_CONN_MAX_AGE=600 comparison"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.respondents = min(args.respondents, 60)
        args.duration = min(args.duration, 8.0)
        args.concurrency = min(args.concurrency, 60)
        args.sections = min(args.sections, 2)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child_main(*args.child)
        return 0
    if not CEILING_DIR.joinpath("app.py").is_file():
        say(f"the ceiling app is missing: {CEILING_DIR / 'app.py'}")
        return 2
    if not (VENV_BIN / "gunicorn").exists():
        say(f"run this with the project's venv python: {VENV_BIN / 'gunicorn'} is missing")
        return 2

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    bench = Bench(args)
    started = time.monotonic()
    try:
        return bench.run()
    except KeyboardInterrupt:
        say("\ninterrupted: cleaning up")
        return 130
    finally:
        bench.cleanup()
        say(f"\n(total {time.monotonic() - started:.0f} s; processes stopped, databases dropped)")


if __name__ == "__main__":
    sys.exit(main())
