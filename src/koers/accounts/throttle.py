"""Throttling of both login steps (password, authenticator code), so that guessing is slow
and a stranger cannot lock the owner out.

Counters live in the cache (Redis in production, ``CACHE_URL``); each counter's window
starts at its first failure and ends ``*_WINDOW`` seconds later. Who is trying is told
apart by the *client*: a browser that has completed a login to this account before
carries a signed "known browser" cookie (:func:`remember_browser`) and counts as one
client ("known"); any other request counts as its address. docs/security.md gives the
numbers and the reasoning.

Password step (:func:`login_locked`, :func:`record_login_failure`):

- per (account, client): ``MAX_FAILURES_PER_PAIR`` in ``WINDOW``; a stranger locks only
  their own address for that account, never the owner's;
- per address, over all accounts (unknown browsers only): ``MAX_FAILURES_PER_ADDRESS``;
- per account, over all addresses (unknown browsers only): ``MAX_FAILURES_PER_ACCOUNT``
  in ``ACCOUNT_WINDOW``, a ceiling that slows guessing from many addresses; the owner's
  known browser is not subject to it, so a botnet cannot lock the owner out.

Code step (:func:`code_locked`, :func:`record_code_failure`), only reachable with the
right password:

- per (account, client): ``MAX_CODE_FAILURES_PER_PAIR`` in ``CODE_WINDOW`` (5 minutes);
- per account, over all unknown browsers: ``MAX_CODE_FAILURES_PER_ACCOUNT`` per
  ``CODE_ACCOUNT_WINDOW`` (a day), which keeps guessing a 6-digit code infeasible. The
  counter is keyed by the account's current password as well, so changing the password
  (which also ends the guesser's session) starts a fresh count.

django-otp's own per-device throttle is switched off (``OTP_TOTP_THROTTLE_FACTOR = 0``):
it blocks the device for everyone, the owner included, for 2^(n-1) seconds after n wrong
codes, so a guesser who knows the password could keep the right code refused for days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

WINDOW = 15 * 60
MAX_FAILURES_PER_PAIR = 5
MAX_FAILURES_PER_ADDRESS = 30
ACCOUNT_WINDOW = 60 * 60
MAX_FAILURES_PER_ACCOUNT = 100

CODE_WINDOW = 5 * 60
MAX_CODE_FAILURES_PER_PAIR = 5
CODE_ACCOUNT_WINDOW = 24 * 60 * 60
MAX_CODE_FAILURES_PER_ACCOUNT = 20

KNOWN_COOKIE = "koers_known"
KNOWN_MAX_AGE = 180 * 24 * 60 * 60
KNOWN_MAX_ACCOUNTS = 5
_KNOWN_SALT = "koers.accounts.known-browser"


def _account(username: str) -> str:
    # Keyed hashes: no e-mail or client address in the clear in the cache (or the cookie).
    return salted_hmac(_KNOWN_SALT, username.strip().lower()).hexdigest()[:32]


def _address(address: str) -> str:
    return salted_hmac("koers.accounts.throttle.address", address).hexdigest()[:32]


def _client(address: str, known: bool) -> str:
    return "known" if known else f"ip:{_address(address)}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _bump(key: str, window: int) -> int:
    """Add one failure to ``key``; the window starts with the first. The new count."""
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


# --- password step -----------------------------------------------------------------------


def _login_keys(username: str, address: str, known: bool) -> tuple[str, str, str]:
    account = _account(username)
    return (
        f"koers:login-fail:pair:{account}:{_client(address, known)}",
        f"koers:login-fail:ip:{_address(address)}",
        f"koers:login-fail:account:{account}",
    )


def login_locked(username: str, address: str, known: bool = False) -> bool:
    pair, ip, account = _login_keys(username, address, known)
    if _count(pair) >= MAX_FAILURES_PER_PAIR:
        return True
    if known:
        return False
    return _count(ip) >= MAX_FAILURES_PER_ADDRESS or _count(account) >= MAX_FAILURES_PER_ACCOUNT


def record_login_failure(username: str, address: str, known: bool = False) -> None:
    pair, ip, account = _login_keys(username, address, known)
    _bump(pair, WINDOW)
    if not known:
        _bump(ip, WINDOW)
        _bump(account, ACCOUNT_WINDOW)


def reset_login(username: str, address: str, known: bool = False) -> None:
    """After a right password: forget this client's failures (never the account ceiling,
    or each of the owner's logins would hand a guesser a fresh allowance)."""
    cache.delete(_login_keys(username, address, known)[0])


# --- code step ---------------------------------------------------------------------------


def _code_keys(user: Any, address: str, known: bool) -> tuple[str, str]:
    account = _account(user.get_username())
    # Changing the password starts a fresh ceiling: the guesser held the old one.
    password = user.get_session_auth_hash()[:16]
    return (
        f"koers:code-fail:pair:{account}:{_client(address, known)}",
        f"koers:code-fail:account:{account}:{password}",
    )


def code_locked(user: Any, address: str, known: bool = False) -> bool:
    pair, account = _code_keys(user, address, known)
    if _count(pair) >= MAX_CODE_FAILURES_PER_PAIR:
        return True
    return not known and _count(account) >= MAX_CODE_FAILURES_PER_ACCOUNT


def record_code_failure(user: Any, address: str, known: bool = False) -> bool:
    """Count a wrong code; True exactly when this failure reaches the account ceiling
    (the moment to warn the owner that someone has their password)."""
    pair, account = _code_keys(user, address, known)
    _bump(pair, CODE_WINDOW)
    if known:
        return False
    return _bump(account, CODE_ACCOUNT_WINDOW) == MAX_CODE_FAILURES_PER_ACCOUNT


def reset_code(user: Any, address: str, known: bool = False) -> None:
    cache.delete(_code_keys(user, address, known)[0])


# --- known browsers ----------------------------------------------------------------------


def _known_tags(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(KNOWN_COOKIE)
    if not raw:
        return []
    try:
        tags = signing.loads(raw, salt=_KNOWN_SALT, max_age=KNOWN_MAX_AGE)
    except signing.BadSignature:
        return []
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def is_known_browser(request: HttpRequest, username: str) -> bool:
    """Whether this browser completed a login to ``username`` before (signed cookie)."""
    return bool(username) and _account(username) in _known_tags(request)


def remember_browser(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a complete login (password and, where needed, code): mark this browser as
    known for the account. The cookie holds keyed hashes of up to five accounts, no
    address; it only moves the browser into its own throttle bucket."""
    tag = _account(username)
    tags = [tag, *(t for t in _known_tags(request) if t != tag)][:KNOWN_MAX_ACCOUNTS]
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(tags, salt=_KNOWN_SALT),
        max_age=KNOWN_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def client_address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""
