"""Rate limits on the public survey endpoints.

* Guessing: failed link/code look-ups are counted per client address; after
  ``FAILED_LOOKUP_LIMIT`` in 15 minutes the address gets "too many attempts".
* Floods: saves are limited per response (the link secret's hash), which stops
  one runaway client without touching anyone else; and every address has a
  generous per-minute ceiling (``KOERS_PUBLIC_REQUESTS_PER_MINUTE``, default
  6000) so a class of 30, or an office of hundreds behind one NAT address,
  fills in together without noticing it.

Counters live in the cache only (use Redis in production, see
``CACHE_URL``), never next to answers, and name the address only by a keyed
hash (so the cache holds no address in the clear). With Redis, :func:`check_save` reads
the failure counter and counts the address and the response in one round
trip (a pipeline) on one client per process: Django's Redis backend builds a
new client object for every call, which cost the autosave about 1 ms
(``bench/load_respondents.py`` profile).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
# When the counters are unreachable the limits are not applied rather than the answers
# refused: the counters protect the service, the answers are what it is for.
COUNTERS_DOWN = (RedisError, OSError)


def _counters_down(exc: BaseException) -> None:
    log.warning("rate-limit counters unavailable, request not counted: %s", exc)


FAILED_LOOKUP_LIMIT = 20  # per window per address: a class of 30 mistyping codes still fits
WINDOW_SECONDS = 15 * 60
SAVES_PER_RESPONSE_PER_MINUTE = 300  # 5 a second for a minute: far above any person's pace
COUNTER_SECONDS = 120  # a per-minute counter lives two minutes


def address_key(address: str) -> str:
    """A client address as a keyed hash: counters never hold an address in the clear."""
    from koers.surveys.links import keyed_hash

    return keyed_hash("address", address)[:32]


def _address(request: HttpRequest) -> str:
    return address_key(str(request.META.get("REMOTE_ADDR", "unknown")))


def _key(request: HttpRequest) -> str:
    return "koers:failed-lookups:" + _address(request)


def too_many_failures(request: HttpRequest) -> bool:
    try:
        return int(cache.get(_key(request), 0)) >= FAILED_LOOKUP_LIMIT
    except COUNTERS_DOWN as exc:
        _counters_down(exc)
        return False


def record_failure(request: HttpRequest) -> None:
    key = _key(request)
    try:
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)
    except COUNTERS_DOWN as exc:
        _counters_down(exc)


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


def _count(keys: list[str], window: int, read: str | None = None) -> tuple[int, list[int]]:
    """Read counter ``read`` (0 when absent) and increment fixed-window counters ``keys``.

    With Redis this is one round trip; the keys are the cache's own (same prefix and
    version), so :func:`record_failure` and :func:`too_many_failures` see the same values.
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
            _counters_down(exc)
            return 0, [0] * len(keys)
        current = int(results.pop(0) or 0) if read is not None else 0
        return current, [int(results[2 * i]) for i in range(len(keys))]
    counts = []
    for key in keys:
        if cache.add(key, 1, window):
            counts.append(1)
            continue
        try:
            counts.append(int(cache.incr(key)))
        except ValueError:
            cache.set(key, 1, window)
            counts.append(1)
    return (int(cache.get(read, 0)) if read is not None else 0), counts


def _ceiling() -> int:
    return int(getattr(settings, "KOERS_PUBLIC_REQUESTS_PER_MINUTE", 6000))


def _minute_keys(request: HttpRequest, response_key: str | None) -> list[str]:
    minute = int(time.time() // 60)
    keys = [f"koers:public:ip:{_address(request)}:{minute}"]
    if response_key is not None:
        keys.append(f"koers:public:resp:{response_key}:{minute}")
    return keys


def over_public_limit(request: HttpRequest, response_key: str | None = None) -> bool:
    """Count this request; True when the response or the address is over its limit."""
    _, counts = _count(_minute_keys(request, response_key), COUNTER_SECONDS)
    if counts[0] > _ceiling():
        return True
    return len(counts) > 1 and counts[1] > SAVES_PER_RESPONSE_PER_MINUTE


REPORTS_PER_ADDRESS_PER_HOUR = 30  # reporting box: reports and messages together


def over_report_limit(request: HttpRequest) -> bool:
    """Count a report or message for the reporting box; True when the address is over.

    Much lower than the autosave ceiling: nobody writes more than a few reports, and a
    flood would bury real ones in the confidential adviser's inbox.
    """
    hour = int(time.time() // 3600)
    _, counts = _count([f"koers:reports:ip:{_address(request)}:{hour}"], 2 * 3600)
    return counts[0] > REPORTS_PER_ADDRESS_PER_HOUR


@dataclass(frozen=True)
class SaveCheck:
    guessing: bool  # the address made too many failed look-ups: refuse, found or not
    flooding: bool  # the address or the response is over its per-minute limit


def check_save(request: HttpRequest, response_key: str | None) -> SaveCheck:
    """Everything the autosave asks of the counters, in one round trip with Redis.

    ``response_key`` is the found response's access hash (None for an unknown link,
    which then counts only towards the address).
    """
    failures, counts = _count(
        _minute_keys(request, response_key), COUNTER_SECONDS, read=_key(request)
    )
    flooding = counts[0] > _ceiling() or (
        len(counts) > 1 and counts[1] > SAVES_PER_RESPONSE_PER_MINUTE
    )
    return SaveCheck(guessing=failures >= FAILED_LOOKUP_LIMIT, flooding=flooding)
