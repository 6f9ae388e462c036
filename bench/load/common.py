"""Settings of the load benchmark and small helpers: formatting, ports, CPU accounting."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CEILING_DIR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "ceiling"
# The entry script, re-run as a child process (``--child``) for work inside Django.
SCRIPT = REPO / "bench" / "load_respondents.py"
VENV_BIN = Path(sys.executable).parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
KOERS_DB = "koers_load"
CEILING_DB = "koers_load_ceiling"
GOAL_FRACTION = 0.25
RAISED_PER_IP = 10_000_000
P95_LIMIT = 0.100
HTTP_TIMEOUT = 15.0


# --- small helpers -------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return "—" if seconds != seconds else f"{seconds * 1000:.1f} ms"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def redis_reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1):
            return True
    except OSError:
        return False


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as fh:
        parts = [float(x) for x in fh.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0.0)
    return sum(parts) - idle, sum(parts)


def machine_load(before: tuple[float, float]) -> float:
    busy, total = cpu_busy()
    return (busy - before[0]) / max(1e-9, total - before[1])


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(x) for x in text.split()]
    except OSError:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry.name))
        return found


CLK_TCK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    """CPU seconds of a process and of its children it has reaped (utime+stime+cutime+cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


def tree_seconds(pid: int | None) -> float:
    """CPU seconds of a process tree: the live processes and every child they reaped."""
    if pid is None:
        return 0.0
    try:
        own = process_seconds(pid)
    except (OSError, ValueError, IndexError):
        return 0.0
    return own + sum(tree_seconds(child) for child in children_of(pid))


def postmaster_pid() -> int | None:
    """The PostgreSQL server's main process (its backends are its children)."""
    comms: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                name = stat.split("(", 1)[1].rsplit(")", 1)[0]
                comms[int(entry.name)] = (name, int(stat.rsplit(")", 1)[1].split()[1]))
    for pid, (name, ppid) in comms.items():
        if name.startswith("postgres") and not comms.get(ppid, ("", 0))[0].startswith("postgres"):
            return pid
    return None


def reaped_children_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """Which processes used the machine during a phase (percent of one core; 2 cores = 200%)."""

    def __init__(self, parts: dict[str, Callable[[], float]]) -> None:
        self.parts = parts
        self.used: dict[str, float] = {}
        self.busy = self.wall = 0.0

    def _snap(self) -> tuple[dict[str, float], float, float]:
        return (
            {name: measure() for name, measure in self.parts.items()},
            cpu_busy()[0] / CLK_TCK,
            time.monotonic(),
        )

    def __enter__(self) -> CpuMeter:
        self.start = self._snap()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._snap()
        self.wall = max(1e-9, end[2] - self.start[2])
        self.used = {name: end[0][name] - self.start[0][name] for name in self.parts}
        self.busy = end[1] - self.start[1]

    def text(self) -> str:
        others = max(0.0, self.busy - sum(self.used.values()))
        shares = [f"{name} {value / self.wall:.0%}" for name, value in self.used.items()]
        return (
            f"CPU of {os.cpu_count()} cores: "
            + ", ".join(shares)
            + f", other processes {others / self.wall:.0%}"
        )
