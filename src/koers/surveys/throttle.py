"""Rate limits on the public survey endpoints (the counters: :mod:`koers.lib.ratelimit`).

* Guessing: failed link/code look-ups are counted per client address
  (:func:`koers.lib.ratelimit.record_failure`, shared with the reporting box); after
  ``FAILED_LOOKUP_LIMIT`` in 15 minutes the address gets "too many attempts".
* Floods: saves are limited per response (the link secret's hash), which stops
  one runaway client without touching anyone else; and every address has a
  generous per-minute ceiling (``KOERS_PUBLIC_REQUESTS_PER_MINUTE``, default
  6000) so a class of 30, or an office of hundreds behind one NAT address,
  fills in together without noticing it.

With Redis, :func:`check_save` reads the failure counter and counts the address and the
response in one round trip (:func:`koers.lib.ratelimit.hit_many`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from koers.lib import ratelimit
from koers.lib.ratelimit import FAILED_LOOKUP_LIMIT

SAVES_PER_RESPONSE_PER_MINUTE = 300  # 5 a second for a minute: far above any person's pace
COUNTER_SECONDS = 120  # a per-minute counter lives two minutes


def _ceiling() -> int:
    return int(getattr(settings, "KOERS_PUBLIC_REQUESTS_PER_MINUTE", 6000))


def _minute_keys(request: HttpRequest, response_key: str | None) -> list[str]:
    minute = int(time.time() // 60)
    keys = [f"koers:public:ip:{ratelimit.request_address(request)}:{minute}"]
    if response_key is not None:
        keys.append(f"koers:public:resp:{response_key}:{minute}")
    return keys


def over_public_limit(request: HttpRequest, response_key: str | None = None) -> bool:
    """Count this request; True when the response or the address is over its limit."""
    _, counts = ratelimit.hit_many(_minute_keys(request, response_key), COUNTER_SECONDS)
    if counts[0] > _ceiling():
        return True
    return len(counts) > 1 and counts[1] > SAVES_PER_RESPONSE_PER_MINUTE


@dataclass(frozen=True)
class SaveCheck:
    guessing: bool  # the address made too many failed look-ups: refuse, found or not
    flooding: bool  # the address or the response is over its per-minute limit


def check_save(request: HttpRequest, response_key: str | None) -> SaveCheck:
    """Everything the autosave asks of the counters, in one round trip with Redis.

    ``response_key`` is the found response's access hash (None for an unknown link,
    which then counts only towards the address).
    """
    failures, counts = ratelimit.hit_many(
        _minute_keys(request, response_key),
        COUNTER_SECONDS,
        read=ratelimit.failed_lookup_key(request),
    )
    flooding = counts[0] > _ceiling() or (
        len(counts) > 1 and counts[1] > SAVES_PER_RESPONSE_PER_MINUTE
    )
    return SaveCheck(guessing=failures >= FAILED_LOOKUP_LIMIT, flooding=flooding)
