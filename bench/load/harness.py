"""The benchmark's harness: the Koers environment, databases, servers and child runs."""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .client import Ledger, Stats
from .common import (
    CEILING_DB,
    CEILING_DIR,
    KOERS_DB,
    PG_HOST,
    PG_PORT,
    PG_USER,
    SCRIPT,
    VENV_BIN,
    free_port,
    redis_reachable,
    say,
)
from .respondents import Phase1Config, Respondent
from .servers import Processes, drop_database, gunicorn_args, pg_admin, pg_execute, wait_http
from .throughput import (
    KOERS_WRK,
    WRK_DONE,
    Pair,
    PairPool,
    WrkResult,
    autosave_request,
    closed_loop,
    run_wrk,
)

# --- the run -------------------------------------------------------------------------------


class Harness:
    """Starts, feeds and stops what a run measures; :class:`Bench` runs the phases."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.procs = Processes()
        self.tmp = Path(tempfile.mkdtemp(prefix="koers-load-"))
        self.databases: list[str] = []
        self.secret_key = secrets.token_urlsafe(50)
        self.koers_port = free_port()
        self.ceiling_port = free_port()
        self.koers_env = self._koers_env()
        self.wrk_secrets: list[str] = []
        self.wrk_ok = 0

    def _koers_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "KOERS_", "DATABASE_", "CELERY_", "DB_"))
            and k not in ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="koers.settings",
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1",
            KOERS_HTTPS="false",
            DATABASE_URL=f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{KOERS_DB}",
            KOERS_DATA_DIR=str(self.tmp / "data"),
            LOG_LEVEL="WARNING",
            PYTHONDONTWRITEBYTECODE="1",
        )
        if self.args.conn_max_age is not None:
            env["DB_CONN_MAX_AGE"] = str(self.args.conn_max_age)
        if self.args.cache_url and redis_reachable(self.args.cache_url):
            env["CACHE_URL"] = self.args.cache_url
        for extra in self.args.env:
            key, _, value = extra.partition("=")
            env[key] = value
        return env

    def child(self, name: str, argument: str = "", timeout: float = 300) -> Any:
        out = subprocess.run(
            [sys.executable, str(SCRIPT), "--child", name, argument],
            env=self.koers_env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("CHILDJSON ")), None)
        if out.returncode != 0 or line is None:
            raise RuntimeError(f"child {name} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        return json.loads(line.removeprefix("CHILDJSON "))

    def koers_manage(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(VENV_BIN / "koers"), "manage", *args],
            env=self.koers_env,
            cwd=self.tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def create_database(self, name: str) -> None:
        drop_database(name)  # a leftover of an interrupted run
        pg_admin(f'CREATE DATABASE "{name}"')
        self.databases.append(name)

    def cleanup(self) -> None:
        self.procs.stop_all()
        for name in self.databases:
            try:
                drop_database(name)
            except Exception as exc:  # report, keep cleaning
                say(f"  (could not drop database {name}: {exc})")
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- stages --

    def prepare(self) -> dict[str, Any]:
        (self.tmp / "data").mkdir()
        self.create_database(KOERS_DB)
        started = time.monotonic()
        migrate = self.koers_manage("migrate", "--noinput", "-v0")
        static = self.koers_manage("collectstatic", "--noinput", "-v0")
        for proc, what in ((migrate, "migrate"), (static, "collectstatic")):
            output = proc.communicate(timeout=300)[0]
            if proc.returncode != 0:
                raise RuntimeError(f"koers manage {what} failed:\n{output.decode()[-3000:]}")
        info: dict[str, Any] = self.child("setup")
        info["prepare_seconds"] = time.monotonic() - started
        return info

    def start_koers(
        self, port: int | None = None, extra: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        port = port or self.koers_port
        log = self.tmp / f"koers-gunicorn-{port}.log"
        proc = self.procs.start(
            gunicorn_args("koers.wsgi:application", port, self.args.workers, log),
            log=log,
            env={**self.koers_env, **(extra or {})},
            cwd=self.tmp,
        )
        wait_http(port, "/healthz")
        return proc

    def start_ceiling(self) -> subprocess.Popen[bytes]:
        self.create_database(CEILING_DB)
        pg_execute(
            CEILING_DB,
            "create table answer(response_id bigint, item_id int, value smallint, "
            "updated_at timestamptz default now(), primary key(response_id, item_id))",
        )
        env = {k: v for k, v in self.koers_env.items() if not k.startswith("DJANGO_")}
        env["CEILING_DB"] = CEILING_DB
        args = gunicorn_args(
            "app:application", self.ceiling_port, self.args.workers, self.tmp / "ceiling.log"
        )
        proc = self.procs.start(
            [*args, "--chdir", str(CEILING_DIR)],
            log=self.tmp / "ceiling.log",
            env=env,
            cwd=self.tmp,
        )
        wait_http(self.ceiling_port, "/r/1/answer")
        return proc

    def new_responses(self, token: str, n: int) -> tuple[list[str], str]:
        """Start ``n`` responses on the open link; return (secret, slot) each and a CSRF token."""
        csrf = ""
        found: list[tuple[str, str]] = []

        def one(_: int) -> tuple[str, str] | None:
            r = Respondent(
                Phase1Config(self.koers_port, token, 1, 1, 60, 0, 0, 0),
                Stats(),
                Ledger(),
                random.Random(),
                time.monotonic() + 60,
            )
            path = r.start()
            nonlocal csrf
            csrf = csrf or r.cookies.get("csrftoken", "")
            return (r.secret, r.slot) if path else None

        with ThreadPoolExecutor(max_workers=8) as pool:
            found = [s for s in pool.map(one, range(n)) if s]
        return found, csrf

    def koers_wrk(
        self, wrk: str | None, token: str, scale: list[Any], seconds: int, port: int, pid: int
    ) -> WrkResult:
        """Peak autosave rate of the Koers on ``port``, on fresh responses."""
        # Enough responses that none gets near the per-response save limit in a minute.
        found, csrf = self.new_responses(token, 30 if self.args.quick else 60)
        # Interleaved: consecutive requests go to different responses.
        pairs = [[s, item, low, high, slot] for item, low, high in scale for s, slot in found]
        if wrk is None:
            pool = PairPool([Pair(*p) for p in pairs])
            return closed_loop(autosave_request(port, csrf, pool, Ledger()), seconds)
        script = self.tmp / f"koers-{len(self.wrk_secrets)}.lua"
        data = ",\n".join("{" + ", ".join(json.dumps(x) for x in pair) + "}" for pair in pairs)
        script.write_text(
            f"CSRF = {json.dumps(csrf)}\nNTHREADS = 2\nDATA = {{\n{data}\n}}\n"
            + KOERS_WRK
            + WRK_DONE,
            encoding="utf-8",
        )
        result = run_wrk(wrk, script, port, seconds, server_pid=pid)
        self.wrk_secrets += [s for s, _slot in found]
        self.wrk_ok += result.requests - result.non_2xx
        return result
