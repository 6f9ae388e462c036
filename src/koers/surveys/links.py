"""Respondent links, resume codes and the keyed hashes that keep answers unlinkable.

A respondent link carries a long random secret (256 bits). The response stores
``HMAC(key, "response", secret)``, an invitation ``HMAC(key, "invitation",
secret)``: different domains, so the two stored values cannot be joined
without the secret itself, which only the link holder has. An anonymous
respondent also gets a resume code (12 base-32 characters = 60 bits) whose
hash the response stores under a third domain.

While reminders may still be needed, an invitation keeps the secret encrypted
at rest (:func:`koers.lib.codes.encrypt_secret`); it is wiped when the response
is finished or the campaign closes (:mod:`koers.surveys.services`). The secrets, codes
and hashes themselves are made by :mod:`koers.lib.codes`, shared with the other apps.
"""

from __future__ import annotations

from koers.lib.codes import (
    CODE_ALPHABET,
    adopt_former_hash,
    decrypt_secret,
    encrypt_secret,
    format_code,
    keyed_hash,
    new_code,
    new_secret,
    normalise_code,
)
from koers.lib.codes import looks_like_code as _looks_like_code

__all__ = [
    "CODE_ALPHABET",
    "adopt_former_hash",
    "decrypt_secret",
    "encrypt_secret",
    "format_code",
    "keyed_hash",
    "new_secret",
    "normalise_code",
]

CODE_LENGTH = 12  # 12 × 5 = 60 bits


RESPONSE, INVITATION, RESUME_CODE = "response", "invitation", "resume-code"


def response_hash(secret: str) -> str:
    return keyed_hash(RESPONSE, secret)


def invitation_hash(secret: str) -> str:
    return keyed_hash(INVITATION, secret)


def code_hash(code: str) -> str:
    return keyed_hash(RESUME_CODE, normalise_code(code))


def new_resume_code() -> str:
    return new_code(CODE_LENGTH)


def looks_like_code(credential: str) -> bool:
    return _looks_like_code(credential, CODE_LENGTH)


# --- the browser slot: where a respondent's credential lives after the first visit ---------
#
# A link secret or resume code is a bearer credential; in a URL it would end up in proxy
# logs, Django's request log and browser history. After the first visit it therefore moves
# into a cookie, and every later page lives under ``/invullen/<slot>/``. The slot is not a
# secret: a keyed hash of the credential, truncated to 64 bits, so it names the cookie and
# the URL without revealing the credential (a 60-bit resume code cannot be recovered from
# it without the link key) and without pointing at a row (the database stores other
# hashes). One slot per response: two responses in one browser (two campaigns, a shared
# family PC) each keep their own cookie and their own URLs.
SLOT = "browser-slot"
SLOT_LENGTH = 16
COOKIE_PREFIX = "koers_r_"


def slot_of(credential: str) -> str:
    """The non-secret slot name for a credential (a code in any sloppy spelling: one slot)."""
    norm = normalise_code(credential) if looks_like_code(credential) else credential
    return keyed_hash(SLOT, norm)[:SLOT_LENGTH]


def is_slot(value: str) -> bool:
    return len(value) == SLOT_LENGTH and all(ch in "0123456789abcdef" for ch in value)


def cookie_name(slot: str) -> str:
    return COOKIE_PREFIX + slot


def cookie_value(credential: str) -> str:
    """What the cookie holds: the secret as it is, a resume code normalised (cookie-safe)."""
    return normalise_code(credential) if looks_like_code(credential) else credential
