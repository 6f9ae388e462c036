"""The HTTP client the generators share, per-request statistics and the ledger of acks."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .common import HTTP_TIMEOUT

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
