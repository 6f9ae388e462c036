"""Peak throughput and the ramp: the open-loop generator, wrk and the closed loop."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from .client import TRANSPORT_ERRORS, Ledger, http_request
from .common import (
    HTTP_TIMEOUT,
    P95_LIMIT,
    CpuMeter,
    cpu_busy,
    machine_load,
    ms,
    pct,
    postmaster_pid,
    reaped_children_seconds,
    say,
    tree_seconds,
)

# --- open-loop autosave generator (the ramp) ----------------------------------------------


@dataclass
class Pair:
    secret: str
    item: str
    low: int
    high: int
    slot: str  # the response's pages are under /invullen/<slot>/; its cookie holds the secret
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
            "Cookie": f"csrftoken={csrf}; koers_r_{pair.slot}={pair.secret}",
        }
        path = f"/invullen/{pair.slot}/opslaan"
        try:
            reply = http_request(port, "POST", path, body.encode(), headers)
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
-- DATA rows: {secret, item, low, high, slot}; the secret travels in the slot's cookie.
wrk.method = "POST"
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
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-CSRFToken"] = CSRF,
    ["Cookie"] = "csrftoken=" .. CSRF .. "; koers_r_" .. p[5] .. "=" .. p[1],
  }
  return wrk.format(nil, "/invullen/" .. p[5] .. "/opslaan", headers, body)
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
