"""koers.lib.ratelimit: one counter, one way to name a client, for every caller."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from koers.lib import codes, ratelimit

ADDRESS = "198.51.100.7"


def _request(address: str = ADDRESS) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=address)


def _cache_keys() -> list[str]:
    return [str(key) for key in cache._cache]  # the per-process (locmem) cache's keys


def test_a_counter_counts_from_its_first_hit_and_can_give_one_back() -> None:
    assert [ratelimit.hit("k", 60) for _ in range(3)] == [1, 2, 3]
    ratelimit.refund("k")
    assert ratelimit.count("k") == 2
    ratelimit.reset("k")
    assert ratelimit.count("k") == 0
    ratelimit.refund("gone")  # nothing to give back: no error


def test_an_attempt_is_counted_against_every_limit_before_it_is_made() -> None:
    limits = [("pair", 2, 60), ("ceiling", 10, 60)]
    assert [ratelimit.reserve(limits) for _ in range(3)] == [True, True, False]
    assert ratelimit.count("pair") == 3  # the refused attempt counted too
    assert ratelimit.count("ceiling") == 2  # checking stops at the first limit exceeded


def test_an_address_is_a_keyed_hash_and_never_stored_in_the_clear() -> None:
    assert ratelimit.address_key(ADDRESS) == codes.keyed_hash("address", ADDRESS)[:32]
    assert ratelimit.address_key(ADDRESS) != ratelimit.hashed("account", ADDRESS)
    ratelimit.record_failure(_request())
    ratelimit.over_limit(_request(), "reports", 5, 3600)
    assert _cache_keys()
    assert not any(ADDRESS in key for key in _cache_keys())


def test_the_login_counts_under_the_same_hashed_names(db: Any) -> None:
    """The login throttle used its own hashes; now every caller names a client one way."""
    from koers.accounts import throttle

    email = "Jan.de.Vries@example.nl"
    assert throttle.begin_login(email, ADDRESS)
    keys = _cache_keys()
    assert not any(ADDRESS in key or "vries" in key.lower() for key in keys)
    assert any(ratelimit.address_key(ADDRESS) in key for key in keys)
    assert any(ratelimit.hashed("account", email.lower()) in key for key in keys)


def test_failed_look_ups_are_counted_per_address() -> None:
    for _ in range(ratelimit.FAILED_LOOKUP_LIMIT - 1):
        ratelimit.record_failure(_request())
    assert not ratelimit.too_many_failures(_request())
    ratelimit.record_failure(_request())
    assert ratelimit.too_many_failures(_request())
    assert not ratelimit.too_many_failures(_request("203.0.113.9"))


def test_a_limit_per_window_resets_in_the_next_window(monkeypatch: Any) -> None:
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    over = [ratelimit.over_limit(_request(), "test", 3, 3600) for _ in range(4)]
    assert over == [False, False, False, True]
    now[0] += 3600
    assert not ratelimit.over_limit(_request(), "test", 3, 3600)


def test_with_the_counters_down_public_pages_are_not_refused(settings: Any, caplog: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    ratelimit.record_failure(_request())
    assert not ratelimit.too_many_failures(_request())
    assert ratelimit.hit_many(["a", "b"], 60, read="c") == (0, [0, 0])
    assert "rate-limit counters unavailable" in caplog.text
    with pytest.raises(ratelimit.COUNTERS_DOWN):
        ratelimit.hit("login", 60)  # the login does not fail open: it lets this raise


def test_the_refusal_page_says_what_to_do(db: Any) -> None:
    page = ratelimit.refused(_request())
    assert page.status_code == 429
    assert "Wacht een kwartier" in page.content.decode()
