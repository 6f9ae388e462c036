"""Rate limits on the public survey endpoints.

* Guessing: failed link/code look-ups are counted per client address; after
  ``FAILED_LOOKUP_LIMIT`` in 15 minutes the address gets "too many attempts".
* Floods: saves are limited per response (the link secret's hash), which stops
  one runaway client without touching anyone else; and every address has a
  generous per-minute ceiling (``KOERS_PUBLIC_REQUESTS_PER_MINUTE``, default
  6000) so a class of 30, or an office of hundreds behind one NAT address,
  fills in together without noticing it.

Counters live in the cache only (use Redis in production, see
``CACHE_URL``), never next to answers.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

FAILED_LOOKUP_LIMIT = 20  # per window per address: a class of 30 mistyping codes still fits
WINDOW_SECONDS = 15 * 60
SAVES_PER_RESPONSE_PER_MINUTE = 300  # 5 a second for a minute: far above any person's pace


def _key(request: HttpRequest) -> str:
    return "koers:failed-lookups:" + str(request.META.get("REMOTE_ADDR", "unknown"))


def too_many_failures(request: HttpRequest) -> bool:
    return int(cache.get(_key(request), 0)) >= FAILED_LOOKUP_LIMIT


def record_failure(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)


def _redis_client() -> Any:
    """The raw client of Django's Redis cache backend, or None for other backends."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None or "redis" not in type(cache).__module__:
        return None
    return get_client(write=True)


def _count_many(keys: list[str], window: int) -> list[int]:
    """Increment several fixed-window counters; with Redis in one round trip (a pipeline)."""
    client = _redis_client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        for key in keys:
            full = cache.make_and_validate_key(key)
            pipe.incr(full)
            pipe.expire(full, window, nx=True)
        results = pipe.execute()
        return [int(results[2 * i]) for i in range(len(keys))]
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
    return counts


def over_public_limit(request: HttpRequest, response_key: str | None = None) -> bool:
    """Count this request; True when the response or the address is over its limit."""
    from django.conf import settings

    minute = int(time.time() // 60)
    address = str(request.META.get("REMOTE_ADDR", "unknown"))
    ceiling = int(getattr(settings, "KOERS_PUBLIC_REQUESTS_PER_MINUTE", 6000))
    keys = [f"koers:public:ip:{address}:{minute}"]
    if response_key is not None:
        keys.append(f"koers:public:resp:{response_key}:{minute}")
    counts = _count_many(keys, 120)
    if counts[0] > ceiling:
        return True
    return len(counts) > 1 and counts[1] > SAVES_PER_RESPONSE_PER_MINUTE
