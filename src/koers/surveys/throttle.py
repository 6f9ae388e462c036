"""Throttling of guessed links and resume codes, and a generous per-IP ceiling.

Failed look-ups are counted per client address in the cache for a short
window. The address lives only there, never next to answers.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

FAILED_LOOKUP_LIMIT = 20  # per window per address: a class of 30 mistyping codes still fits
WINDOW_SECONDS = 15 * 60


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
