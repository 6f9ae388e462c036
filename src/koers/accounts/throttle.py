"""Login throttling: after too many failed logins an account (and an address) is locked a while.

Counted in the cache for a window; the count is per e-mail address (so a
botnet cannot guess one account's password) and per client address (so one
address cannot try many accounts).
"""

from __future__ import annotations

from django.core.cache import cache

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
LOCK_SECONDS = 15 * 60


def _keys(username: str, address: str) -> tuple[str, str]:
    return (f"koers:login-fail:user:{username.strip().lower()}", f"koers:login-fail:ip:{address}")


def is_locked(username: str, address: str) -> bool:
    user_key, ip_key = _keys(username, address)
    return (
        int(cache.get(user_key, 0)) >= MAX_FAILURES_PER_ACCOUNT
        or int(cache.get(ip_key, 0)) >= MAX_FAILURES_PER_ADDRESS
    )


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if not cache.add(key, 1, LOCK_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, LOCK_SECONDS)


def reset(username: str) -> None:
    cache.delete(_keys(username, "")[0])
