"""PostgreSQL databases, child processes and the gunicorn servers under test."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from .common import PG_HOST, PG_PORT, PG_USER, VENV_BIN

# --- PostgreSQL ----------------------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(sql)


def pg_execute(dbname: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True
    ) as conn:
        cur = conn.execute(sql)
        return list(cur.fetchall()) if cur.description else []


def drop_database(name: str) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- processes -----------------------------------------------------------------------------


class Processes:
    """Started processes, each in its own session; all stopped at the end."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], log: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            proc = subprocess.Popen(
                args, start_new_session=True, stdout=out, stderr=subprocess.STDOUT, **kwargs
            )
        self.running.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in list(reversed(self.running)):
            with contextlib.suppress(Exception):
                self.stop(proc)


def wait_http(port: int, path: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return  # any HTTP answer: the server is up
        except (OSError, http.client.HTTPException) as exc:
            last = exc
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path} ({last})")


def gunicorn_args(app: str, port: int, workers: int, log: Path) -> list[str]:
    return [
        str(VENV_BIN / "gunicorn"),
        app,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
        "--timeout",
        "30",
        "--graceful-timeout",
        "3",
    ]
