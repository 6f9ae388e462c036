"""Throttling of both login steps (password, authenticator code), so that guessing is slow
and a stranger cannot lock the owner out.

Counters live in the cache (:mod:`koers.lib.ratelimit`, Redis in production); each window
starts at its first failure and ends ``*_WINDOW`` seconds later. Who is trying is told
apart by the *client*: a browser that has completed a login to this account before
carries a signed "known browser" cookie (:func:`remember_browser`) and counts as one
client ("known"); any other request counts as its address. docs/security.md gives the
numbers and the reasoning.

Every attempt is counted before it is checked (:func:`begin_login`, :func:`begin_code`),
so parallel requests cannot slip past a limit; a success gives its count back.

Password step (:func:`begin_login`, :func:`login_succeeded`):

- per (account, client): ``MAX_FAILURES_PER_PAIR`` in ``WINDOW``; a stranger locks only
  their own address for that account, never the owner's;
- per address, over all accounts (unknown browsers only): ``MAX_FAILURES_PER_ADDRESS``;
- per account, over all addresses (unknown browsers only): ``MAX_FAILURES_PER_ACCOUNT``
  in ``ACCOUNT_WINDOW``, a ceiling that slows guessing from many addresses; the owner's
  known browser is not subject to it, so a botnet cannot lock the owner out.

Code step (:func:`begin_code`, :func:`code_failed`, :func:`code_succeeded`), only
reachable with the right password:

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

from koers.lib import ratelimit

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
    # The known-browser cookie's tag for an account (a keyed hash, no e-mail in the cookie).
    return salted_hmac(_KNOWN_SALT, username.strip().lower()).hexdigest()[:32]


def _account_key(username: str) -> str:
    # Counter keys name accounts and addresses only by keyed hashes (koers.lib.ratelimit).
    return ratelimit.hashed("account", username.strip().lower())


def _client(address: str, known: bool) -> str:
    return "known" if known else f"ip:{ratelimit.address_key(address)}"


# --- password step -----------------------------------------------------------------------


def _login_limits(username: str, address: str, known: bool) -> list[tuple[str, int, int]]:
    account = _account_key(username)
    limits = [
        (
            f"koers:login-fail:pair:{account}:{_client(address, known)}",
            MAX_FAILURES_PER_PAIR,
            WINDOW,
        )
    ]
    if not known:
        limits += [
            (
                f"koers:login-fail:ip:{ratelimit.address_key(address)}",
                MAX_FAILURES_PER_ADDRESS,
                WINDOW,
            ),
            (f"koers:login-fail:account:{account}", MAX_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW),
        ]
    return limits


def begin_login(username: str, address: str, known: bool = False) -> bool:
    """Count a password attempt; False (check no password) when the client is locked."""
    return ratelimit.reserve(_login_limits(username, address, known))


def login_succeeded(username: str, address: str, known: bool = False) -> None:
    """A right password: forget this client's failures, and do not count this attempt
    against the address or the account (the ceiling is never cleared, or each of the
    owner's logins would hand a guesser a fresh allowance)."""
    pair, *shared = (key for key, _, _ in _login_limits(username, address, known))
    ratelimit.reset(pair)
    for key in shared:
        ratelimit.refund(key)


# --- code step ---------------------------------------------------------------------------


def _code_limits(user: Any, address: str, known: bool) -> list[tuple[str, int, int]]:
    account = _account_key(user.get_username())
    limits = [
        (
            f"koers:code-fail:pair:{account}:{_client(address, known)}",
            MAX_CODE_FAILURES_PER_PAIR,
            CODE_WINDOW,
        )
    ]
    if not known:
        # Changing the password starts a fresh ceiling: the guesser held the old one.
        password = user.get_session_auth_hash()[:16]
        limits.append(
            (
                f"koers:code-fail:account:{account}:{password}",
                MAX_CODE_FAILURES_PER_ACCOUNT,
                CODE_ACCOUNT_WINDOW,
            )
        )
    return limits


def begin_code(user: Any, address: str, known: bool = False) -> bool:
    """Count a code attempt; False (check no code) when the client or account is locked."""
    return ratelimit.reserve(_code_limits(user, address, known))


def code_failed(user: Any, address: str, known: bool = False) -> bool:
    """After a wrong code (already counted): True once per window when the account's
    ceiling is reached, the moment to warn the owner that someone has their password."""
    limits = _code_limits(user, address, known)
    if known:
        return False
    key, limit, window = limits[-1]
    return ratelimit.count(key) >= limit and cache.add(f"{key}:warned", 1, window)


def code_succeeded(user: Any, address: str, known: bool = False) -> None:
    pair, *shared = (key for key, _, _ in _code_limits(user, address, known))
    ratelimit.reset(pair)
    for key in shared:
        ratelimit.refund(key)


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
