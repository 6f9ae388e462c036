"""Rate limits: fixed-window counters in the cache, keyed only by keyed hashes.

Owned here for every app (the public survey pages, the reporting box, the login): one
counter implementation, one way to name a client, one "too many attempts" page.

- Keys never hold an address or an e-mail address in the clear: :func:`address_key`
  and :func:`hashed` are keyed hashes (:func:`koers.lib.codes.keyed_hash`).
- A counter's window starts at its first hit (:func:`hit`); :func:`reserve` counts an
  attempt against several limits *before* it is made, so parallel requests cannot slip
  past a check; :func:`refund` gives a successful attempt's count back.
- :func:`hit_many` counts several keys (and reads one) in one round trip on Redis, on
  one client per process (Django's Redis backend builds a new client object for every
  call, which cost the autosave about 1 ms, ``bench/load_respondents.py`` profile).
- Failed look-ups of links and codes (:func:`record_failure`,
  :func:`too_many_failures`) share one counter per address across the survey links,
  resume codes and the reporting box, so guessing in one place counts everywhere.
- The public pages fail open: when the counters are unreachable a request is not
  counted rather than refused (:data:`COUNTERS_DOWN`), because the counters protect the
  service and the answers are what it is for. :func:`hit` itself raises; a caller that
  must fail closed (the login) lets it.

Counters live in the cache only (use Redis in production, see ``CACHE_URL``).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from redis.exceptions import RedisError

from koers.lib.codes import keyed_hash

log = logging.getLogger(__name__)
COUNTERS_DOWN = (RedisError, OSError)

FAILED_LOOKUP_LIMIT = 20  # per window per address: a class of 30 mistyping codes still fits
WINDOW_SECONDS = 15 * 60


def counters_down(exc: BaseException) -> None:
    log.warning("rate-limit counters unavailable, request not counted: %s", exc)


# --- naming who is counted -----------------------------------------------------------------


def hashed(kind: str, value: str) -> str:
    """A value (an address, an account name) as it may appear in a counter's key."""
    return keyed_hash(kind, value)[:32]


def address_key(address: str) -> str:
    """A client address as a keyed hash: counters never hold an address in the clear."""
    return hashed("address", address)


def request_address(request: HttpRequest) -> str:
    """The request's client address, hashed (``REMOTE_ADDR``, set by the proxy middleware)."""
    return address_key(str(request.META.get("REMOTE_ADDR", "unknown")))


# --- counters ------------------------------------------------------------------------------


def count(key: str) -> int:
    return int(cache.get(key, 0))


def hit(key: str, window: int) -> int:
    """Add one to ``key`` atomically; the window starts with the first. The new count."""
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def refund(key: str) -> None:
    # A key that expired meanwhile has nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(key)


def reset(key: str) -> None:
    cache.delete(key)


def reserve(limits: list[tuple[str, int, int]]) -> bool:
    """Count one attempt against every (key, limit, window) *before* it is made.

    False when an attempt is over a limit (then it must not be made)."""
    return all(hit(key, window) <= limit for key, limit, window in limits)


_clients: dict[str, Any] = {}


def redis_client() -> Any:
    """One Redis client per process for the default cache's server, or None without Redis.

    redis-py's client is thread-safe and its connection pool notices a fork, so one
    object serves every request of a gunicorn worker.
    """
    config = settings.CACHES["default"]
    if config.get("BACKEND") != "django.core.cache.backends.redis.RedisCache":
        return None
    servers = config["LOCATION"]
    location = str(servers[0] if isinstance(servers, (list, tuple)) else servers)
    client = _clients.get(location)
    if client is None:
        import redis

        # Short timeouts: an unreachable Redis must not hold up an autosave.
        client = _clients[location] = redis.Redis.from_url(
            location, socket_connect_timeout=0.5, socket_timeout=0.5
        )
    return client


def hit_many(keys: list[str], window: int, read: str | None = None) -> tuple[int, list[int]]:
    """Read counter ``read`` (0 when absent) and hit fixed-window counters ``keys``.

    With Redis this is one round trip; the keys are the cache's own (same prefix and
    version), so :func:`count` and :func:`hit` see the same values. Fails open: with the
    counters down nothing is counted.
    """
    client = redis_client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        if read is not None:
            pipe.get(cache.make_and_validate_key(read))
        for key in keys:
            full = cache.make_and_validate_key(key)
            pipe.incr(full)
            pipe.expire(full, window, nx=True)
        try:
            results = pipe.execute()
        except COUNTERS_DOWN as exc:
            counters_down(exc)
            return 0, [0] * len(keys)
        current = int(results.pop(0) or 0) if read is not None else 0
        return current, [int(results[2 * i]) for i in range(len(keys))]
    counts = [hit(key, window) for key in keys]
    return (count(read) if read is not None else 0), counts


def over_limit(request: HttpRequest, name: str, limit: int, window: int) -> bool:
    """Count this request towards ``name`` for its address; True when over ``limit`` in the
    current fixed window of ``window`` seconds (a counter lives two windows)."""
    period = int(time.time() // window)
    _, counts = hit_many([f"koers:{name}:ip:{request_address(request)}:{period}"], 2 * window)
    return counts[0] > limit


# --- guessing links and codes --------------------------------------------------------------


def failed_lookup_key(request: HttpRequest) -> str:
    return "koers:failed-lookups:" + request_address(request)


def too_many_failures(request: HttpRequest) -> bool:
    """Whether this address made too many failed look-ups: refuse, found or not."""
    try:
        return count(failed_lookup_key(request)) >= FAILED_LOOKUP_LIMIT
    except COUNTERS_DOWN as exc:
        counters_down(exc)
        return False


def record_failure(request: HttpRequest) -> None:
    """A link or code that opened nothing: counts towards :func:`too_many_failures`."""
    try:
        hit(failed_lookup_key(request), WINDOW_SECONDS)
    except COUNTERS_DOWN as exc:
        counters_down(exc)


def refused(request: HttpRequest, reason: str = "guessing") -> HttpResponse:
    """The public "too many attempts" page (429). ``reason`` says which limit was hit:
    "guessing" (unknown links or codes) or "flooding" (too many submissions)."""
    if reason not in ("guessing", "flooding"):
        raise ValueError(f"unknown reason {reason!r}")
    return render(request, "throttled.html", {"reason": reason}, status=429)
