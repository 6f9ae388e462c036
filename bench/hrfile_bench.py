"""HR-file benchmark: the whole user path, file in -> indicators out, against pandas + statsmodels.

Writes a seeded Dutch Excel export (``bench/hr_export.py``: Windows-1252, ``;``,
a title line, decimal commas, ``€`` amounts, ``d-m-yyyy`` dates, gender codes in
several spellings; 1,000,000 rows, or 50,000 with ``--quick``) and runs, each
as a whole process, in paired runs (median of ``--runs``, default 3):

* Koers: ``koers paygap FILE --on 2026-06-30 --json`` (read, check every field it
  uses, compute the Art. 9 indicators, Art. 10 flags and the adjusted gap);
* the peer: ``bench/peer_paygap_pandas.py`` (``pandas.read_csv`` with the Dutch
  options, ``groupby``, a statsmodels formula OLS).

It prints wall time, CPU time (user + system) and peak memory (max RSS) of each
process (``os.wait4`` in a small launcher: the child's own ``getrusage``), the ratios, and the
largest relative difference over every number both print: a difference above
1e-9 fails the benchmark. At full size the goals are checked as well: Koers at
most half the peer's wall time, peak memory no higher. Last, it times the web
import of the same file through the Gender Scan's jobs (read + check + import,
run eagerly in this process on a scratch SQLite database).

    .venv/bin/python bench/hrfile_bench.py            # 1,000,000 rows
    .venv/bin/python bench/hrfile_bench.py --quick    # 50,000 rows
    .venv/bin/python bench/hrfile_bench.py --rows 300000 --runs 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hr_export import ON, generate
from scan_bench import max_relative_difference

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
KOERS = str(Path(PYTHON).with_name("koers"))


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    output: dict[str, Any]


# Runs the command and reports its own rusage. Linux counts a process's peak RSS from
# before its exec too (the forking parent's high-water mark), so the command is started
# from this small launcher, not from the benchmark process that holds the generated data.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
report = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss,
          "code": os.waitstatus_to_exitcode(status)}
with open(sys.argv[1], "w") as out:
    json.dump(report, out)
"""


def run_process(argv: list[str], workdir: Path) -> Run:
    """Run ``argv`` as a whole process; its wall time, CPU time, peak RSS and JSON output."""
    out_path, err_path, usage_path = (workdir / n for n in ("out.json", "err.txt", "usage"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: compiled modules reused
    with out_path.open("wb") as out, err_path.open("wb") as err:
        subprocess.run(
            [PYTHON, "-c", LAUNCHER, str(usage_path), *argv],
            stdout=out,
            stderr=err,
            env=env,
            check=True,
        )
    usage = json.loads(usage_path.read_text())
    if usage["code"] != 0:
        message = err_path.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(argv[:2])} failed ({usage['code']}):\n{message}")
    output = json.loads(out_path.read_text(encoding="utf-8"))
    return Run(usage["wall"], usage["cpu"], usage["peak_kb"] / 1024, output)


def web_import(data: bytes, workdir: Path) -> tuple[float, float, int]:
    """Seconds to read, and to check + import, ``data`` through the scan jobs (eager)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'web.sqlite3'}"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from koers.organisations.models import Organisation
    from koers.scan.models import Upload
    from koers.scan.services import create_upload, save_mapping, start_check

    org = Organisation.objects.create(name="Bench Techniek", slug="bench")
    start = time.perf_counter()
    upload = create_upload(org, None, data, "export.csv", ON)  # job scan.read runs on commit
    upload.refresh_from_db()
    read = time.perf_counter() - start
    if upload.status != Upload.Status.MAPPING:
        raise SystemExit(f"the web import could not read the file: {upload.problems[:3]}")
    save_mapping(upload, dict(upload.mapping), None)
    start = time.perf_counter()
    start_check(upload, None)  # job scan.import runs on commit
    upload.refresh_from_db()
    checked = time.perf_counter() - start
    if upload.status != Upload.Status.IMPORTED:
        raise SystemExit(f"the web import did not import: {upload.status} {upload.problems[:3]}")
    return read, checked, upload.n_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 rows")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-web", action="store_true", help="skip the web import timing")
    args = parser.parse_args()
    n = args.rows or (50_000 if args.quick else 1_000_000)
    full = n >= 1_000_000

    with tempfile.TemporaryDirectory(prefix="koers-hrfile-bench-") as tmp:
        workdir = Path(tmp)
        data = generate(n)
        path = workdir / "hr_export.csv"
        path.write_bytes(data)
        print(f"HR file: {n:,} rows, {len(data) / 1e6:.1f} MB (Windows-1252, ';', title line)")
        ours_argv = [KOERS, "paygap", str(path), "--on", ON.isoformat(), "--json"]
        peer_argv = [
            PYTHON,
            str(BENCH / "peer_paygap_pandas.py"),
            str(path),
            "--on",
            ON.isoformat(),
        ]
        run_process(ours_argv, workdir)  # warm-up: compiles modules, fills the page cache
        run_process(peer_argv, workdir)
        ours: list[Run] = []
        peer: list[Run] = []
        for i in range(args.runs):  # paired, alternating who goes first
            pair = [(ours_argv, ours), (peer_argv, peer)]
            for argv, runs in pair if i % 2 == 0 else reversed(pair):
                runs.append(run_process(argv, workdir))

        def med(runs: list[Run], what: str) -> float:
            return statistics.median(getattr(r, what) for r in runs)

        print(f"median of {args.runs} paired runs        wall s     CPU s   peak MB")
        for name, runs in (("koers paygap --json", ours), ("pandas + statsmodels", peer)):
            print(
                f"{name:<32}{med(runs, 'wall'):>9.2f}{med(runs, 'cpu'):>10.2f}"
                f"{med(runs, 'peak_mb'):>10.0f}"
            )
        ratios = {w: med(ours, w) / med(peer, w) for w in ("wall", "cpu", "peak_mb")}
        print(
            f"{'ratio koers / peer':<32}{ratios['wall']:>9.2f}{ratios['cpu']:>10.2f}"
            f"{ratios['peak_mb']:>10.2f}"
        )
        ours_out = dict(ours[0].output)
        ours_out.pop("oaxaca", None)  # Koers reports more than the peer computes
        worst, where, count = max_relative_difference(ours_out, peer[0].output)
        print(f"largest relative difference over {count} figures: {worst:.1e} ({where})")
        failed = []
        if worst > 1e-9:
            failed.append(f"the figures differ: {where} ({worst:.1e})")
        if full and ratios["wall"] > 0.5:
            failed.append(f"wall ratio {ratios['wall']:.2f} > 0.5")
        if full and ratios["peak_mb"] > 1.0:
            failed.append(f"peak memory ratio {ratios['peak_mb']:.2f} > 1.0")
        if not full:
            print("(the goals, wall <= 0.5 and memory <= 1.0, are checked at 1,000,000 rows)")

        if not args.no_web:
            read, checked, rows = web_import(data, workdir)
            print(
                f"web import through the jobs: read + preview {read:.2f} s, "
                f"check + import {checked:.2f} s ({rows:,} rows; the upload form takes up "
                "to 25 MB)"
            )
    print(f"done {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores")
    if failed:
        raise SystemExit("FAILED: " + "; ".join(failed))


if __name__ == "__main__":
    main()
