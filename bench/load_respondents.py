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
   link (GET for the CSRF cookie, POST), follows its /r/<secret>/ link, opens
   section pages, autosaves every answer as survey.js does (POST
   /r/<secret>/opslaan, JSON {item, value, version}, X-CSRFToken; 409 =
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
import contextlib
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
CEILING_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ceiling"
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


# --- HTTP client ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return (self.headers.get("Location") or "").split("#", 1)[0]


def http_request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request on a fresh connection (gunicorn's sync workers close it after each)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, resp.headers, data, time.perf_counter() - started)
    finally:
        conn.close()


TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class Stats:
    """Latencies and statuses per request kind (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.status: Counter[tuple[str, int]] = Counter()
        self.transport: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        self.error_times: list[float] = []

    def record(self, kind: str, reply: Reply) -> None:
        with self.lock:
            self.latency.setdefault(kind, []).append(reply.seconds)
            self.status[(kind, reply.status)] += 1

    def failed(self, kind: str) -> None:
        with self.lock:
            self.transport[kind] += 1
            self.error_times.append(time.monotonic())

    def event(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.events[name] += n

    @property
    def requests(self) -> int:
        return sum(self.status.values()) + sum(self.transport.values())

    def all_latencies(self) -> list[float]:
        return [x for values in self.latency.values() for x in values]

    def count(self, status: int) -> int:
        return sum(n for (_, code), n in self.status.items() if code == status)


class Ledger:
    """What the server acknowledged, per (secret, item): the value the database must hold."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acked: dict[tuple[str, str], Any] = {}
        # Values sent afterwards without an answer (a killed worker, a timeout): stored or not.
        self.unsure: dict[tuple[str, str], list[Any]] = {}
        self.n_acks = 0

    def ack(self, secret: str, item: str, value: Any) -> None:
        with self.lock:
            self.acked[(secret, item)] = value
            self.unsure.pop((secret, item), None)
            self.n_acks += 1

    def maybe(self, secret: str, item: str, value: Any) -> None:
        with self.lock:
            self.unsure.setdefault((secret, item), []).append(value)

    def expectations(self) -> list[list[Any]]:
        with self.lock:
            return [
                [secret, item, value, self.unsure.get((secret, item), [])]
                for (secret, item), value in self.acked.items()
            ]


# --- page parsing --------------------------------------------------------------------------


@dataclass
class PageItem:
    id: str
    version: int
    kind: str = "text"  # radio / number / text
    options: list[str] = field(default_factory=list)
    checked: str | None = None
    low: int = 0
    high: int = 0
    value: str = ""


class SectionPage(HTMLParser):
    """The parts of a section page survey.js uses: items, versions, CSRF token, save URL."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: dict[str, PageItem] = {}
        self.csrf = ""
        self.save_url = ""
        self.navs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-save-url" in a:
            self.save_url = a["data-save-url"]
        elif tag == "button" and a.get("name") == "nav":
            self.navs.append(a.get("value", ""))
        elif tag == "input":
            name = a.get("name", "")
            if name == "csrfmiddlewaretoken":
                self.csrf = a.get("value", "")
            elif "data-version-for" in a:
                item_id = a["data-version-for"]
                self.items[item_id] = PageItem(item_id, int(a.get("value") or 0))
            elif name in self.items:
                item = self.items[name]
                if a.get("type") == "radio":
                    item.kind = "radio"
                    item.options.append(a.get("value", ""))
                    if "checked" in a:
                        item.checked = a.get("value", "")
                elif a.get("type") == "number":
                    item.kind = "number"
                    item.low, item.high = int(a.get("min") or 0), int(a.get("max") or 100)
                    item.value = a.get("value", "")
                else:
                    item.kind = "text"
                    item.value = a.get("value", "")

    def shown_value(self, item: str) -> str:
        entry = self.items[item]
        return (entry.checked or "") if entry.kind == "radio" else entry.value


def pick(item: PageItem, rng: random.Random, other_than: Any = None) -> Any:
    """An answer for ``item`` as survey.js would send it (strings, like form values)."""
    for _ in range(20):
        if item.kind == "radio":
            value: Any = rng.choice(item.options)
        elif item.kind == "number":
            value = str(rng.randint(item.low, item.high))
        else:
            value = rng.choice(["Ontwikkelaar", "Data engineer", "Projectleider", "Onderzoeker"])
        if other_than is None or str(value) != str(other_than):
            return value
    return value


# --- simulated respondents -----------------------------------------------------------------


@dataclass
class Phase1Config:
    port: int
    token: str
    respondents: int
    concurrency: int
    duration: float
    sections: int
    kill_at: float
    seed: int
    think: float = 0.0  # seconds a respondent takes per answer (keeps under the per-response limit)


class Respondent:
    """One person answering: autosaves, changes, a stale save, reload, double submit."""

    def __init__(
        self, cfg: Phase1Config, stats: Stats, ledger: Ledger, rng: random.Random, stop: float
    ) -> None:
        self.cfg, self.stats, self.ledger, self.rng, self.stop = cfg, stats, ledger, rng, stop
        self.cookies: dict[str, str] = {}
        self.secret = ""
        self.versions: dict[str, int] = {}
        self.values: dict[str, Any] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _send(
        self, kind: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Reply:
        reply = http_request(self.cfg.port, method, path, body, self._headers(headers))
        self.stats.record(kind, reply)
        for raw in reply.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        if reply.status == 429:
            self.stats.event("throttled (429)")
        return reply

    def _retrying(
        self, kind: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Reply | None:
        """GETs and other idempotent steps: retry transport errors and 5xx a few times."""
        for attempt in range(6):
            try:
                reply = self._send(kind, method, path, body, **headers)
            except TRANSPORT_ERRORS:
                self.stats.failed(kind)
                time.sleep(0.2 * (attempt + 1))
                continue
            if reply.status >= 500 or reply.status == 429:
                time.sleep(0.2 * (attempt + 1))
                continue
            return reply
        self.stats.event("gave up after retries")
        return None

    def start(self) -> str | None:
        landing = f"/s/{self.cfg.token}/"
        page = self._retrying("landing GET", "GET", landing)
        if page is None or page.status != 200:
            return None
        token = SectionPage(page.body.decode()).csrf
        form = urlencode({"csrfmiddlewaretoken": token}).encode()
        started = self._retrying(
            "landing POST (start)",
            "POST",
            landing,
            form,
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )
        if started is None or started.status != 200:
            self.stats.event(f"start failed ({started.status if started else 'no reply'})")
            return None
        found = re.search(rb'href="(/r/[^"/]+/)"', started.body)
        if not found:
            self.stats.event("no personal link on the start page")
            return None
        link = found.group(1).decode()
        self.secret = link.split("/")[2]
        first = self._retrying("respond (redirect)", "GET", link)
        if first is None or first.status != 302:
            return None
        return first.location

    def save(self, item: str, value: Any, version: int, *, expect_conflict: bool = False) -> Any:
        """Autosave one answer like survey.js; returns the reply body (or None)."""
        if self.cfg.think:
            time.sleep(self.cfg.think * (0.8 + 0.4 * self.rng.random()))
        body = json.dumps({"item": item, "value": value, "version": version}).encode()
        path = f"/r/{self.secret}/opslaan"
        csrf = self.cookies.get("csrftoken", "")
        for attempt in range(8):
            try:
                reply = self._send(
                    "autosave",
                    "POST",
                    path,
                    body,
                    **{"Content-Type": "application/json", "X-CSRFToken": csrf},
                )
            except TRANSPORT_ERRORS:
                self.stats.failed("autosave")
                if not expect_conflict:
                    self.ledger.maybe(self.secret, item, _normal(value))
                self.stats.event("autosave retried after a transport error")
                time.sleep(0.1 * (attempt + 1))
                continue
            if reply.status == 200:
                data = reply.json()
                if expect_conflict:
                    self.stats.event("stale save ACCEPTED (must be 409)")
                self.ledger.ack(self.secret, item, data["value"])
                self.versions[item] = int(data["version"])
                self.values[item] = data["value"]
                if attempt:
                    self.stats.event(f"retried autosave then {data['status']}")
                return data
            if reply.status == 409:
                data = reply.json()
                if expect_conflict:
                    if data.get("value") == self.values.get(item):
                        self.stats.event("stale save refused with the current value (409)")
                    else:
                        self.stats.event("stale save: 409 with a WRONG current value")
                else:
                    self.stats.event("unexpected 409 on an own save")
                self.versions[item] = int(data["version"])
                self.values[item] = data.get("value")
                return data
            if reply.status == 429:  # survey.js shows an error; a patient client tries again
                time.sleep(1.0 * (attempt + 1))
                continue
            if reply.status >= 500:
                self.ledger.maybe(self.secret, item, _normal(value))
                time.sleep(0.1 * (attempt + 1))
                continue
            self.stats.event(f"autosave refused ({reply.status})")
            return None
        self.stats.event("autosave gave up")
        return None

    def answer_section(self, path: str) -> str | None:
        reply = self._retrying("section GET", "GET", path)
        if reply is None or reply.status != 200:
            return None
        page = SectionPage(reply.body.decode())
        done: set[str] = set()
        for _round in range(4):  # answers can reveal more questions: the page reloads
            reload = False
            for item in list(page.items.values()):
                if item.id in done:
                    continue
                done.add(item.id)
                self.versions[item.id] = item.version
                data = self.save(item.id, pick(item, self.rng), item.version)
                if data and data.get("reload"):
                    reload = True
                if data and self.rng.random() < 0.25:  # changes their mind
                    self.save(item.id, pick(item, self.rng, data["value"]), self.versions[item.id])
                if data and self.versions.get(item.id, 0) > 0 and self.rng.random() < 0.08:
                    # A second tab's old save: based on an older version, another value.
                    self.save(
                        item.id,
                        pick(item, self.rng, self.values.get(item.id)),
                        self.versions[item.id] - 1,
                        expect_conflict=True,
                    )
                    self.stats.event("stale saves sent")
                if time.monotonic() > self.stop:
                    return None
            if not reload:
                break
            again = self._retrying("section GET", "GET", path)
            if again is None or again.status != 200:
                return None
            page = SectionPage(again.body.decode())
        # Reload: the page must show what was acknowledged, with the acknowledged versions.
        again = self._retrying("section GET (reload)", "GET", path)
        if again is None or again.status != 200:
            return None
        page = SectionPage(again.body.decode())
        for item in page.items.values():
            if item.id in self.values:
                if item.version != self.versions.get(item.id):
                    self.stats.event("reload showed another VERSION than acknowledged")
                if page.shown_value(item.id) != _form_text(self.values[item.id]):
                    self.stats.event("reload showed another VALUE than acknowledged")
        return self.double_submit(path, page)

    def double_submit(self, path: str, page: SectionPage) -> str | None:
        """Submit the section form twice (one answer changed only in the form)."""
        fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", page.csrf)]
        answered = [i for i in page.items.values() if i.id in self.values]
        changed = self.rng.choice(answered) if answered else None
        new_value = None
        for item in page.items.values():
            if item.id not in self.values:
                continue
            value = _form_text(self.values[item.id])
            if item is changed:
                new_value = str(pick(item, self.rng, value))
                value = new_value
            fields += [(item.id, value), (f"v_{item.id}", str(item.version))]
        fields.append(("nav", "review" if "review" in page.navs else "next"))
        form = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        replies = []
        for n in (1, 2):
            try:
                reply = self._send(f"section POST (submit {n})", "POST", path, form, **headers)
            except TRANSPORT_ERRORS:
                self.stats.failed(f"section POST (submit {n})")
                if changed is not None:
                    self.ledger.maybe(self.secret, changed.id, _typed(changed, new_value))
                continue
            replies.append(reply)
            if reply.status == 302 and changed is not None:  # no conflict: the form is saved
                self.ledger.ack(self.secret, changed.id, _typed(changed, new_value))
                self.values[changed.id] = _typed(changed, new_value)
            elif reply.status == 409:
                self.stats.event("double submit: CONFLICT page (409)")
            elif reply.status != 302:
                self.stats.event(f"form submit answered {reply.status}")
        self.stats.event("double submits")
        locations = [r.location for r in replies if r.status == 302]
        if not locations:
            return None
        if len(set(locations)) > 1:
            if locations[0] == path:  # the changed answer showed new questions on this page
                self.stats.event("double submit: 1st stayed (new questions shown), 2nd moved on")
            else:
                self.stats.event("double submit: the two submits went to DIFFERENT pages")
        target = locations[-1]
        return target if "/deel/" in target else None

    def run(self) -> None:
        path = self.start()
        if path is None:
            return
        self.stats.event("respondents started")
        for _ in range(self.cfg.sections):
            if path is None or time.monotonic() > self.stop:
                break
            path = self.answer_section(path)
            self.stats.event("sections completed")


def _normal(value: Any) -> Any:
    """What the server stores for a value sent as a form string."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _form_text(value: Any) -> str:
    return "" if value is None else str(value)


def _typed(item: PageItem, value: Any) -> Any:
    return _normal(value) if item.kind in ("radio", "number") else value


def run_respondents(
    cfg: Phase1Config, master_pid: int, stats: Stats, ledger: Ledger
) -> dict[str, Any]:
    """Phase 1: the respondents, with one worker killed half-way."""
    started = time.monotonic()
    stop = started + cfg.duration
    next_id = iter(range(cfg.respondents))
    id_lock = threading.Lock()
    killed: dict[str, Any] = {}

    def worker(n: int) -> None:
        rng = random.Random(cfg.seed * 1000 + n)
        time.sleep(rng.random() * min(2.0, cfg.duration / 10))  # people do not start in step
        while time.monotonic() < stop:
            with id_lock:
                rid = next(next_id, None)
            if rid is None:
                return
            Respondent(cfg, stats, ledger, random.Random(cfg.seed * 7919 + rid), stop).run()

    def killer() -> None:
        time.sleep(cfg.kill_at)
        workers = children_of(master_pid)
        if not workers:
            killed["error"] = "no worker processes found"
            return
        victim = random.Random(cfg.seed).choice(workers)
        killed.update(pid=victim, at=time.monotonic() - started, workers_before=len(workers))
        os.kill(victim, signal.SIGKILL)
        time.sleep(3)
        killed["workers_after"] = len(children_of(master_pid))

    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(cfg.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kill_thread.join(timeout=5)
    elapsed = time.monotonic() - started
    if "at" in killed:
        t_kill = started + killed["at"]
        killed["transport_errors_within_5s"] = sum(
            1 for t in stats.error_times if t_kill <= t <= t_kill + 5
        )
    return {"elapsed": elapsed, "killed": killed}


# --- open-loop autosave generator (the ramp) ----------------------------------------------


@dataclass
class Pair:
    secret: str
    item: str
    low: int
    high: int
    version: int = 0
    passes: int = 0


class PairPool:
    """(response, item) pairs with their current version; each in flight at most once."""

    def __init__(self, pairs: list[Pair]) -> None:
        self.free: deque[Pair] = deque(pairs)
        self.lock = threading.Lock()

    def take(self) -> Pair | None:
        with self.lock:
            return self.free.popleft() if self.free else None

    def give(self, pair: Pair) -> None:
        with self.lock:
            self.free.append(pair)


def autosave_request(
    port: int, csrf: str, pool: PairPool, ledger: Ledger
) -> Callable[[], tuple[int, float]]:
    """A request factory for the ramp: one autosave to Koers, recorded in the ledger."""

    def fire() -> tuple[int, float]:
        pair = pool.take()
        if pair is None:
            return -2, 0.0
        value = pair.low + (pair.passes % (pair.high - pair.low + 1))
        body = json.dumps({"item": pair.item, "value": value, "version": pair.version})
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": csrf,
            "Cookie": f"csrftoken={csrf}",
        }
        try:
            reply = http_request(port, "POST", f"/r/{pair.secret}/opslaan", body.encode(), headers)
        except TRANSPORT_ERRORS:
            ledger.maybe(pair.secret, pair.item, value)
            return -1, 0.0  # the pair is retired: its state is unknown
        if reply.status == 200:
            data = reply.json()
            ledger.ack(pair.secret, pair.item, data["value"])
            pair.version, pair.passes = int(data["version"]), pair.passes + 1
            pool.give(pair)
        elif reply.status == 409:
            pair.version = int(reply.json()["version"])
            pool.give(pair)
        elif reply.status == 429:  # throttled: nothing changed
            pool.give(pair)
        return reply.status, reply.seconds

    return fire


def ceiling_request(port: int) -> Callable[[], tuple[int, float]]:
    rng = random.Random(7)

    def fire() -> tuple[int, float]:
        body = json.dumps({"item": rng.randint(1, 140), "value": rng.randint(1, 7)}).encode()
        path = f"/r/{rng.randint(1, 100000)}/answer"
        try:
            reply = http_request(port, "POST", path, body, {"Content-Type": "application/json"})
        except TRANSPORT_ERRORS:
            return -1, 0.0
        return reply.status, reply.seconds

    return fire


@dataclass
class StepResult:
    target: float
    achieved: float
    sent: int
    ok: int
    errors: int
    p50: float
    p95: float
    p99: float
    load: float
    throttled: int = 0

    @property
    def passed(self) -> bool:
        return (
            self.p95 < P95_LIMIT
            and self.errors == 0
            and self.achieved >= 0.95 * self.target
            and self.ok >= 0.99 * self.sent
        )


def open_loop(fire: Callable[[], tuple[int, float]], rate: float, seconds: float) -> StepResult:
    """Send at a fixed rate; latency counts from the scheduled time (no coordinated omission)."""
    n = max(1, int(rate * seconds))
    interval = 1.0 / rate
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def task(scheduled: float) -> None:
        status, _ = fire()
        done = time.perf_counter()
        with lock:
            statuses[status] += 1
            if status >= 0:
                latencies.append(done - scheduled)

    load_before = cpu_busy()
    with ThreadPoolExecutor(max_workers=256) as pool:
        futures = []
        start = time.perf_counter() + 0.05
        for i in range(n):
            scheduled = start + i * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(task, scheduled))
        sent_in = time.perf_counter() - start
        wait(futures, timeout=HTTP_TIMEOUT + 5)
    ok = statuses.get(200, 0)
    errors = sum(v for k, v in statuses.items() if k not in (200, 409))
    throttled = statuses.get(429, 0)
    return StepResult(
        target=rate,
        achieved=ok / max(sent_in, 1e-9),
        sent=n,
        ok=ok,
        errors=errors,
        p50=pct(latencies, 50),
        p95=pct(latencies, 95),
        p99=pct(latencies, 99),
        load=machine_load(load_before),
        throttled=throttled,
    )


def ramp(
    fire: Callable[[], tuple[int, float]], start: float, factor: float, steps: int, seconds: float
) -> list[StepResult]:
    results = []
    rate = start
    for _ in range(steps):
        result = open_loop(fire, rate, seconds)
        results.append(result)
        say(
            f"    {rate:7.0f}/s target: {result.achieved:7.1f}/s done, p50 {ms(result.p50)}, "
            f"p95 {ms(result.p95)}, p99 {ms(result.p99)}, errors {result.errors} "
            f"(429: {result.throttled}), "
            f"machine CPU {result.load:.0%}  {'ok' if result.passed else 'FAIL'}"
        )
        if not result.passed:
            break
        rate = round(rate * factor)
        time.sleep(0.5)
    return results


# --- wrk -----------------------------------------------------------------------------------

WRK_DONE = """
function done(summary, latency, requests)
  local throttled = 0
  if threads then
    for _, t in ipairs(threads) do throttled = throttled + (t:get("n429") or 0) end
  end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"throttled":%d}\\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    throttled))
end
"""

KOERS_WRK = """
-- Koers autosave: every request saves a new value on a (response, item) pair with the
-- version of the previous pass over that pair, so each one is a real "saved" (200).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRFToken"] = CSRF
wrk.headers["Cookie"] = "csrftoken=" .. CSRF
local counter = 0
local mine = {}
local threads = {}
n429 = 0
function response(status, headers, body)
  if status == 429 then n429 = n429 + 1 end
end
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  for i = 1, #DATA do
    if (i - 1) % NTHREADS == tid then table.insert(mine, DATA[i]) end
  end
end
function request()
  local idx = counter % #mine + 1
  local pass = math.floor(counter / #mine)
  counter = counter + 1
  local p = mine[idx]
  local value = p[3] + (pass % (p[4] - p[3] + 1))
  local body = string.format('{"item":"%s","value":%d,"version":%d}', p[2], value, pass)
  return wrk.format(nil, "/r/" .. p[1] .. "/opslaan", nil, body)
end
"""


def ensure_wrk() -> tuple[str | None, str]:
    """The wrk binary, installing it with apt-get only when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found, "wrk (already installed)"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "wrk is not installed and cannot be installed here"
    say("  wrk is missing: apt-get install -y wrk …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in (["apt-get", "install", "-y", "-q", "wrk"], None):
        if attempt is None:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=120)
            attempt = ["apt-get", "install", "-y", "-q", "wrk"]
        done = subprocess.run(attempt, env=env, capture_output=True, timeout=180)
        if done.returncode == 0 and shutil.which("wrk"):
            return shutil.which("wrk"), "wrk (installed now with apt-get)"
    return None, "wrk could not be installed"


@dataclass
class WrkResult:
    rps: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50: float
    p95: float
    p99: float
    load: float
    cpu: str = ""
    seconds: float = 0.0
    throttled: int = 0


def run_wrk(
    wrk: str,
    script: Path,
    port: int,
    seconds: int,
    server_pid: int | None = None,
    threads: int = 2,
    connections: int = 32,
) -> WrkResult:
    load_before = cpu_busy()
    meter = CpuMeter(
        {
            "server": lambda: tree_seconds(server_pid),
            "PostgreSQL": lambda: tree_seconds(postmaster_pid()),
            "wrk": reaped_children_seconds,
        }
    )
    with meter:
        out = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            start_new_session=True,
        )
    load = machine_load(load_before)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = data["duration_us"] / 1e6
    return WrkResult(
        rps=(data["requests"] - data["status"]) / seconds_run,  # answered 2xx/3xx only
        requests=data["requests"],
        throttled=data.get("throttled", 0),
        non_2xx=data["status"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        p50=data["p50"] / 1e6,
        p95=data["p95"] / 1e6,
        p99=data["p99"] / 1e6,
        load=load,
        cpu=meter.text(),
        seconds=seconds_run,
    )


def closed_loop(
    fire: Callable[[], tuple[int, float]], seconds: float, concurrency: int = 32
) -> WrkResult:
    """The fallback when wrk is missing: N threads, each sending its next request at once."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def loop() -> None:
        while time.monotonic() < stop:
            status, took = fire()
            with lock:
                statuses[status] += 1
                if status >= 0:
                    latencies.append(took)

    load_before = cpu_busy()
    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok = sum(v for k, v in statuses.items() if 200 <= k < 400)
    return WrkResult(
        rps=ok / elapsed,
        throttled=statuses.get(429, 0),
        requests=sum(statuses.values()),
        non_2xx=sum(v for k, v in statuses.items() if k >= 0 and not 200 <= k < 400),
        socket_errors=statuses.get(-1, 0),
        p50=pct(latencies, 50),
        p95=pct(latencies, 95),
        p99=pct(latencies, 99),
        load=machine_load(load_before) if ok else 0.0,
        seconds=elapsed,
    )


# --- the child process: Django inside, same settings as the server -------------------------


def child_main(name: str, argument: str) -> None:
    """Run inside the Koers environment (``--child``): setup, verify, profile."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    django.setup()
    result: Any
    if name == "setup":
        result = child_setup()
    elif name == "verify":
        result = child_verify(json.loads(Path(argument).read_text()))
    elif name == "profile":
        result = child_profile(json.loads(argument))
    else:
        raise SystemExit(f"unknown child task {name}")
    print("CHILDJSON " + json.dumps(result), flush=True)


def child_setup() -> dict[str, Any]:
    from django.conf import settings

    from koers.instruments import get_instrument
    from koers.organisations.models import Organisation
    from koers.surveys import throttle
    from koers.surveys.models import Campaign

    instrument = get_instrument("career_compass")
    org = Organisation.objects.create(name="Load test B.V.", slug="load-test")
    campaign = Campaign.objects.create(
        organisation=org,
        name="Carrière Kompas (load test)",
        instrument_key="career_compass",
        instrument_version=instrument.version,
        mode=Campaign.Mode.OPEN_LINK,
    )
    scale_items = [
        [item.id, item.response_scale.min, item.response_scale.max]
        for item in instrument.items
        if item.type == "scale" and item.response_scale is not None
    ]
    limits = {
        name: value
        for name, value in vars(throttle).items()
        if name.isupper() and isinstance(value, int | float)
    }
    caches = getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", "")
    return {
        "token": campaign.public_token,
        "version": instrument.version,
        "n_items": len(instrument.items),
        "scale_items": scale_items,
        "throttle": limits,
        "cache": caches,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "public_per_minute": getattr(settings, "KOERS_PUBLIC_REQUESTS_PER_MINUTE", None),
        "debug": settings.DEBUG,
    }


def child_verify(spec: dict[str, Any]) -> dict[str, Any]:
    from django.db.models import Count, Sum

    from koers.surveys import links
    from koers.surveys.models import Answer

    secrets_ = sorted({row[0] for row in spec["expect"]} | set(spec.get("wrk_secrets", [])))
    by_hash = {links.response_hash(s): s for s in secrets_}
    stored: dict[tuple[str, str], Any] = {}
    rows = Answer.objects.filter(response__access_hash__in=list(by_hash)).values_list(
        "response__access_hash", "item_id", "value"
    )
    for access_hash, item, value in rows.iterator():
        stored[(by_hash[access_hash], item)] = value
    ok = later = 0
    lost: list[Any] = []
    for secret, item, value, unsure in spec["expect"]:
        if (secret, item) not in stored:
            lost.append([secret[:8], item, value, "missing"])
        elif stored[(secret, item)] == value:
            ok += 1
        elif stored[(secret, item)] in unsure:
            later += 1  # a later save without a reply did land: not a loss
        else:
            lost.append([secret[:8], item, value, stored[(secret, item)]])
    duplicates = (
        Answer.objects.values("response_id", "item_id").annotate(n=Count("id")).filter(n__gt=1)
    ).count()
    wrk_hashes = [links.response_hash(s) for s in spec.get("wrk_secrets", [])]
    wrk = Answer.objects.filter(response__access_hash__in=wrk_hashes).aggregate(
        answers=Count("id"), versions=Sum("version")
    )
    return {
        "checked": len(spec["expect"]),
        "ok": ok,
        "later_unacknowledged_value": later,
        "lost": len(lost),
        "lost_examples": lost[:10],
        "duplicates": duplicates,
        "answers_total": Answer.objects.count(),
        "wrk_answers": wrk["answers"] or 0,
        "wrk_versions": wrk["versions"] or 0,
    }


def child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """Autosaves through the WSGI handler in this process, under cProfile."""
    import cProfile
    import io
    import pstats

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.db.backends.signals import connection_created

    from koers.instruments import get_instrument
    from koers.surveys import services
    from koers.surveys.models import Campaign

    app = get_wsgi_application()
    campaign = Campaign.objects.get(public_token=spec["token"])
    items = [i for i in get_instrument("career_compass").items if i.type == "scale"]
    csrf = secrets.token_hex(16)
    versions: dict[tuple[str, str], int] = {}
    responses = [services.start_open_response(campaign, "nl").secret for _ in range(4)]
    plan = [(s, item) for item in items for s in responses]

    def one(n: int) -> int:
        secret, item = plan[n % len(plan)]
        version = versions.get((secret, item.id), 0)
        assert item.response_scale is not None
        low, high = item.response_scale.min, item.response_scale.max
        body = json.dumps(
            {"item": item.id, "value": low + (version % (high - low + 1)), "version": version}
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/r/{secret}/opslaan",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": f"csrftoken={csrf}",
            "HTTP_X_CSRFTOKEN": csrf,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        status: list[str] = []
        out = app(environ, lambda s, h, *a: status.append(s))  # type: ignore[arg-type]
        data = json.loads(b"".join(out))
        if hasattr(out, "close"):
            out.close()
        versions[(secret, item.id)] = int(data.get("version", version))
        return int(status[0].split()[0])

    n = int(spec.get("requests", 400))
    for i in range(50):  # warm up
        one(i)
    queries: Counter[str] = Counter()
    db_time = [0.0]

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - started
            queries[sql.split()[0].upper() if sql.strip() else "?"] += 1

    connects = [0]

    def connected(sender: Any, **kwargs: Any) -> None:
        connects[0] += 1

    connection_created.connect(connected)
    started = time.perf_counter()
    with connection.execute_wrapper(spy):
        codes = Counter(one(50 + i) for i in range(n))
    plain = time.perf_counter() - started
    connection_created.disconnect(connected)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(n):
        one(50 + n + i)
    profiler.disable()
    profiled = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(18)
    own = text.getvalue()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(
        r"koers|django/(db/backends|core/handlers|middleware)"
    )
    cumulative = text.getvalue()
    parts = {
        "whole request (WSGI handler)": ("django/core/handlers/wsgi.py", "__call__"),
        "view save()": ("koers/surveys/respond_views.py", "save"),
        "  load_response → find_response (1 SELECT)": (
            "koers/surveys/services.py",
            "find_response",
        ),
        "  _visible_ids ×2 (all answers of the response, twice)": (
            "koers/surveys/respond_views.py",
            "_visible_ids",
        ),
        "  save_answer (SAVEPOINT, INSERT/UPDATE, SELECT, COMMIT)": (
            "koers/surveys/services.py",
            "save_answer",
        ),
        "new database connection (connect + set-up)": (
            "django/db/backends/base/base.py",
            "connect",
        ),
        "COMMIT (WAL flush)": ("django/db/backends/base/base.py", "_commit"),
        "building Answer objects (Model.__init__/from_db)": ("django/db/models/base.py", "from_db"),
    }
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values()) or 1.0
    breakdown = {}
    for label, (suffix, func) in parts.items():
        seconds = sum(v[3] for k, v in raw.items() if k[0].endswith(suffix) and k[2] == func)
        breakdown[label] = seconds / n * 1000
    return {
        "breakdown_ms": breakdown,
        "profiled_total_ms": total / n * 1000,
        "requests": n,
        "statuses": dict(codes),
        "per_request_ms": plain / n * 1000,
        "single_process_rps": n / plain,
        "queries_per_request": sum(queries.values()) / n,
        "query_kinds": {k: v / n for k, v in queries.most_common()},
        "db_ms_per_request": db_time[0] / n * 1000,
        "profiled_ms_per_request": profiled / n * 1000,
        "connects": connects[0],
        "top_tottime": _trim_pstats(own, 18),
        "top_cumulative": _trim_pstats(cumulative, 30),
    }


def _trim_pstats(text: str, lines: int) -> list[str]:
    out: list[str] = []
    started = False
    for line in text.splitlines():
        if line.strip().startswith("ncalls"):
            started = True
            out.append(line.rstrip())
            continue
        if started and line.strip():
            out.append(re.sub(r"/\S*/site-packages/", "", line.rstrip().replace(str(REPO), ".")))
    return out[: lines + 1]


# --- the run -------------------------------------------------------------------------------


class Bench:
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
            [sys.executable, str(Path(__file__).resolve()), "--child", name, argument],
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
        """Start ``n`` responses on the open link; return their secrets and a CSRF token."""
        csrf = ""
        found: list[str] = []

        def one(_: int) -> str | None:
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
            return r.secret if path else None

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
        pairs = [[s, item, low, high] for item, low, high in scale for s in found]
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
        self.wrk_secrets += found
        self.wrk_ok += result.requests - result.non_2xx
        return result

    def run(self) -> int:
        args = self.args
        quick = args.quick
        run_started = time.monotonic()

        def clock() -> str:
            return f"[{time.monotonic() - run_started:5.1f} s]"

        background = cpu_busy()
        time.sleep(1.0)
        idle_load = machine_load(background)
        say(
            f"Koers load benchmark — {os.cpu_count()} CPUs, PostgreSQL "
            f"{pg_execute('postgres', 'show server_version')[0][0].split()[0]}, gunicorn "
            f"{args.workers} sync workers per app, Python {sys.version.split()[0]}"
        )
        say(f"Machine CPU busy before the run (other processes): {idle_load:.0%}")
        if idle_load > 0.15:
            say(
                "  !! the machine is busy with other work: every figure below is lower than on "
                "a quiet machine (the ratio to the ceiling, measured in the same run, less so)"
            )
        info = self.prepare()
        say(
            f"{clock()} Koers: DEBUG={info['debug']}, KOERS_HTTPS=false, ALLOWED_HOSTS=127.0.0.1, "
            f"DB_CONN_MAX_AGE={info['conn_max_age']}, fresh database {KOERS_DB} "
            f"(migrate + collectstatic {info['prepare_seconds']:.1f} s); Career Compass "
            f"v{info['version']}, {info['n_items']} items"
        )
        for extra in args.env:
            say(f"  extra Koers setting for this run: {extra}")
        cache = info["cache"].rsplit(".", 1)[-1] or "default"
        shared = "RedisCache" in cache
        say(
            f"Throttling in Koers: {', '.join(f'{k}={v}' for k, v in info['throttle'].items())}"
            + (
                f", KOERS_PUBLIC_REQUESTS_PER_MINUTE={info['public_per_minute']} per address"
                if info["public_per_minute"] is not None
                else ""
            )
            + f"; counters in {cache}"
            + (f" ({self.koers_env['CACHE_URL']}, shared by all workers)" if shared else "")
            + ("" if shared else " (per worker process: limits are effectively x workers)")
        )
        raise_ip = info["public_per_minute"] is not None and not any(
            e.startswith("KOERS_PUBLIC_REQUESTS_PER_MINUTE=") for e in args.env
        )
        if raise_ip:
            self.koers_env["KOERS_PUBLIC_REQUESTS_PER_MINUTE"] = str(RAISED_PER_IP)
            say(
                f"  !! RAISED for this run: KOERS_PUBLIC_REQUESTS_PER_MINUTE "
                f"{info['public_per_minute']} -> {RAISED_PER_IP}, because every simulated "
                "respondent comes from 127.0.0.1 (real respondents come from many addresses)."
            )
        say(
            "  Not raised: the per-response save limit. Simulated respondents take "
            f"{args.think:.1f} s per answer and the throughput runs spread their saves over "
            "enough responses to stay under it; every 429 is counted below."
        )
        master = self.start_koers()

        # 1. respondents with a worker kill
        duration = args.duration
        cfg = Phase1Config(
            port=self.koers_port,
            token=info["token"],
            respondents=args.respondents,
            concurrency=min(args.respondents, args.concurrency),
            duration=duration,
            sections=args.sections,
            kill_at=duration / 2,
            seed=args.seed,
            think=args.think,
        )
        say("")
        say(
            f"{clock()} 1. Respondents: up to {cfg.respondents} ({cfg.concurrency} at a time), "
            f"{duration:.0f} s, up to {cfg.sections} sections each, {cfg.think:.1f} s per "
            f"answer; SIGKILL one worker at {cfg.kill_at:.0f} s"
        )
        stats, ledger = Stats(), Ledger()
        load_before = cpu_busy()
        meter1 = CpuMeter(
            {
                "Koers (gunicorn)": lambda: tree_seconds(master.pid),
                "PostgreSQL": lambda: tree_seconds(postmaster_pid()),
                "respondents (this script)": time.process_time,
            }
        )
        with meter1:
            phase1 = run_respondents(cfg, master.pid, stats, ledger)
        load1 = machine_load(load_before)
        elapsed = phase1["elapsed"]
        every = stats.all_latencies()
        say(
            f"   {stats.requests} requests in {elapsed:.1f} s = {stats.requests / elapsed:.0f} "
            f"requests/s (machine CPU {load1:.0%}); latency all: p50 {ms(pct(every, 50))}, "
            f"p95 {ms(pct(every, 95))}, p99 {ms(pct(every, 99))}"
        )
        say(f"   {meter1.text()}")
        for kind, values in sorted(stats.latency.items(), key=lambda kv: -len(kv[1])):
            codes = ", ".join(
                f"{code}×{n}" for (k, code), n in sorted(stats.status.items()) if k == kind
            )
            say(
                f"   {kind:<22} {len(values):>6}  p50 {ms(pct(values, 50)):>9}  "
                f"p95 {ms(pct(values, 95)):>9}  p99 {ms(pct(values, 99)):>9}  [{codes}]"
            )
        autosaves = len(stats.latency.get("autosave", []))
        say(f"   autosaves: {autosaves / elapsed:.0f}/s")
        for name, n in sorted(stats.events.items()):
            say(f"   - {name}: {n}")
        if stats.transport:
            say(f"   - requests without a reply (transport errors): {dict(stats.transport)}")
        killed = phase1["killed"]
        if "pid" in killed:
            say(
                f"   worker kill: SIGKILL pid {killed['pid']} at {killed['at']:.1f} s "
                f"({killed['workers_before']} workers; {killed.get('workers_after', '?')} "
                f"3 s later); {killed.get('transport_errors_within_5s', 0)} request(s) lost "
                "their connection within 5 s, each retried by the client"
            )
        else:
            say(f"   worker kill: FAILED ({killed.get('error')})")

        # 2. peak throughput: ceiling and Koers with the same generator, interleaved
        say("")
        wrk, wrk_note = (None, "the Python generator (--no-wrk)") if args.no_wrk else ensure_wrk()
        seconds = 5 if quick else args.peak_seconds
        rounds = 1 if quick else 2
        scale_items = info["scale_items"]
        with_variant = info["conn_max_age"] == 0 and not quick and not args.no_variant
        tool = (
            f"wrk -t2 -c32 -d{seconds}s on each (the ceiling with its post.lua)"
            if wrk
            else f"the Python closed-loop generator on each (32 threads, {seconds} s)"
        )
        say(
            f"{clock()} 2. Peak autosave throughput, {wrk_note}: {tool}; same tool, connections "
            f"and machine for both; {rounds} interleaved round(s) against machine noise"
        )
        ceiling_proc = self.start_ceiling()
        variant_port = free_port()
        variant_master = (
            self.start_koers(variant_port, {"DB_CONN_MAX_AGE": "600"}) if with_variant else None
        )
        if variant_master:
            say(
                "   'Koers (600)' is a second Koers on the same database with DB_CONN_MAX_AGE=600 "
                "(persistent connections, as the ceiling app has); idle while the others run"
            )
        ceiling_script = self.tmp / "ceiling.lua"
        ceiling_script.write_text(
            f'dofile("{CEILING_DIR / "post.lua"}")\n' + WRK_DONE, encoding="utf-8"
        )
        runs: dict[str, list[WrkResult]] = {"ceiling": [], "Koers": [], "Koers (600)": []}
        for _round in range(rounds):
            if wrk:
                runs["ceiling"].append(
                    run_wrk(
                        wrk,
                        ceiling_script,
                        self.ceiling_port,
                        seconds,
                        server_pid=ceiling_proc.pid,
                    )
                )
            else:
                runs["ceiling"].append(closed_loop(ceiling_request(self.ceiling_port), seconds))
            runs["Koers"].append(
                self.koers_wrk(
                    wrk, info["token"], scale_items, seconds, self.koers_port, master.pid
                )
            )
            if variant_master:
                runs["Koers (600)"].append(
                    self.koers_wrk(
                        wrk, info["token"], scale_items, seconds, variant_port, variant_master.pid
                    )
                )
            for label in runs:
                if len(runs[label]) == _round + 1:
                    r = runs[label][-1]
                    say(
                        f"   {label:<12} {r.rps:7.0f} req/s  p50 {ms(r.p50):>9}  p95 "
                        f"{ms(r.p95):>9}  p99 {ms(r.p99):>9}  non-2xx {r.non_2xx} (429: "
                        f"{r.throttled})  socket errors {r.socket_errors}  | {r.cpu}"
                    )
        if variant_master:
            self.procs.stop(variant_master)

        def mean_rps(results: list[WrkResult]) -> float:
            answered = sum(r.rps * r.seconds for r in results)
            return answered / max(1e-9, sum(r.seconds for r in results))

        ceiling_rps = mean_rps(runs["ceiling"])
        koers_rps = mean_rps(runs["Koers"])
        variant_rps = mean_rps(runs["Koers (600)"]) if runs["Koers (600)"] else None
        fraction = koers_rps / ceiling_rps if ceiling_rps else float("nan")
        verdict = "meets" if fraction >= GOAL_FRACTION else "is BELOW"
        say(
            f"   mean: ceiling {ceiling_rps:.0f}/s, Koers {koers_rps:.0f}/s → Koers / ceiling = "
            f"{fraction:.3f} ({verdict} the goal of {GOAL_FRACTION}; {koers_rps:.0f} autosaves/s "
            f"≈ {koers_rps * 8.5:,.0f} people answering at one answer per 8.5 s)"
        )
        if variant_rps is not None:
            say(
                f"   with DB_CONN_MAX_AGE=600: Koers {variant_rps:.0f}/s → "
                f"{variant_rps / ceiling_rps:.3f} of the ceiling"
            )

        # 3. ramp of target rates for p95 < 100 ms
        say("")
        step = 2.0 if quick else args.step_seconds
        start_rate = max(10.0, round(koers_rps * (0.5 if quick else 0.4)))
        factor, n_steps = (1.25, 4) if quick else (1.2, 8)
        say(
            f"{clock()} 3. Highest autosave rate with p95 < 100 ms: open-loop ramp from "
            f"{start_rate:.0f}/s, x{factor} per step, {step:.0f} s per step (Python generator, "
            "fresh responses; latency from the scheduled send time)"
        )
        # Enough responses that each gets at most ~80 saves over the whole ramp.
        planned = sum(start_rate * factor**k * step for k in range(n_steps))
        ramp_secrets, csrf = self.new_responses(info["token"], max(20, math.ceil(planned / 80)))
        ramp_pool = PairPool(
            [Pair(s, item, low, high) for item, low, high in scale_items for s in ramp_secrets]
        )
        ramp_ledger = Ledger()
        steps = ramp(
            autosave_request(self.koers_port, csrf, ramp_pool, ramp_ledger),
            start_rate,
            factor,
            n_steps,
            step,
        )
        passing = [s for s in steps if s.passed]
        best = max((s.target for s in passing), default=0.0)
        say(
            f"   highest rate with p95 < 100 ms: {best:.0f} autosaves/s"
            + (f" = {best / ceiling_rps:.3f} of the ceiling's peak" if ceiling_rps else "")
            + ("" if passing else " (even the first step failed)")
            + ("" if len(passing) < len(steps) else " (the ramp ended before p95 reached 100 ms)")
        )

        # 4. every acknowledged answer is in the database, once, with its value
        say("")
        spec = {
            "expect": ledger.expectations() + ramp_ledger.expectations(),
            "wrk_secrets": self.wrk_secrets,
        }
        spec_path = self.tmp / "expect.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        check = self.child("verify", str(spec_path))
        say(
            f"{clock()} 4. Acknowledged answers in the database (surveys_answer, unique per "
            "response and item)"
        )
        say(
            f"   respondents + ramp: {check['checked']} answers acknowledged (last OK per "
            f"response/item): {check['ok']} stored with the acknowledged value, "
            f"{check['later_unacknowledged_value']} replaced by a later save that got no reply "
            f"(not a loss); rows for the same response/item more than once: "
            f"{check['duplicates']}"
        )
        if wrk:
            say(
                f"   wrk runs: {self.wrk_ok} saves answered 200; the database holds "
                f"{check['wrk_versions']} saved versions on those pairs (must be ≥; the excess "
                "are requests still in flight when wrk stopped, at most 32 per run)"
            )
            if check["wrk_versions"] < self.wrk_ok:
                say("   !! fewer saved versions than 200 replies: acknowledged saves were LOST")
                check["lost"] += self.wrk_ok - check["wrk_versions"]
        say(f"   LOST ANSWERS: {check['lost']}")
        for example in check["lost_examples"]:
            say(f"     lost: {example}")
        throttled = (
            stats.events.get("throttled (429)", 0)
            + sum(r.throttled for results in runs.values() for r in results)
            + sum(step.throttled for step in steps)
        )
        say(
            f"   429 responses during the run: {throttled}"
            + (" — Koers throttled the load (see above where)" if throttled else "")
        )

        # 5. profile when below the goal
        if (fraction < GOAL_FRACTION and not args.no_profile) or args.profile:
            say("")
            say(
                f"{clock()} 5. Profile of the autosave path: one process, Django's WSGI handler, "
                "the same settings and database, cProfile"
            )
            n_prof = 100 if quick else 200
            prof = self.child("profile", json.dumps({"token": info["token"], "requests": n_prof}))
            self.print_profile(prof, f"DB_CONN_MAX_AGE={info['conn_max_age']}")
            if info["conn_max_age"] == 0:
                self.koers_env["DB_CONN_MAX_AGE"] = "600"
                prof600 = self.child(
                    "profile", json.dumps({"token": info["token"], "requests": n_prof})
                )
                del self.koers_env["DB_CONN_MAX_AGE"]
                self.print_profile(prof600, "DB_CONN_MAX_AGE=600", short=True)
        say("")
        say(
            f"{clock()} Summary: {stats.requests / elapsed:.0f} requests/s with respondents "
            f"(p95 {ms(pct(every, 95))}); peak autosave {koers_rps:.0f}/s vs ceiling "
            f"{ceiling_rps:.0f}/s = {fraction:.3f} (goal {GOAL_FRACTION})"
            + (
                f", {variant_rps / ceiling_rps:.3f} with persistent connections"
                if variant_rps
                else ""
            )
            + f"; p95 < 100 ms up to {best:.0f}/s; lost answers {check['lost']}; 429s {throttled}"
        )
        return 0 if check["lost"] == 0 else 1

    def print_profile(self, prof: dict[str, Any], label: str, short: bool = False) -> None:
        say(
            f"   [{label}] {prof['requests']} autosaves {prof['statuses']}: "
            f"{prof['per_request_ms']:.2f} ms each without the profiler = "
            f"{prof['single_process_rps']:.0f}/s in one process; "
            f"{prof['queries_per_request']:.1f} SQL statements per autosave "
            f"({', '.join(f'{k} {v:.1f}' for k, v in prof['query_kinds'].items())}), "
            f"{prof['db_ms_per_request']:.2f} ms of it in PostgreSQL round trips; "
            f"{prof['connects']} new database connections"
        )
        whole = prof["breakdown_ms"].get("whole request (WSGI handler)") or 1.0
        say("   where the time goes (profiled ms per autosave, share of the request):")
        for name, value in prof["breakdown_ms"].items():
            say(f"     {name:<58} {value:6.2f} ms  {value / whole:5.0%}")
        if short:
            return
        say("   most own time (tottime):")
        for line in prof["top_tottime"]:
            say("     " + line)
        say("   cumulative, Koers/Django request path:")
        for line in prof["top_cumulative"]:
            say("     " + line)


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
        help="DB_CONN_MAX_AGE for Koers (default: Koers's own default, 0)",
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
